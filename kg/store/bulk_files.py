"""Staged N-Quads files for the engines whose bulk loader reads files (`oxigraph load`,
Virtuoso's `ld_dir`): a chunk's quads cut into a few files, since both load files in parallel."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kg.store.base import StoreError


def write_staged(quads: list[Any], folder: Path, stem: str, parts: int = 2) -> list[Path]:
    """Write the quads as `parts` N-Quads files `<stem>-<i>.nq` in folder (synced); their paths."""
    import pyoxigraph as ox

    size = max(1, -(-len(quads) // parts))
    paths = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(0, max(len(quads), 1), size):
            path = folder / f"{stem}-{i // size}.nq"
            with open(path, "wb") as f:
                ox.serialize(quads[i:i + size], f, ox.RdfFormat.N_QUADS)
                f.flush()
                os.fsync(f.fileno())
            paths.append(path)
    except OSError as e:
        raise StoreError(f"{folder}: cannot write the staged files ({e.strerror or e})") from None
    return paths


def remove_staged(paths: list[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)
