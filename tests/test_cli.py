"""The command line as a user runs it: idempotent ingest, atomic articles, and one clear line for
every bad input, never a traceback, never a changed store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CORPUS, EXAMPLE, run_kg


def _quads(store: Path) -> int:
    p = run_kg("stats", "--format", "json", store=store)
    assert p.returncode == 0, p.stderr_text
    return json.loads(p.stdout_text)["triples"]


def _assert_one_line_error(p, code: int, *needles: str) -> None:
    assert p.returncode == code, (p.returncode, p.stderr_text)
    err = p.stderr_text.strip().splitlines()
    assert "Traceback" not in p.stderr_text
    assert any(ln.startswith("kg:") for ln in err), err
    for n in needles:
        assert n.lower() in p.stderr_text.lower(), (n, p.stderr_text)


@pytest.fixture()
def store_copy(example_store, tmp_path):
    import shutil

    dst = tmp_path / "store"
    shutil.copytree(example_store, dst)
    return dst


def test_reingest_is_idempotent(store_copy):
    before = run_kg("export", "--format", "nq", store=store_copy).stdout
    p = run_kg("ingest", str(EXAMPLE), "--published", "2015-10-15", "--outlet", "Middle East Eye", store=store_copy)
    assert p.returncode == 0 and "0 loaded, 1 skipped" in p.stderr_text
    # re-extracting the same text replaces its graph by an identical one
    p = run_kg("ingest", str(EXAMPLE), "--published", "2015-10-15", "--outlet", "Middle East Eye", "--replace",
               store=store_copy)
    assert p.returncode == 0 and "1 loaded" in p.stderr_text
    after = run_kg("export", "--format", "nq", store=store_copy).stdout
    assert sorted(before.splitlines()) == sorted(after.splitlines())


@pytest.mark.parametrize("kind", ["missing", "empty", "binary", "latin1", "furniture_only"])
def test_bad_files(store_copy, tmp_path, kind):
    f = tmp_path / "a.txt"
    if kind == "empty":
        f.write_bytes(b"")
    elif kind == "binary":
        f.write_bytes(bytes(range(256)) * 4)
    elif kind == "latin1":
        f.write_bytes("Rebels attacked Hom\xe9s".encode("latin-1"))
    elif kind == "furniture_only":
        f.write_text("Skip to main content\nSign up for our newsletter\nShare this article\n", encoding="utf-8")
    n = _quads(store_copy)
    p = run_kg("ingest", str(f), store=store_copy)
    _assert_one_line_error(p, 1, str(f.name))
    assert _quads(store_copy) == n


def test_malformed_jsonl_line_is_reported_and_the_rest_loads(tmp_path):
    store = tmp_path / "s"
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join([
        json.dumps({"text": "Government forces shelled the rebel-held town of Talbiseh on Monday, a monitor said.",
                    "title": "Shelling in Talbiseh", "published": "2015-10-20", "outlet": "Test Wire"}),
        '{"text": "unterminated',
    ]) + "\n", encoding="utf-8")
    p = run_kg("ingest", str(f), store=store)
    assert p.returncode == 1, p.stderr_text  # an item failed: scripts must see it; the good one loads
    assert "batch.jsonl:2: malformed JSON" in p.stderr_text
    assert "1 loaded, 0 skipped (already in store), 1 failed" in p.stderr_text


def test_stdin(tmp_path):
    store = tmp_path / "s"
    p = run_kg("ingest", "-", "--published", "2020-05-07", store=store,
               input=b"Rebels seize Wonduruba\n\nRebels seized the town of Wonduruba on Tuesday, the army said.\n")
    assert p.returncode == 0, p.stderr_text
    assert "1 loaded" in p.stderr_text


def test_invalid_sparql_and_update_without_flag(store_copy):
    n = _quads(store_copy)
    _assert_one_line_error(run_kg("query", "--sparql", "SELEC ?x WHERE {", store=store_copy), 1, "invalid SPARQL")
    _assert_one_line_error(run_kg("query", "--sparql", "DROP ALL", store=store_copy), 2, "--update")
    _assert_one_line_error(run_kg("query", "--sparql", "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }",
                                  store=store_copy), 2, "--update")
    assert _quads(store_copy) == n
    p = run_kg("query", "--update", "--sparql", "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 1 } }",
               store=store_copy)
    assert p.returncode == 0 and _quads(store_copy) == n + 1


def test_query_usage_errors(store_copy):
    _assert_one_line_error(run_kg("query", "no-such-query", store=store_copy), 2, "unknown query")
    _assert_one_line_error(run_kg("query", "who-controls", store=store_copy), 2, "--param place")
    _assert_one_line_error(run_kg("query", "events", "--param", "from=yesterday", store=store_copy), 2, "not a date")
    _assert_one_line_error(run_kg("query", "events", "--param", "nope=1", store=store_copy), 2, "no parameter")
    _assert_one_line_error(run_kg("query", "events", "--format", "xml", store=store_copy), 2, "format")
    _assert_one_line_error(run_kg("ingest", store=store_copy), 2)


def test_parameter_injection_is_inert(store_copy):
    n = _quads(store_copy)
    for evil in ['Talbisseh" } DROP ALL { "', "x') } ; DROP ALL ; SELECT * { ('", "}", r'Talbisseh\"}']:
        p = run_kg("query", "who-controls", "--param", f"place={evil}", store=store_copy)
        assert p.returncode == 0, p.stderr_text
        assert "(0 rows)" in p.stdout_text
    assert _quads(store_copy) == n


def test_bad_published_and_missing_store(tmp_path):
    _assert_one_line_error(run_kg("ingest", str(EXAMPLE), "--published", "15 Oct", store=tmp_path / "s"), 1, "--published")
    _assert_one_line_error(run_kg("query", "events", store=tmp_path / "nothing-here"), 1, "no such store")
    f = tmp_path / "file"
    f.write_text("x")
    _assert_one_line_error(run_kg("stats", store=f), 1, "not a folder")


# SIGKILL, SIGINT/SIGTERM and concurrent writers: tests/test_reliability.py


def test_two_outlets_merge_and_rows_stay_distinct(store_copy):
    """A second outlet's account of the same story adds its own statement; nodes are shared and
    no query row is repeated because the same triple sits in two article graphs."""
    other = CORPUS / "homs-2015" / "naharnet-army-pushes-offensive.txt"
    p = run_kg("ingest", str(other), "--published", "2015-10-15", "--outlet", "Naharnet", store=store_copy)
    assert p.returncode == 0, p.stderr_text
    p = run_kg("query", "who-controls", "--param", "place=talbisseh", "--format", "csv", store=store_copy)
    rows = p.stdout_text.strip().splitlines()[1:]
    assert len(rows) == len(set(rows)) >= 2
    assert {r.split(",")[4] for r in rows} >= {"Middle East Eye", "Naharnet"}
    p = run_kg("query", "actors", "--param", "class=Monitor", "--format", "csv", store=store_copy)
    sohr = [r for r in p.stdout_text.splitlines() if r.startswith("Syrian Observatory for Human Rights,")]
    assert len(sohr) == 1 and sohr[0].split(",")[3] == "2"  # one node, mentioned in two articles
