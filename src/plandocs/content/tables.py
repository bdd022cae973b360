"""Tables planners keep in spreadsheets: CSV files and Excel workbooks.

Each table is one row per code (an indicator, program or activity) and one column
per year. Every cell keeps its location (``file:7:3`` for CSV, ``file:Sheet!B7`` for
workbooks) so a bad value is reported where the planner can find it.

* CSV: the column separator is found from the header row (``,``, ``;`` or tab — Excel
  under an Indonesian locale writes ``;`` with ``85,5`` decimals).
* Workbooks are read with openpyxl in read-only, values-only mode: formulas are never
  evaluated, their last saved result is used.
* Numbers written as text (every CSV cell, text cells of a workbook) are read by the
  rules of :mod:`plandocs.content.numbers`: in the file's declared style (``numbers:
  id``), else only when one style alone can read them; a file whose cells show both
  styles is an error.
* Hostile or broken files are located errors, never a traceback, a hang or unbounded
  memory: file sizes, rows and columns are capped (workbooks: see
  :mod:`plandocs.content.workbooks`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from plandocs.content.numbers import STYLE_NAMES, NumberError, Style, content_number, style_of
from plandocs.content.workbooks import column_letter, read_sheet
from plandocs.errors import ContentError
from plandocs.safety.reader import read_bytes

MAX_ROWS = 20_000
MAX_COLUMNS = 64
"""Columns read from a table (code, a few descriptions, one per year fit easily)."""
MAX_CSV_BYTES = 8 * 1024 * 1024
MAX_ERRORS = 50
"""Cell problems reported from one table before stopping."""

Locate = Callable[[int, int, str], ContentError]


@dataclass(frozen=True)
class Cell:
    value: Decimal
    error_at: ContentError
    """An error pointing at this cell, to be raised with a better message when needed."""

    def error(self, message: str) -> ContentError:
        e = self.error_at
        return ContentError(message, e.path, e.line, e.column, e.cell)


@dataclass(frozen=True)
class Row:
    code: str
    values: dict[int, Cell]
    where: ContentError
    keys: dict[str, str] = field(default_factory=dict)
    """The key columns' text (``region``, ``code`` …) for tables keyed by several."""


def _moved(where: ContentError, message: str) -> ContentError:
    return ContentError(message, where.path, where.line, where.column, where.cell)


def _year(header: Any) -> int | None:
    text = str(header).strip() if header is not None else ""
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() and len(text) == 4 else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


@dataclass(frozen=True)
class _Raw:
    """A row as read, before its numbers are."""

    code: str
    cells: dict[int, tuple[Any, ContentError]]
    where: ContentError
    keys: dict[str, str] = field(default_factory=dict)


def _mixed_styles(raws: list[_Raw]) -> list[ContentError]:
    """An error where the file's text numbers show both styles (``85,5`` and ``9.5``).

    Without a declared style each number is read only if one style alone reads it;
    a file that shows both was written by two habits, and its ``40.000`` could be either.
    """
    first: dict[Style, tuple[str, ContentError]] = {}
    for raw in raws:
        for value, at in raw.cells.values():
            if isinstance(value, str) and (style := style_of(value)) is not None:
                first.setdefault(style, (value.strip(), at))
    if len(first) < 2:
        return []
    (a_text, a_at), (b_text, b_at) = sorted(
        first.values(), key=lambda item: (item[1].line or 0, item[1].column or 0)
    )
    a_style = style_of(a_text) or "id"
    b_style = style_of(b_text) or "en"
    return [
        _moved(
            b_at,
            f"this file writes numbers in two styles: {a_text!r} at {_place(a_at)} is "
            f"{STYLE_NAMES[a_style]}, {b_text!r} here is {STYLE_NAMES[b_style]}; write them one "
            "way and declare it (`data: {targets: {path: …, numbers: id}}` in plan.yaml)",
        )
    ]


def _place(at: ContentError) -> str:
    return at.cell or f"{at.line}:{at.column}"


def _number(value: Any, at: ContentError, style: Style | None) -> Decimal:
    try:
        if isinstance(value, str):
            return content_number(value, style)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise TypeError(f"{str(value)[:40]!r} is not a number")
        if isinstance(value, float) and math.isfinite(value):
            # A workbook's number, as the spreadsheet shows it: to 15 significant digits,
            # as Excel keeps them (a formula's 21.599999999999998 is 21.6 there).
            value = Decimal(format(value, ".15g"))
        return content_number(value)
    except (NumberError, TypeError) as exc:
        raise _moved(at, str(exc)) from None


def _rows(
    header: list[Any],
    body: Iterable[tuple[list[Any], int]],
    locate: Locate,
    years: range,
    declared: Style | None,
    keys: tuple[str, ...] = ("code",),
) -> list[Row]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    for key in keys:
        if key not in names:
            first = ", ".join(f"`{k}`" for k in keys)
            raise locate(
                0, 0, f"the first row must name the columns: {first}, then one column per year"
            )
    key_at = {key: names.index(key) for key in keys}
    code_at = key_at[keys[-1]]
    year_cols = {i: y for i, h in enumerate(header) if (y := _year(h)) is not None}
    missing = [y for y in years if y not in year_cols.values()]
    if missing:
        named = max((i + 1 for i, name in enumerate(names) if name), default=0)
        raise locate(  # the first column after the named ones (a sheet's row is padded)
            0,
            named,
            f"no column for {', '.join(map(str, missing))}; "
            f"add a column per year {years.start}–{years.stop - 1}",
        )
    raws: list[_Raw] = []
    errors: list[ContentError] = []
    seen: dict[str, ContentError] = {}
    for values, row_no in body:
        if all(_blank(v) for v in values):
            continue
        texts: dict[str, str] = {}
        for key, key_col in key_at.items():
            raw_key = values[key_col] if key_col < len(values) else None
            if isinstance(raw_key, int | float | Decimal) and not isinstance(raw_key, bool):
                # A code is text: 32.10 read as a number would be 32.1.
                raise locate(
                    row_no,
                    key_col,
                    f"the {key} {raw_key!r} is a number in this sheet; codes are text: format "
                    f"the column as Text (or type an apostrophe before it: '32.10)",
                )
            texts[key] = str(raw_key).strip() if raw_key is not None else ""
            if not texts[key]:
                raise locate(
                    row_no,
                    key_col,
                    f"this row has no {key}; give the "
                    + ("indicator, program or activity code" if key == "code" else key)
                    + " it belongs to",
                )
        code = texts[keys[-1]]
        where = locate(row_no, code_at, "")
        ident = " / ".join(texts.values())
        if ident in seen:
            what = "code" if len(keys) == 1 else " and ".join(keys)
            raise locate(row_no, code_at, f"{what} {ident!r} appears twice in this table")
        seen[ident] = where
        cells: dict[int, tuple[Any, ContentError]] = {}
        for col, year in year_cols.items():
            value = values[col] if col < len(values) else None
            if _blank(value):
                if year in years:
                    errors.append(
                        locate(
                            row_no,
                            col,
                            f"{code}: the value for {year} is empty; "
                            f"every year {years.start}–{years.stop - 1} needs one",
                        )
                    )
                continue
            cells[year] = (value, locate(row_no, col, ""))
        raws.append(_Raw(code, cells, where, texts))
    if declared is None:
        errors += _mixed_styles(raws)
    rows: list[Row] = []
    for raw in raws:
        numbers: dict[int, Cell] = {}
        for year, (value, at) in raw.cells.items():
            try:
                numbers[year] = Cell(_number(value, at, declared), at)
            except ContentError as exc:
                errors.append(exc)
        rows.append(Row(raw.code, numbers, raw.where, raw.keys))
    if errors:
        from plandocs.errors import ContentErrors

        errors.sort(key=lambda e: (e.line or 0, e.cell or "", e.column or 0))
        raise ContentErrors(errors[:MAX_ERRORS])
    return rows


# -- CSV ---------------------------------------------------------------------------
DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"[^"]*"')


def detect_delimiter(header_line: str) -> str:
    """The separator of a CSV header: whichever of ``,`` ``;`` tab it uses most."""
    bare = _QUOTED.sub("", header_line)
    counts = {d: bare.count(d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","
    winners = [d for d in DELIMITERS if counts[d] == best]
    if len(winners) > 1:
        shown = " and ".join("tab" if d == "\t" else f"`{d}`" for d in winners)
        raise ValueError(
            f"the header uses {shown} equally often, so the column separator is unclear; "
            "separate the columns with one of them only"
        )
    return winners[0]


def _size(path: Path, limit: int, what: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", path) from None
    if size > limit:
        raise ContentError(
            f"the file is larger than the {limit // 1024 // 1024} MiB a {what} may have; "
            "check that this is the plan's table",
            path,
        )


def _csv_lines(text: str, path: Path, delimiter: str) -> Iterator[tuple[list[str], int]]:
    """Rows with the line each starts on; every problem of the CSV reader located."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    line = 1
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "field larger than field limit" in message:
                message = (
                    f"a field is longer than {csv.field_size_limit() // 1024} KiB (an unclosed "
                    'quote `"`?); close the quote or shorten the field'
                )
            raise ContentError(f"cannot read this row: {message}", path, reader.line_num) from None
        count += 1
        if count > MAX_ROWS + 1:
            raise ContentError(f"more than {MAX_ROWS} rows; split the table", path, line)
        if len(values) > MAX_COLUMNS:
            raise ContentError(
                f"this row has {len(values)} columns, more than the {MAX_COLUMNS} a table may "
                "have; check the column separator",
                path,
                line,
            )
        yield values, line
        line = reader.line_num + 1


def read_csv(
    path: Path, years: range, numbers: Style | None = None, keys: tuple[str, ...] = ("code",)
) -> list[Row]:
    _size(path, MAX_CSV_BYTES, "CSV table")
    raw = read_bytes(path, "CSV table", MAX_CSV_BYTES)
    try:
        text = raw.decode("utf-8-sig")  # not cleaned: the CSV reader reports a NUL byte
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError("file is not UTF-8 text; save it as UTF-8", path, line) from None
    if not text.strip():
        raise ContentError("the file is empty; add a header row `code,2025,…`", path, 1)
    try:
        delimiter = detect_delimiter(text.split("\n", 1)[0])
    except ValueError as exc:
        raise ContentError(str(exc), path, 1) from None
    rows = _csv_lines(text, path, delimiter)
    header, _ = next(rows, ([], 1))
    lines: dict[int, int] = {0: 1}

    def locate(row: int, col: int, message: str) -> ContentError:
        return ContentError(message, path, lines.get(row, row + 1), col + 1)

    def body() -> Iterator[tuple[list[Any], int]]:
        for index, (values, line) in enumerate(rows, start=1):
            lines[index] = line
            extra = len(values) - len(header)
            if extra > 0 and any(v.strip() for v in values[len(header) :]):
                hint = (
                    "; a decimal comma (85,5) in a comma-separated file must be quoted "
                    '("85,5"), or separate the columns with `;`'
                    if delimiter == ","
                    else ""
                )
                raise locate(
                    index,
                    len(header),
                    f"this row has {len(values)} fields but the header names {len(header)}{hint}",
                )
            yield list(values), index

    return _rows(list(header), body(), locate, years, numbers, keys)


# -- workbooks -----------------------------------------------------------------------
def read_xlsx(
    path: Path,
    sheet: str | None,
    years: range,
    numbers: Style | None = None,
    keys: tuple[str, ...] = ("code",),
) -> list[Row]:
    title, rows = read_sheet(path, sheet, MAX_ROWS, MAX_COLUMNS)

    def locate(row: int, col: int, message: str) -> ContentError:
        return ContentError(message, path, cell=f"{title}!{column_letter(col + 1)}{row + 1}")

    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise ContentError(
            "the sheet is empty; add a header row `code, 2025, …`", path, cell=f"{title}!A1"
        )
    body = [(values, i) for i, values in enumerate(rows) if i > 0]
    return _rows(rows[0], body, locate, years, numbers, keys)


def read_table(
    root: Path,
    spec: str,
    base: Path,
    years: range,
    numbers: Style | None = None,
    keys: tuple[str, ...] = ("code",),
) -> list[Row]:
    """Read ``file.csv`` or ``file.xlsx`` / ``file.xlsx#Sheet`` named relative to ``base``.

    ``numbers`` is the style its numbers written as text are in (``None``: only what
    one style alone can read).
    """
    name, _, sheet = spec.partition("#")
    path = (base / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ContentError(f"{spec} is outside the project; keep data files inside it", base)
    if not path.is_file():
        raise ContentError(f"data file {name} not found beside plan.yaml", base / name)
    if path.suffix.lower() == ".csv":
        return read_csv(path, years, numbers, keys)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path, sheet or None, years, numbers, keys)
    raise ContentError(f"{name}: use a .csv or .xlsx file for tables", path)


def read_keyed_table(
    root: Path,
    spec: str,
    base: Path,
    years: range,
    keys: tuple[str, ...],
    numbers: Style | None = None,
) -> tuple[list[dict[str, Any]], list[ContentError], Path]:
    """A table with a row per combination of ``keys`` (``region``, ``code``) as plain
    records — the key columns as text (``32.10`` stays ``32.10``), ``values`` by
    year — with where each row is, and the file."""
    rows = read_table(root, spec, base, years, numbers, keys)
    records = [
        {**row.keys, "values": {year: cell.value for year, cell in sorted(row.values.items())}}
        for row in rows
    ]
    name, _, _ = spec.partition("#")
    return records, [row.where for row in rows], (base / name).resolve()
