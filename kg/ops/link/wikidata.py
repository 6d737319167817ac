"""Link the graph's places and actors to Wikidata: candidates, scores, and the linking graph.

How each kind of node finds its Wikidata entity, strongest evidence first:

* **lexicon actors with a verified Wikidata id** (`owl:sameAs wd:Q…` written by the extractor from
  `kg/data/actors.json`) are linked directly, score 1, no network;
* **places** by identifier: their GeoNames id against Wikidata's P1566, and first-level divisions
  without one by their ISO 3166-2 code against P300; many ids per request (VALUES batches). Two
  Wikidata items sometimes share one GeoNames id (a city and the municipality around it), so the
  candidates are still scored on name, kind (settlement / administrative unit / country) and
  country, and an id alone with a name and kind that both disagree is not enough;
* **other actors** by exact label or alias (English) of what they are: armed forces and military
  branches, police, armed organisations (rebel, militant, terrorist, paramilitary groups),
  political organisations, governments and their agencies, NGOs, international organisations and
  news media - checked through `wdt:P31/wdt:P279*` against a fixed list of root classes. Every
  candidate is scored on name similarity, on whether its kind fits the actor's class and on its
  country (P17 -> P297) against the actor's `ckg:country`.

A candidate at or above the threshold is linked unless a second one comes within a margin of it:
then the node is *ambiguous*, reported and left unlinked - a wrong `owl:sameAs` merges two things
for every consumer of the graph, a missing one only loses an enrichment.

Links are written to their own named graph (`LINK_GRAPH`), replaced as a whole on every run, as
`<node> owl:sameAs wd:Q…` plus a `ckg:Link` node (rdf:subject/predicate/object, `ckg:linkScore`,
`ckg:linkMethod`) so that each link can be inspected, queried and undone with the graph.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import pyoxigraph as ox

from kg.model.text import strip_marks, unify_quotes
from kg.store.base import Store
from kg.model.vocab import ACTOR_CLASSES, CKG, CKR, OWL, PLACE_CLASSES, RDF, RDFS, SKOS, WD, XSD
from kg.ops.link.client import AnswerCache, Binding, LinkError, SparqlClient

LINK_GRAPH = "https://w3id.org/conflict-kg/links/wikidata"
DEFAULT_MIN_SCORE = 0.75
AMBIGUITY_MARGIN = 0.05
BATCH = 50  # values per request: small enough for WDQS's URL/time limits, large enough to be quick

WDT = "http://www.wikidata.org/prop/direct/"
SCHEMA_DESC = "http://schema.org/description"

# Root classes (real Wikidata ids, checked): what an actor we link may be an instance of.
ACTOR_ROOTS: dict[str, str] = {
    "Q781132": "armed",  # military branch
    "Q47459": "armed",  # armed forces
    "Q772547": "armed",  # armed forces (of a state)
    "Q176799": "armed",  # military unit
    "Q37726": "armed",  # army
    "Q35535": "armed",  # police
    "Q17149090": "nonstate",  # armed organization (rebel, militant, terrorist, paramilitary groups)
    "Q7210356": "political",  # political organization (parties with armed wings, movements)
    "Q7188": "gov",  # government
    "Q327333": "gov",  # government agency
    "Q2659904": "gov",  # government organization
    "Q192350": "gov",  # ministry
    "Q79913": "ngo",  # non-governmental organization
    "Q484652": "intl",  # international organization
    "Q245065": "intl",  # intergovernmental organization
    "Q192283": "media",  # news agency
    "Q11032": "media",  # newspaper
    "Q1616075": "media",  # television station
    "Q2001305": "media",  # television channel
    "Q15265344": "media",  # broadcaster
}
# Which of those families fit each actor class of ours (others score half).
CLASS_FAMILIES: dict[str, frozenset[str]] = {
    **{c: frozenset({"armed"}) for c in ("Army", "AirForce", "Navy", "ArmedForce", "StateForce",
                                          "SecurityForce", "Police")},
    **{c: frozenset({"nonstate"}) for c in ("RebelGroup", "JihadistGroup", "Militia", "NonStateArmedGroup")},
    "Government": frozenset({"gov"}),
    "Monitor": frozenset({"ngo"}),
    "MediaOutlet": frozenset({"media"}),
    "Organisation": frozenset({"intl", "ngo"}),
    "Actor": frozenset(),
}
# Actor classes never looked up by name: persons need far more evidence than a name, and
# civilians are a description, not an entity.
SKIP_ACTOR_CLASSES = frozenset({"Person", "Civilians"})
SETTLEMENT_CLASSES = frozenset({"City", "Town", "Village", "Neighbourhood"})
ADMIN_CLASSES = frozenset({"Province", "District"})

# Words that alone name no particular entity: an alias made only of these is not searched.
GENERIC_WORDS = frozenset(
    """army armies military troops troop soldiers soldier forces force government governments regime
    police policemen officers rebels rebel militants militant insurgents insurgent fighters fighter
    jihadists jihadist terrorists terrorist gunmen gunman gang gangs gangsters militia militias
    group groups the a an authorities authority officials official ministry observatory monitor
    media state television tv agency coalition guerrilla guerrillas separatists security men
    personnel civilians residents people villagers attackers its his her their our own local
    forces' mission spokesman sources source air jets planes warplanes aircraft helicopters
    navy members member""".split()
)


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


# -- reading the graph ---------------------------------------------------------------------------
def read_entities(store: Store) -> list[Entity]:
    """Places and actors of the graph with what linking needs, read with plain SPARQL.

    Several small queries rather than one with many OPTIONALs: labels times aliases times
    classes would multiply rows on a large graph.
    """
    ents: dict[str, Entity] = {}
    place_values = " ".join(f"ckg:{c}" for c in sorted(PLACE_CLASSES))
    actor_values = " ".join(f"ckg:{c}" for c in sorted(ACTOR_CLASSES))
    prefix = f"PREFIX ckg: <{CKG}>\nPREFIX skos: <{SKOS}>\nPREFIX owl: <{OWL}>\n"

    def rows(q: str) -> list[list[Any]]:
        return store.query(prefix + q).rows

    for node, cls in rows(f"SELECT ?n ?c WHERE {{ VALUES ?c {{ {place_values} }} ?n a ?c }}"):
        if isinstance(node, ox.NamedNode):
            e = ents.setdefault(node.value, Entity(node.value, "place"))
            e.classes.add(cls.value[len(CKG):])
    for node, cls in rows(f"SELECT ?n ?c WHERE {{ VALUES ?c {{ {actor_values} }} ?n a ?c }}"):
        if isinstance(node, ox.NamedNode) and node.value not in ents:
            ents.setdefault(node.value, Entity(node.value, "actor")).classes.add(cls.value[len(CKG):])
        elif isinstance(node, ox.NamedNode) and ents[node.value].kind == "actor":
            ents[node.value].classes.add(cls.value[len(CKG):])
    for node, lab in rows("SELECT ?n ?l WHERE { ?n rdfs:label ?l }"):
        e = ents.get(getattr(node, "value", ""))
        if e is not None and isinstance(lab, ox.Literal) and lab.value not in e.labels:
            e.labels.append(lab.value)
    for node, lab in rows("SELECT ?n ?l WHERE { ?n skos:altLabel ?l }"):
        e = ents.get(getattr(node, "value", ""))
        if e is not None and isinstance(lab, ox.Literal) and lab.value not in e.aliases:
            e.aliases.append(lab.value)
    for node, cc in rows("SELECT ?n ?cc WHERE { ?n ckg:countryCode ?cc }"):
        e = ents.get(getattr(node, "value", ""))
        if e is not None and e.cc is None:
            e.cc = cc.value.upper()
    for node, country in rows("SELECT ?n ?c WHERE { ?n ckg:country ?c }"):
        e = ents.get(getattr(node, "value", ""))
        if e is not None and e.cc is None:
            e.cc = _country_code(store, country.value, ents)
    for node, gid in rows("SELECT ?n ?g WHERE { ?n ckg:geonamesId ?g }"):
        e = ents.get(getattr(node, "value", ""))
        if e is not None:
            e.geonames_id = gid.value
    for node, iso in rows("SELECT ?n ?i WHERE { ?n ckg:iso3166Code ?i }"):
        e = ents.get(getattr(node, "value", ""))
        if e is not None and "-" in iso.value:
            e.iso_code = iso.value
    # owl:sameAs wd:Q… written by the extractor (lexicon), not by an earlier linking run
    for node, same in rows(
        f"SELECT ?n ?w WHERE {{ GRAPH ?g {{ ?n owl:sameAs ?w }} FILTER(?g != <{LINK_GRAPH}>) "
        f"FILTER(STRSTARTS(STR(?w), \"{WD}\")) }}"
    ):
        e = ents.get(getattr(node, "value", ""))
        if e is not None:
            e.wikidata = same.value[len(WD):]
    for e in ents.values():  # ids carried by the IRI itself (country nodes written for ckg:country)
        m = re.search(r"/place/geonames/(\d+)$", e.iri)
        if m and not e.geonames_id:
            e.geonames_id = m.group(1)
        m = re.search(r"/place/iso/([A-Z]{2}-[A-Z0-9]{1,3})$", e.iri)
        if m and not e.iso_code:
            e.iso_code = m.group(1)
        if e.cc is None and e.kind == "place":
            e.cc = _gazetteer_cc(e.geonames_id)
    return sorted(ents.values(), key=lambda e: e.iri)


def _country_code(store: Store, country_iri: str, ents: dict[str, Entity]) -> str | None:
    c = ents.get(country_iri)
    if c is not None and c.cc:
        return c.cc
    m = re.search(r"/place/geonames/(\d+)$", country_iri)
    return _gazetteer_cc(m.group(1)) if m else None


def _gazetteer_cc(geonames_id: str | None) -> str | None:
    if not geonames_id:
        return None
    try:
        from kg.geo.gazetteer import Gazetteer

        p = Gazetteer.default().get(f"geonames:{geonames_id}")
    except Exception:  # no gazetteer: the country is simply unknown
        return None
    return p.cc if p else None


# -- names ---------------------------------------------------------------------------------------
def normalise(name: str) -> str:
    """Comparable form of a name: case, accents, quotes, hyphens and a leading article ignored."""
    s = unify_quotes(strip_marks(name), marks=False).casefold()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w]+", " ", s).strip()
    s = re.sub(r"^(the|al|el) ", lambda m: "" if m.group(1) == "the" else m.group(0), s)
    return " ".join(s.split())


def is_acronym(name: str) -> bool:
    n = name.strip()
    return (len(n) <= 6 and " " not in n and n.upper() == n and any(c.isalpha() for c in n)) or len(n) <= 3


def search_names(e: Entity) -> list[str]:
    """The surface forms worth an exact-label lookup, with the capitalisations Wikidata uses.

    Wikidata's label index is case-sensitive and exact, so "Syrian air force" must also be asked
    as "Syrian Air Force". Generic aliases ("the army", "militants") name nothing in particular
    and are left out: they would only bring decoys.
    """
    out: list[str] = []
    forms = list(e.labels) + list(e.aliases)
    for i, raw in enumerate(forms):
        full = " ".join(raw.replace("\u2019", "'").split()).strip(" -.,;:")
        name = re.sub(r"^(the|The)\s+", "", full)
        if not name or not any(c.isalpha() for c in name):
            continue
        words = re.findall(r"[\w']+", name.lower())
        if all(w in GENERIC_WORDS for w in words):
            continue
        is_label = i < len(e.labels)
        if not is_label and name == name.lower() and len(words) == 1:
            continue  # a lower-case one-word alias is a description, not a name
        variants = [name, name[:1].upper() + name[1:], _titlecase(name)]
        if full != name:  # "The East African" is the paper's name, article included
            variants.append("The " + name)
        for v in variants:
            if v not in out:
                out.append(v)
    return out


def _titlecase(name: str) -> str:
    small = {"of", "the", "and", "for", "in", "al", "el", "de", "del", "du", "la"}
    words = name.split(" ")
    out = []
    for i, w in enumerate(words):
        if w.isupper() and len(w) > 1:
            out.append(w)
        elif i > 0 and w.lower() in small:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(out)


def name_similarity(e: Entity, c: Candidate) -> float:
    """How well the entity's names match the candidate's: 1 when our canonical name is its
    label, a little less through aliases on either side (so that an item named exactly like the
    node beats one that merely lists the node's alias), 0.75 when only an acronym is shared,
    otherwise the best character similarity (discounted)."""
    ours = [(normalise(n), i < len(e.labels), is_acronym(n)) for i, n in enumerate(e.labels + e.aliases)]
    their_label = normalise(c.label) if c.label else ""
    theirs = {normalise(n) for n in c.names | {c.label} if n}
    best = 0.0
    for norm, is_label, acro in ours:
        if not norm:
            continue
        if norm in theirs:
            if acro:
                best = max(best, 0.75)
            else:
                on_label = norm == their_label
                best = max(best, {(True, True): 1.0, (True, False): 0.95, (False, True): 0.9,
                                  (False, False): 0.85}[(is_label, on_label)])
            continue
        if acro:
            continue
        for t in theirs:
            r = SequenceMatcher(None, norm, t).ratio()
            best = max(best, 0.9 * r if r >= 0.8 else 0.5 * r)
    return round(best, 3)


# -- the lookups ---------------------------------------------------------------------------------
def sparql_string(s: str) -> str:
    """A SPARQL string literal for s (escaped; never pasted raw into a query)."""
    esc = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


SEP = "\u001f"

# what both lookups ask of an item: its English names, description and countries
ITEM_SELECT = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
SELECT ?key ?item (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?desc)
       (GROUP_CONCAT(DISTINCT ?alt; separator="\u001f") AS ?alts)
       (GROUP_CONCAT(DISTINCT ?cc; separator="\u001f") AS ?ccs)
"""

PLACE_QUERY = ITEM_SELECT + """       (MAX(?s) AS ?settlement) (MAX(?a) AS ?admin) (MAX(?c) AS ?country) (MAX(?x) AS ?disambig)
WHERE {
  VALUES ?key { %(values)s }
  ?item wdt:%(prop)s ?key .
  OPTIONAL { ?item rdfs:label ?l FILTER(LANG(?l) = "en") }
  OPTIONAL { ?item schema:description ?d FILTER(LANG(?d) = "en") }
  OPTIONAL { ?item skos:altLabel ?alt FILTER(LANG(?alt) = "en") }
  OPTIONAL { ?item wdt:P17/wdt:P297 ?cc }
  BIND(EXISTS { ?item wdt:P31/wdt:P279* wd:Q486972 } AS ?s)
  BIND(EXISTS { ?item wdt:P31/wdt:P279* wd:Q56061 } AS ?a)
  BIND(EXISTS { ?item wdt:P31/wdt:P279* wd:Q6256 } AS ?c)
  BIND(EXISTS { ?item wdt:P31 wd:Q4167410 } AS ?x)
}
GROUP BY ?key ?item
"""

ACTOR_QUERY = ITEM_SELECT + """       (GROUP_CONCAT(DISTINCT STR(?root); separator="\u001f") AS ?roots)
WHERE {
  VALUES ?name { %(values)s }
  VALUES ?root { %(roots)s }
  ?item rdfs:label|skos:altLabel ?name .
  ?item wdt:P31/wdt:P279* ?root .
  BIND(STR(?name) AS ?key)
  OPTIONAL { ?item rdfs:label ?l FILTER(LANG(?l) = "en") }
  OPTIONAL { ?item schema:description ?d FILTER(LANG(?d) = "en") }
  OPTIONAL { ?item skos:altLabel ?alt FILTER(LANG(?alt) = "en") }
  OPTIONAL { ?item wdt:P17/wdt:P297 ?cc }
}
GROUP BY ?key ?item
"""

KIND_GEONAMES = "geonames-p1566/v1"
KIND_ISO = "iso3166-2-p300/v1"
KIND_NAME = "actor-name/v1"


class Lookup:
    """Answers per key for one kind of lookup: cache first, then the service in batches."""

    def __init__(self, client: SparqlClient | None, cache: AnswerCache | None, endpoint: str,
                 *, offline: bool, report: LinkReport, batch: int = BATCH,
                 progress: Callable[[str], None] | None = None) -> None:
        self.client, self.cache, self.endpoint = client, cache, endpoint
        self.offline, self.report, self.batch, self.progress = offline, report, batch, progress

    def fetch(self, kind: str, keys: Sequence[str], build: Callable[[list[str]], str]) -> dict[str, list[Binding]]:
        keys = sorted(set(keys))
        got = self.cache.get_many(self.endpoint, kind, keys) if self.cache else {}
        self.report.cached += len(got)
        missing = [k for k in keys if k not in got]
        if missing and (self.offline or self.client is None):
            raise LinkError(
                f"--offline: {len(missing)} of {len(keys)} {kind.split('/')[0]} lookups are not in the cache "
                f"(e.g. {missing[0]!r}); run once without --offline"
            )
        for i in range(0, len(missing), self.batch):
            chunk = missing[i : i + self.batch]
            assert self.client is not None
            if self.progress:
                self.progress(f"{kind.split('/')[0]}: {i + len(chunk)}/{len(missing)}")
            rows = self.client.select(build(chunk))
            self.report.requests += 1
            answers: dict[str, list[Binding]] = {k: [] for k in chunk}
            for row in rows:
                k = row.get("key", {}).get("value")
                if k in answers:
                    answers[k].append(row)
            if self.cache:
                self.cache.put_many(self.endpoint, kind, answers)
            self.report.fetched += len(answers)
            got.update(answers)
        return got


def _val(row: Binding, var: str) -> str:
    return row.get(var, {}).get("value", "")


def _truthy(row: Binding, var: str) -> bool:
    return _val(row, var).lower() in ("true", "1")


def _candidate(row: Binding) -> Candidate | None:
    item = _val(row, "item")
    if not item.startswith(WD):
        return None
    c = Candidate(qid=item[len(WD):], label=_val(row, "label"), description=_val(row, "desc"))
    c.names = {n for n in _val(row, "alts").split(SEP) if n} | ({c.label} if c.label else set())
    c.countries = {x.upper() for x in _val(row, "ccs").split(SEP) if x}
    return c


# -- scoring -------------------------------------------------------------------------------------
def score_place(e: Entity, c: Candidate) -> float:
    """An identifier match is strong evidence, checked against name, kind and country."""
    name = name_similarity(e, c)
    cls = e.cls
    if cls == "Country":
        kind = 1.0 if "country" in c.families else 0.3
    elif cls in SETTLEMENT_CLASSES:
        kind = 1.0 if "settlement" in c.families else (0.3 if "admin" in c.families else 0.5)
    elif cls in ADMIN_CLASSES:
        kind = 1.0 if ("admin" in c.families and "settlement" not in c.families) else (
            0.3 if "settlement" in c.families else 0.5)
    else:
        kind = 0.5
    country = _country_part(e.cc, c.countries, country_node=cls == "Country")
    score = 0.6 + 0.25 * name + 0.15 * kind
    if country == 0.0:
        score -= 0.3
    if c.disambiguation:
        score = 0.0
    c.parts = {"name": name, "kind": kind, "country": country}
    return round(max(0.0, min(1.0, score)), 3)


def score_actor(e: Entity, c: Candidate) -> float:
    """Name similarity carries most weight; kind and country decide between namesakes."""
    name = name_similarity(e, c)
    fams = CLASS_FAMILIES.get(e.cls, frozenset())
    kind = 1.0 if c.families & fams else (0.5 if c.families else 0.0)
    country = _country_part(e.cc, c.countries)
    score = 0.6 * name + 0.25 * kind + 0.15 * country
    if country == 0.0:
        score -= 0.25
    c.parts = {"name": name, "kind": kind, "country": country}
    return round(max(0.0, min(1.0, score)), 3)


def _country_part(ours: str | None, theirs: set[str], *, country_node: bool = False) -> float:
    if not ours or not theirs:
        return 0.5
    if ours in theirs:
        return 1.0
    return 0.0


def decide(e: Entity, cands: list[Candidate], method: str, min_score: float, report: LinkReport) -> None:
    """Link the best candidate if it clears the threshold and no rival comes within the margin."""
    if not cands:
        report.no_candidates += 1
        return
    cands.sort(key=lambda c: (-c.score, c.qid))
    best = cands[0]
    if best.score < min_score:
        report.below.append((e.iri, e.label, best.qid, best.score))
        return
    rivals = [c for c in cands[1:] if c.score >= min_score and best.score - c.score < AMBIGUITY_MARGIN]
    if rivals:
        report.ambiguous.append(Ambiguous(e.iri, e.label, [(c.qid, c.label, c.score) for c in [best, *rivals]]))
        return
    report.links.append(Link(e.iri, e.label, best.qid, best.label, best.score, method, best.description))


# -- the run -------------------------------------------------------------------------------------
def link_entities(
    entities: Sequence[Entity],
    *,
    client: SparqlClient | None,
    cache: AnswerCache | None,
    endpoint: str,
    offline: bool = False,
    min_score: float = DEFAULT_MIN_SCORE,
    batch: int = BATCH,
    progress: Callable[[str], None] | None = None,
) -> LinkReport:
    """Find links for these entities (no store access: callable on any entity list)."""
    report = LinkReport(entities=len(entities))
    look = Lookup(client, cache, endpoint, offline=offline, report=report, batch=batch, progress=progress)

    places = [e for e in entities if e.kind == "place" and not e.wikidata]
    actors = [e for e in entities if e.kind == "actor" and not e.wikidata and e.cls not in SKIP_ACTOR_CLASSES]
    for e in entities:
        if e.wikidata:
            report.links.append(Link(e.iri, e.label, e.wikidata, "", 1.0, "lexicon"))

    by_gid = [e for e in places if e.geonames_id]
    by_iso = [e for e in places if not e.geonames_id and e.iso_code]
    report.no_candidates += len([e for e in places if not e.geonames_id and not e.iso_code])

    for group, kind, prop, key, method in (
        (by_gid, KIND_GEONAMES, "P1566", lambda e: e.geonames_id, "geonames-id"),
        (by_iso, KIND_ISO, "P300", lambda e: e.iso_code, "iso-3166-2"),
    ):
        if not group:
            continue
        answers = look.fetch(kind, [key(e) for e in group], lambda ks, p=prop: PLACE_QUERY % {
            "values": " ".join(sparql_string(k) for k in ks), "prop": p})
        for e in group:
            cands = []
            for row in answers.get(key(e), []):
                c = _candidate(row)
                if c is None:
                    continue
                c.families = {f for f, v in (("settlement", "settlement"), ("admin", "admin"),
                                             ("country", "country")) if _truthy(row, v)}
                c.disambiguation = _truthy(row, "disambig")
                c.score = score_place(e, c)
                cands.append(c)
            decide(e, cands, method, min_score, report)

    names = {e.iri: search_names(e) for e in actors}
    all_names = sorted({n for ns in names.values() for n in ns})
    roots = " ".join(f"wd:{q}" for q in ACTOR_ROOTS)
    answers = look.fetch(KIND_NAME, all_names, lambda ks: ACTOR_QUERY % {
        "values": " ".join(sparql_string(k) + "@en" for k in ks), "roots": roots}) if all_names else {}
    for e in actors:
        merged: dict[str, Candidate] = {}
        for n in names[e.iri]:
            for row in answers.get(n, []):
                c = _candidate(row)
                if c is None:
                    continue
                fams = {ACTOR_ROOTS[r[len(WD):]] for r in _val(row, "roots").split(SEP)
                        if r.startswith(WD) and r[len(WD):] in ACTOR_ROOTS}
                have = merged.setdefault(c.qid, c)
                have.families |= fams
                have.names |= c.names
                have.countries |= c.countries
        cands = list(merged.values())
        for c in cands:
            c.score = score_actor(e, c)
        decide(e, cands, "label", min_score, report)
    report.links.sort(key=lambda link: link.node)
    return report


def link_quads(links: Iterable[Link]) -> list[ox.Quad]:
    """The linking graph: each owl:sameAs plus the ckg:Link node that says how it was found."""
    a = ox.NamedNode(RDF + "type")
    same = ox.NamedNode(OWL + "sameAs")
    out: list[ox.Quad] = []
    for link in links:
        s, o = ox.NamedNode(link.node), ox.NamedNode(WD + link.qid)
        digest = hashlib.sha1(f"{link.node} {link.qid}".encode()).hexdigest()[:16]
        n = ox.NamedNode(f"{CKR}link/wikidata/{digest}")
        out += [
            ox.Quad(s, same, o),
            ox.Quad(n, a, ox.NamedNode(CKG + "Link")),
            ox.Quad(n, ox.NamedNode(RDF + "subject"), s),
            ox.Quad(n, ox.NamedNode(RDF + "predicate"), same),
            ox.Quad(n, ox.NamedNode(RDF + "object"), o),
            ox.Quad(n, ox.NamedNode(CKG + "linkScore"),
                    ox.Literal(f"{link.score:.3f}", datatype=ox.NamedNode(XSD + "decimal"))),
            ox.Quad(n, ox.NamedNode(CKG + "linkMethod"), ox.Literal(link.method)),
        ]
        if link.wd_label:
            desc = f"Wikidata: {link.wd_label}" + (f" ({link.description})" if link.description else "")
            out.append(ox.Quad(n, ox.NamedNode(RDFS + "comment"), ox.Literal(desc)))
    return out


def link_wikidata(
    store: Store,
    *,
    endpoint: str,
    cache: AnswerCache | None,
    client: SparqlClient | None = None,
    offline: bool = False,
    min_score: float = DEFAULT_MIN_SCORE,
    dry_run: bool = False,
    batch: int = BATCH,
    progress: Callable[[str], None] | None = None,
) -> LinkReport:
    """Read the graph's entities, find their Wikidata links, and (unless dry_run) replace the
    linking graph with them in one atomic write."""
    if client is None and not offline:
        client = SparqlClient(endpoint)
    entities = read_entities(store)
    report = link_entities(entities, client=client, cache=cache, endpoint=endpoint, offline=offline,
                           min_score=min_score, batch=batch, progress=progress)
    if not dry_run:
        store.put_graph(LINK_GRAPH, link_quads(report.links))
        report.written = True
    return report


def unlink_wikidata(store: Store) -> int:
    """Drop the linking graph; returns how many links it held."""
    res = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{LINK_GRAPH}> {{ ?s <{OWL}sameAs> ?o }} }}")
    n = int(res.rows[0][0].value) if res.rows and res.rows[0][0] is not None else 0
    store.drop_graph(LINK_GRAPH)
    return n
