"""An earlier draft from git: the revision exported with ``git archive`` into a
temporary folder (the working tree is never touched), its links that lead out of the
revision and its devices left out."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from plandocs.errors import PlandocsError


class CompareError(PlandocsError):
    """The earlier version cannot be found or read."""


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except FileNotFoundError:
        raise CompareError("git is not installed; name an earlier folder instead") from None
    if done.returncode != 0:
        raise _GitFailed(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout.decode("utf-8", "replace").strip()


class _GitFailed(Exception):
    pass


def git_export(root: Path, rev: str, into: Path) -> tuple[str, Path]:
    """Export ``rev`` of the project folder into ``into``; (label, project root there)."""
    try:
        _git(root, "rev-parse", "--show-toplevel")
        prefix = _git(root, "rev-parse", "--show-prefix")
    except _GitFailed:
        raise CompareError(
            f"{rev!r} is not a folder, and the project is not in a git repository; "
            "name an earlier project or build folder",
            root,
        ) from None
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except _GitFailed:
        raise CompareError(
            f"{rev!r} is neither a folder nor a git revision of this project "
            "(try a commit, a tag such as v2, or HEAD~1)",
            root,
        ) from None
    try:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", commit, "--", "."],
            capture_output=True,
            check=True,
            timeout=300,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(into, filter=_plain_members)
            else:  # Python 3.11.0–3.11.3: the archive is the user's own repository
                tar.extractall(into, members=[m for m in tar if m.isfile() or m.isdir()])
        when = _git(root, "show", "-s", "--format=%h %cs", commit)
    except (subprocess.CalledProcessError, tarfile.TarError, _GitFailed) as exc:
        raise CompareError(f"cannot export {rev!r} from git: {exc}", root) from None
    project_root = into / prefix
    if not (project_root / "plandocs.yaml").is_file():
        raise CompareError(f"{rev!r} has no plandocs.yaml in this folder", root)
    return f"{rev} ({when})" if not when.startswith(rev) else rev, project_root


def _plain_members(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """Files and folders of an earlier revision, never a link leading out of it (nor a
    device): such a member is left out, and the earlier version of a document that used
    it cannot be rendered — that document's redline fails, the others are written."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None
