"""A batch across machines: ``build --shard I/N`` builds the I-th of N fixed parts of the
documents, recorded in its own manifest part, which the next whole build merges."""

from __future__ import annotations

import hashlib
import re

from plandocs.build.manifest import MANIFEST
from plandocs.build.outputs import LOCK

SHARD_MANIFEST = re.compile(r"^\.plandocs-manifest\.shard-([0-9]+)-of-([0-9]+)\.json$")
"""The manifest part of one shard of a batch (``build --shard I/N``)."""


def shard_names(shard: tuple[int, int] | None) -> tuple[str, str]:
    """The manifest and lock file names of a build (of one shard, or the whole)."""
    if shard is None:
        return MANIFEST, LOCK
    index, count = shard
    return (
        f".plandocs-manifest.shard-{index}-of-{count}.json",
        f".plandocs.lock.shard-{index}-of-{count}",
    )


def in_shard(unit: str, lang: str, shard: tuple[int, int] | None) -> bool:
    """Whether the document ``unit`` (``kind/slug`` or ``kind/slug/part``) in ``lang``
    belongs to the shard: a fixed assignment by the hash of its name, whatever is stale."""
    if shard is None:
        return True
    index, count = shard
    number = int.from_bytes(hashlib.sha256(f"{unit}/{lang}".encode()).digest()[:8], "big")
    return number % count == index - 1
