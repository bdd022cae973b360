"""Where a value shown in a table cell is written: a scalar in ``plan.yaml``, or a cell
of the CSV or workbook ``plan.yaml`` names under ``data:``.

A cell names its value with ``data-fact="<code>/<year>"`` (an indicator's target) or
``"<code>/baseline"``. Changing the value writes only that scalar or that cell;
workbooks are never written (openpyxl would drop what it does not understand).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from decimal import Context, Decimal, localcontext
from pathlib import Path
from typing import Any

import yaml

from plandocs.content.numbers import (
    NumberError,
    Style,
    check_magnitude,
    parse_number,
    plain,
    style_of,
)
from plandocs.content.tables import detect_delimiter, read_table
from plandocs.content.yamlfile import YamlDoc, load_yaml, value_at
from plandocs.errors import PlandocsError
from plandocs.model.document import Origin
from plandocs.model.renstra import PLAN_FILE
from plandocs.safety.text import xml_safe


@dataclass(frozen=True)
class FactPlace:
    """A value's place: its file (relative to the project) and where in it."""

    rel: str
    line: int
    column: int
    label: str
    """``IKP 2.1, 2027`` — which value, for a person."""
    value: Decimal
    kind: str
    """``yaml``, ``csv`` or ``xlsx``."""
    cell: str = ""
    """A workbook cell, ``Sheet!C3``."""
    start: int = 0
    end: int = 0
    """The scalar's offsets in a YAML file."""
    style: Style | None = None
    """How a table writes its numbers (``id``: ``19,5``), if it says."""
    scale: int = 1
    """What the document shows is the value divided by this (budgets in Rp juta)."""

    @property
    def where(self) -> str:
        if self.cell:
            return f"{self.rel}:{self.cell} ({self.label})"
        if self.kind == "csv":
            return f"{self.rel}:{self.line}:{self.column} ({self.label})"
        return f"{self.rel}:{self.line} ({self.label})"


class FactError(Exception):
    """Why a value cannot be found or changed (shown beside the change)."""


MAX_WRITTEN_DIGITS = 40
"""Significant digits of a number review writes (10^18 with 10 decimals has 29)."""


def writable(value: Decimal, scale: int = 1) -> Decimal:
    """The value to write for ``value`` as a document shows it (divided by ``scale``):
    exactly, or FactError if the content could not hold it — not a number (``NaN``,
    ``Infinity``), beyond 10^18, or with more decimals than a document prints."""
    from plandocs.render.i18n import MAX_DIGITS

    if not value.is_finite():
        raise FactError(f"{value} is not a number; write the value in digits")
    if len(value.as_tuple().digits) > MAX_WRITTEN_DIGITS:
        raise FactError(f"{plain(value)[:24]}… has more digits than plandocs handles")
    with localcontext(Context(prec=2 * MAX_WRITTEN_DIGITS)):
        exact = value * scale
        exponent = exact.normalize().as_tuple().exponent
    try:
        check_magnitude(exact)
    except NumberError as exc:
        raise FactError(str(exc)) from None
    if isinstance(exponent, int) and -exponent > MAX_DIGITS:
        raise FactError(
            f"{plain(value)} has {-exponent} decimals; a document prints at most {MAX_DIGITS}"
        )
    return exact


class PlanFacts:
    """The plan of one Renstra folder, read for locating values (not validated again)."""

    def __init__(self, root: Path, folder: Path, number_style: Style | None = None) -> None:
        self.root = root
        self.folder = folder
        self.number_style = number_style
        """The project's (``number_style`` in plandocs.yaml): how numbers written as
        text are read."""
        self.path = folder / PLAN_FILE
        self.doc: YamlDoc | None = None
        self._tables: dict[str, dict[str, Any]] = {}

    def _plan(self) -> YamlDoc:
        if self.doc is None:
            if not self.path.is_file():
                raise FactError(f"no {PLAN_FILE} in {self._rel(self.folder)}")
            try:
                self.doc = load_yaml(self.path)
            except PlandocsError as exc:
                raise FactError(exc.format(self.root)) from None
        return self.doc

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def locate(self, fact: str) -> FactPlace:
        """The place of ``<code>/<year>``, ``<code>/baseline`` or an activity's budget,
        ``<code>/budget/<year>`` (a cell of the budgets table, in rupiah)."""
        code, _, key = fact.rpartition("/")
        doc = self._plan()
        if code.endswith("/budget") and key.isdigit() and len(key) == 4:
            code = code[: -len("/budget")]
            label = f"{code}, {key}"
            spec = doc.value(("data", "budgets"))
            style = self.number_style
            if isinstance(spec, dict):
                numbers = spec.get("numbers")
                style = numbers if numbers in ("id", "en") else style
                spec = spec.get("path")
            if not isinstance(spec, str):
                raise FactError(f"{label}: no budgets table in {PLAN_FILE}")
            place = self._table_place(spec, code, int(key), label, style)
            return replace(place, scale=1_000_000)
        loc = _indicator_loc(doc.data, code)
        if loc is None:
            raise FactError(f"no indicator {code!r} in {PLAN_FILE} any more")
        if key == "baseline":
            return self._yaml_place(doc, (*loc, "baseline", "value"), f"{code}, baseline")
        if not key.isdigit():
            raise FactError(f"unknown value {fact!r}")
        year = int(key)
        label = f"{code}, {year}"
        targets = doc.value((*loc, "targets"))
        if isinstance(targets, dict) and year in targets:
            return self._yaml_place(doc, (*loc, "targets", year), label)
        spec = doc.value(("data", "targets"))
        if isinstance(spec, dict):
            numbers = spec.get("numbers")
            spec = spec.get("path")
            style = numbers if numbers in ("id", "en") else self.number_style
        else:
            style = self.number_style
        if isinstance(spec, str):
            return self._table_place(spec, code, year, label, style)
        raise FactError(f"{label}: no target for {year} in {PLAN_FILE}")

    def _yaml_place(self, doc: YamlDoc, loc: tuple[Any, ...], label: str) -> FactPlace:
        node = _node(doc.node, loc)
        if not isinstance(node, yaml.ScalarNode):
            raise FactError(f"{label}: not a single value in {PLAN_FILE}")
        return self._scalar_place(self.path, node, label)

    def _scalar_place(self, path: Path, node: yaml.ScalarNode, label: str) -> FactPlace:
        try:
            # A number written as text ("40.000") is read in the project's number style.
            value = parse_number(node.value, self.number_style if node.style else None)
        except NumberError:
            raise FactError(f"{label}: {node.value!r} in {path.name} is not a number") from None
        return FactPlace(
            self._rel(path),
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            label,
            value,
            "yaml",
            start=node.start_mark.index,
            end=node.end_mark.index,
        )

    def place_at(self, path: Path, line: int, column: int, origin: Origin) -> FactPlace:
        """The place of a value a document says is written at ``line``, ``column`` of
        ``path`` (:class:`Origin`): a YAML scalar, or a CSV cell."""
        label = origin.label
        if path.suffix.lower() == ".csv":
            if not isinstance(origin.value, Decimal):
                raise FactError(f"{label}: not a number")
            style = origin.style or self.number_style
            return FactPlace(self._rel(path), line, column, label, origin.value, "csv", style=style)
        try:
            doc = load_yaml(path)
        except PlandocsError as exc:
            raise FactError(exc.format(self.root)) from None
        stack = [doc.node] if doc.node is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                mark = node.start_mark
                if (mark.line + 1 + doc.line_offset, mark.column + 1) == (line, column):
                    return self._scalar_place(path, node, label)
            elif isinstance(node, yaml.MappingNode):
                stack.extend(value for _, value in node.value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        raise FactError(f"{label}: {self._rel(path)} has changed since it was read")

    def _table_place(
        self, spec: str, code: str, year: int, label: str, style: Style | None
    ) -> FactPlace:
        doc = self._plan()
        period = doc.value(("period",)) or {}
        try:
            years = range(int(period["start"]), int(period["end"]) + 1)
            rows = read_table(self.root, spec, self.folder, years, style)
        except (KeyError, TypeError, ValueError) as exc:
            raise FactError(f"{PLAN_FILE}: cannot read the period: {exc}") from None
        except PlandocsError as exc:
            raise FactError(exc.format(self.root)) from None
        for row in rows:
            if row.code == code and year in row.values:
                cell = row.values[year]
                at = cell.error_at
                path = at.path or self.folder / spec
                return FactPlace(
                    self._rel(path),
                    at.line or 0,
                    at.column or 0,
                    label,
                    cell.value,
                    "xlsx" if at.cell else "csv",
                    cell=at.cell or "",
                    style=style,
                )
        raise FactError(f"{label}: not in {spec}")

    def write(self, place: FactPlace, value: Decimal) -> None:
        """Write ``value`` at ``place`` (a YAML scalar or a CSV cell), if the file still
        holds there the value it held when the place was found: a file edited since
        (by a person, by another review) is never written at a place that has moved."""
        from plandocs.safety.reader import MAX_TEXT_BYTES, read_bytes

        path = self.root / place.rel
        changed = FactError(f"{place.rel} has changed since it was read; review again")
        if path.is_symlink():
            raise changed
        try:
            text = read_bytes(path, "file", MAX_TEXT_BYTES).decode("utf-8")
        except (PlandocsError, UnicodeDecodeError):
            raise changed from None
        # As the file was read to find the place: without a byte-order mark (put back).
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(bom) :]
        written = plain(value)
        if place.kind == "yaml":
            if xml_safe(text)[1] is not None:
                raise FactError(
                    f"{place.rel} holds characters a document cannot (control characters); "
                    "remove them, or change the value there by hand"
                )
            if not self._holds(text, place):
                raise changed
            text = text[: place.start] + written + text[place.end :]
        elif place.kind == "csv":
            text = _csv_replace(text, place, written)
        else:
            raise FactError("a workbook is not written by plandocs; change the cell in Excel")
        from plandocs.writers.base import atomic_path

        with atomic_path(path) as tmp:
            tmp.write_text(bom + text, encoding="utf-8")
        self.doc = None

    def _holds(self, text: str, place: FactPlace) -> bool:
        """Whether ``text`` (a YAML file) holds ``place``'s value as a scalar at its
        offsets."""
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, RecursionError):
            return False
        stack = [node] if node is not None else []
        while stack:
            item = stack.pop()
            if isinstance(item, yaml.ScalarNode):
                if (item.start_mark.index, item.end_mark.index) == (place.start, place.end):
                    return _reads(item.value, self.number_style if item.style else None, place)
            elif isinstance(item, yaml.MappingNode):
                stack.extend(value for _, value in item.value)
            elif isinstance(item, yaml.SequenceNode):
                stack.extend(item.value)
        return False


def _reads(text: str, style: Style | None, place: FactPlace) -> bool:
    """Whether ``text`` is written as ``place``'s value."""
    try:
        return parse_number(text, style) == place.value
    except NumberError:
        return False


def _indicator_loc(data: Any, code: str) -> tuple[Any, ...] | None:
    """The location in plan.yaml of the indicator with ``code``."""
    if not isinstance(data, dict):
        return None
    places: list[tuple[Any, ...]] = []
    for i, target in enumerate(data.get("strategic_targets") or []):
        places += [("strategic_targets", i, "indicators", j) for j in range(_len(target))]
    for i, program in enumerate(data.get("programs") or []):
        places += [("programs", i, "indicators", j) for j in range(_len(program))]
        for k, activity in enumerate(_list(program, "activities")):
            places += [
                ("programs", i, "activities", k, "indicators", j) for j in range(_len(activity))
            ]
    for loc in places:
        indicator = value_at(data, loc)
        if isinstance(indicator, dict) and str(indicator.get("code")) == code:
            return loc
    return None


def _list(item: Any, key: str) -> list[Any]:
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, list) else []


def _len(item: Any) -> int:
    return len(_list(item, "indicators"))


def _node(node: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key] if 0 <= key < len(node.value) else None
        else:
            return None
    return node


def _as_written(old: str, value: str, style: Style | None) -> str:
    """``value`` (plain: ``-1234567.5``) written as the cell ``old`` writes its number:
    in the table's style (declared, else the one ``old`` shows), with its thousands
    grouped if ``old`` groups them (``874.106.000.000`` keeps its points), so that only
    the number changes in the cell, not how it is written."""
    style = style or style_of(old)
    if style is None:
        return value
    group, decimal = (".", ",") if style == "id" else (",", ".")
    sign = "-" if value.startswith("-") else ""
    whole, point, fraction = value.removeprefix("-").partition(".")
    if group in old.lstrip("-+−"):
        parts: list[str] = []
        while len(whole) > 3:
            whole, last = whole[:-3], whole[-3:]
            parts.insert(0, last)
        whole = group.join([whole, *parts])
    return sign + whole + (decimal if point else "") + fraction


def _csv_replace(text: str, place: FactPlace, value: str) -> str:
    """Replace one field of a CSV file: field ``column`` of the row on ``line``, if it
    still holds ``place``'s value."""
    line, column = place.line, place.column
    # Lines as the CSV reader counts them: ended by "\n" only (a cell may hold U+2028).
    lines = io.StringIO(text).readlines()
    if not 0 < line <= len(lines):
        raise FactError("the table has changed since the document was written")
    try:
        delimiter = detect_delimiter(lines[0])
        records = list(csv.reader([lines[line - 1]], delimiter=delimiter, strict=True))
    except (ValueError, csv.Error):
        raise FactError(
            "this row of the table cannot be rewritten alone; change it by hand"
        ) from None
    if len(records) != 1 or not 0 < column <= len(records[0]):
        raise FactError("the row spans several lines or has changed; change it by hand")
    record = records[0]
    if not _reads(record[column - 1], place.style, place):
        raise FactError(f"{place.rel} has changed since it was read; review again")
    record[column - 1] = _as_written(record[column - 1].strip(), value, place.style)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(record)
    ending = lines[line - 1][len(lines[line - 1].rstrip("\r\n")) :]
    lines[line - 1] = out.getvalue() + ending
    return "".join(lines)
