"""Plan the outputs of a project, render each (document, language) once, run the writers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs.content.readouts import find_readouts, load_readout
from plandocs.errors import PlandocsError
from plandocs.model import Readout
from plandocs.render import (
    RenderedDocument,
    make_env,
    page_context,
    render_page,
    render_text,
)
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


def render_readout(env: Any, settings: Settings, readout: Readout, lang: str) -> RenderedDocument:
    """The HTML of one readout in one language."""
    prose = readout.prose[lang]
    context: dict[str, Any] = readout.context(lang)
    context.update(page_context(settings, lang))
    # Front matter starts on line 2, the line after the opening `---`.
    title = render_text(env, prose.front.title, context, prose.path, 2)
    subtitle = prose.front.subtitle
    context["title"] = title
    context["subtitle"] = render_text(env, subtitle, context, prose.path, 2) if subtitle else None
    context["body"] = render_text(env, prose.body, context, prose.path, prose.body_line)
    html, templates = render_page(env, f"{lang}/readout.html", context)
    org = settings.org(lang)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=f"{org.unit}, {org.name}",
        source=prose.path,
        templates=templates,
        date=readout.facts.date,
    )


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

    for folder in find_readouts(root):
        if not _selected(folder, paths):
            continue
        name = f"readouts/{folder.name}"
        try:
            readout = load_readout(folder)
        except PlandocsError as exc:
            report.failed.append(exc)
            on_event("error", _format(exc, root))
            continue
        for lang in langs:
            if lang in readout.prose_errors:
                error = readout.prose_errors[lang]
                report.failed.append(error)
                on_event("error", _format(error, root))
                continue
            if lang not in readout.prose:
                message = f"{name} [{lang}]: no {lang}.md, so no {lang} version"
                report.skipped.append(message)
                on_event("skip", message)
                continue
            try:
                document = render_readout(env, settings, readout, lang)
                for writer in writers:
                    target = output_path(root, lang, "readouts", readout.slug, writer.suffix)
                    writer.write(document, target)
                    report.written.append(target)
                    on_event("wrote", target.relative_to(root).as_posix())
            except PlandocsError as exc:
                if exc.path is None:
                    exc.path = readout.prose[lang].path
                report.failed.append(exc)
                on_event("error", _format(exc, root))
    report.seconds = time.perf_counter() - started
    return report


def _format(exc: PlandocsError, root: Path) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "\n".join(e.format(root) for e in errors)
    return exc.format(root)
