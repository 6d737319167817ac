"""Ctrl-C (SIGINT) and SIGTERM during a long command: stop at a safe point, say what was done.

Why not Python's default KeyboardInterrupt: it can arrive anywhere, including between the store
confirming a batch of article graphs and the ingest counting them, so the summary line would be
wrong; and SIGTERM (what `kill`, systemd and container runtimes send) would end the process with
no summary at all. Here both signals raise `Interrupted`, except inside `deferred()` sections
(store writes), where the signal is remembered and raised as soon as the section ends: the batch
being written lands whole and is counted, and the article being extracted is simply not written.
A second signal during a deferred section raises at once (the user insists); the store still holds
only whole articles, because each article graph is one transaction.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_pending: int | None = None
_depth = 0


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; `exit_code` is 128 + the signal number (130, 143), as shells do.

    A BaseException, like KeyboardInterrupt, so that `except Exception` blocks do not swallow it.
    `report` is filled in by whoever knows what was done so far (the ingest loop)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.report: Any = None

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _handler(signum: int, frame: FrameType | None) -> None:
    global _pending
    again = _pending is not None
    _pending = signum
    if _depth == 0 or again:
        raise Interrupted(signum)


def install() -> None:
    """Route SIGINT and SIGTERM to `Interrupted` (main thread only, as Python requires)."""
    global _pending
    _pending = None
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)


def pending() -> int | None:
    """The signal received and not raised yet (during a deferred section), if any."""
    return _pending


@contextmanager
def deferred() -> Iterator[None]:
    """A section that a first SIGINT/SIGTERM must not cut: the signal is raised when it ends."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
    if _depth == 0 and _pending is not None:
        raise Interrupted(_pending)
