"""``glossary.yaml``: the project's terms in both languages, and the abbreviations with
their long forms that the Renstra's list of abbreviations shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from plandocs.errors import ContentError, Problems

GLOSSARY_FILE = "glossary.yaml"


@dataclass(frozen=True)
class Term:
    """A term and its translation; an abbreviation also has its long form per language
    (``long: {id: Kementerian Sosial, en: Ministry of Social Affairs}``), which the
    Renstra's list of abbreviations shows."""

    id: str
    en: str
    long_id: str | None = None
    long_en: str | None = None

    def term(self, lang: str) -> str:
        return self.id if lang == "id" else self.en

    def long(self, lang: str) -> str | None:
        return self.long_id if lang == "id" else self.long_en


class Glossary(list[Term]):
    """The glossary's terms, and the words that look like abbreviations but are none
    (``- ignore: [UTC, WIB]``): ``check`` does not ask the glossary to define them."""

    ignore: frozenset[str] = frozenset()


def load_glossary(root: Path, result: Problems) -> Glossary:
    """``glossary.yaml``: a list of ``{id: Kemensos, en: MoSA}`` entries, an abbreviation
    with its long forms: ``{id: …, en: …, long: {id: …, en: …}}``; and any number of
    ``- ignore: [UTC, WIB]``, words that look like abbreviations but need no entry."""
    from plandocs.content.yamlfile import load_yaml

    path = root / GLOSSARY_FILE
    terms = Glossary()
    if not path.is_file():
        return terms
    try:
        doc = load_yaml(path)
    except ContentError as exc:
        result.add("error", exc)
        return terms
    if not isinstance(doc.data, list):
        result.add("error", doc.error("the glossary is a list of `- {id: …, en: …}` entries"))
        return terms
    ignore: set[str] = set()
    for index, entry in enumerate(doc.data):
        if isinstance(entry, dict) and set(entry) == {"ignore"}:
            words = entry["ignore"]
            if not isinstance(words, list) or not all(_text(w) for w in words):
                result.add(
                    "error",
                    doc.error(
                        "`ignore:` lists words that are not abbreviations: `- ignore: [UTC, WIB]`",
                        (index, "ignore"),
                    ),
                )
            else:
                ignore.update(w.strip() for w in words)
            continue
        if (
            not isinstance(entry, dict)
            or not {"id", "en"} <= set(entry) <= {"id", "en", "long"}
            or not all(_text(entry[lang]) for lang in ("id", "en"))
        ):
            result.add(
                "error",
                doc.error("each glossary entry needs exactly `id:` and `en:` terms", (index,)),
            )
            continue
        long = entry.get("long")
        if long is not None and (
            not isinstance(long, dict)
            or set(long) != {"id", "en"}
            or not all(_text(v) for v in long.values())
        ):
            result.add(
                "error",
                doc.error(
                    "`long:` gives the abbreviation's long form in both languages: "
                    "`long: {id: …, en: …}`",
                    (index, "long"),
                ),
            )
            continue
        terms.append(
            Term(
                entry["id"].strip(),
                entry["en"].strip(),
                long["id"].strip() if long else None,
                long["en"].strip() if long else None,
            )
        )
    terms.ignore = frozenset(ignore)
    return terms


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def abbreviations(terms: list[Term], lang: str, text: str) -> list[tuple[str, str]]:
    """The abbreviations (terms with a long form) that ``text`` uses, with their long
    forms in ``lang``, in alphabetical order: the Renstra's list of abbreviations. A
    term written out in ``lang`` (``{id: BPS, en: Statistics Indonesia}``) is an
    abbreviation in the other language only."""
    found = {short: long for short, long in _shorts(terms, lang) if _uses(text, short)}
    return sorted(found.items(), key=lambda item: item[0].casefold())


def _shorts(terms: list[Term], lang: str) -> list[tuple[str, str]]:
    """Every abbreviation a ``lang`` document may use, with its long form in ``lang``:
    the term of either language (an English text may say "(Renstra)"), unless it is
    the long form itself (``Statistics Indonesia``)."""
    found: dict[str, str] = {}
    for term in terms:
        long = term.long(lang)
        if not long:
            continue
        for short in (term.term(lang), term.id, term.en):
            if short != long:
                found.setdefault(short, long)
    return list(found.items())


def _uses(text: str, term: str) -> bool:
    # A code counts: SS1 is Sasaran Strategis 1.
    return re.search(rf"(?<!\w){re.escape(term)}(?![^\W\d_])", text) is not None


_ACRONYM = re.compile(
    r"(?<![\w./-])[A-Z](?:/[A-Z])+(?![\w/-])"  # K/L
    r"|(?<![\w.-])(?:[A-Z][a-z]*[A-Z][A-Za-z]*"  # BNPB, SDGs, MoSA, KemenPPPA
    r"|Kemen(?!terian)[a-z]+|Bappe[a-z]+)(?![\w-])"  # Kemendagri, Kemenko, Bappenas
)
"""What looks like an abbreviation: capitals (a plural ``s`` after them), capitals
with slashes, capitals inside a word, and the shortened names of ministries."""
_INTRODUCED = re.compile(r"\(([A-Z][a-z]{2,})\)")
"""A word introduced in parentheses after what it stands for: ``Rencana Strategis (Renstra)``."""
_ROMAN = re.compile(r"[IVXLCDM]+")


def undefined_abbreviations(text: str, lang: str, glossary: list[Term]) -> list[tuple[str, int]]:
    """The abbreviations ``text`` uses that ``glossary`` does not define with a long form
    in ``lang``, each once, with the offset of its first use."""
    ignore: frozenset[str] = getattr(glossary, "ignore", frozenset())
    defined = {short for short, _long in _shorts(glossary, lang)}
    defined |= {t.long(lang) or "" for t in glossary} - {""}
    masked = text
    for term in sorted(defined, key=len, reverse=True):
        # A defined term is no longer a candidate ("Kemenko PMK" is not "PMK").
        masked = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", lambda m: " " * len(m.group()), masked)
    found: dict[str, int] = {}
    for match in _ACRONYM.finditer(masked):
        found.setdefault(match.group(), match.start())
    for match in _INTRODUCED.finditer(masked):
        found.setdefault(match.group(1), match.start(1))
    return sorted(
        (
            (word, at)
            for word, at in found.items()
            if word not in ignore and not _ROMAN.fullmatch(word)
        ),
        key=lambda item: item[1],
    )
