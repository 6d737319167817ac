"""`kg load --loader oxigraph`: the `oxigraph load --location DIR` command writes the folder of an
Oxigraph server (or the embedded store, the same format), in its own process.

Why a separate process: it is the loader an Oxigraph server's operator runs (Rust parsing, files
loaded in parallel, each file atomic), and it needs the folder to itself: RocksDB's LOCK file lets
one process write it. So the server must be stopped (a running server holds the lock and the
open fails), and kg closes its own handle while the command runs and opens it again after
(EmbeddedStore.released). A running server is loaded over SPARQL instead (`--endpoint`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.store.base import StoreError
from kg.store.bulk_common import Graphs, chunk_quads
from kg.store.bulk_files import write_staged
from kg.store.embedded import EmbeddedStore


def oxigraph_binary() -> str:
    """KG_OXIGRAPH_BIN, else `oxigraph` on PATH, else the one beside this Python (pip's
    `oxigraph` package installs it in the venv's bin)."""
    named = os.environ.get("KG_OXIGRAPH_BIN") or shutil.which("oxigraph")
    if named:
        return named
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    raise StoreError("the oxigraph loader needs the `oxigraph` command (pip install oxigraph, or set KG_OXIGRAPH_BIN)")


class OxigraphCliLoader:
    name = "oxigraph"
    needs_mark = True

    def __init__(self, store: EmbeddedStore, binary: str | None = None, files: int = 2) -> None:
        self.store = store
        self.binary = binary or oxigraph_binary()
        self.files = files

    def load(self, graphs: Graphs) -> dict[str, str]:
        with tempfile.TemporaryDirectory(prefix=".kg-load-", dir=self.store.path.parent) as tmp:
            staged = write_staged(chunk_quads(graphs), Path(tmp), "chunk", self.files)
            with self.store.released() as location:
                self._run(location, staged)
        return {}

    def _run(self, location: Path, staged: list[Path]) -> None:
        cmd = [self.binary, "load", "--location", str(location), "--file", *map(str, staged)]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, check=False)
        except OSError as e:
            raise StoreError(f"{self.binary}: cannot run ({e.strerror or e})") from None
        if p.returncode != 0:
            last = (p.stderr.strip().splitlines() or [f"exit status {p.returncode}"])[-1]
            raise StoreError(f"oxigraph load into {location} failed: {last[:200]}")
