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
  memory: file sizes, rows and columns are capped; a workbook's stated dimension is
  not trusted (its rows are read lazily, at most :data:`MAX_COLUMNS` wide), its XML is
  pre-scanned for cells past the grid and for document type declarations.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from plandocs.content.numbers import STYLE_NAMES, NumberError, Style, as_decimal, style_of
from plandocs.content.yamlfile import read_text
from plandocs.errors import ContentError

MAX_ROWS = 20_000
MAX_COLUMNS = 64
"""Columns read from a table (code, a few descriptions, one per year fit easily)."""
MAX_CSV_BYTES = 8 * 1024 * 1024
MAX_XLSX_BYTES = 32 * 1024 * 1024
MAX_XLSX_PART = 64 * 1024 * 1024
"""Largest uncompressed part of a workbook (a sheet of 20 000 rows is about 10 MiB)."""
MAX_XLSX_PARTS = 10_000
MAX_CELLS_PER_ROW = 1_000
MAX_ERRORS = 50
"""Cell problems reported from one table before stopping."""
SHEET_COLUMNS = 16_384
SHEET_ROWS = 1_048_576

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


def _file_style(raws: list[_Raw]) -> tuple[Style | None, list[ContentError]]:
    """The one style the file's text numbers show, or an error where they show both."""
    first: dict[Style, tuple[str, ContentError]] = {}
    for raw in raws:
        for value, at in raw.cells.values():
            if isinstance(value, str) and (style := style_of(value)) is not None:
                first.setdefault(style, (value.strip(), at))
    if len(first) < 2:
        return (next(iter(first)) if first else None), []
    (a_text, a_at), (b_text, b_at) = sorted(
        first.values(), key=lambda item: (item[1].line or 0, item[1].column or 0)
    )
    a_style = style_of(a_text) or "id"
    b_style = style_of(b_text) or "en"
    return None, [
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
            return as_decimal(value, style)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise TypeError(f"{str(value)[:40]!r} is not a number")
        return as_decimal(value)
    except (NumberError, TypeError) as exc:
        raise _moved(at, str(exc)) from None


def _rows(
    header: list[Any],
    body: Iterable[tuple[list[Any], int]],
    locate: Locate,
    years: range,
    declared: Style | None,
) -> list[Row]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    if "code" not in names:
        raise locate(0, 0, "the first row must name the columns: `code`, then one column per year")
    code_at = names.index("code")
    year_cols = {i: y for i, h in enumerate(header) if (y := _year(h)) is not None}
    missing = [y for y in years if y not in year_cols.values()]
    if missing:
        raise locate(
            0,
            len(header),
            f"no column for {', '.join(map(str, missing))}; "
            f"add a column per year {years.start}–{years.stop - 1}",
        )
    raws: list[_Raw] = []
    errors: list[ContentError] = []
    seen: dict[str, ContentError] = {}
    for values, row_no in body:
        if all(_blank(v) for v in values):
            continue
        raw_code = values[code_at] if code_at < len(values) else None
        code = str(raw_code).strip() if raw_code is not None else ""
        where = locate(row_no, code_at, "")
        if not code:
            raise locate(
                row_no,
                code_at,
                "this row has no code; give the indicator, program or activity code it belongs to",
            )
        if code in seen:
            raise locate(row_no, code_at, f"code {code!r} appears twice in this table")
        seen[code] = where
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
        raws.append(_Raw(code, cells, where))
    style = declared
    if style is None:
        style, conflict = _file_style(raws)
        errors += conflict
    rows: list[Row] = []
    for raw in raws:
        numbers: dict[int, Cell] = {}
        for year, (value, at) in raw.cells.items():
            try:
                numbers[year] = Cell(_number(value, at, declared), at)
            except ContentError as exc:
                errors.append(exc)
        rows.append(Row(raw.code, numbers, raw.where))
    if errors:
        from plandocs.content.validate import ContentErrors

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


def read_csv(path: Path, years: range, numbers: Style | None = None) -> list[Row]:
    _size(path, MAX_CSV_BYTES, "CSV table")
    text = read_text(path)
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

    return _rows(list(header), body(), locate, years, numbers)


# -- workbooks -----------------------------------------------------------------------
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"([A-Za-z]{1,4})([0-9]{1,9})")
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def _letters(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(min(max(column, 1), SHEET_COLUMNS)))


def _check_archive(path: Path) -> None:
    """A workbook's ZIP: readable, of bounded size, with no document type declarations."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_XLSX_PARTS:
                raise ContentError(
                    f"the workbook has {len(members)} parts; save it again from Excel", path
                )
            for member in members:
                if member.file_size > MAX_XLSX_PART:
                    raise ContentError(
                        f"the workbook's part {member.filename} unpacks to "
                        f"{member.file_size // 1024 // 1024} MiB, more than the "
                        f"{MAX_XLSX_PART // 1024 // 1024} MiB allowed; check the file",
                        path,
                    )
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        if _declares_doctype(part):
                            raise ContentError(
                                f"the workbook's part {member.filename} declares a document "
                                "type, which Excel never writes; save the file again from Excel",
                                path,
                            )
    except ContentError:
        raise
    except Exception as exc:  # zipfile and zlib raise many kinds for a damaged file
        raise ContentError(
            f"cannot open the workbook ({type(exc).__name__}: {exc}); save it again as .xlsx",
            path,
        ) from None


def _declares_doctype(part: IO[bytes]) -> bool:
    """Whether the XML's prolog (before its first element) holds ``<!DOCTYPE``."""
    tail = b""
    while chunk := part.read(65536):
        data = tail + chunk
        start = _ELEMENT_START.search(data)
        prolog = data if start is None else data[: start.start()]
        if b"<!DOCTYPE" in prolog.upper():
            return True
        if start is not None:
            return False
        tail = data[-16:]
    return False


def _scan_sheet(path: Path, part: str, title: str) -> None:
    """Stream a sheet's XML once: cells past the grid, huge rows and bad XML are errors."""
    from lxml import etree

    def at(ref: str) -> str:
        return f"{title}!{ref}"

    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as source:
            events = etree.iterparse(
                source,
                events=("start", "end"),
                tag=(f"{_MAIN}c", f"{_MAIN}row"),
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
                load_dtd=False,
            )
            row_no, cells, column = 0, 0, 0
            for event, element in events:
                if element.tag == f"{_MAIN}row":
                    if event == "start":
                        number = element.get("r")
                        row_no = int(number) if number and number.isdigit() else row_no + 1
                        cells, column = 0, 0
                        if row_no > SHEET_ROWS:
                            raise ContentError(
                                f"row {row_no} is past the last row of a sheet ({SHEET_ROWS}); "
                                "save the file again from Excel",
                                path,
                                cell=at(f"A{SHEET_ROWS}"),
                            )
                    else:
                        element.clear()
                        while element.getprevious() is not None:
                            del element.getparent()[0]
                    continue
                if event == "start":
                    continue
                cells += 1
                ref = element.get("r") or ""
                match = _CELL_REF.fullmatch(ref)
                column = _column_index(match.group(1)) if match else column + 1
                here = ref if match else f"{_letters(column)}{row_no}"
                if column > SHEET_COLUMNS or (match and int(match.group(2)) > SHEET_ROWS):
                    raise ContentError(
                        f"cell {ref or here} is past the sheet's grid (XFD{SHEET_ROWS}); "
                        "save the file again from Excel",
                        path,
                        cell=at(f"A{min(row_no, SHEET_ROWS)}"),
                    )
                if cells > MAX_CELLS_PER_ROW:
                    raise ContentError(
                        f"row {row_no} has more than {MAX_CELLS_PER_ROW} cells; a table "
                        f"has at most {MAX_COLUMNS} columns",
                        path,
                        cell=at(f"A{row_no}"),
                    )
                if column > MAX_COLUMNS and len(element):
                    raise ContentError(
                        f"this cell holds a value, but a table is read only up to column "
                        f"{_letters(MAX_COLUMNS)}; move it nearer, or to another sheet",
                        path,
                        cell=at(here),
                    )
    except ContentError:
        raise
    except Exception as exc:  # lxml, zipfile and zlib raise many kinds for a damaged part
        raise ContentError(
            f"cannot read the sheet ({type(exc).__name__}: {exc}); save the file again as .xlsx",
            path,
            cell=at("A1"),
        ) from None


def read_xlsx(
    path: Path, sheet: str | None, years: range, numbers: Style | None = None
) -> list[Row]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    _size(path, MAX_XLSX_BYTES, "workbook")
    _check_archive(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ContentError(
            f"cannot open the workbook ({type(exc).__name__}: {exc}); save it again as .xlsx",
            path,
        ) from None
    try:
        if sheet is None:
            if not book.worksheets:
                raise ContentError("the workbook has no sheet", path)
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise ContentError(
                f"no sheet named {sheet!r}; the workbook has {', '.join(book.sheetnames)}", path
            )
        title = ws.title
        part = getattr(ws, "_worksheet_path", None)
        if not isinstance(part, str) or not hasattr(ws, "reset_dimensions"):
            raise ContentError(f"{title!r} is not a worksheet (a chart sheet?)", path)
        _scan_sheet(path, part, title)

        def locate(row: int, col: int, message: str) -> ContentError:
            return ContentError(
                message, path, cell=f"{title}!{get_column_letter(col + 1)}{row + 1}"
            )

        # The stated dimension (`A1:XFD20001`) is not trusted: rows are read as they
        # come, at most MAX_COLUMNS wide and MAX_ROWS long.
        ws.reset_dimensions()
        rows: list[list[Any]] = []
        try:
            for values in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                if len(rows) > MAX_ROWS:
                    raise locate(len(rows), 0, f"more than {MAX_ROWS} rows; split the table")
                rows.append(list(values))
        except ContentError:
            raise
        except Exception as exc:  # a value openpyxl cannot convert
            raise ContentError(
                f"row {len(rows) + 1} cannot be read ({type(exc).__name__}: {exc}); "
                "check its cells and save the file again",
                path,
                cell=f"{title}!A{len(rows) + 1}",
            ) from None
    finally:
        book.close()
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise ContentError(
            "the sheet is empty; add a header row `code, 2025, …`", path, cell=f"{title}!A1"
        )
    body = [(values, i) for i, values in enumerate(rows) if i > 0]
    return _rows(rows[0], body, locate, years, numbers)


def read_table(
    root: Path, spec: str, base: Path, years: range, numbers: Style | None = None
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
        return read_csv(path, years, numbers)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path, sheet or None, years, numbers)
    raise ContentError(f"{name}: use a .csv or .xlsx file for tables", path)
