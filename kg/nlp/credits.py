"""Credit lines: where an article names its own makers, not the people and bodies it reports on.

"(Writing by Tommy Wilkes; Editing by Nick Macfie)", "[File: Hussein Malla/AP Photo]",
"AFP/Marco Longari", "©Delil Souleiman (AFP/File)", a byline under the headline ("Jeoffrey Maitem
and Mark Navales"): the names in them are reporters, photographers and agencies credited, so the
actor finder makes no actor of them. The cues are data (credit_patterns in kg/data/actor_words.json).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from kg.nlp.lexicon import load_json

_NAME = r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}"
# a line made only of two or more-word names joined by 'and' or commas, perhaps after 'By'
_BYLINE = re.compile(rf"^(?:By )?{_NAME}(?:(?:,| and|, and) {_NAME})*$", re.MULTILINE)
_BYLINE_LINES = 6  # a byline sits under the headline, among the first lines


@lru_cache(maxsize=1)
def _credit_rx() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_json("actor_words.json")["credit_patterns"]))


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the text's credit lines, sorted."""
    spans = [m.span() for m in _credit_rx().finditer(text)]
    head = "\n".join(text.split("\n")[:_BYLINE_LINES])
    spans += [m.span() for m in _BYLINE.finditer(head)]
    return sorted(spans)


class Credits:
    """Membership test over an article's credit ranges (read once per article)."""

    def __init__(self, text: str) -> None:
        self.spans = credit_spans(text)
        self.starts = [s for s, _ in self.spans]

    def __contains__(self, char: int) -> bool:
        k = bisect_right(self.starts, char) - 1
        return k >= 0 and self.spans[k][0] <= char < self.spans[k][1]
