"""One content folder, many documents: the parts of a kind with ``parts:`` (a region's
sheet per value of a table's key column, beside the recap of all of them).

Each part depends on its own rows of the table, not on the whole file: an input
``<data file>::<column>=<value>`` whose digest is that of the table's header and those
rows (:func:`part_digests`), so a change to one region's rows rebuilds its sheet only.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from plandocs.errors import PlandocsError
from plandocs.kinds.where import BUILTIN_DIR, KIND_FILE, kind_folder
from plandocs.safety.paths import read_regular, safe_rel


def part_digests(raw: bytes, suffix: str, column: str) -> dict[str, str]:
    """Per value of ``column`` in a CSV table: a digest of the header and of the rows
    holding that value, so a change to one region's rows is a change to its document
    only. Empty for a workbook or a table this quick reading cannot split."""
    import csv
    import io

    from plandocs.content.tables import detect_delimiter

    if suffix.lower() != ".csv":
        return {}
    try:
        text = raw.decode("utf-8-sig")
        header_line = text.split("\n", 1)[0]
        reader = csv.reader(io.StringIO(text), delimiter=detect_delimiter(header_line))
        header = next(reader)
        names = [h.strip().lower() for h in header]
        at = names.index(column.lower())
        groups: dict[str, list[list[str]]] = {}
        for row in reader:
            if not any(cell.strip() for cell in row) or at >= len(row):
                continue
            groups.setdefault(row[at].strip(), []).append(row)
    except (ValueError, csv.Error, UnicodeDecodeError, StopIteration):
        return {}
    out = {}
    for code, rows in groups.items():
        digest = hashlib.sha256(repr((header, rows)).encode("utf-8", "surrogatepass"))
        out[code] = digest.hexdigest()[:20]
    return out


PART_MARK = "::"
"""``<data file>::<column>=<value>``: an input that is one part's rows of a table."""


def part_input(rel: str, column: str, value: str) -> str:
    return f"{rel}{PART_MARK}{column}={value}"


def digest_part_input(root: Path, rel: str) -> str | None:
    """The current digest of a part input (for the build's staleness check)."""
    file_rel, _, selector = rel.partition(PART_MARK)
    column, _, value = selector.partition("=")
    if not safe_rel(file_rel):
        return None
    real = Path(os.path.realpath(root / file_rel))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        return None
    raw = read_regular(real)
    if raw is None:
        return None
    found = part_digests(raw, real.suffix, column)
    if not found:
        return hashlib.sha256(raw).hexdigest()[:20]
    return found.get(value)


def current_parts(root: Path, name: str, folder: Path) -> list[str] | None:
    """The parts a content folder yields now: the values of the parts' key column in
    its table, read quickly (no validation: the build reports what is wrong). None
    for a kind without parts; an empty list when the table cannot be read."""
    found = parts_setting(root, name)
    if found is None:
        return None
    key, file_name, sheet = found
    path = folder / file_name
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        return []
    raw = read_regular(real)
    if raw is None:
        return []
    if real.suffix.lower() == ".csv":
        return sorted(part_digests(raw, ".csv", key))
    try:
        from plandocs.content.tables import MAX_COLUMNS, MAX_ROWS
        from plandocs.content.workbooks import read_sheet

        _, rows = read_sheet(real, sheet or None, MAX_ROWS, MAX_COLUMNS, raw)
        names = [str(h).strip().lower() for h in rows[0]]
        at = names.index(key.lower())
        return sorted({str(r[at]).strip() for r in rows[1:] if at < len(r) and r[at] is not None})
    except Exception:
        return []


def parts_setting(root: Path, name: str) -> tuple[str, str, str] | None:
    """The key column, the table's file and sheet of a kind with parts (following what
    it extends), from ``kind.yaml`` as read, unchecked; None without parts."""
    seen: set[tuple[str, bool]] = set()
    builtin = False
    parts: object = None
    tables: object = None
    while (name, builtin) not in seen:
        seen.add((name, builtin))
        folder = BUILTIN_DIR / name if builtin else kind_folder(root, name)
        raw = read_regular(folder / KIND_FILE, 256 * 1024)
        if raw is None or (b"parts" not in raw and b"extends" not in raw):
            return None  # no parts, whatever it says (a build with nothing to do stays light)
        from plandocs.kinds.spec import read_kind

        try:
            data = read_kind(root, name, builtin).data
        except PlandocsError:
            return None
        if parts is None and "parts" in data:
            parts = data["parts"]
        if tables is None and "tables" in data:
            tables = data["tables"]
        parent = data.get("extends")
        if not isinstance(parent, str) or (parts is not None and tables is not None):
            break
        builtin = parent == name and not builtin
        name = parent
    try:
        table = tables[parts["table"]]  # type: ignore[index]
        file_name, _, sheet = str(table["file"]).partition("#")
        return str(parts["key"]), file_name, sheet  # type: ignore[index]
    except (KeyError, TypeError):
        return None
