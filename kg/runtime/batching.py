"""Cutting a stream into batches: the one place ingest and extraction do it.

Why one helper: the skip check (one store request per batch), spaCy's nlp.pipe, the worker
processes and the store writes all work a batch at a time, with the same `--batch-size`. Each batch
is handed on as soon as it is full, before the next item is pulled, so a stage downstream sees the
same items at the same moment whichever stage cut them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last one shorter), lazily: memory holds one batch."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
