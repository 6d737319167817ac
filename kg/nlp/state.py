"""What the pipeline's components share on a Doc: mentions found so far and the records they point to.

One object under `doc._.kg`, filled component by component; `kg.nlp.extract` turns it into plain
records at the end. Token offsets are spaCy token indices (end exclusive).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import IDX, LEMMA, LENGTH, LIKE_NUM, SPACY
from spacy.tokens import Doc, Span

from kg.model.records import ActorRecord, EventRecord, PlaceRecord, RelationRecord


@dataclass
class Mention:
    start: int
    end: int
    key: str
    kind: str  # "actor" | "place"
    text: str = ""
    generic: bool = False  # a generic side ("rebels", "the army") rather than a name

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass
class TokenTable:
    """Plain lists of what the components read on every token (text, lower case, offsets).

    A spaCy Token is a new Python object at each `doc[i]` and each attribute a string-store
    look-up; scans over the whole article (capitalised runs, sub-spans of names) cost less on
    lists read once. Tokenisation never changes after the tokenizer, so
    the table stays valid through the pipeline.
    """

    text: list[str]
    lower: list[str]
    idx: list[int]  # character offset of each token
    space_after: list[bool]
    alpha: list[bool]
    doc_text: str

    @classmethod
    def of(cls, doc: Doc, text: str | None = None) -> "TokenTable":
        """`text` is the doc's text when the caller has it (the string `make_doc` read): `Doc.text`
        joins every token anew. Token strings are slices of it at each token's offset; lower case
        and is_alpha are what spaCy's lexical attributes compute (`str.lower`, `str.isalpha`), so no
        Token object and no string-store look-up is made per token."""
        if text is None:
            text = doc.text
        rows = doc.to_array([IDX, LENGTH, SPACY]).tolist()
        words = [text[i : i + n] for i, n, _ in rows]
        return cls(
            words,
            [w.lower() for w in words],
            [r[0] for r in rows],
            [r[2] == 1 for r in rows],
            [w.isalpha() for w in words],
            text,
        )

    _lemma: list[str] | None = None
    _lemma_lower: list[str] | None = None

    def lemma(self, doc: Doc) -> list[str]:
        """Each token's lemma (read on first use: only after the lemmatizer ran), through one
        array and the string store rather than a Token per word."""
        if self._lemma is None:
            strings = doc.vocab.strings
            self._lemma = [strings[h] for h in doc.to_array(LEMMA).tolist()]
        return self._lemma

    _like_num: list[bool] | None = None

    def like_num(self, doc: Doc) -> list[bool]:
        """Each token's like_num flag, through one array."""
        if self._like_num is None:
            self._like_num = [bool(x) for x in doc.to_array(LIKE_NUM).tolist()]
        return self._like_num

    def lemma_lower(self, doc: Doc) -> list[str]:
        """Each token's lemma in lower case."""
        if self._lemma_lower is None:
            self._lemma_lower = [x.lower() for x in self.lemma(doc)]
        return self._lemma_lower

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text` without building the Span: the characters from the first
        token to the end of the last (a span's text has no trailing whitespace)."""
        if end <= start:
            return ""
        return self.doc_text[self.idx[start] : self.idx[end - 1] + len(self.text[end - 1])]


@dataclass
class DocState:
    published: dt.date | None = None
    body_start: int = 0  # char offset where the body starts: the headline repeats the body's events
    text: str | None = None  # the doc's text when the caller has it (see `TokenTable.of`)
    countries: Counter[str] = field(default_factory=Counter)  # ISO2 -> weight, the article's context
    places: dict[str, PlaceRecord] = field(default_factory=dict)
    actors: dict[str, ActorRecord] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    dates: list[tuple[int, int, dt.date]] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    reporters: dict[int, list[str]] = field(default_factory=dict)  # sentence start token -> actor keys
    coref_places: dict[int, str] = field(default_factory=dict)  # head token of "the town" -> place key

    @property
    def main_country(self) -> str | None:
        """The theatre: the country the article is mostly about (places, nationalities)."""
        if not self.countries:
            return None
        return self.countries.most_common(1)[0][0]

    # mentions are also indexed by token, so that lookups stay linear on very long texts
    _at: dict[int, Mention] = field(default_factory=dict)
    _tokens: TokenTable | None = None

    def tokens(self, doc: Doc) -> TokenTable:
        """The doc's token table, read once (see `TokenTable`)."""
        if self._tokens is None:
            self._tokens = TokenTable.of(doc, self.text)
        return self._tokens

    def covered(self, start: int, end: int) -> bool:
        return any(i in self._at for i in range(start, end))

    def overlapping(self, start: int, end: int, kind: str | None = None) -> list[Mention]:
        found = {id(m): m for i in range(start, end) if (m := self._at.get(i)) is not None}
        return [m for m in found.values() if kind is None or m.kind == kind]

    def add_mention(self, m: Mention) -> None:
        old = self.overlapping(m.start, m.end)
        for x in old:  # found by bisection (mentions are kept by start): a rebuilt list per
            j = bisect_left(self.mentions, x.start, key=_start)  # replaced mention was quadratic
            while self.mentions[j] is not x:
                j += 1
            del self.mentions[j]
            for i in range(x.start, x.end):
                self._at.pop(i, None)
        self.mentions.insert(bisect_right(self.mentions, m.start, key=_start), m)  # after equal starts
        for i in range(m.start, m.end):
            self._at[i] = m

    def mentions_in(self, span: Span, kind: str | None = None) -> list[Mention]:
        return [m for m in self.mentions if m.start >= span.start and m.end <= span.end and (kind is None or m.kind == kind)]

    def mention_at(self, i: int, kind: str | None = None) -> Mention | None:
        m = self._at.get(i)
        return m if m is not None and (kind is None or m.kind == kind) else None


def _start(m: Mention) -> int:
    """Sort key of `DocState.mentions` (by start token; `bisect` keeps it, linear on long texts)."""
    return m.start


def state(doc: Doc) -> DocState:
    if doc._.kg is None:
        doc._.kg = DocState()
    return doc._.kg


if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)
