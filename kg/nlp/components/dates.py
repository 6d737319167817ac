"""spaCy component `ckg_dates`: resolves DATE expressions against the article's publication date.

News dates are relative: "on Thursday" is the Thursday on or before publication, "on 30 September"
the last 30 September not after it, "yesterday" the day before. Expressions that name no day
("in recent days", "last year", "since 2013") resolve to nothing rather than to a guess.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.events.tolls import parse_count
from kg.nlp.events.words import word_set, word_value
from kg.nlp.state import state

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
OFFSET_UNITS: dict[str, int] = word_value("dates", "offset_units")
LATER = word_set("dates", "later")
EARLIER = word_set("dates", "earlier")


def resolve_date(text: str, published: dt.date | None) -> dt.date | None:
    """One DATE expression -> a calendar day, or None when it names no single day (or a day
    before 1 January of year 1: "on Sunday" in an article published 0001-01-01 raised
    OverflowError and stopped the whole ingest; "on 9999...9 March", 4,301 digits, raised
    ValueError from Python's integer-string limit)."""
    try:
        return _resolve(text, published)
    except (OverflowError, ValueError):
        return None


def _resolve(text: str, published: dt.date | None) -> dt.date | None:
    t = text.lower().replace(",", " ").replace(".", " ")
    t = re.sub(r"\b(\d+)(st|nd|rd|th)\b", r"\1", t)
    words = t.split()
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    t = re.sub(r"\b(\d{1,2})\s*[-–]\s*\d{1,2}\b", r"\1", t)  # "16-20 January": the first day
    words = t.split()
    day = month = year = None
    for i, w in enumerate(words):
        if w in MONTHS:
            month = MONTHS[w]
            if i > 0 and words[i - 1].isdigit() and 1 <= int(words[i - 1]) <= 31:
                day = int(words[i - 1])
            elif i + 1 < len(words) and words[i + 1].isdigit() and 1 <= int(words[i + 1]) <= 31:
                day = int(words[i + 1])
        elif re.fullmatch(r"(19|20)\d{2}", w):
            year = int(w)
    if month and day:
        if year is None:
            if published is None:
                return None
            year = published.year
            cand = _safe(year, month, day)
            if cand and cand > published + dt.timedelta(days=1):
                cand = _safe(year - 1, month, day)
            return cand
        return _safe(year, month, day)
    if published is None:
        return None
    if "yesterday" in words or "last night" in t:
        return published - dt.timedelta(days=1)
    if "today" in words or "tonight" in words or "this morning" in t:
        return published
    for i, w in enumerate(WEEKDAYS):
        if w in words:
            back = (published.weekday() - i) % 7
            if "last" in words and back == 0:
                back = 7
            return published - dt.timedelta(days=back)
    return None


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def offset_days(text: str) -> int | None:
    """'two days later' -> 2, 'a week earlier' -> -7: a span counted from the day named before;
    None for any other expression."""
    words = text.lower().replace("-", " ").split()
    if len(words) != 3 or words[1] not in OFFSET_UNITS:
        return None
    n = 1 if words[0] in ("a", "an", "one") else parse_count(words[0])
    if n is None or n > 366:
        return None
    sign = 1 if words[2] in LATER else -1 if words[2] in EARLIER else 0
    return sign * n * OFFSET_UNITS[words[1]] or None


def full_date(text: str) -> dt.date | None:
    """A DATE expression that names its year, month and day ('July 27, 2019', '2019-07-27'):
    it needs no reference day."""
    return resolve_date(text, None)


class DateResolver:
    def __call__(self, doc: Doc) -> Doc:
        st = state(doc)
        ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
        # without a publication date, the latest full date the text gives (often a caption's,
        # "Photo ... on July 27, 2019") is the day it was written about: "on Saturday" resolves
        # against it rather than to nothing
        ref = st.published or max((d for e in ents if (d := full_date(e.text))), default=None)
        last = None  # the day the text named last: what "two days later" counts from
        for e in ents:
            off = offset_days(e.text)
            d = last + dt.timedelta(days=off) if off is not None and last is not None else resolve_date(e.text, ref)
            if d is not None:
                st.dates.append((e.start, e.end, d))
                last = d
        return doc


@Language.factory("ckg_dates")
def make_dates(nlp: Language, name: str) -> DateResolver:
    return DateResolver()
