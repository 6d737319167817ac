"""Issue 15: a huge article goes through spaCy in chunks (kg/nlp/chunks.py), bounded in time and
memory; beyond KG_MAX_TOKENS it fails alone in one line. Before: a 990,000-character sentence
took 106 s and 2.7 GB (measured again here: 193 s CPU, 2,975 MB peak RSS)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import spacy

from tests.conftest import ROOT, run_kg

EXAMPLE = ROOT / "examples" / "homs-offensive-2015.txt"


def _long_article(chars: int) -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from long_input import article

    return article(chars, "clauses")


def test_cuts_prefer_a_paragraph_then_a_sentence_then_whitespace():
    from kg.nlp.chunks import spans

    nlp = spacy.blank("en")
    para = nlp.make_doc("a b c d e f g h\n\ni j k. l m n o p")
    assert [(s, e) for s, e in spans(para, 12)] == [(0, 9), (9, len(para))]  # after the blank line
    assert para[8].text == "\n\n"
    sent = nlp.make_doc("a b c d e f gg. h i j k l m n o p")
    assert spans(sent, 12)[0] == (0, 8)  # after "gg."
    words = nlp.make_doc(" ".join("w" * 30))
    cut = spans(words, 10)
    assert all(e - s <= 10 for s, e in cut) and cut[-1][1] == len(words)
    assert all(a[1] == b[0] for a, b in zip(cut, cut[1:]))  # contiguous, nothing lost
    glued = nlp.make_doc("x" + "-x" * 20)  # no whitespace anywhere: a hard cut between tokens
    assert all(e - s <= 10 for s, e in spans(glued, 10))


def test_a_chunked_article_keeps_its_text_offsets_and_records(monkeypatch):
    """The example article cut into chunks of 120 tokens (it is ~1,000): the joined Doc is the
    article token for token, and what is extracted stays what the whole-article pass finds."""
    from kg.model.records import Article
    from kg.nlp import chunks
    from kg.nlp.extract import extract

    text = EXAMPLE.read_text(encoding="utf-8")
    art = Article(text=text, source="homs")
    whole = next(iter(extract([art])))
    monkeypatch.setattr(chunks, "CHUNK_TOKENS", 120)
    seen = []
    real = chunks.process_long
    monkeypatch.setattr(chunks, "process_long", lambda nlp, doc: seen.append(real(nlp, doc)) or seen[-1])
    cut = next(iter(extract([dataclasses.replace(art)])))
    assert seen and seen[0].text == text  # it was chunked, and rejoined exactly
    from kg.nlp.pipeline import build_nlp

    assert [t.idx for t in seen[0]] == [t.idx for t in build_nlp().make_doc(text)]  # same tokens, same offsets
    assert len(seen[0]) > 4 * 120
    for ev in cut.events:
        assert text[ev.evidence.start:ev.evidence.end].strip() == ev.evidence.sentence.strip()
    assert set(cut.places) == set(whole.places)
    assert len(set(cut.actors) & set(whole.actors)) >= 0.9 * len(whole.actors)
    assert abs(len(cut.events) - len(whole.events)) <= max(2, len(whole.events) // 10)


def test_over_the_token_cap_the_article_fails_alone_in_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.txt").write_text(_long_article(20_000), encoding="utf-8")
    (folder / "short.txt").write_text("Clashes in Homs\n\nRebels attacked an army checkpoint in Homs on Monday.\n")
    store = tmp_path / "store"
    p = run_kg("ingest", str(folder), "--no-merge", store=store, env={"KG_MAX_TOKENS": "3000"})
    assert p.returncode == 1, p.stderr_text
    lines = [ln for ln in p.stderr_text.splitlines() if "huge.txt" in ln]
    assert len(lines) == 1 and "KG_MAX_TOKENS" in lines[0] and "too long" in lines[0], p.stderr_text
    assert "Traceback" not in p.stderr_text and "1 loaded" in p.stderr_text + p.stdout_text
    # a rerun with the cap lifted loads the long one, in chunks, and skips the short one
    p = run_kg("ingest", str(folder), "--no-merge", store=store)
    assert p.returncode == 0 and "1 loaded, 1 skipped" in p.stderr_text + p.stdout_text, p.stderr_text


@pytest.mark.skipif(sys.platform != "linux", reason="wait4 rusage")
def test_a_990k_character_sentence_is_bounded_in_time_and_memory():
    """CPU time (not wall: the machine is shared) and peak RSS of the whole `kg ingest` child.
    Before: 193 s CPU and 2,975 MB; now ~45 s and ~0.6 GB on the 2-CPU machine of the README."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(_long_article(990_000), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("KG_ENDPOINT", None)
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", str(path), "--store",
                                 str(Path(tmp) / "store"), "--no-merge", "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    assert os.waitstatus_to_exitcode(status) == 0, err
    cpu, rss_mb = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    assert rss_mb < 1200, rss_mb
    assert cpu < 120, cpu
