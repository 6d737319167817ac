"""Publication dates given by the user (--published, a JSONL 'published' field, HTML metadata).

Only ISO dates: a date read wrongly (day and month swapped) would put an event in the wrong week
of the graph's timeline, so an unclear form is refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.read.errors import InputError


def parse_date(value: str | None, *, what: str = "date") -> dt.date | None:
    """Parse an ISO date (YYYY-MM-DD, or a datetime starting with one); reject other forms."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string YYYY-MM-DD, got {type(value).__name__}")
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        raise InputError(f"{what} {value!r} is not a date of the form YYYY-MM-DD")
    try:
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as e:
        raise InputError(f"{what} {value!r} is not a valid date ({e})") from None
    if d > dt.date.today() + dt.timedelta(days=1):
        raise InputError(f"{what} {value!r} lies in the future")
    return d


def safe_date(value: object) -> dt.date | None:
    """A date from page metadata, or None: a page's odd date must not cost the article."""
    try:
        return parse_date(value if isinstance(value, str) else None)
    except InputError:
        return None
