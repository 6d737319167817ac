"""Wikidata lookups: the queries (kg/sparql/internal/link-wd-*.rq), answered per key from the
cache first, then from the service in batches, and their rows read as candidates."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kg.model.vocab import WD
from kg.ops.link.client import AnswerCache, Binding, LinkError, SparqlClient
from kg.ops.link.model import BATCH, Candidate, LinkReport
from kg.ops.link.tables import ACTOR_ROOTS
from kg.sparql.internal import internal_query


def sparql_string(s: str) -> str:
    """A SPARQL string literal for s (escaped; never pasted raw into a query)."""
    esc = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


SEP = "\u001f"

def place_query(prop: str, keys: list[str]) -> str:
    """The Wikidata lookup of places by identifier (P1566 GeoNames id, P300 ISO 3166-2 code)."""
    return internal_query("link-wd-places", prop=prop, values=" ".join(sparql_string(k) for k in keys))


def actor_query(names: list[str]) -> str:
    """The Wikidata lookup of actors by English label or alias, under our root classes."""
    roots = " ".join(f"wd:{q}" for q in ACTOR_ROOTS)
    return internal_query("link-wd-actors", roots=roots, values=" ".join(sparql_string(k) + "@en" for k in names))


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
