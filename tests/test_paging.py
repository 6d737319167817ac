"""Pages of a named query (`kg query --limit/--offset`) and the query shapes that make a page cheap.

Why these tests: the named queries were rewritten to pick their page in a sub-SELECT and to add
optional restrictions only when a parameter is given (kg/queries.py `paged`, `with_bindings`).
A rewrite that is faster but answers differently would go unnoticed without them, so every
rewritten query is compared, row for row, with the version it replaced
(tests/fixtures/unpaged-queries/), on a store of real articles; and pages must add up to the whole.
"""

from __future__ import annotations

import json

import pytest

from kg.sparql.errors import QueryError
from kg.sparql.formats import term_value
from kg.sparql.named import bind_params, named_queries, paged, parse_query_file, run_named, with_bindings
from kg.store import open_store

from .conftest import CORPUS, ROOT, run_kg

UNPAGED = ROOT / "tests" / "fixtures" / "unpaged-queries"
ARTICLES = [("homs-2015", n) for n in ("mee-homs-offensive", "naharnet-army-pushes-offensive", "trt-regime-forces-attack-homs",
                                       "ukdj-syrian-troops-homs", "vov-syrian-army-russian-jets")]
ARTICLES += [("dev", p.stem) for p in sorted((CORPUS / "dev").glob("*.txt"))[:6]] if (CORPUS / "dev").is_dir() else []


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Eleven dated articles (the five Homs outlets and six from other conflicts), merged."""
    if not (CORPUS / "homs-2015").is_dir():
        pytest.skip("corpus not found")
    d = tmp_path_factory.mktemp("paging")
    lines = []
    for folder, name in ARTICLES:
        gold = json.loads((CORPUS / folder / f"{name}.gold.json").read_text(encoding="utf-8"))
        text = (CORPUS / folder / f"{name}.txt").read_text(encoding="utf-8")
        lines.append(json.dumps({"text": text, "outlet": gold.get("outlet"), "published": gold.get("published")}))
    src = d / "articles.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = d / "store"
    p = run_kg("ingest", str(src), store=path)
    assert p.returncode == 0, p.stderr_text
    return path


def _first_merged(path) -> str:
    with open_store(str(path), read_only=True) as s:
        rows = s.query("SELECT ?m WHERE { ?m a <https://w3id.org/conflict-kg/ontology#MergedEvent> ; "
                       "<https://w3id.org/conflict-kg/ontology#hasAccount> ?a . ?a <https://w3id.org/conflict-kg/ontology#fatalities> ?f } "
                       "ORDER BY ?m LIMIT 1").rows
    return rows[0][0].value


CASES = [
    ("events", {}), ("events", {"place": "Homs province"}), ("events", {"class": "Airstrike"}),
    ("events", {"from": "2015-10-01", "to": "2015-10-31"}), ("events", {"place": "Syria", "class": "Offensive"}),
    ("event-sources", {}), ("event-sources", {"place": "Homs province"}),
    ("articles", {}),
    ("actor-events", {"actor": "Syrian army"}), ("actor-events", {"actor": "rebels", "role": "any"}),
    ("actors-in-place", {"place": "Homs province"}), ("actors-in-place", {"place": "Syria"}),
    ("actors", {}), ("actors", {"class": "Army"}), ("actors", {"country": "Syria"}),
    ("control-at", {"place": "Talbisseh", "date": "2015-10-20"}), ("control-at", {"place": "Homs", "date": "2016-01-01"}),
    ("control-history", {"place": "Talbisseh"}), ("control-history", {"place": "Homs province"}),
    ("merged-events", {}), ("merged-events", {"place": "Homs province"}), ("merged-events", {"from": "2015-10-14", "to": "2015-10-16"}),
    ("events-near", {"place": "Homs"}), ("events-near", {"place": "Homs", "km": "30"}),
    ("supports", {}), ("supports", {"actor": "Russia"}),
    ("casualties-by-actor", {}), ("casualties-by-actor", {"from": "2015-10-01", "to": "2015-10-31"}),
    ("casualties-by-province", {}), ("casualties-by-province", {"from": "2015-10-01"}),
    ("who-controls", {"place": "Talbisseh"}), ("evidence", {"subject": "rebels", "object": "Talbisseh"}),
    ("disputed-events", {}),
]


def _rows(res) -> list[str]:
    """Rows as comparable strings: GROUP_CONCAT lists have no defined order, so each becomes a set."""
    out = []
    for r in res.rows:
        cells = []
        for t in r:
            v = term_value(t, short=False) if t is not None else ""
            for sep in ("; ", ", "):
                v = sep.join(sorted(v.split(sep)))
            cells.append(v)
        out.append(json.dumps(cells))
    return sorted(out)


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'all'}" for n, p in CASES])
def test_rewritten_queries_answer_as_before(store, name, params):
    old_q = parse_query_file(UNPAGED / f"{name}.rq")
    with open_store(str(store), read_only=True) as s:
        new = run_named(s, name, params)
        old = s.query(with_bindings(old_q.sparql, bind_params(old_q, params)))
    assert new.variables == old.variables
    assert _rows(new) == _rows(old)


def test_the_comparison_compares_something(store):
    with open_store(str(store), read_only=True) as s:
        for name, params in [("events", {}), ("events", {"place": "Homs province"}), ("actor-events", {"actor": "Syrian army"}),
                             ("control-history", {"place": "Homs province"}), ("merged-events", {}), ("supports", {}),
                             ("casualties-by-actor", {}), ("event-sources", {}), ("articles", {})]:
            assert run_named(s, name, params).rows, name
        everything = len(run_named(s, "events", {}).rows)
        assert 0 < len(run_named(s, "events", {"place": "Homs province"}).rows) < everything


@pytest.mark.parametrize("name,params", [("events", {}), ("articles", {}), ("event-sources", {}), ("merged-events", {}),
                                         ("actor-events", {"actor": "Syrian army"}), ("actors", {})])
def test_pages_add_up_to_the_whole(store, name, params):
    with open_store(str(store), read_only=True) as s:
        whole = run_named(s, name, params)
        got = []
        for offset in range(0, len(whole.rows) + 3, 3):
            got += run_named(s, name, params, limit=3, offset=offset).rows
    assert len(whole.rows) > 3
    assert _rows(type(whole)(kind="select", variables=whole.variables, rows=got)) == _rows(whole)


def test_first_page_is_the_newest(store):
    with open_store(str(store), read_only=True) as s:
        whole = [r[0].value for r in run_named(s, "events", {}).rows if r[0] is not None]
        page = [r[0].value for r in run_named(s, "events", {}, limit=4).rows]
    assert page == sorted(whole, reverse=True)[:4]


def test_paged_puts_the_slice_where_the_query_says():
    q = "SELECT ?x WHERE {\n  { SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x\n    # page\n  }\n}\n"
    out = paged(q, 10, 20)
    assert "LIMIT 10 OFFSET 20" in out and "# page" not in out
    assert out.index("LIMIT 10") < out.rindex("}")
    assert paged("SELECT * WHERE { ?s ?p ?o }", 5).rstrip().endswith("LIMIT 5")
    assert paged(q, None) == q and paged(q, 0) == q
    with pytest.raises(QueryError):
        paged("SELECT * WHERE { ?s ?p ?o } LIMIT 3", 5)
    with pytest.raises(QueryError):
        paged(q, -1)


def test_optional_lines_join_only_with_their_parameter():
    q = parse_query_file(ROOT / "queries" / "events.rq")
    assert "\n      #?place " in q.sparql
    bare = with_bindings(q.sparql, bind_params(q, {"class": "Airstrike"}))
    assert "#?place " in bare  # no place: the restriction stays a comment
    bound = with_bindings(q.sparql, bind_params(q, {"place": "Homs"}))
    assert "#?place " not in bound and "?event ckg:place ?p2" in bound
    # the parameter's VALUES reach the sub-SELECT the line opened
    sub = bound[bound.index("SELECT DISTINCT ?event"):]
    assert sub.index('VALUES (?placeKey) { ("homs") }') < sub.index("?event ckg:place ?p2")


def test_every_named_query_has_at_most_one_page_mark():
    for q in named_queries().values():
        assert q.text.count("\n    # page") + q.text.count("\n      # page") <= 1, q.name


def test_cli_pages(store):
    p = run_kg("query", "events", "--limit", "2", "--format", "json", store=store)
    assert p.returncode == 0, p.stderr_text
    assert len(json.loads(p.stdout)["results"]["bindings"]) == 2
    assert "--offset 2" in p.stderr_text  # says how to get the next page
    everything = run_kg("query", "events", "--limit", "0", "--format", "json", store=store)
    rows = json.loads(everything.stdout)["results"]["bindings"]
    assert len(rows) > 2 and "--offset" not in everything.stderr_text
    past = run_kg("query", "events", "--offset", str(len(rows) + 5), "--format", "json", store=store)
    assert past.returncode == 0 and json.loads(past.stdout)["results"]["bindings"] == []
    bad = run_kg("query", "events", "--limit", "-1", store=store)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr_text and len(bad.stderr_text.strip().splitlines()) == 1
