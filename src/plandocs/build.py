"""Plan the outputs of a project, render each (document, language) once, run the writers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs.documents import KINDS, Kind
from plandocs.errors import PlandocsError
from plandocs.render import make_env
from plandocs.settings import Settings, load_settings

BUILD_DIR = "build"


@dataclass
class BuildReport:
    """What a build did: files written, documents skipped, problems met."""

    root: Path
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[PlandocsError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.skipped)} skipped, "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
        )


Event = Callable[[str, str], None]
"""A callback for progress: (kind, message), kind one of wrote/skip/error."""


def _silent(kind: str, message: str) -> None:
    pass


def output_path(root: Path, lang: str, kind: str, slug: str, suffix: str) -> Path:
    """``build/<lang>/<kind>/<slug><suffix>``."""
    return root / BUILD_DIR / lang / kind / f"{slug}{suffix}"


def _selected(folder: Path, paths: Sequence[Path]) -> bool:
    if not paths:
        return True
    folder = folder.resolve()
    for path in paths:
        path = path.resolve()
        if path == folder or path.is_relative_to(folder) or folder.is_relative_to(path):
            return True
    return False


def build(
    root: Path,
    langs: Iterable[str],
    formats: Iterable[str],
    paths: Sequence[Path] = (),
    on_event: Event = _silent,
) -> BuildReport:
    """Build the selected documents; one document's failure does not stop the others."""
    from plandocs.writers import WRITERS

    started = time.perf_counter()
    report = BuildReport(root)
    try:
        settings = load_settings(root)
    except PlandocsError as exc:
        report.failed.append(exc)
        on_event("error", exc.format(root))
        report.seconds = time.perf_counter() - started
        return report
    env = make_env(root)
    writers = [WRITERS[name](root, settings) for name in formats]
    langs = [lang for lang in langs if lang in settings.languages]

    for kind in KINDS:
        for folder in kind.find(root):
            if _selected(folder, paths):
                _build_one(root, env, settings, kind, folder, langs, writers, report, on_event)
    report.seconds = time.perf_counter() - started
    return report


def _build_one(
    root: Path,
    env: Any,
    settings: Settings,
    kind: Kind,
    folder: Path,
    langs: list[str],
    writers: list[Any],
    report: BuildReport,
    on_event: Event,
) -> None:
    """Build one document in every asked language; its problems go to the report."""
    name = f"{kind.name}/{folder.name}"
    try:
        document = kind.load(root, folder)
    except PlandocsError as exc:
        report.failed.append(exc)
        on_event("error", _format(exc, root))
        return
    for lang in langs:
        error = document.language_error(lang)
        if error is not None:
            report.failed.append(error)
            on_event("error", _format(error, root))
            continue
        if lang not in document.languages():
            message = f"{name} [{lang}]: no {lang} content, so no {lang} version"
            report.skipped.append(message)
            on_event("skip", message)
            continue
        try:
            rendered = kind.render(env, settings, document, lang)
            for writer in writers:
                target = output_path(root, lang, kind.name, document.slug, writer.suffix)
                writer.write(rendered, target)
                report.written.append(target)
                on_event("wrote", target.relative_to(root).as_posix())
        except PlandocsError as exc:
            if exc.path is None:
                exc.path = folder
            report.failed.append(exc)
            on_event("error", _format(exc, root))


def _format(exc: PlandocsError, root: Path) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "\n".join(e.format(root) for e in errors)
    return exc.format(root)
