"""Write-behind: batch N is written in a thread while batch N+1 is extracted.

Why: an embedded store's write is RocksDB work that releases the GIL (measured: a Python loop
beside a writer thread ran at full speed), so the ~6% of a 1-worker ingest spent writing is hidden
instead of added. One batch in flight at most, counted by the calling thread when it is collected
(never by the writer thread), so the counts and the interrupt handling stay in the main thread;
stores that do not say they can (a server's client) are written in line.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

B = TypeVar("B")  # a batch
R = TypeVar("R")  # what writing it returned


class WriteBehind(Generic[B, R]):
    """`write(batch)` in a thread (or in line), then `count(batch, result)` in the caller's thread."""

    def __init__(self, write: Callable[[B], R], count: Callable[[B, R], None], *, background: bool) -> None:
        self._write = write
        self._count = count
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") if background else None
        self._inflight: list[tuple[Future[R], B]] = []

    def submit(self, batch: B) -> None:
        """Start writing a batch (collect the one before first: one in flight at most)."""
        if self._pool is None:
            self._count(batch, self._write(batch))
        else:
            self._inflight.append((self._pool.submit(self._write, batch), batch))

    def collect(self) -> None:
        """Wait for the batch being written, then count it (or raise what stopped it)."""
        while self._inflight:
            fut, batch = self._inflight.pop(0)
            self._count(batch, fut.result())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
