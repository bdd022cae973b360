"""Reading one sheet of an Excel workbook without trusting the file.

openpyxl reads values only (formulas are never evaluated: their last saved result is
used), in read-only mode. That mode trusts the sheet's stated dimension: a workbook
saying ``A1:XFD20001`` would have every row padded to 16 384 cells, 327 million in all.
So before openpyxl sees a file it is checked, and while it reads rows are bounded:

* the file at most :data:`MAX_XLSX_BYTES`, each ZIP part at most :data:`MAX_XLSX_PART`
  unpacked, no part declaring a document type (no entity expansion);
* the sheet's XML streamed once (lxml ``iterparse``, entities off): a cell or row past
  the grid, a row of more than :data:`MAX_CELLS_PER_ROW` cells, or a value beyond the
  columns read is an error at its cell;
* the stated dimension is dropped and rows are read one at a time, at most
  ``max_rows`` of them, ``max_columns`` wide.

Whatever openpyxl, zipfile, zlib or lxml raise for a damaged file becomes a located
:class:`ContentError`.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import IO, Any

from plandocs.errors import ContentError

MAX_XLSX_BYTES = 32 * 1024 * 1024
MAX_XLSX_PART = 64 * 1024 * 1024
"""Largest uncompressed part of a workbook (a sheet of 20 000 rows is about 10 MiB)."""
MAX_XLSX_PARTS = 10_000
MAX_CELLS_PER_ROW = 1_000
SHEET_COLUMNS = 16_384
SHEET_ROWS = 1_048_576

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _FORMULA, _VALUE = (f"{_MAIN}{name}" for name in ("row", "c", "f", "v"))
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


def _check_archive(path: Path, data: bytes) -> None:
    """A workbook's ZIP: readable, of bounded size, with no document type declarations."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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


def _no_saved_value(cell: Any) -> bool:
    """Whether a ``<c>`` element that holds a formula (``<f>``) has no saved value
    (``<v>``: none, or an empty one, as openpyxl writes it): openpyxl reads such a cell
    as empty, which a table would take for a missing figure. A formula giving an empty
    text (``t="str"``) has an empty value and is not one of these."""
    value = cell.find(_VALUE)
    if value is None:
        return True
    return not (value.text or "") and cell.get("t") != "str"


def _scan_sheet(path: Path, data: bytes, part: str, title: str, max_columns: int) -> None:
    """Stream a sheet's XML once: cells past the grid, huge rows, formulas with no saved
    value and bad XML are errors. A cell is looked into only when the stream has shown
    it a formula: a sheet of plain values costs what it did before formulas were checked."""
    from lxml import etree

    def at(ref: str) -> str:
        return f"{title}!{ref}"

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as source:
            events = etree.iterparse(
                source,
                events=("start", "end"),
                tag=(_CELL, _ROW, _FORMULA),
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
                load_dtd=False,
            )
            row_no, cells, column, formula = 0, 0, 0, False
            for event, element in events:
                tag = element.tag
                if tag == _FORMULA:
                    formula = True  # of the cell open now
                    continue
                if tag == _ROW:
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
                    formula = False
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
                        f"has at most {max_columns} columns",
                        path,
                        cell=at(f"A{row_no}"),
                    )
                if formula and column <= max_columns and _no_saved_value(element):
                    raise ContentError(
                        "this cell holds a formula but no value for it (the program that "
                        "wrote the workbook did not calculate it); open the file in Excel or "
                        "LibreOffice and save it again, or type the value in",
                        path,
                        cell=at(here),
                    )
                if column > max_columns and len(element):
                    raise ContentError(
                        f"this cell holds a value, but a table is read only up to column "
                        f"{_letters(max_columns)}; move it nearer, or to another sheet",
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


def column_letter(column: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB``."""
    return _letters(column)


def read_sheet(
    path: Path, sheet: str | None, max_rows: int, max_columns: int, data: bytes | None = None
) -> tuple[str, list[list[Any]]]:
    """The title and the rows (values, at most ``max_columns`` each) of ``sheet`` or the
    first. The workbook's bytes are read once, through the project's reader (or given as
    ``data``), and every later look at the file reads those bytes, never the disk."""
    import openpyxl

    try:
        size = path.stat().st_size if data is None else len(data)
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", path) from None
    if size > MAX_XLSX_BYTES:
        raise ContentError(
            f"the file is larger than the {MAX_XLSX_BYTES // 1024 // 1024} MiB a workbook may "
            "have; check that this is the plan's table",
            path,
        )
    if data is None:
        from plandocs.safety.reader import read_bytes

        data = read_bytes(path, "workbook", MAX_XLSX_BYTES)
    _check_archive(path, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
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
        _scan_sheet(path, data, part, title, max_columns)
        ws.reset_dimensions()
        rows: list[list[Any]] = []
        try:
            for values in ws.iter_rows(max_col=max_columns, values_only=True):
                if len(rows) >= max_rows + 1:
                    raise ContentError(
                        f"more than {max_rows} rows; split the table",
                        path,
                        cell=f"{title}!A{len(rows) + 1}",
                    )
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
    return title, rows
