"""Where templates come from: the layers of one kind's templates, and the one function
that builds the sandboxed environment over them.

A kind's template name (``id/readout.html``, ``shared/base.html``) is looked up in
layers, first found wins:

1. a project kind's own ``kinds/<name>/templates/``;
2. the project's ``templates/`` — its own version of any template;
3. a built-in kind's ``templates/`` (inside plandocs), then those of the kinds it extends;
4. plandocs' shared templates (the page, the letterhead, each language's words).

``kinds/<kind>/<path>`` names the templates of another kind, whatever the layers.
Project files are read only from inside the project (links followed and checked) and
recorded as inputs with the digest of the text compiled; plandocs' own files are part
of its code (the build's code fingerprint covers them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from plandocs.errors import TemplateError
from plandocs.render.sandbox import PlandocsEnvironment
from plandocs.safety.paths import os_reason, resolve_inside
from plandocs.safety.text import xml_safe

PACKAGE = Path(__file__).resolve().parents[1]
"""plandocs' own folder: templates found under it are trusted code, not project files."""
THEME_DIR = PACKAGE / "templates"
"""The templates every kind shares (the page, the letterhead, each language's words)."""
PROJECT_TEMPLATES = "templates"
"""The project's own templates folder, searched before plandocs' own."""


class LayeredLoader(jinja2.BaseLoader):
    """Templates from ``layers`` (folders, first found wins), and ``kinds/<kind>/…``
    from that kind's templates folder; the text is cleaned of characters XML cannot
    hold (``check`` warns)."""

    def __init__(self, root: Path, layers: tuple[Path, ...], kinds: Mapping[str, Path]) -> None:
        self.root = root
        self.layers = layers
        self.kinds = dict(kinds)
        self.digests: dict[str, str] = {}

    @property
    def searchpath(self) -> list[str]:
        """The folders searched, first first (as Jinja's FileSystemLoader names them)."""
        return [str(layer) for layer in self.layers]

    def find(self, template: str) -> Path | None:
        """The file a template name stands for, or None."""
        pieces = jinja2.loaders.split_template_path(template)
        if len(pieces) > 2 and pieces[0] == "kinds":
            folder = self.kinds.get(pieces[1])
            candidates = [folder.joinpath(*pieces[2:])] if folder is not None else []
        else:
            candidates = [layer.joinpath(*pieces) for layer in self.layers]
        for candidate in candidates:
            if os.path.isfile(candidate):
                return candidate
        return None

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        from plandocs.safety.reader import MAX_TEXT_BYTES, digest

        path = self.find(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        filename = os.path.normpath(path)
        trusted = Path(filename).is_relative_to(PACKAGE)
        resolved = path if trusted else resolve_inside(self.root, path, "template", TemplateError)
        try:
            mtime = os.path.getmtime(resolved)
            with open(resolved, "rb") as f:
                raw = f.read(MAX_TEXT_BYTES + 1)
        except OSError as exc:
            raise TemplateError(f"cannot read this template: {os_reason(exc)}", path) from None
        if len(raw) > MAX_TEXT_BYTES:
            raise TemplateError("this template is too large; split it", path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateError("not UTF-8 text; save it as UTF-8", path) from None
        text, _ = xml_safe(text)
        if not trusted:
            self.digests[filename] = digest(raw)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(resolved) == mtime
            except OSError:
                return False

        return text, filename, uptodate


class _RecordingEnvironment(PlandocsEnvironment):
    """Notes every project template a document uses — also those included by a name
    computed at run time — with the digest of the text that was compiled."""

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        template = super()._load_template(name, globals)
        from plandocs.safety.reader import current

        recorder = current()
        loader = self.loader
        if recorder is not None and template.filename and isinstance(loader, LayeredLoader):
            found = loader.digests.get(template.filename)
            if found is not None:
                rel = recorder.rel(Path(os.path.realpath(template.filename)))
                recorder.reads[rel] = found
        return template


def make_environment(
    root: Path, layers: tuple[Path, ...], kinds: Mapping[str, Path], **options: Any
) -> PlandocsEnvironment:
    """The sandboxed environment over ``layers`` (filters are added by the caller, then
    :meth:`PlandocsEnvironment.guard_filters` wraps them)."""
    return _RecordingEnvironment(loader=LayeredLoader(root, layers, kinds), **options)
