"""Links and images in content: a link may go to the web (written into the document,
never fetched), to an anchor, or to a file inside the project; an image must be a
project file. Anything else — ``file:///etc/passwd``, ``../../x``, ``http://…`` as an
image — is an error that names the content file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from plandocs.errors import ContentError, PlandocsError
from plandocs.safety.images import IMAGE_TYPES, check_image
from plandocs.safety.paths import is_file, resolve_inside, root_of

LINK_SCHEMES = ("http", "https", "mailto")

UrlCheck = Callable[[str, str, int], str]


class UrlPolicy:
    """Checks the URLs of one Markdown source; returns them relative to the project."""

    def __init__(self, root: Path, source: Path, first_line: int) -> None:
        self._root = root_of(root)
        self._source = source
        self._first_line = first_line

    def __call__(self, kind: str, url: str, line: int) -> str:
        where = self._first_line + line - 1
        parsed = urlparse(url)
        if kind == "link" and (url.startswith("#") or parsed.scheme in LINK_SCHEMES):
            return url
        if parsed.scheme or parsed.netloc or url.startswith(("/", "\\")):
            what = "an image" if kind == "image" else "a link"
            raise ContentError(
                f"{what} to {url!r} points outside the project; "
                + (
                    "use an image file inside the project folder"
                    if kind == "image"
                    else "link to the web (https://…) or to a project file"
                ),
                self._source,
                where,
            )
        name = unquote(parsed.path)
        if "\x00" in name:
            raise ContentError(f"{url!r} is not a file name", self._source, where)
        target = self._source.parent / name
        try:
            resolved = resolve_inside(self._root, target, "image" if kind == "image" else "file")
        except ContentError as exc:
            if "outside the project folder" in exc.message:
                raise ContentError(
                    f"{url!r} is outside the project folder; keep images and linked files "
                    "inside it",
                    self._source,
                    where,
                ) from None
            raise ContentError(f"{url!r}: {exc.message}", self._source, where) from None
        if kind == "image":
            if resolved.suffix.lower() not in IMAGE_TYPES:
                raise ContentError(
                    f"image {url!r}: use a PNG, JPEG or GIF file", self._source, where
                )
            if not is_file(resolved):
                raise ContentError(f"image {url!r} not found", self._source, where)
            from plandocs.safety.reader import read_bytes

            try:
                check_image(read_bytes(resolved))
            except ValueError as exc:
                raise ContentError(f"image {url!r}: {exc}", self._source, where) from None
            except PlandocsError as exc:
                raise ContentError(f"image {url!r}: {exc.message}", self._source, where) from None
        return resolved.relative_to(self._root).as_posix()


def refuse_files(kind: str, url: str, line: int) -> str:
    """The policy for Markdown that has no file of its own: web links only."""
    if kind == "link" and (url.startswith("#") or urlparse(url).scheme in LINK_SCHEMES):
        return url
    raise ValueError(f"{url!r}: only web links are allowed here")


def fetch_target(root: Path, url: str) -> Path:
    """The project file a writer may read for ``url`` (a ``file:`` URL); ValueError with
    the reason otherwise."""
    parsed = urlparse(url)
    outside = f"{url} is outside the project; only files inside the project folder may be used"
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise ValueError(outside)
    try:
        path = resolve_inside(root, Path(unquote(parsed.path)), "file")
    except ContentError as exc:
        if "outside the project folder" in exc.message or "a link to" in exc.message:
            raise ValueError(outside) from None
        raise ValueError(f"{url}: {exc.message}") from None
    if not is_file(path):
        raise ValueError(f"{url} is not a file in the project; check the name")
    return path
