"""Plain records passed between layers: the reader's articles and the extractor's findings.

They carry no spaCy or RDF objects, so that extraction can run in worker processes, be pickled,
be tested without a store, and be mapped to RDF by a layer that knows nothing of spaCy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


def normalise_text(text: str) -> str:
    """The form an article's identity is computed from: NFC, one space between words."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=64)
def _content_hash(title: str | None, text: str) -> str:
    """Cached by text (not on the Article, which callers copy and retitle): ingest and the RDF
    mapping ask for an article's key dozens of times, and each time normalised and hashed the whole
    text again (1.5% of ingest time). 64 entries: a few batches, bounded memory."""
    basis = normalise_text(f"{title or ''}\n{text}")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


@dataclass
class Article:
    """One article as read from disk: body text without page furniture, plus metadata."""

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str = ""  # where it was read from (path, path:line, "-"), for messages only
    furniture: list[str] = field(default_factory=list)  # lines removed as page furniture

    @property
    def content_hash(self) -> str:
        """sha256 of the normalised headline + body: the same text always gets the same IRI."""
        return _content_hash(self.title, self.text)

    @property
    def key(self) -> str:
        return self.content_hash[:20]

    @property
    def full_text(self) -> str:
        """Headline and body as one string: what the pipeline reads and offsets point into."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


@dataclass
class Evidence:
    """Where a finding was read: the sentence and its character span in `Article.full_text`."""

    sentence: str
    start: int
    end: int
    confidence: float = 0.8


@dataclass
class ActorRecord:
    """An actor as the article presents it, already keyed for identity across articles.

    `key` is the IRI path below ckr: (see docs/model.md): `actor/<lexicon id>`, `actor/<cc>/<role>`
    for a generic side of a country, `actor/name/<slug>` or `actor/person/<slug>` otherwise, and the
    country's place key (`place/geonames/<id>`) for a country acting.
    """

    key: str
    label: str
    cls: str
    country: str | None = None  # ISO 3166-1 alpha-2
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None


@dataclass
class PlaceRecord:
    """A place, resolved to the gazetteer when possible (`key` is the IRI path below ckr:, e.g.
    `place/geonames/163779`, `place/iso/SY-HI`, `place/unresolved/sy/dar-kabira`)."""

    key: str
    label: str
    cls: str
    country: str | None = None
    aliases: set[str] = field(default_factory=set)
    resolved: bool = False
    geonames_id: int | None = None
    iso_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    parent: str | None = None  # key of the enclosing place, one step up
    mentioned: bool = True  # False for enclosing places added from the gazetteer, not named in the text
    approximate: bool = False  # lat/lon are its container's (an unresolved place), not its own
    seat: bool = False  # named where a body sits ("Britain-based"): a place the text names, even
    # when the body's name that holds it ("the Britain-based Syrian Observatory") took the mention


@dataclass
class EventRecord:
    cls: str
    trigger: str
    evidence: Evidence
    agents: list[str] = field(default_factory=list)  # actor keys
    targets: list[str] = field(default_factory=list)
    supporters: list[str] = field(default_factory=list)
    place: str | None = None  # place key
    date: dt.date | None = None
    fatalities: int | None = None
    reported_by: list[str] = field(default_factory=list)
    trigger_start: int = 0  # char offset of the trigger: the account's identity in its article
    context_place: str | None = None  # the place named just before, used if the sentence names none
    # further classes the same happening belongs to: a strike on a market is an Airstrike and an
    # AttackOnCivilians (means and target are two independent ways of classing one event)
    also: list[str] = field(default_factory=list)
    report_date: dt.date | None = None  # the day the sentence says it was reported, if no day of its own
    current: bool = False  # told in the present perfect or progressive: dated by publication if nothing else
    separate: bool = False  # "In a separate development, ...": never folded into another account


@dataclass
class RelationRecord:
    """A relation read from a sentence: controls (actor->place), supports (actor->actor),
    locatedIn (place->place)."""

    predicate: str  # "controls" | "supports" | "locatedIn"
    subject: str
    object: str
    evidence: Evidence
    date: dt.date | None = None


@dataclass
class Extraction:
    """Everything read from one article, with keys that resolve to IRIs."""

    article: Article
    actors: dict[str, ActorRecord] = field(default_factory=dict)
    places: dict[str, PlaceRecord] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # actor keys the article cites for its claims
