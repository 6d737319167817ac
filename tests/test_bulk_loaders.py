"""kg load with each loader (transactions, pyoxigraph's bulk loader, the `oxigraph load` command)
gives the store kg ingest gives; a bulk chunk stopped half-way is dropped and redone whole by the
rerun; a loader that cannot write this store is one line and exit 1; the isql script of the
Virtuoso loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import run_kg
from .servers import OxigraphServer, oxigraph_binary
from .test_dask import ARTICLES, corpus, reference, store_quads  # noqa: F401 - fixtures shared


@pytest.fixture(scope="module")
def parts(tmp_path_factory, corpus) -> Path:
    from kg.ops.bulk import Extraction
    from kg.ops.parallel import LocalExecutor
    from kg.read.readers import read_all

    out = tmp_path_factory.mktemp("parts")
    r = Extraction(out, LocalExecutor(1), batch_size=2).run(read_all([str(corpus)]))
    assert r.partitions_written == ARTICLES // 2 and not r.failed
    return out


@pytest.mark.parametrize("loader", ["transactions", "pyoxigraph", "oxigraph"])
def test_every_loader_gives_the_store_of_ingest_and_a_rerun_skips(tmp_path, parts, reference, loader):
    if loader == "oxigraph" and oxigraph_binary() is None:
        pytest.skip("the oxigraph command is not installed")
    p = run_kg("load", str(parts), "--loader", loader, store=tmp_path / "s")
    assert p.returncode == 0, p.stderr_text
    assert f"{ARTICLES} articles loaded" in p.stderr_text and f"({loader} loader)" in p.stderr_text
    assert store_quads(tmp_path / "s") == reference
    p = run_kg("load", str(parts), "--loader", loader, store=tmp_path / "s")
    assert p.returncode == 0 and f"0 articles loaded (0 quads) from 0 partitions, {ARTICLES} skipped" in p.stderr_text
    assert store_quads(tmp_path / "s") == reference


class Killed(Exception):
    """Stands for the process dying inside the engine's loader."""


class HalfThenDie:
    """pyoxigraph's bulk loader that writes half of its second chunk, then dies."""

    name, needs_mark = "half", True

    def __init__(self, store):
        from kg.store.bulk_embedded import EmbeddedBulkLoader

        self.inner, self.calls, self.store = EmbeddedBulkLoader(store), 0, store

    def load(self, graphs):
        from kg.store.bulk_common import chunk_quads

        self.calls += 1
        if self.calls < 2:
            return self.inner.load(graphs)
        quads = chunk_quads(graphs)
        self.store.bulk_extend(quads[: len(quads) // 2])
        raise Killed


def test_a_bulk_chunk_stopped_half_way_is_redone_whole_by_the_rerun(tmp_path, parts, reference):
    from kg.ops.bulk import Load
    from kg.store.bulk_common import BULK_PENDING_GRAPH
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "s")
    with pytest.raises(Killed):
        Load(store, loader=HalfThenDie(store), chunk_quads=1).run(parts)  # a chunk per partition
    assert store.has_graph(BULK_PENDING_GRAPH)
    half = [g for g in store.graphs() if "/article/" in g]
    assert 2 < len(half) <= 4  # the first partition whole, part of the second
    store.close()
    assert store_quads(tmp_path / "s") != reference
    p = run_kg("load", str(parts), store=tmp_path / "s")
    assert p.returncode == 0, p.stderr_text
    assert "redone: 2 article graphs" in p.stderr_text
    assert f"{ARTICLES - 2} articles loaded" in p.stderr_text and "2 skipped" in p.stderr_text
    assert store_quads(tmp_path / "s") == reference  # no half article, no stale entity fact, no mark


def test_a_repeated_article_in_one_bulk_chunk_is_written_once(tmp_path, parts, reference):
    import shutil

    twice = tmp_path / "twice"
    shutil.copytree(parts, twice)
    first = sorted(twice.glob("part-*.nq"))[0]
    shutil.copy(first, twice / "part-999999-copy.nq")  # the same articles again, later
    p = run_kg("load", str(twice), store=tmp_path / "s")
    assert p.returncode == 0 and f"{ARTICLES} articles loaded" in p.stderr_text and "2 skipped" in p.stderr_text
    assert store_quads(tmp_path / "s") == reference


def test_loaders_that_cannot_write_this_store_are_one_line(tmp_path, parts, oxigraph_server):
    for loader in ("oxigraph", "pyoxigraph"):
        p = run_kg("load", str(parts), "--loader", loader, "--endpoint", oxigraph_server)
        assert p.returncode == 1 and len(p.stderr_text.strip().splitlines()) == 1, p.stderr_text
        assert "writes an Oxigraph folder" in p.stderr_text
    p = run_kg("load", str(parts), "--loader", "virtuoso", store=tmp_path / "s")
    assert p.returncode == 1 and len(p.stderr_text.strip().splitlines()) == 1
    assert "Virtuoso server" in p.stderr_text


def test_the_oxigraph_loader_refuses_the_folder_of_a_running_server(tmp_path, parts):
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph command is not installed")
    with OxigraphServer(None, tmp_path / "served"):
        p = run_kg("load", str(parts), "--loader", "oxigraph", store=tmp_path / "served")
    assert p.returncode == 1 and len(p.stderr_text.strip().splitlines()) == 1, p.stderr_text
    assert "locked" in p.stderr_text and "Traceback" not in p.stderr_text


def test_the_isql_script_loads_the_staging_folder_and_reports_failed_files():
    from kg.store.bulk_virtuoso import isql_script, load_errors

    script = isql_script(Path("/data/it's/.staged"))
    lines = script.strip().splitlines()
    assert lines[0] == "DELETE FROM DB.DBA.load_list WHERE ll_file LIKE '/data/it''s/.staged/%';"  # redo: forget
    assert lines[1].startswith("ld_dir('/data/it''s/.staged', '*.nq', ")
    assert lines[2:4] == ["rdf_loader_run();", "checkpoint;"]
    assert "ll_error IS NOT NULL" in lines[4]
    out = ("Connected to OpenLink Virtuoso\nDone. -- 3 msec.\n"
           "KG-LOAD-ERROR  /data/.staged/chunk-1.nq  37000 SP029: TURTLE RDF loader, line 3: syntax error\n"
           "*** Error 42000: [Virtuoso Driver][Virtuoso Server]FA003: Access to /x is denied due to access control\n")
    errors = load_errors(out)
    assert len(errors) == 2 and "chunk-1.nq" in errors[0] and errors[1].startswith("*** Error 42000")
    assert load_errors("Done. -- 3 msec.\n") == []


@pytest.mark.skipif(not (shutil.which("virtuoso-t") and shutil.which("isql-vt")),
                    reason="Virtuoso is not installed (apt-get install virtuoso-opensource)")
def test_the_virtuoso_loader_gives_the_store_the_sparql_writes_give(tmp_path, parts):
    from .servers import Virtuoso

    def load(loader: str) -> list[str]:
        with Virtuoso(tmp_path / loader) as v:
            env = {"KG_ENDPOINT": v.url, "KG_VIRTUOSO_ISQL": f"127.0.0.1:{v.isql}", "KG_VIRTUOSO_USER": "dba",
                   "KG_VIRTUOSO_PASSWORD": "dba"}
            p = run_kg("load", str(parts), "--loader", loader, "--stage", str(v.stage), env=env)
            assert p.returncode == 0 and f"{ARTICLES} articles loaded" in p.stderr_text, p.stderr_text
            assert not list(v.stage.glob("*.nq"))  # the staged files are removed
            p = run_kg("export", "--format", "nq", env=env)
            assert p.returncode == 0, p.stderr_text
            return sorted(ln for ln in p.stdout_text.splitlines() if "_:" not in ln)

    assert load("virtuoso") == load("transactions")
