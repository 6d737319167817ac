"""What linking works on: our graph's entities, Wikidata candidates, links and the run's report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

LINK_GRAPH = "https://w3id.org/conflict-kg/links/wikidata"
DEFAULT_MIN_SCORE = 0.75
AMBIGUITY_MARGIN = 0.05
BATCH = 50  # values per request: small enough for WDQS's URL/time limits, large enough to be quick


@dataclass
class Entity:
    """A node of our graph that may be linked."""

    iri: str
    kind: str  # "place" | "actor"
    classes: set[str] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    cc: str | None = None
    geonames_id: str | None = None
    iso_code: str | None = None
    wikidata: str | None = None

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else (self.aliases[0] if self.aliases else self.iri.rsplit("/", 1)[-1])

    @property
    def cls(self) -> str:
        """The most specific of its classes (nodes merged from several articles may carry more)."""
        order = ["Country", "Province", "District", "City", "Town", "Village", "Neighbourhood", "Region",
                 "Road", "Facility", "Army", "AirForce", "Navy", "Police", "SecurityForce", "ArmedForce",
                 "StateForce", "JihadistGroup", "RebelGroup", "Militia", "NonStateArmedGroup", "Government",
                 "Monitor", "MediaOutlet", "Person", "Civilians", "Organisation", "Place", "Actor"]
        for c in order:
            if c in self.classes:
                return c
        return next(iter(self.classes), "Actor")


@dataclass
class Candidate:
    """A Wikidata item proposed for an entity, with what the score was computed from."""

    qid: str
    label: str = ""
    description: str = ""
    names: set[str] = field(default_factory=set)  # its English label and aliases
    countries: set[str] = field(default_factory=set)  # ISO 3166-1 alpha-2 of P17
    families: set[str] = field(default_factory=set)  # ACTOR_ROOTS families, or place kinds
    disambiguation: bool = False
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)


@dataclass
class Link:
    node: str
    node_label: str
    qid: str
    wd_label: str
    score: float
    method: str  # "lexicon" | "geonames-id" | "iso-3166-2" | "label"
    description: str = ""


@dataclass
class Ambiguous:
    node: str
    node_label: str
    candidates: list[tuple[str, str, float]]  # (qid, label, score), best first


@dataclass
class LinkReport:
    entities: int = 0
    links: list[Link] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    below: list[tuple[str, str, str, float]] = field(default_factory=list)  # node, label, qid, score
    no_candidates: int = 0
    requests: int = 0
    cached: int = 0  # lookups answered by the cache
    fetched: int = 0  # lookups answered by the service
    written: bool = False

    def by_method(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for link in self.links:
            out[link.method] += 1
        return dict(sorted(out.items()))

    def summary(self) -> str:
        methods = ", ".join(f"{n} by {m}" for m, n in self.by_method().items()) or "none"
        return (
            f"linked {len(self.links)} of {self.entities} entities ({methods}); "
            f"{len(self.ambiguous)} ambiguous, {len(self.below)} below threshold, "
            f"{self.no_candidates} without candidates; {self.requests} Wikidata requests, "
            f"{self.cached} lookups from cache"
        )
