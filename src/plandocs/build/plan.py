"""Plan a build: which outputs are stale and why, from the manifest, file hashes and
folder listings alone — a build with nothing to do parses no YAML, renders nothing and
imports no writer library."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from plandocs import code_fingerprint
from plandocs.build.item import Item
from plandocs.build.manifest import Hasher, Manifest
from plandocs.build.outputs import output_rel
from plandocs.errors import PlandocsError
from plandocs.kinds.discover import find_documents, kind_folders_text
from plandocs.kinds.parts import current_parts


def selected(folder: Path, paths: Sequence[Path]) -> bool:
    """Whether the document in ``folder`` is one that ``PATHS`` select (``build``,
    ``check``): all when none are given, else those in, holding or being a path."""
    if not paths:
        return True
    folder = Path(os.path.realpath(folder))
    for path in paths:
        path = Path(os.path.realpath(path))
        if path == folder or path.is_relative_to(folder) or folder.is_relative_to(path):
            return True
    return False


def check_paths(root: Path, paths: Sequence[Path]) -> list[PlandocsError]:
    """Every PATH given must exist inside the project and hold (or be in) a document."""
    problems: list[PlandocsError] = []
    documents = [folder for _, folder in find_documents(root)]
    real_root = Path(os.path.realpath(root))
    for path in paths:
        try:
            exists = path.exists()
            resolved = Path(os.path.realpath(path))
        except (OSError, RuntimeError):
            exists, resolved = False, path
        if not exists:
            problems.append(
                PlandocsError(
                    "no such file or folder; check the name (documents are the folders in "
                    f"{kind_folders_text(root)})",
                    path,
                )
            )
        elif not resolved.is_relative_to(real_root):
            problems.append(PlandocsError("this is not inside the project folder", path))
        elif not any(selected(folder, [path]) for folder in documents):
            problems.append(
                PlandocsError(
                    "no document here; give a document folder (one in "
                    f"{kind_folders_text(root)}) or a file inside one",
                    path,
                )
            )
    return problems


def build_options(draft: bool, pdfa: bool = False) -> dict[str, object]:
    return {"draft": draft, "pdfa": pdfa, "epoch": os.environ.get("SOURCE_DATE_EPOCH") or None}


def plan(
    root: Path,
    manifest: Manifest,
    langs: Sequence[str],
    formats: Sequence[str],
    paths: Sequence[Path],
    options: dict[str, object],
    force: bool,
) -> tuple[list[Item], int, list[str]]:
    """The items to build, how many outputs are up to date, and outputs to remove."""
    hasher = Hasher(root)
    code = code_fingerprint()
    everything = force or manifest.code != code
    why_all = "--force" if force else ("plandocs changed" if manifest.outputs else "")
    today = dt.date.today().isoformat()
    items: list[Item] = []
    unchanged = 0
    present: set[str] = set()
    removed: list[str] = []
    weights: dict[str, int] = {}
    for kind, folder in find_documents(root):
        key = f"{kind}/{folder.name}"
        present.add(key)
        if not selected(folder, paths):
            continue
        known = manifest.documents.get(key)
        listing = hasher.listing(folder)
        fresh_doc = known is not None and known.get("listing") == listing
        codes = part_codes(root, kind, folder)
        if codes is not None:
            # One folder, many documents: the parts gone from the table go too.
            current = {None, *codes}
            removed += [
                rel
                for rel, record in manifest.outputs.items()
                if record["document"] == key and record.get("part") not in current
            ]
        for part, lang in [(p, lang) for p in (None, *(codes or ())) for lang in langs]:
            if fresh_doc and lang not in known["languages"]:  # type: ignore[index]
                continue  # skipped before, and no file came or went since
            stale: list[str] = []
            reasons: list[str] = []
            for name in formats:
                rel = output_rel(lang, kind, folder.name, name, part)
                if everything:
                    why: str | None = why_all or "new output"
                elif not fresh_doc:
                    why = (
                        "new document"
                        if known is None
                        else f"files added or removed in {hasher.rel(folder)}"
                    )
                else:
                    why = manifest.why_stale(rel, hasher, options, root)
                    record = manifest.outputs.get(rel, {})
                    if why is None and record.get("today") not in (None, today):
                        why = "the draft date changed"
                if why is None:
                    unchanged += 1
                else:
                    stale.append(name)
                    reasons.append(why)
            if stale:
                unit = key if part is None else f"{key}/{part}"
                labels = manifest.page_labels.get(f"{unit}/{lang}", {})
                if key not in weights:
                    weights[key] = _size(folder)
                item = Item(kind, folder, lang, tuple(stale), tuple(reasons), options, labels)
                items.append(replace(item, part=part, weight=weights[key], force=force))
    removed += [
        rel for rel, record in manifest.outputs.items() if record["document"] not in present
    ]
    return items, unchanged, removed


def part_codes(root: Path, kind: str, folder: Path) -> list[str] | None:
    """The parts a folder of a kind with parts yields (the codes in its table), from
    the kind's ``kind.yaml`` and that table alone; None for a kind without parts."""
    return current_parts(root, kind, folder)


def _size(folder: Path) -> int:
    """The bytes of a content folder's files: how long its documents take, roughly."""
    total = 0
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(top, name)).st_size
    return total
