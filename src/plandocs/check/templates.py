"""The project's templates and kinds, checked before any document is: every template
the project wrote parses and compiles, every kind's ``kind.yaml`` and schema are valid,
and a template the project overrides in one language is there in every language.

Problems are collected per kind, so that a broken kind fails its own documents only
(:func:`check_kinds` says which kinds are broken); plandocs' own built-in templates
are part of its code and not checked here.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from plandocs.errors import PlandocsError, Problems, TemplateError
from plandocs.kinds.spec import load_spec
from plandocs.kinds.where import TEMPLATES, is_builtin, kind_folder, kind_names
from plandocs.project import Project
from plandocs.render.loader import PROJECT_TEMPLATES
from plandocs.render.located import explain, syntax_error
from plandocs.safety.paths import os_reason, resolve_inside
from plandocs.safety.reader import MAX_TEXT_BYTES
from plandocs.safety.text import xml_safe

SUFFIXES = (".html", ".css", ".xml")


def check_kinds(project: Project, result: Problems) -> set[str]:
    """Check the project's templates and every kind; the names of the kinds that cannot
    render (their problems are in ``result``). A problem in the project's shared
    ``templates/`` breaks every kind."""
    broken: set[str] = set()
    shared = Problems()
    _check_folder(project, project.root / PROJECT_TEMPLATES, shared, languages=True)
    for diagnostic in shared.diagnostics:
        result.add(diagnostic.severity, diagnostic.problem)
    names = kind_names(project.root)
    if shared.errors:
        broken.update(names)
    for name in names:
        own = Problems()
        _check_kind(project, name, own)
        for diagnostic in own.diagnostics:
            result.add(diagnostic.severity, diagnostic.problem)
        if own.errors:
            broken.add(name)
    return broken


def _check_kind(project: Project, name: str, result: Problems) -> None:
    """A kind: its kind.yaml and schema valid; a project kind's templates compile, with
    the entry template there in every language."""
    folder = kind_folder(project.root, name)
    try:
        spec = load_spec(project.root, name)
    except PlandocsError as exc:
        result.add("error", exc)
        return
    if is_builtin(folder):
        return
    _check_folder(project, folder / TEMPLATES, result, languages=False)
    for lang in project.settings.languages:
        if not any((f / lang / spec.template).is_file() for f in spec.template_folders):
            path = folder / TEMPLATES / lang / spec.template
            result.add(
                "error",
                TemplateError(
                    f"template {lang}/{spec.template} of the kind {name} is missing; every "
                    "language needs one (copy the other language's and translate its words)",
                    path,
                ),
            )


def _check_folder(project: Project, base: Path, result: Problems, languages: bool) -> None:
    """Every template file under ``base`` parses and compiles; with ``languages``, one
    overridden in one language's folder is there in every language's."""
    try:
        resolve_inside(project.root, base, "templates folder", TemplateError)
    except TemplateError as exc:
        result.add("error", exc)
        return
    files = sorted(base.rglob("*")) if base.is_dir() else []
    env = project.env
    for path in files:
        if path.suffix in SUFFIXES:
            _check_file(env, project, path, result)
    if not languages:
        return
    langs = list(project.settings.languages)
    for lang in langs:
        for path in sorted((base / lang).glob("*")) if (base / lang).is_dir() else []:
            for other in langs:
                twin = base / other / path.name
                if other != lang and path.suffix in SUFFIXES and not twin.is_file():
                    result.add(
                        "error",
                        TemplateError(
                            f"template {other}/{path.name} is missing; every language needs "
                            f"one, as {lang}/{path.name} is the project's own (copy it and "
                            "translate its words)",
                            twin,
                        ),
                    )


def _check_file(env: jinja2.Environment, project: Project, path: Path, result: Problems) -> None:
    try:
        real = resolve_inside(project.root, path, "template", TemplateError)
        if not real.is_file():
            return
        raw = real.read_bytes()
        if len(raw) > MAX_TEXT_BYTES:
            raise TemplateError("this template is too large; split it", path)
        text, removed = xml_safe(raw.decode("utf-8"))
        if removed is not None:
            result.add("warning", TemplateError(removed.message(), path, removed.line))
        env.compile(text, path.name, str(path))
    except PlandocsError as exc:
        result.add("error", exc)
    except jinja2.TemplateSyntaxError as exc:
        exc.filename = str(path)
        result.add("error", syntax_error(exc, text))
    except UnicodeDecodeError:
        result.add("error", TemplateError("not UTF-8 text; save it as UTF-8", path))
    except (SyntaxError, RecursionError, MemoryError) as exc:
        result.add("error", TemplateError(explain(exc), path))
    except OSError as exc:
        result.add("error", TemplateError(f"cannot read this template: {os_reason(exc)}", path))
