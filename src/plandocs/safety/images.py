"""Images: a real PNG, JPEG or GIF file of a sane size — the format checked from its
bytes, truncated files and decompression bombs refused before a writer sees them."""

from __future__ import annotations

from dataclasses import dataclass

IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif")
IMAGE_FORMATS = ("PNG", "JPEG", "GIF")
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000
"""About 8,700 × 5,800: more than any printed page needs; Pillow's own bomb guard is
kept below its default (89 M) so a decompression bomb is refused before decoding."""


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
