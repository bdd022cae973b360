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


def load_glossary(root: Path, result: Problems) -> list[Term]:
    """``glossary.yaml``: a list of ``{id: Kemensos, en: MoSA}`` entries, an abbreviation
    with its long forms: ``{id: …, en: …, long: {id: …, en: …}}``."""
    from plandocs.content.yamlfile import load_yaml

    path = root / GLOSSARY_FILE
    if not path.is_file():
        return []
    try:
        doc = load_yaml(path)
    except ContentError as exc:
        result.add("error", exc)
        return []
    terms: list[Term] = []
    if not isinstance(doc.data, list):
        result.add("error", doc.error("the glossary is a list of `- {id: …, en: …}` entries"))
        return []
    for index, entry in enumerate(doc.data):
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
    return terms


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def abbreviations(terms: list[Term], lang: str, text: str) -> list[tuple[str, str]]:
    """The abbreviations (terms with a long form) that ``text`` uses, with their long
    forms in ``lang``, in alphabetical order: the Renstra's list of abbreviations."""
    found: dict[str, str] = {}
    for term in terms:
        short, long = term.term(lang), term.long(lang)
        if long and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text):
            found.setdefault(short, long)
    return sorted(found.items(), key=lambda item: item[0].casefold())
