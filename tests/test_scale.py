"""Streaming, resumable, parallel ingest: a JSONL file is read line by line, articles already in
the store are skipped by IRI, and N worker processes give the same graph as one."""

from __future__ import annotations

import json
import tracemalloc

from .conftest import CORPUS, run_kg


def _jsonl(path, names):
    from kg.read.readers import article_from_text

    with path.open("w", encoding="utf-8") as f:
        for n in names:
            a = article_from_text((CORPUS / "dev" / n).read_text(encoding="utf-8"), source=n)
            f.write(json.dumps({"title": a.title, "text": a.text, "outlet": "Test"}) + "\n")
    return path


NAMES = ["afghanistan-nerkh-district.txt", "cameroon-galim-attack.txt", "car-tagbara-un-base-2018.txt"]


def test_jsonl_is_streamed_not_read_whole(tmp_path):
    from kg.read.readers import read_path

    big = tmp_path / "big.jsonl"
    line = json.dumps({"title": "Clashes in Rastan", "text": "Rebels shelled the town of Rastan. " * 40}) + "\n"
    with big.open("w", encoding="utf-8") as f:
        for _ in range(20_000):  # ~30 MB
            f.write(line)
    tracemalloc.start()
    it = read_path(str(big))
    for _ in range(2000):
        next(it)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert big.stat().st_size > 25_000_000 and peak < 2_000_000, peak


def test_resume_skips_articles_already_loaded_and_workers_agree(tmp_path):
    first = _jsonl(tmp_path / "first.jsonl", NAMES[:1])
    everything = _jsonl(tmp_path / "all.jsonl", NAMES)
    one, two = tmp_path / "one", tmp_path / "two"
    p = run_kg("ingest", str(first), store=one)
    assert p.returncode == 0 and "1 loaded" in p.stderr_text, p.stderr_text
    # a rerun after an interruption: the loaded article is skipped by its IRI, the rest loads
    p = run_kg("ingest", str(everything), store=one)
    assert p.returncode == 0 and "2 loaded, 1 skipped" in p.stderr_text, p.stderr_text
    p = run_kg("ingest", str(everything), "--workers", "2", "--batch-size", "1", store=two)
    assert p.returncode == 0 and "3 loaded, 0 skipped" in p.stderr_text, p.stderr_text
    a = run_kg("export", "--format", "nq", store=one).stdout_text
    b = run_kg("export", "--format", "nq", store=two).stdout_text
    no_bnodes = lambda t: sorted(ln for ln in t.splitlines() if "_:" not in ln)  # noqa: E731
    assert no_bnodes(a) == no_bnodes(b)


def test_progress_line_only_when_asked_or_on_a_terminal(tmp_path):
    f = _jsonl(tmp_path / "a.jsonl", NAMES[:1])
    p = run_kg("ingest", str(f), store=tmp_path / "s")  # not a terminal: no progress line
    assert "articles/s" not in p.stderr_text and "loaded  " in p.stderr_text
    p = run_kg("ingest", str(f), "--progress", store=tmp_path / "s")
    assert p.returncode == 0 and "articles/s" in p.stderr_text and "1 skipped" in p.stderr_text
