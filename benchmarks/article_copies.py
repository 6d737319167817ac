"""One article graph written again as a new article: its IRIs renamed, its dates moved on. The scale
benchmarks (merge_scale.py, report_scale.py) build large stores this way without running spaCy."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def put_copy(store, key: str, quads, new: str, shift: dt.timedelta) -> None:
    """Write `quads` (an article graph whose IRIs contain `key`) as article `new`, every xsd:date
    moved by `shift`."""
    import pyoxigraph as ox

    def term(t):
        if isinstance(t, ox.NamedNode) and key in t.value:
            return ox.NamedNode(t.value.replace(key, new))
        if isinstance(t, ox.Literal) and t.datatype.value.endswith("#date") and DATE.match(t.value):
            return ox.Literal((dt.date.fromisoformat(t.value) + shift).isoformat(), datatype=t.datatype)
        return t

    store.put_graph(f"https://w3id.org/conflict-kg/id/article/{new}",
                    [ox.Quad(term(q.subject), q.predicate, term(q.object)) for q in quads])


def corpus_templates(corpus: Path) -> list[tuple[str, list]]:
    """(article key, article graph) for every text of the dev corpus and the Homs story, all dated
    15 October 2015: the graphs the copies are made from."""
    from kg.graph.rdf import graph_triples
    from kg.nlp.extract import extract
    from kg.read.readers import article_from_text, decode_bytes

    arts = []
    for folder in ("dev", "homs-2015"):
        for t in sorted((corpus / folder).glob("*.txt")):
            arts.append(article_from_text(decode_bytes(t.read_bytes(), str(t)), source=str(t),
                                          published=dt.date(2015, 10, 15)))
    return [(ex.article.key, graph_triples(ex)) for ex in extract(arts)]
