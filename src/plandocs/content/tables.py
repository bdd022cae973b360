"""Tables planners keep in spreadsheets: CSV files and Excel workbooks.

Each table is one row per code (an indicator, program or activity) and one column
per year. Every cell keeps its location (``file:7`` for CSV, ``file:Sheet!B7`` for
workbooks) so a bad value is reported where the planner can find it. Workbooks are
read with openpyxl in read-only, values-only mode: formulas are never evaluated,
their last saved result is used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from plandocs.content.yamlfile import read_text
from plandocs.errors import ContentError

MAX_ROWS = 20_000


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


def _number(raw: Any, where: ContentError) -> Decimal:
    if isinstance(raw, bool):
        raise ContentError(
            "a yes/no value is not a number", where.path, where.line, None, where.cell
        )
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = str(raw).strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ContentError(
            f"{text!r} is not a number; write numbers with a dot for decimals and no "
            "thousands separators (e.g. 8.5 or 1250000)",
            where.path,
            where.line,
            where.column,
            where.cell,
        ) from None


def _year(header: Any) -> int | None:
    text = str(header).strip() if header is not None else ""
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() and len(text) == 4 else None


def _rows(
    header: list[Any],
    body: list[tuple[list[Any], Any]],
    locate: Any,
    path: Path,
    years: range,
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
    rows: list[Row] = []
    seen: dict[str, ContentError] = {}
    for values, row_no in body:
        if all(v is None or str(v).strip() == "" for v in values):
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
        cells: dict[int, Cell] = {}
        for col, year in year_cols.items():
            raw = values[col] if col < len(values) else None
            at = locate(row_no, col, "")
            if raw is None or str(raw).strip() == "":
                if year in years:
                    raise locate(
                        row_no,
                        col,
                        f"{code}: the value for {year} is empty; "
                        f"every year {years.start}–{years.stop - 1} needs one",
                    )
                continue
            cells[year] = Cell(_number(raw, at), at)
        rows.append(Row(code, cells, where))
    return rows


def read_csv(path: Path, years: range) -> list[Row]:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text))
    lines = list(reader)
    if len(lines) > MAX_ROWS:
        raise ContentError(f"more than {MAX_ROWS} rows; split the table", path)
    if not lines:
        raise ContentError("the file is empty; add a header row `code,2025,…`", path, 1)

    def locate(row: int, col: int, message: str) -> ContentError:
        return ContentError(message, path, row + 1, col + 1)

    body = [(list(values), i) for i, values in enumerate(lines) if i > 0]
    return _rows(list(lines[0]), body, locate, path, years)


def read_xlsx(path: Path, sheet: str | None, years: range) -> list[Row]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ContentError(
            f"cannot open the workbook: {exc}; save it again as .xlsx", path
        ) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise ContentError(
                f"no sheet named {sheet!r}; the workbook has {', '.join(book.sheetnames)}", path
            )
        title = ws.title

        def locate(row: int, col: int, message: str) -> ContentError:
            return ContentError(
                message, path, cell=f"{title}!{get_column_letter(col + 1)}{row + 1}"
            )

        rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    finally:
        book.close()
    if not rows:
        raise ContentError(
            "the sheet is empty; add a header row `code, 2025, …`", path, cell=f"{title}!A1"
        )
    body = [(list(values), i) for i, values in enumerate(rows) if i > 0]
    return _rows(list(rows[0]), body, locate, path, years)


def read_table(root: Path, spec: str, base: Path, years: range) -> list[Row]:
    """Read ``file.csv`` or ``file.xlsx`` / ``file.xlsx#Sheet`` named relative to ``base``."""
    name, _, sheet = spec.partition("#")
    path = (base / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ContentError(f"{spec} is outside the project; keep data files inside it", base)
    if not path.is_file():
        raise ContentError(f"data file {name} not found beside plan.yaml", base / name)
    if path.suffix.lower() == ".csv":
        return read_csv(path, years)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path, sheet or None, years)
    raise ContentError(f"{name}: use a .csv or .xlsx file for tables", path)
