"""The progress line of `kg ingest` on a terminal: counts and articles per second.

Only on a terminal: in a pipe, a log or CI it would be noise, so there `kg ingest` prints its
per-article lines and summary as before. Counts come from the ingest report, so the rate is of
articles the store has confirmed, not of articles read.
"""

from __future__ import annotations

import sys
import time
from typing import Any


class IngestProgress:
    """A live status line (rich) on stderr; `echo` prints a message above it."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.live import Live
        from rich.text import Text

        self._Text = Text
        self.console = Console(file=sys.stderr)
        self._live = Live(Text(""), console=self.console, refresh_per_second=4, transient=False)
        self._t0 = time.perf_counter()

    def __enter__(self) -> "IngestProgress":
        self._live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._live.__exit__(*exc)

    def update(self, report: Any) -> None:
        dt = max(time.perf_counter() - self._t0, 1e-6)
        rate = report.loaded / dt
        self._live.update(self._Text(
            f"ingest  {report.loaded:,} loaded  {report.skipped:,} skipped  {report.failed:,} failed  "
            f"{rate:,.1f} articles/s  {dt:,.0f}s", style="bold"
        ))

    def echo(self, msg: str) -> None:
        self.console.print(msg, markup=False, highlight=False)


def want_progress(flag: bool | None) -> bool:
    """--progress/--no-progress, or by default whether stderr is a terminal."""
    if flag is not None:
        return flag
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
