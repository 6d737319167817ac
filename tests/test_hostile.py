"""Hostile and broken input (issue 8, part 4): each kind gives exit status 1 or 2 and one line on
stderr naming the input and the problem, no traceback; in a batch the bad item is reported and
skipped and the good ones load; the store is unchanged by anything that failed."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from .conftest import EXAMPLE, run_kg

GOOD = "Rebels seize Wonduruba\n\nRebels seized the town of Wonduruba on Tuesday, the army said.\n"


@pytest.fixture()
def store(example_store, tmp_path):
    dst = tmp_path / "store"
    shutil.copytree(example_store, dst)
    return dst


def quads(store) -> bytes:
    return run_kg("export", "--format", "nq", store=store).stdout


def one_clean_error(p, codes=(1, 2), *needles):
    assert p.returncode in codes, (p.returncode, p.stderr_text)
    assert "Traceback" not in p.stderr_text and "Traceback" not in p.stdout_text
    errs = [ln for ln in p.stderr_text.splitlines() if ln.startswith("kg:")]
    assert errs, p.stderr_text
    for n in needles:
        assert n.lower() in p.stderr_text.lower(), (n, p.stderr_text)


def make(tmp_path, kind):
    """Write one hostile input of the given kind; return the path (or argument) to ingest."""
    f = tmp_path / "in.txt"
    if kind == "missing":
        return str(tmp_path / "nope.txt")
    if kind == "empty-dir":
        d = tmp_path / "empty"
        d.mkdir()
        (d / "notes.csv").write_text("a,b\n")
        return str(d)
    if kind == "empty":
        f.write_bytes(b"")
    elif kind == "whitespace":
        f.write_bytes(b"  \n\t\n   \n")
    elif kind == "binary":
        f.write_bytes(os.urandom(4096) + b"\x00")
    elif kind == "invalid-utf8":
        f.write_bytes(b"Rebels attack \xff\xfe\xfd town\n\nbody")
    elif kind == "latin1":
        f.write_bytes("Attaque à Bamako\n\nLes rebelles ont attaqué la ville.".encode("latin-1"))
    elif kind == "nul":
        f.write_bytes(GOOD.encode() + b"\x00\x00")
    elif kind == "furniture-only":
        f.write_text("Skip to main content\nShare this article\nSign up for our newsletter\n© 2024 News\n")
    elif kind == "html-no-body":
        f = tmp_path / "in.html"
        f.write_text("<html><head><title>x</title></head><body><nav>Menu</nav></body></html>")
    elif kind == "html-entity-bomb":
        f = tmp_path / "in.html"
        f.write_text('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                     "<html><body><p>&lol2;</p></body></html>")
    elif kind == "jsonl-not-object":
        f = tmp_path / "in.jsonl"
        f.write_text("[1, 2, 3]\n")
    elif kind == "jsonl-no-text":
        f = tmp_path / "in.jsonl"
        f.write_text(json.dumps({"title": "x"}) + "\n")
    elif kind == "jsonl-text-not-string":
        f = tmp_path / "in.jsonl"
        f.write_text(json.dumps({"text": ["a"]}) + "\n")
    elif kind == "jsonl-bad-published":
        f = tmp_path / "in.jsonl"
        f.write_text(json.dumps({"text": GOOD, "published": "next week"}) + "\n")
    elif kind == "jsonl-wrong-types":
        f = tmp_path / "in.jsonl"
        f.write_text(json.dumps({"text": GOOD, "outlet": 5, "url": {"a": 1}}) + "\n")
    elif kind == "jsonl-truncated":
        f = tmp_path / "in.jsonl"
        f.write_text('{"text": "Rebels attacked')
    elif kind == "symlink-loop":
        d = tmp_path / "loop"
        d.mkdir()
        (d / "a.txt").write_text(GOOD)
        os.symlink(d, d / "self")
        return str(d)
    else:
        raise AssertionError(kind)
    return str(f)


BAD_KINDS = ["missing", "empty-dir", "empty", "whitespace", "binary", "nul", "invalid-utf8", "latin1", "furniture-only",
             "html-no-body", "html-entity-bomb", "jsonl-not-object", "jsonl-no-text", "jsonl-text-not-string",
             "jsonl-bad-published", "jsonl-wrong-types", "jsonl-truncated"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_is_one_line_and_changes_nothing(store, tmp_path, kind):
    before = quads(store)
    p = run_kg("ingest", make(tmp_path, kind), store=store)
    one_clean_error(p, (1,))
    assert quads(store) == before


@pytest.mark.parametrize("kind", ["symlink-loop"])
def test_survivable_input_loads(tmp_path, kind):
    p = run_kg("ingest", make(tmp_path, kind), store=tmp_path / "s")
    assert p.returncode == 0 and "1 loaded" in p.stderr_text, p.stderr_text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings_work(tmp_path, encoding):
    f = tmp_path / "bom.txt"
    f.write_bytes(GOOD.encode(encoding))
    p = run_kg("ingest", str(f), store=tmp_path / "s")
    assert p.returncode == 0 and "1 loaded" in p.stderr_text, p.stderr_text


def test_invisible_marks_are_dropped(tmp_path):
    f = tmp_path / "marks.txt"
    f.write_text("Rebels seize\u200b Wonduruba\n\n\u202bRebels\u202c seized the town of Wonduruba\u200d on Tuesday.\n")
    s = tmp_path / "s"
    assert run_kg("ingest", str(f), store=s).returncode == 0
    out = run_kg("export", "--format", "nt", store=s).stdout
    assert "\u200b".encode() not in out and "\u202b".encode() not in out


def test_batch_skips_the_bad_and_loads_the_good(tmp_path):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "bad.txt").write_bytes(b"Rebels \xfa\xfb broken")
    (d / "lines.jsonl").write_text(json.dumps({"text": GOOD.replace("Tuesday", "Monday")}) + "\n{broken\n")
    p = run_kg("ingest", str(d), store=tmp_path / "s")
    assert p.returncode == 1  # items failed (exit 1), the good ones loaded
    assert "2 loaded, 0 skipped (already in store), 2 failed" in p.stderr_text
    assert "bad.txt" in p.stderr_text and "lines.jsonl:2" in p.stderr_text


def test_non_english_text_loads_without_inventions(tmp_path):
    f = tmp_path / "ar.txt"
    f.write_text("اشتباكات في حمص\n\nقالت مصادر إن اشتباكات عنيفة اندلعت في ريف حمص الشمالي يوم الخميس.\n")
    p = run_kg("ingest", str(f), store=tmp_path / "s")
    assert p.returncode == 0, p.stderr_text


def test_huge_inputs_are_refused_or_handled(tmp_path):
    long_line = tmp_path / "long.txt"
    long_line.write_text("Headline\n\n" + ("word " * 400_000))  # one 2 MB line, 400,000 words
    p = run_kg("ingest", str(long_line), store=tmp_path / "s", timeout=300)
    assert p.returncode in (0, 1) and "Traceback" not in p.stderr_text, p.stderr_text
    if p.returncode == 1:
        one_clean_error(p, (1,), "long.txt")


@pytest.mark.parametrize("args,needle", [
    (["query", "no-such-query"], "unknown query"),
    (["query", "events", "--format", "xml"], "format"),
    (["query", "--sparql", "SELECT * WHERE { ?s ?p }"], "invalid SPARQL"),
    (["query", "--sparql", "CLEAR ALL"], "--update"),
    (["query", "who-controls", "--param", "place"], "KEY=VALUE"),
    (["ingest", str(EXAMPLE), "--published", "2999-01-01"], "future"),
    (["ingest", str(EXAMPLE), "--published", "yesterday"], "YYYY-MM-DD"),
    (["export", "--format", "rdfxml"], "format"),
])
def test_bad_usage_and_queries(store, args, needle):
    before = quads(store)
    p = run_kg(*args, store=store)
    one_clean_error(p, (1, 2), needle)
    assert quads(store) == before


def test_store_paths(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    one_clean_error(run_kg("ingest", str(EXAMPLE), store=f), (1,), "not a folder")
    one_clean_error(run_kg("ingest", str(EXAMPLE), store=tmp_path / "missing" / "deeper"), (1,), "does not exist")


@pytest.mark.parametrize("kind", ["50mb-single-line", "10mb-jsonl-line"])
def test_very_large_items_are_refused_in_one_line_and_the_rest_loads(tmp_path, kind):
    """A 50 MB one-line text file, and a JSONL file whose second line is 10 MB, next to a good
    article: the big item is refused in one line naming it, the good one loads."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    if kind == "50mb-single-line":
        big = d / "big.txt"
        big.write_bytes(b"Rebels attacked the town. " * (50 * 1024 * 1024 // 26))
    else:
        big = d / "big.jsonl"
        big.write_text(json.dumps({"text": GOOD.replace("Tuesday", "Friday")}) + "\n"
                       + json.dumps({"text": "word " * (2 * 1024 * 1024)}) + "\n")
    p = run_kg("ingest", str(d), store=tmp_path / "s", timeout=300)
    assert p.returncode == 1 and "Traceback" not in p.stderr_text, p.stderr_text
    refused = [ln for ln in p.stderr_text.splitlines() if ln.startswith("kg: skipped:")]
    assert len(refused) == 1 and big.name in refused[0], refused
    loaded = 2 if kind == "10mb-jsonl-line" else 1
    assert f"{loaded} loaded, 0 skipped (already in store), 1 failed" in p.stderr_text, p.stderr_text


def _read_only_dir() -> str | None:
    """A folder no process may create things in, even as root (sysfs); None where there is none."""
    probe = "/sys/kg-write-probe"
    try:
        os.mkdir(probe)
    except OSError:
        return "/sys/kg-store-test"
    os.rmdir(probe)
    return None


def test_store_in_a_read_only_place(tmp_path):
    where = _read_only_dir()
    if where is None:
        pytest.skip("no read-only filesystem on this machine")
    one_clean_error(run_kg("ingest", str(EXAMPLE), store=where), (1,), "not permitted")


def test_unreadable_file_in_a_batch_is_skipped_and_the_rest_loads(tmp_path):
    """Permissions do not stop root, so the unreadable file is one whose read fails with EIO
    (/proc/self/mem at offset 0) behind an ordinary-looking name."""
    if not os.path.exists("/proc/self/mem"):
        pytest.skip("no /proc on this machine")
    d = tmp_path / "in"
    d.mkdir()
    os.symlink("/proc/self/mem", d / "bad.txt")
    shutil.copy(EXAMPLE, d / "good.txt")
    store = tmp_path / "store"
    p = run_kg("ingest", str(d), store=store)
    assert "Traceback" not in p.stderr_text
    assert "bad.txt: cannot read" in p.stderr_text and "1 loaded" in p.stderr_text and "1 failed" in p.stderr_text
