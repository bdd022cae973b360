"""A kind's templates: the layers its names are looked up in, its environment, and the
checks ``build`` and ``check`` make before rendering with them.

A broken template fails the documents of the kinds that use it — each reported at the
template's file and line — and nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.kinds.spec import KindSpec
from plandocs.kinds.where import TEMPLATES, kind_folder, kind_names
from plandocs.render.loader import PROJECT_TEMPLATES, THEME_DIR

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from plandocs.project import Project


def template_layers(root: Path, spec: KindSpec) -> tuple[Path, ...]:
    """Where the kind's template names are looked up, first found wins: a project kind's
    own folder, the project's ``templates/``, a built-in kind's folder, the folders of
    what it extends, plandocs' shared templates."""
    own, *inherited = spec.template_folders
    project = root / PROJECT_TEMPLATES
    first = [project, own] if spec.builtin else [own, project]
    return tuple(dict.fromkeys([*first, *inherited, THEME_DIR]))


def kind_folders(root: Path) -> dict[str, Path]:
    """Each kind's templates folder, for the names ``kinds/<kind>/<path>``."""
    return {name: kind_folder(root, name) / TEMPLATES for name in kind_names(root)}


def kind_env(project: Project, spec: KindSpec) -> SandboxedEnvironment:
    """The environment the kind's documents are rendered in."""
    return project.env_over(template_layers(project.root, spec), kind_folders(project.root))
