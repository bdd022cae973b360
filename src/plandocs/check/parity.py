"""Bilingual parity: the checks that keep the Indonesian and English versions one document.

* a document, or a chapter, in one language only (unless marked ``single_language``);
* sections that differ between the languages (headings per level);
* numbers written by hand that differ between the two versions of a paragraph, or that
  repeat a fact (the ``{{ … }}`` expression to use instead is suggested), or that
  disagree with the indicator the paragraph names;
* glossary terms (``glossary.yaml``) used in Indonesian whose English term is missing;
* in a Renstra, an abbreviation (``BNPB``, ``K/L``, ``SDGs``, ``Kemendagri``, a word
  introduced in parentheses: ``(Renstra)``) used in its prose or its tables that the
  glossary does not define with its long forms, so its list of abbreviations would lack
  it (words that only look like one are listed under ``- ignore: […]``);
* raw HTML in the prose, which is shown as text rather than as markup;
* in Indonesian prose, a bare number below ten before a noun (``2 indikator``), which
  PUEBI writes in words (``dua indikator``, or ``{{ n | words }}`` from a fact).

All of these are warnings: the documents still build; ``check --strict`` fails on them.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.check.diagnostics import CheckResult, DocumentReport
from plandocs.content.glossary import Term, undefined_abbreviations
from plandocs.errors import ContentError

if TYPE_CHECKING:
    from plandocs.content.prose import Prose
    from plandocs.settings import Settings

_OPENER = re.compile(r"\{[{%#]")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s?%)?")
_HEADING = re.compile(r"^(#{1,6})\s")
_FENCE = re.compile(r"^(```|~~~)")
_RAW_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def _without_expressions(text: str) -> str:
    """``text`` with each ``{{ … }}``, ``{% … %}`` and ``{# … #}`` replaced by a space, in
    linear time (a lazy regular expression rescans the rest of the text for every
    opener left unclosed: minutes for a line of ``{{``)."""
    parts: list[str] = []
    position = 0
    exhausted: set[str] = set()
    search_from = 0
    while (opener := _OPENER.search(text, search_from)) is not None:
        closer = _CLOSERS[opener.group()]
        end = -1 if closer in exhausted else text.find(closer, opener.end())
        if end < 0:
            exhausted.add(closer)
            search_from = opener.start() + 1
            continue
        parts += [text[position : opener.start()], " "]
        position = search_from = end + len(closer)
    parts.append(text[position:])
    return "".join(parts)


@dataclass(frozen=True)
class Block:
    """A paragraph (or heading, list, quote) of Markdown source and its first line."""

    text: str
    line: int


def blocks(prose: Prose) -> list[Block]:
    """The body's blocks (separated by blank lines), fenced blocks left out."""
    found: list[Block] = []
    current: list[str] = []
    start = prose.body_line
    in_fence = False
    for offset, line in enumerate(prose.body.splitlines()):
        number = prose.body_line + offset
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            found.append(Block("\n".join(current), start))
            current = []
    if current:
        found.append(Block("\n".join(current), start))
    return found


def _headings(prose: Prose) -> Counter[int]:
    counts: Counter[int] = Counter()
    for block in blocks(prose):
        for line in block.text.splitlines():
            match = _HEADING.match(line)
            if match:
                counts[len(match.group(1))] += 1
    return counts


def _values(token: str, lang: str) -> set[str]:
    """The ways to read a hand-written number: as written, and in the language's format."""
    raw = token.replace(" ", "")
    readings = {raw}
    body = raw.rstrip("%")
    thousands, decimal = (".", ",") if lang == "id" else (",", ".")
    grouped = re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})+(?:\{decimal}\d+)?", body)
    plain = re.fullmatch(rf"\d+(?:\{decimal}\d+)?", body)
    if grouped or plain:
        normal = body.replace(thousands, "").replace(decimal, ".")
        with contextlib.suppress(InvalidOperation):
            readings.add(str(Decimal(normal).normalize()) + ("%" if raw.endswith("%") else ""))
    return readings


def hand_numbers(text: str, lang: str) -> list[tuple[str, set[str]]]:
    """Numbers written in the prose itself (not produced by ``{{ … }}`` expressions)."""
    return [
        (m.group(0), _values(m.group(0), lang))
        for m in _NUMBER.finditer(_without_expressions(text))
    ]


def _unmatched(a: list[tuple[str, set[str]]], b: list[tuple[str, set[str]]]) -> list[str]:
    """Tokens of ``a`` with no reading in common with a token of ``b``."""
    remaining = list(b)
    missing = []
    for token, readings in a:
        for index, (_, other) in enumerate(remaining):
            if readings & other:
                del remaining[index]
                break
        else:
            missing.append(token)
    return missing


def _warn(result: CheckResult, message: str, path: Path, line: int | None = None) -> None:
    result.add("warning", ContentError(message, path, line))


def check_document(
    document: Any,
    settings: Settings,
    glossary: list[Term],
    report: DocumentReport,
    result: CheckResult,
) -> None:
    """Every parity warning for one loaded document."""
    parts = document.prose_files()
    for lang, items in parts.items():
        report.parts[lang] = len(items)
        report.headings[lang] = sum(sum(_headings(p).values()) for p in items)
    facts = document.fact_expressions()
    indicators = document.indicator_values()
    for lang, items in parts.items():
        for prose in items:
            _check_prose(prose, lang, facts, indicators, result)
            if lang == "id":
                _check_small_numbers(prose, result)
    _check_abbreviations(document, glossary, result)
    languages = [lang for lang in settings.languages if lang in parts]
    if len(languages) == 1 and len(settings.languages) > 1:
        lang = languages[0]
        other = next(x for x in settings.languages if x != lang)
        if document.single_language() != lang:
            _warn(
                result,
                f"there is no {other} version of this document; add it, or mark the facts "
                f"`single_language: {lang}` if it is published in {lang} only",
                parts[lang][0].path,
                1,
            )
        return
    if set(languages) != {"id", "en"}:
        return
    for id_prose, en_prose in zip(parts["id"], parts["en"], strict=False):
        _compare(id_prose, en_prose, result)
        _check_glossary(id_prose, en_prose, glossary, result)


# A figure standing alone before a lowercase word; not 2,5 or 2.000, not 1. in a list.
_SMALL_NUMBER = re.compile(r"(?<![\w.,/%:–-])([0-9])(?![\w.,/%:–-])[ \t]+([a-z][a-z-]*)")


# Measures and time stay figures in PUEBI (5 kilogram, 2 tahun); labels number things
# (Pasal 5 ayat, Tabel 2 berikut); function words follow figures in lists (1 dan 2).
def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MEASURES = _wordset(
    """persen permil kilogram kg gram g ton kuintal meter m km kilometer cm sentimeter mm
    milimeter hektare hektar ha are liter l ml watt kwh derajat tahun bulan minggu pekan
    hari jam menit detik rupiah ribu juta miliar triliun kali x"""
)
_LABELS = _wordset(
    """pasal ayat nomor no bab tabel gambar lampiran huruf angka butir poin halaman hlm
    tahap misi tujuan sasaran program kegiatan indikator pukul level tingkat kelas
    sesi"""
)
_FUNCTION_WORDS = _wordset(
    "dan atau di ke dari pada yang dengan untuk hingga sampai serta per s sd vs"
)


def _check_small_numbers(prose: Prose, result: CheckResult) -> None:
    """PUEBI: a number said in one or two words is written in words, except in a measure."""
    from plandocs.render.i18n import spell

    for block in blocks(prose):
        text = _without_expressions(block.text)
        for match in _SMALL_NUMBER.finditer(text):
            digit, noun = match.group(1), match.group(2)
            before = re.findall(r"[\w.]+", text[: match.start()][-40:])
            label = before[-1].lower().rstrip(".") if before else ""
            if noun in _MEASURES or noun in _FUNCTION_WORDS or label in _LABELS:
                continue
            word = spell(Decimal(digit), "id")
            _warn(
                result,
                f"`{digit} {noun}`: Indonesian writes a number below ten before a noun in words "
                f"(PUEBI): `{word} {noun}`, or `{{{{ … | words }}}}` when the number is a fact",
                prose.path,
                block.line + text[: match.start()].count("\n"),
            )


def _check_prose(
    prose: Prose,
    lang: str,
    facts: dict[str, str],
    indicators: dict[str, set[str]],
    result: CheckResult,
) -> None:
    for block in blocks(prose):
        text = _without_expressions(block.text)
        for match in _RAW_HTML.finditer(text):
            line = block.line + text[: match.start()].count("\n")
            _warn(
                result,
                f"raw HTML {match.group(0)!r} is shown as text, not as markup; "
                "use Markdown instead (**bold**, *italic*, lists, tables)",
                prose.path,
                line,
            )
        numbers = hand_numbers(block.text, lang)
        codes = [code for code in indicators if re.search(rf"\b{re.escape(code)}\b", text)]
        for token, readings in numbers:
            for reading in sorted(readings):
                expression = facts.get(reading.rstrip("%"))
                if expression:
                    _warn(
                        result,
                        f"{token} is written by hand and is a fact; write {expression} "
                        "so both languages follow plan or readout facts",
                        prose.path,
                        block.line,
                    )
                    break
            if token.endswith("%") and codes:
                known = set().union(*(indicators[c] for c in codes))
                if not {r.rstrip("%") for r in readings} & known:
                    _warn(
                        result,
                        f"{token} disagrees with the facts of {', '.join(codes)} "
                        f"(baseline and targets: {', '.join(sorted(known, key=Decimal))})",
                        prose.path,
                        block.line,
                    )


def _compare(id_prose: Prose, en_prose: Prose, result: CheckResult) -> None:
    id_heads, en_heads = _headings(id_prose), _headings(en_prose)
    if id_heads != en_heads:
        levels = sorted({*id_heads, *en_heads})
        counts = ", ".join(
            f"{'#' * level}: id {id_heads[level]}, en {en_heads[level]}" for level in levels
        )
        _warn(
            result,
            f"the sections differ from {id_prose.path.name} ({counts}); "
            "both languages should have the same headings",
            en_prose.path,
            1,
        )
    id_blocks, en_blocks = blocks(id_prose), blocks(en_prose)
    if len(id_blocks) == len(en_blocks):
        pairs = list(zip(id_blocks, en_blocks, strict=True))
    else:
        whole_id = Block("\n\n".join(b.text for b in id_blocks), id_prose.body_line)
        whole_en = Block("\n\n".join(b.text for b in en_blocks), en_prose.body_line)
        pairs = [(whole_id, whole_en)]
    for id_block, en_block in pairs:
        id_numbers = hand_numbers(id_block.text, "id")
        en_numbers = hand_numbers(en_block.text, "en")
        only_en = _unmatched(en_numbers, id_numbers)
        only_id = _unmatched(id_numbers, en_numbers)
        if only_en or only_id:
            _warn(
                result,
                "the numbers written here differ from the Indonesian paragraph at "
                f"{id_prose.path.name}:{id_block.line} (here: {', '.join(only_en) or '–'}; "
                f"there: {', '.join(only_id) or '–'}); write the fact once, as an expression",
                en_prose.path,
                en_block.line,
            )


def _check_glossary(
    id_prose: Prose, en_prose: Prose, glossary: list[Term], result: CheckResult
) -> None:
    id_text = _without_expressions(id_prose.body)
    en_text = _without_expressions(en_prose.body)
    for term in glossary:
        used = re.search(rf"(?<!\w){re.escape(term.id)}(?!\w)", id_text)
        if used and not re.search(rf"(?<!\w){re.escape(term.en)}(?!\w)", en_text):
            line = id_prose.body_line + id_text[: used.start()].count("\n")
            _warn(
                result,
                f"`{term.id}` is used here but {en_prose.path.name} never says `{term.en}` "
                f"(glossary.yaml); translate the term as the glossary says",
                id_prose.path,
                line,
            )


def _check_abbreviations(document: Any, glossary: list[Term], result: CheckResult) -> None:
    """A document that lists the abbreviations it uses (a Renstra's DAFTAR SINGKATAN,
    which offers ``shown_texts``) needs each one its prose or its tables use in
    glossary.yaml, with long forms."""
    shown = getattr(document, "shown_texts", None)
    if not callable(shown):
        return
    for lang, files in document.prose_files().items():
        seen: set[str] = set()
        for prose in files:
            title = [(prose.front.title or "", prose.title_line)]
            for text, line in title + [(b.text, b.line) for b in blocks(prose)]:
                plain = _without_expressions(text)
                for word, at in undefined_abbreviations(plain, lang, glossary):
                    where = ContentError("", prose.path, line + plain[:at].count("\n"))
                    _warn_abbreviation(word, lang, where, glossary, seen, result)
        for where, text in shown(lang):
            for word, _at in undefined_abbreviations(text, lang, glossary):
                _warn_abbreviation(word, lang, where, glossary, seen, result)


def _warn_abbreviation(
    word: str,
    lang: str,
    where: ContentError,
    glossary: list[Term],
    seen: set[str],
    result: CheckResult,
) -> None:
    """One warning per word and language, at its first use."""
    if word in seen:
        return
    seen.add(word)
    if any(t.term(lang) == word for t in glossary):
        hint = f"glossary.yaml has `{word}` without its long form; add `long: {{id: …, en: …}}`"
    else:
        hint = (
            f"add `- {{id: …, en: …, long: {{id: …, en: …}}}}` for `{word}` to glossary.yaml, "
            f"or `- ignore: [{word}]` if it is not one"
        )
    listing = "DAFTAR SINGKATAN" if lang == "id" else "LIST OF ABBREVIATIONS"
    result.add(
        "warning",
        ContentError(
            f"`{word}` looks like an abbreviation, and the list of abbreviations ({listing}) "
            f"lacks it: {hint}",
            where.path,
            where.line,
            where.column,
        ),
    )
