"""kg ingest --executor dask: extraction on a Dask cluster (a LocalCluster of two worker
processes on 127.0.0.1) gives the store the in-process ingest gives, also when a worker is
SIGKILLed mid-run; an unreachable scheduler is one line and exit 1."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import pytest

from .conftest import ROOT, run_kg

pytest.importorskip("distributed")

ARTICLES = 6  # real articles from tests/data: enough for batches on both workers, and quick


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for src in sorted((ROOT / "tests" / "data").glob("*.txt"))[:ARTICLES]:
        (folder / src.name).write_bytes(src.read_bytes())
    return folder


def quads(store) -> list[str]:
    """The store's quads as sorted N-Quads lines (blank nodes aside: their labels differ per run)."""
    return sorted(ln for ln in store.export("nq").decode().splitlines() if "_:" not in ln)


def store_quads(path: Path) -> list[str]:
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(path, read_only=True)
    try:
        return quads(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus) -> list[str]:
    """The in-process ingest of tests/data (with the merge, as the CLI does)."""
    from kg.ops.ingest import Ingest
    from kg.read.readers import read_all
    from kg.store.embedded import EmbeddedStore

    path = tmp_path_factory.mktemp("ref") / "store"
    store = EmbeddedStore(path)
    report = Ingest(store, batch_size=4, merge=True).run(read_all([str(corpus)]))
    store.close()
    assert report.loaded == ARTICLES and not report.failed
    return store_quads(path)


def test_ingest_on_a_local_cluster_of_two_workers_gives_the_same_quads(tmp_path, corpus, reference):
    p = run_kg("ingest", str(corpus), "--executor", "dask", "--workers", "2", "--batch-size", "2", "-q",
               store=tmp_path / "s", timeout=240)
    assert p.returncode == 0, p.stderr_text
    n = ARTICLES
    assert f"{n} loaded, 0 skipped" in p.stderr_text
    assert "Traceback" not in p.stderr_text
    assert store_quads(tmp_path / "s") == reference
    # a rerun: everything is in the store, so no cluster is started and nothing is written
    p = run_kg("ingest", str(corpus), "--executor", "dask", "--workers", "2", "-q", store=tmp_path / "s")
    assert p.returncode == 0 and f"0 loaded, {n} skipped" in p.stderr_text, p.stderr_text


def _kill_a_busy_worker(executor) -> int | None:
    """SIGKILL the process of a worker that holds a task now; returns its pid."""
    client = executor.client
    busy = [w for w, keys in client.processing().items() if keys]
    if not busy:
        return None
    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
    os.kill(pid, signal.SIGKILL)
    return pid


def test_a_worker_killed_mid_run_loses_nothing(tmp_path, corpus, reference):
    from kg.ops.distributed import DaskExecutor
    from kg.ops.ingest import Ingest
    from kg.read.readers import read_all
    from kg.store.embedded import EmbeddedStore

    executor = DaskExecutor(None, 2)
    killed: list[int] = []

    def on_article(article, what) -> None:
        if what == "loaded" and not killed:
            pid = _kill_a_busy_worker(executor)
            if pid is not None:
                killed.append(pid)

    store = EmbeddedStore(tmp_path / "s")
    report = Ingest(store, batch_size=1, merge=True, executor=executor, on_article=on_article).run(
        read_all([str(corpus)]))
    store.close()
    assert killed, "no worker was busy when the first article was written"
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)  # that process is gone: its batch was computed again elsewhere
    assert report.loaded == ARTICLES and not report.failed, report.errors
    assert store_quads(tmp_path / "s") == reference


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_and_exit_1(tmp_path, corpus):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    t0 = time.monotonic()
    p = run_kg("ingest", str(corpus), "--executor", "dask", "--scheduler", address, store=tmp_path / "s")
    assert p.returncode == 1
    lines = p.stderr_text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: cannot reach the Dask scheduler at " + address), lines
    assert time.monotonic() - t0 < 30  # refused at once, not after the client's retries
    # the store holds no article
    assert not [ln for ln in store_quads(tmp_path / "s") if "/article/" in ln]


def test_a_scheduler_without_the_dask_executor_is_bad_usage(tmp_path, corpus):
    p = run_kg("ingest", str(corpus), "--scheduler", "tcp://127.0.0.1:8786", store=tmp_path / "s")
    assert p.returncode == 2 and "--scheduler goes with --executor dask" in p.stderr_text
