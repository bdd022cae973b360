"""plandocs: bilingual government documents (Word and PDF) from structured plan content."""

__version__ = "0.1.0"

LANGUAGES: tuple[str, ...] = ("id", "en")
