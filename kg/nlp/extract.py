"""Run the pipeline over articles and return plain `Extraction` records.

The only module (with kg.nlp.pipeline) that imports spaCy: commands that only query never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.nlp.chunks import pipe_bounded
from kg.nlp.pipeline import build_nlp
from kg.nlp.state import DocState
from kg.model.records import ActorRecord, Article, Extraction, PlaceRecord, RelationRecord


def extract(articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[Extraction]:
    """Extraction records for each article, in order, batching spaCy with nlp.pipe; an article
    over kg.nlp.chunks.CHUNK_TOKENS tokens goes through spaCy in chunks, one over KG_MAX_TOKENS
    raises `ArticleTooLong` (see kg.nlp.chunks)."""
    nlp = build_nlp()

    def docs(arts: list[Article]):
        for a in arts:
            d = nlp.make_doc(a.full_text)
            body_start = len(a.title) + 2 if a.title else 0
            d._.kg = DocState(published=a.published, body_start=body_start, text=a.full_text)
            yield d

    buf: list[Article] = []
    for art in articles:
        buf.append(art)
        if len(buf) >= batch_size:
            yield from _run(nlp, buf, docs(buf))
            buf = []
    if buf:
        yield from _run(nlp, buf, docs(buf))


def _run(nlp, arts: list[Article], docs) -> Iterator[Extraction]:
    for art, doc in zip(arts, pipe_bounded(nlp, docs, batch_size=len(arts))):
        yield to_extraction(art, doc._.kg)


def to_extraction(article: Article, st: DocState) -> Extraction:
    """Keep what the graph needs: actors that are mentioned or play a role, places likewise
    (with their parents), events and relations whose ends exist."""
    actors = _kept_actors(st)
    places = _kept_places(st)
    ex = Extraction(article=article, actors=actors, places=places)
    ex.events = [e for e in st.events if all(k in actors for k in (*e.agents, *e.targets, *e.supporters))]
    for e in ex.events:
        if e.place and e.place not in places:
            e.place = None
    ex.relations = [r for r in st.relations if _ends_kept(r, actors, places)]
    for r in ex.relations:
        if r.date is None:
            r.date = article.published
    ex.sources = sorted({k for keys in st.reporters.values() for k in keys if k in actors})
    return ex


def _kept_actors(st: DocState) -> dict[str, ActorRecord]:
    """Actors mentioned, or playing a role in an event or relation, or cited as a source; their
    canonical label is not repeated among their aliases."""
    used: set[str] = {m.key for m in st.mentions if m.kind == "actor"}
    for ev in st.events:
        used.update(ev.agents, ev.targets, ev.supporters, ev.reported_by)
    for r in st.relations:
        if r.predicate in ("controls", "supports"):
            used.add(r.subject)
        if r.predicate == "supports":
            used.add(r.object)
    for keys in st.reporters.values():
        used.update(keys)
    actors = {k: a for k, a in st.actors.items() if k in used}
    for a in actors.values():
        a.aliases.discard(a.label)
    return actors


def _kept_places(st: DocState) -> dict[str, PlaceRecord]:
    """Places named, or where an event happened, or an end of a relation, with every place up
    their chain of parents (so the graph's locatedIn path is unbroken)."""
    # a place guess inside an actor's name ('Marquetalia' in 'Segunda Marquetalia') lost its mention
    named = {m.key for m in st.mentions if m.kind == "place"} | {k for k, p in st.places.items() if p.seat}
    for key, p in st.places.items():
        if p.mentioned and key not in named:
            p.mentioned = False
    needed = set(named)
    needed.update(ev.place for ev in st.events if ev.place)
    for r in st.relations:
        if r.predicate in ("controls", "locatedIn"):
            needed.add(r.object)
        if r.predicate == "locatedIn":
            needed.add(r.subject)
    for key in list(needed):
        p = st.places.get(key)
        while p is not None and p.parent and p.parent not in needed:
            needed.add(p.parent)
            p = st.places.get(p.parent)
    places = {k: p for k, p in st.places.items() if k in needed}
    for p in places.values():
        p.aliases.discard(p.label)
    return places


def _ends_kept(r: RelationRecord, actors: dict[str, ActorRecord], places: dict[str, PlaceRecord]) -> bool:
    """Whether both ends of a relation made it into the extraction (as the kind it links)."""
    if r.predicate == "controls":
        return r.subject in actors and r.object in places
    if r.predicate == "supports":
        return r.subject in actors and r.object in actors
    if r.predicate == "locatedIn":
        return r.subject in places and r.object in places
    raise KeyError(r.predicate)
