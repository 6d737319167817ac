"""reader -> extract -> rdf -> store, streaming, one article per transaction.

An article already in the store (same normalised text, hence same IRI) is skipped, so a rerun
after a crash finishes the rest and a second load of the same text changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .readers import InputError, read_all
from .records import Article
from .store import Store
from .vocab import CKR


@dataclass
class IngestReport:
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    loaded_iris: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.loaded} loaded, {self.skipped} skipped (already in store), {self.failed} failed"


def article_graph_iri(article: Article) -> str:
    return f"{CKR}article/{article.key}"


def ingest_articles(
    items: Iterable[Article | InputError],
    store: Store,
    *,
    replace: bool = False,
    on_error: Callable[[str], None] | None = None,
    on_article: Callable[[Article, str], None] | None = None,
    batch_size: int = 16,
) -> IngestReport:
    """Load articles (and count the unreadable items) into a store; returns what happened."""
    from .extract import extract  # spaCy is imported only when there is something to extract
    from .rdf import graph_triples

    report = IngestReport()

    def fresh() -> Iterator[Article]:
        seen: set[str] = set()
        for item in items:
            if isinstance(item, InputError):
                report.failed += 1
                report.errors.append(str(item))
                if on_error:
                    on_error(str(item))
                continue
            iri = article_graph_iri(item)
            if iri in seen or (not replace and store.has_graph(iri)):
                report.skipped += 1
                if on_article:
                    on_article(item, "skipped")
                continue
            seen.add(iri)
            yield item

    for ex in extract(fresh(), batch_size=batch_size):
        iri = article_graph_iri(ex.article)
        store.put_graph(iri, graph_triples(ex))
        report.loaded += 1
        report.loaded_iris.append(iri)
        if on_article:
            on_article(ex.article, "loaded")
    return report


def ingest_paths(
    paths: list[str],
    store: Store,
    *,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    **kw: object,
) -> IngestReport:
    return ingest_articles(read_all(paths, outlet=outlet, url=url, published=published), store, **kw)  # type: ignore[arg-type]
