"""The project a build works on: its folder, its settings and its one Jinja environment.

Made once per build (and once per worker process) with :meth:`Project.load`, then
passed down the pipeline, so ``plandocs.yaml`` is read and validated once and every
stage agrees on the same root and settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.render.env import make_env
from plandocs.render.loader import PROJECT_TEMPLATES, THEME_DIR
from plandocs.settings import Settings, load_settings

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


@dataclass(frozen=True, eq=False)
class Project:
    """A project folder with its validated settings."""

    root: Path
    """The project folder, resolved."""
    settings: Settings

    @classmethod
    def load(cls, root: Path) -> Project:
        """Read and validate ``plandocs.yaml``; a problem is a located SettingsError."""
        root = Path(os.path.realpath(root))
        return cls(root, load_settings(root))

    @cached_property
    def env(self) -> SandboxedEnvironment:
        """The sandboxed Jinja environment of the templates every kind shares: the
        project's ``templates/``, then plandocs' own (a kind's documents render in the
        environment of that kind's layers, :func:`plandocs.kinds.templates.kind_env`)."""
        return self.env_over((self.root / PROJECT_TEMPLATES, THEME_DIR))

    def env_over(
        self, layers: tuple[Path, ...], kinds: dict[str, Path] | None = None
    ) -> SandboxedEnvironment:
        """The environment over template ``layers`` (first found wins), ``kinds/<k>/…``
        naming kind k's templates folder in ``kinds``."""
        return make_env(self.root, layers, kinds)

    @cached_property
    def reference_docx(self) -> Path | None:
        """The Word reference document named in the settings, if any."""
        return self.settings.reference_path(self.root)

    def rel(self, path: Path) -> str:
        """``path`` relative to the project, as written in messages and the manifest."""
        try:
            return Path(os.path.realpath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return Path(os.path.realpath(path)).as_posix()

    def __getstate__(self) -> dict[str, Any]:
        # A Jinja environment does not cross to a worker process; it is made again there.
        return {"root": self.root, "settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "root", state["root"])
        object.__setattr__(self, "settings", state["settings"])
