"""Text given once per language (``{id: …, en: …}``), resolved to the language of the
document being made, with the typographic quotes the documents print."""

from __future__ import annotations

from typing import Any

from plandocs.content.yamlfile import Loc, YamlDoc

_OPENING = frozenset(" \t\n([{\u2013\u2014/-")


def typographic_quotes(text: str) -> str:
    """Straight quotes as the documents print them: ``"x"`` → “x”, ``'x'`` → ‘x’, and an
    apostrophe (``Ma'ruf``) → ’. Indonesian and English both use these marks, as the
    prose does; a fact typed with straight quotes must not stand out beside it."""
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        opening = before in _OPENING
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
        elif char == "'":
            out.append("\u2018" if opening else "\u2019")
        else:
            out.append(char)
    return "".join(out)


def _is_local_text(value: object) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= {"id", "en"}
        and all(isinstance(v, str) for v in value.values())
    )


def localize(value: Any, lang: str, doc: YamlDoc, loc: Loc) -> Any:
    """Replace every ``{id: …, en: …}`` text in ``value`` by its ``lang`` text, with
    typographic quotes."""
    if isinstance(value, str):
        return typographic_quotes(value)
    if _is_local_text(value):
        if lang not in value:
            other = next(iter(value))
            raise doc.error(
                f"`{'.'.join(map(str, loc))}` has no `{lang}` text (only `{other}`); "
                f"add `{lang}: …` beside it",
                loc,
            )
        return typographic_quotes(value[lang])
    if isinstance(value, dict):
        return {k: localize(v, lang, doc, (*loc, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [localize(v, lang, doc, (*loc, i)) for i, v in enumerate(value)]
    return value
