"""What content may point at: links and images, checked before anything is fetched.

Rendering reaches no network and no file outside the project. An image must be a
file inside the project (PNG, JPEG or GIF); a link may go to the web (it is written
into the document, never fetched), to an anchor, or to a file inside the project.
Anything else — ``file:///etc/passwd``, ``../../x``, ``http://…`` as an image — is an
error that names the content file and line.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from plandocs.errors import ContentError

IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif")
LINK_SCHEMES = ("http", "https", "mailto")


class UrlPolicy:
    """Checks the URLs of one Markdown source; returns them relative to the project."""

    def __init__(self, root: Path, source: Path, first_line: int) -> None:
        self.root = root.resolve()
        self.source = source
        self.first_line = first_line

    def __call__(self, kind: str, url: str, line: int) -> str:
        where = self.first_line + line - 1
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
                self.source,
                where,
            )
        target = (self.source.parent / unquote(parsed.path)).resolve()
        if not target.is_relative_to(self.root):
            raise ContentError(
                f"{url!r} is outside the project folder; keep images and linked files inside it",
                self.source,
                where,
            )
        if kind == "image":
            if target.suffix.lower() not in IMAGE_TYPES:
                raise ContentError(
                    f"image {url!r}: use a PNG, JPEG or GIF file", self.source, where
                )
            if not target.is_file():
                raise ContentError(f"image {url!r} not found", self.source, where)
        return target.relative_to(self.root).as_posix()


def refuse_files(kind: str, url: str, line: int) -> str:
    """The policy for Markdown that has no file of its own: web links only."""
    if kind == "link" and (url.startswith("#") or urlparse(url).scheme in LINK_SCHEMES):
        return url
    raise ValueError(f"{url!r}: only web links are allowed here")
