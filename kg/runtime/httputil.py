"""Small HTTP helpers shared by the SPARQL-endpoint store and the Wikidata client, which meet the
same servers' habits: Retry-After headers and limits tuned through the environment."""

from __future__ import annotations

import email.utils
import os
import time


def env_number(name: str, default: float, error: type[Exception]) -> float:
    """A number from the environment, or `default` when unset; a value that is no number raises
    `error` (the caller's one-line error type), never a traceback."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise error(f"{name}={raw!r} is not a number") from None


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())
