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

The work is split by phase, one module each: kg/ops/link/graph.py reads our entities and writes
the linking graph, lookup.py asks Wikidata (through the cache), names.py and scoring.py compare,
and this module runs them; tables.py holds the decision tables (kg/data/wikidata-link.json).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kg.ops.link.client import AnswerCache, SparqlClient
from kg.ops.link.graph import count_links, link_quads, read_entities
from kg.ops.link.lookup import KIND_GEONAMES, KIND_ISO, KIND_NAME, SEP, Lookup, _candidate, _truthy, _val, actor_query, place_query
from kg.ops.link.model import BATCH, DEFAULT_MIN_SCORE, LINK_GRAPH, Candidate, Entity, Link, LinkReport
from kg.ops.link.names import search_names
from kg.ops.link.scoring import decide, score_actor, score_place
from kg.ops.link.tables import ACTOR_ROOTS, SKIP_ACTOR_CLASSES
from kg.model.vocab import WD
from kg.store.base import Store

__all__ = [
    "BATCH", "DEFAULT_MIN_SCORE", "LINK_GRAPH", "Entity", "Link", "LinkReport", "link_entities", "link_quads",
    "link_wikidata", "read_entities", "search_names", "unlink_wikidata",
]

PLACE_KINDS = ("settlement", "admin", "country")  # the place query's flags, one per kind


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
    """Find links for these entities (no store access: callable on any entity list): lexicon
    links as they are, places by identifier, other actors by name."""
    report = LinkReport(entities=len(entities))
    look = Lookup(client, cache, endpoint, offline=offline, report=report, batch=batch, progress=progress)
    for e in entities:
        if e.wikidata:
            report.links.append(Link(e.iri, e.label, e.wikidata, "", 1.0, "lexicon"))
    _link_places([e for e in entities if e.kind == "place" and not e.wikidata], look, min_score, report)
    _link_actors([e for e in entities if e.kind == "actor" and not e.wikidata and e.cls not in SKIP_ACTOR_CLASSES],
                 look, min_score, report)
    report.links.sort(key=lambda link: link.node)
    return report


def _link_places(places: list[Entity], look: Lookup, min_score: float, report: LinkReport) -> None:
    """Places by GeoNames id (P1566), first-level divisions without one by ISO 3166-2 (P300)."""
    by_gid = [e for e in places if e.geonames_id]
    by_iso = [e for e in places if not e.geonames_id and e.iso_code]
    report.no_candidates += len([e for e in places if not e.geonames_id and not e.iso_code])
    for group, kind, prop, key, method in (
        (by_gid, KIND_GEONAMES, "P1566", lambda e: e.geonames_id, "geonames-id"),
        (by_iso, KIND_ISO, "P300", lambda e: e.iso_code, "iso-3166-2"),
    ):
        if not group:
            continue
        answers = look.fetch(kind, [key(e) for e in group], lambda ks, p=prop: place_query(p, ks))
        for e in group:
            cands = []
            for row in answers.get(key(e), []):
                c = _candidate(row)
                if c is None:
                    continue
                c.families = {f for f in PLACE_KINDS if _truthy(row, f)}
                c.disambiguation = _truthy(row, "disambig")
                c.score = score_place(e, c)
                cands.append(c)
            decide(e, cands, method, min_score, report)


def _link_actors(actors: list[Entity], look: Lookup, min_score: float, report: LinkReport) -> None:
    """Actors by exact English label or alias; the candidates each of an actor's names finds
    are merged per item before scoring."""
    names = {e.iri: search_names(e) for e in actors}
    all_names = sorted({n for ns in names.values() for n in ns})
    answers = look.fetch(KIND_NAME, all_names, actor_query) if all_names else {}
    for e in actors:
        merged: dict[str, Candidate] = {}
        for n in names[e.iri]:
            for row in answers.get(n, []):
                c = _candidate(row)
                if c is None:
                    continue
                have = merged.setdefault(c.qid, c)
                have.families |= _root_families(row)
                have.names |= c.names
                have.countries |= c.countries
        cands = list(merged.values())
        for c in cands:
            c.score = score_actor(e, c)
        decide(e, cands, "label", min_score, report)


def _root_families(row: dict) -> set[str]:
    """The families of the root classes an actor candidate falls under."""
    return {ACTOR_ROOTS[r[len(WD):]] for r in _val(row, "roots").split(SEP)
            if r.startswith(WD) and r[len(WD):] in ACTOR_ROOTS}


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
    n = count_links(store)
    store.drop_graph(LINK_GRAPH)
    return n
