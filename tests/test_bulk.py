"""kg extract --to DIR + kg load DIR: the same store as kg ingest; a rerun of extract skips the
partitions already written; bad folders are one line and exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, run_kg
from .test_dask import ARTICLES, corpus, reference, store_quads  # noqa: F401 - fixtures shared


def test_extract_then_load_equals_ingest_and_a_rerun_skips_finished_partitions(tmp_path, corpus, reference):
    parts = tmp_path / "parts"
    p = run_kg("extract", str(corpus), "--to", str(parts), "--batch-size", "2")
    assert p.returncode == 0, p.stderr_text
    files = sorted(parts.glob("part-*.nq"))
    assert len(files) == ARTICLES // 2 and not list(parts.glob(".*"))  # no temporary file left
    stamps = {f.name: f.stat().st_mtime_ns for f in files}
    files[1].unlink()  # as if the run had stopped before this partition
    p = run_kg("extract", str(corpus), "--to", str(parts), "--batch-size", "2")
    assert p.returncode == 0, p.stderr_text
    assert f"1 partitions written (2 articles), {len(files) - 1} skipped" in p.stderr_text
    for f in files:
        if f != files[1]:
            assert f.stat().st_mtime_ns == stamps[f.name]  # untouched
    assert files[1].exists()
    p = run_kg("load", str(parts), store=tmp_path / "s")
    assert p.returncode == 0, p.stderr_text
    assert f"{ARTICLES} articles loaded" in p.stderr_text
    assert store_quads(tmp_path / "s") == reference
    p = run_kg("load", str(parts), store=tmp_path / "s")  # a rerun: every graph is there already
    assert p.returncode == 0 and f"0 articles loaded (0 quads) from 0 partitions, {ARTICLES} skipped" in p.stderr_text
    assert store_quads(tmp_path / "s") == reference


def test_load_of_a_folder_without_partitions_or_with_a_broken_one_is_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    p = run_kg("load", str(empty), store=tmp_path / "s")
    assert p.returncode == 1 and len(p.stderr_text.strip().splitlines()) == 1
    assert "no partitions" in p.stderr_text
    (empty / "part-000000-0.nq").write_text("<a> <b> .\n")
    p = run_kg("load", str(empty), store=tmp_path / "s")
    assert p.returncode == 1 and len(p.stderr_text.strip().splitlines()) == 1, p.stderr_text
    assert "not N-Quads" in p.stderr_text or "outside an article graph" in p.stderr_text
    p = run_kg("load", str(tmp_path / "missing"), store=tmp_path / "s")
    assert p.returncode == 1 and "no such folder" in p.stderr_text


def test_extraction_library_writes_only_whole_files(tmp_path, corpus):
    from kg.ops.bulk import Extraction, read_partition
    from kg.ops.parallel import LocalExecutor
    from kg.read.readers import read_all

    r = Extraction(tmp_path / "p", LocalExecutor(1), batch_size=4).run(read_all([str(corpus)]))
    assert r.partitions_written == 2 and r.articles == ARTICLES and not r.failed
    graphs = [g for f in sorted((tmp_path / "p").glob("part-*.nq")) for g in read_partition(f)]
    assert len(graphs) == ARTICLES and all("/article/" in g for g in graphs)
