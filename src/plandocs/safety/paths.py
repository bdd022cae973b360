"""What content may point at and contain, checked before anything is read or written.

Rendering reaches no network and no file outside the project:

* a path is followed through its symbolic links before it is used, and one that ends
  outside the project (or loops, or is too long) is an error naming the file;
* an image must be a real PNG, JPEG or GIF file inside the project, of a sane size;
* a link may go to the web (it is written into the document, never fetched), to an
  anchor, or to a file inside the project. Anything else — ``file:///etc/passwd``,
  ``../../x``, ``http://…`` as an image — is an error that names the content file
  and line;
* text bound for the writers loses the characters XML cannot hold (:func:`xml_safe`).
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from plandocs.errors import ContentError, PlandocsError

IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif")
IMAGE_FORMATS = ("PNG", "JPEG", "GIF")
LINK_SCHEMES = ("http", "https", "mailto")
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000
"""About 8,700 × 5,800: more than any printed page needs; Pillow's own bomb guard is
kept below its default (89 M) so a decompression bomb is refused before decoding."""

# -- paths ------------------------------------------------------------------------------


def resolve_inside(
    root: Path, path: Path, what: str = "file", error: type[PlandocsError] = ContentError
) -> Path:
    """``path`` with its symbolic links followed, which must stay inside ``root``.

    A link loop, a name too long for the system, or a link that leads out of the
    project is an error located at ``path`` (the name as written in the project).
    """
    real_root = root_of(root)
    try:
        lexical = Path(os.path.normpath(os.path.abspath(path)))
        if not (lexical.is_relative_to(root) or lexical.is_relative_to(real_root)):
            raise error(f"this {what} is outside the project folder; keep it inside", path)
        resolved = Path(os.path.realpath(path, strict=False))
        if resolved.is_symlink():  # realpath gives up on a loop and returns the link
            raise RuntimeError("loop")
        try:
            os.stat(resolved)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a loop in a folder on the way
                raise RuntimeError("loop") from None
    except RuntimeError:
        raise error(f"this {what} is a symbolic link that loops; replace it", path) from None
    except (OSError, ValueError) as exc:
        reason = _os_reason(exc) if isinstance(exc, OSError) else "the name is not valid"
        raise error(f"cannot use this {what}: {reason}", path) from None
    if not resolved.is_relative_to(real_root):
        raise error(
            f"this {what} is a link to {resolved.as_posix()!r}, outside the project; "
            "copy it into the project instead",
            path,
        )
    return resolved


_ROOTS: dict[Path, Path] = {}


def root_of(root: Path) -> Path:
    """The project folder with its own links followed (cached: it does not move)."""
    found = _ROOTS.get(root)
    if found is None:
        found = _ROOTS[root] = Path(os.path.realpath(root))
    return found


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long; shorten it"
    if exc.errno == errno.ELOOP:
        return "a symbolic link loops; replace it"
    return exc.strerror or type(exc).__name__


def os_reason(exc: OSError) -> str:
    """A plain reason for an OS error, without Python's ``[Errno …]`` prefix."""
    return _os_reason(exc)


def is_file(path: Path) -> bool:
    """``path.is_file()`` that is False, not an exception, for over-long names."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def present(path: Path) -> bool:
    """Whether something is at ``path`` that a reader should try — a file, or a link
    (also one that loops or leads nowhere, so that reading it reports why)."""
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return True


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def safe_rel(rel: str, first: str | None = None) -> bool:
    """A relative POSIX path without ``..`` (and starting with ``first`` when given)."""
    from pathlib import PurePosixPath

    if not rel or "\\" in rel or "\x00" in rel:
        return False
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in ("..", ".", "") for part in rel.split("/")):
        return False
    return first is None or (len(path.parts) > 1 and path.parts[0] == first)


_WORD_CHECKED: dict[tuple[str, int, int], str | None] = {}


def word_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot serve as a Word reference document, or None when it can:
    a ZIP package with a well-formed ``word/document.xml`` and not a ZIP bomb."""
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot be read ({_os_reason(exc)})"
    key = (str(path), info.st_mtime_ns, info.st_size)
    if key not in _WORD_CHECKED:
        _WORD_CHECKED[key] = _word_problem(path)
    return _WORD_CHECKED[key]


def _word_problem(path: Path) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return "is a ZIP file but not a Word document"
            if sum(i.file_size for i in package.infolist()) > 256 * 1024 * 1024:
                return "unpacks to more than 256 MiB"
            from lxml import etree

            for name in ("[Content_Types].xml", "word/document.xml", "word/styles.xml"):
                if name in names:
                    etree.fromstring(package.read(name), etree.XMLParser(resolve_entities=False))
    except zipfile.BadZipFile:
        return "is not a Word file (.docx)"
    except Exception:  # lxml, zlib and zipfile raise many kinds for a damaged package
        return "is damaged"
    return None


# -- text for the writers ------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (C0 controls but tab and line ends, lone surrogates,
U+FFFE/U+FFFF), and the C1 controls, which no document means to contain."""


@dataclass(frozen=True)
class Removed:
    """Characters taken out of a text: how many, which, and the line of the first."""

    count: int
    names: str
    line: int

    def message(self, where: str = "") -> str:
        what = "character" if self.count == 1 else "characters"
        return (
            f"removed {self.count} control {what} ({self.names}){where} that Word and PDF "
            "cannot hold; delete them from the text"
        )


def xml_safe(text: str) -> tuple[str, Removed | None]:
    """``text`` without the characters XML cannot hold, and what was removed."""
    first = _NOT_XML.search(text)
    if first is None:
        return text, None
    found = _NOT_XML.findall(text)
    names = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found[:20]))
    line = text.count("\n", 0, first.start()) + 1
    return _NOT_XML.sub("", text), Removed(len(found), names, line)


# -- links and images ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int


_IMAGES: dict[str, ImageInfo | str] = {}


def check_image(data: bytes) -> ImageInfo:
    """The format and size of an image, or ValueError saying why it cannot be used.

    Only PNG, JPEG and GIF; decompression bombs and truncated files are refused
    before a writer sees them. Results are cached by content.
    """
    import hashlib

    key = hashlib.sha256(data).hexdigest()
    known = _IMAGES.get(key)
    if known is None:
        try:
            known = _inspect_image(data)
        except ValueError as exc:
            known = str(exc)
        _IMAGES[key] = known
    if isinstance(known, str):
        raise ValueError(known)
    return known


def _inspect_image(data: bytes) -> ImageInfo:
    import io
    import warnings

    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"the file is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MiB")
    if data[:5] in (b"<?xml", b"<svg ") or b"<svg" in data[:512]:
        raise ValueError("it is an SVG drawing; save it as PNG")
    from PIL import Image, ImageFile

    truncated_ok = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # a library may have allowed it for itself
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                width, height = image.size
                if kind not in IMAGE_FORMATS:
                    raise ValueError(f"it is a {kind or 'different'} file, not PNG, JPEG or GIF")
                if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                    raise ValueError(
                        f"it is {width} × {height} pixels; use at most "
                        f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels"
                    )
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except ValueError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError("it is far too large once decoded (a decompression bomb?)") from None
    except Exception:
        raise ValueError(
            "it is not a readable PNG, JPEG or GIF image (damaged or truncated?)"
        ) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
    return ImageInfo(kind, width, height)


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
