"""Crashes, signals and concurrent processes against a real `kg ingest` (a subprocess on real
articles): every article in the store is whole or absent, every stop is reported in one line, and
a rerun finishes the job with exactly the quads of a clean run.

The long form of the kill test (200 articles, 20+ random SIGKILLs) is reliability/kill_harness.py;
this is its quick CI form.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reliability.corpus import build_jsonl
from reliability.storecheck import article_graphs, compare_stores, non_ontology_quads

from .conftest import CORPUS, ROOT, run_kg

pytestmark = pytest.mark.skipif(not (CORPUS / "dev").is_dir(), reason=f"corpus not found at {CORPUS} (set KG_CORPUS)")

N_ARTICLES = 12
ARTICLE_PREFIX = "https://w3id.org/conflict-kg/id/article/"


def _kg(*args: str, store: Path, **kw) -> subprocess.Popen:
    env = dict(os.environ, KG_STORE=str(store))
    env.pop("KG_ENDPOINT", None)
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def _wait_for_loaded(proc: subprocess.Popen, n: int = 1, timeout: float = 60) -> list[str]:
    """Read the ingest's per-article lines until `n` articles were reported loaded."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None
    while sum(ln.lstrip().startswith("loaded") for ln in lines) < n:
        line = proc.stderr.readline()
        if not line or time.monotonic() > deadline:
            pytest.fail(f"ingest ended or stalled before loading {n}: {''.join(lines)[-800:]}")
        lines.append(line.decode("utf-8", "replace"))
    return lines


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    return build_jsonl(tmp_path_factory.mktemp("batch") / "batch.jsonl", N_ARTICLES)


@pytest.fixture(scope="module")
def clean(batch, tmp_path_factory) -> Path:
    """The reference: one uninterrupted ingest of the batch into a fresh store."""
    store = tmp_path_factory.mktemp("clean") / "kg-store"
    p = run_kg("ingest", "-q", str(batch), store=store)
    assert p.returncode == 0 and f"{N_ARTICLES} loaded" in p.stderr_text, p.stderr_text
    return store


def _assert_whole_articles(store: Path, clean: Path) -> int:
    """Every article graph in `store` holds exactly the quads of the same graph in a clean run."""
    ours, ref = article_graphs(store), article_graphs(clean)
    for g, quads in ours.items():
        assert g in ref, f"unknown article graph {g}"
        assert quads == ref[g], f"article graph {g} differs from a clean ingest ({len(quads)} vs {len(ref[g])} quads)"
    return len(ours)


@pytest.mark.parametrize("sig,workers,group", [
    (signal.SIGINT, 1, False), (signal.SIGTERM, 1, False),
    (signal.SIGINT, 2, True),  # Ctrl-C in a terminal: the whole process group, workers included
    (signal.SIGTERM, 2, False),
])
def test_signal_stops_cleanly(batch, clean, tmp_path, sig, workers, group):
    store = tmp_path / "s"
    proc = _kg("ingest", "--batch-size", "2", "--workers", str(workers), "--no-progress", str(batch), store=store,
               start_new_session=True)
    try:
        _wait_for_loaded(proc, 2)
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        _, err_b = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = err_b.decode("utf-8", "replace")
    assert proc.returncode == 128 + sig, (proc.returncode, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    last = err.strip().splitlines()[-1]
    m = re.fullmatch(rf"kg: interrupted by {sig.name}: (\d+) loaded, 0 skipped \(already in store\), 0 failed "
                     r"in [\d.]+s; the articles in flight were not written; rerun the same command to finish", last)
    assert m, last
    loaded = int(m[1])
    assert 2 <= loaded < N_ARTICLES
    # the summary is exact: what it says was loaded is in the store, whole, and nothing else
    assert _assert_whole_articles(store, clean) == loaded


def test_killed_ingest_leaves_whole_articles_and_a_rerun_equals_a_clean_run(batch, clean, tmp_path):
    """SIGKILL at three moments (the CI form of reliability/kill_harness.py): after each kill the
    store opens and holds whole articles only; the rerun reports those as skipped and the final
    store equals a clean single run, quad for quad (merged graph included)."""
    store = tmp_path / "s"
    for n in (1, 3, 6):
        proc = _kg("ingest", "--batch-size", "1", "--no-progress", str(batch), store=store)
        try:
            _wait_for_loaded(proc, n)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stderr.close()
        present = _assert_whole_articles(store, clean)
        assert present >= n
    p = run_kg("ingest", "-q", str(batch), store=store)
    assert p.returncode == 0, p.stderr_text
    assert f"{N_ARTICLES - present} loaded, {present} skipped" in p.stderr_text, p.stderr_text
    diff = compare_stores(store, clean)
    assert diff is None, diff
    assert len(non_ontology_quads(store)) > 1000


def test_second_writer_is_refused_and_readers_keep_working(batch, clean, tmp_path):
    """While one ingest writes: a second ingest on the same store gets one line naming the lock
    (exit 1, no traceback, no change); query, stats and export keep working read-only."""
    store = tmp_path / "s"
    writer = _kg("ingest", "--batch-size", "1", "--no-progress", str(batch), store=store)
    try:
        _wait_for_loaded(writer, 1)
        second = run_kg("ingest", str(batch), store=store)
        assert second.returncode == 1, second.stderr_text
        lines = second.stderr_text.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in second.stderr_text, lines
        assert "locked by another kg process" in lines[0] and str(store) in lines[0] and "wait for it" in lines[0]
        counts = []
        count_q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?a a ckg:Article } }"
        while writer.poll() is None and len(counts) < 6:
            q = run_kg("query", "--sparql", count_q, "--format", "json", store=store)
            assert q.returncode == 0, q.stderr_text
            counts.append(int(json.loads(q.stdout_text)["results"]["bindings"][0]["n"]["value"]))
        assert counts and counts == sorted(counts)  # each query sees whole, growing snapshots
        st = run_kg("stats", "--format", "json", store=store)
        assert st.returncode == 0, st.stderr_text
        ex = run_kg("export", "--format", "nq", store=store)
        assert ex.returncode == 0 and ex.stdout, ex.stderr_text
        _, err = writer.communicate(timeout=120)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, err.decode()
    # the refused writer changed nothing: the store is exactly a clean run's
    assert compare_stores(store, clean) is None


def test_a_run_killed_before_its_merge_is_merged_by_the_rerun(batch, clean, tmp_path):
    """The state a kill between the last article and the end of `kg merge` leaves (all articles
    in, merged graph stale, the merge-pending marker set): the rerun loads nothing and merges."""
    import shutil

    import pyoxigraph as ox

    from kg.ops.ingest import MERGE_PENDING_GRAPH, mark_merge_pending
    from kg.ops.merge import MERGED_GRAPH
    from kg.store.embedded import EmbeddedStore

    store = tmp_path / "s"
    shutil.copytree(clean, store)
    st = EmbeddedStore(store)
    try:
        st.drop_graph(MERGED_GRAPH)
        mark_merge_pending(st)
    finally:
        st.close()
    p = run_kg("ingest", str(batch), store=store)
    assert p.returncode == 0 and f"0 loaded, {N_ARTICLES} skipped" in p.stderr_text, p.stderr_text
    assert "merged " in p.stderr_text
    assert not ox.Store.read_only(str(store)).contains_named_graph(ox.NamedNode(MERGE_PENDING_GRAPH))
    assert compare_stores(store, clean) is None
