"""Input hardening (issues 15 and 17): a poison item fails alone, every read is bounded, folder
walks stay inside the folder, a missing optional package costs its files only, export never
writes through a symlink, a batch with failures exits 1, --published/--outlet apply to folders,
a rerun of loaded articles never loads spaCy, and file names cannot split an error line."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT, run_kg

GOOD = ("Rebels seize Wonduruba\n\nRebels seized the town of Wonduruba on Tuesday, the army said. "
        "Government forces shelled the town on Wednesday, a monitor said.\n")


def _line(text: str, **meta: str) -> str:
    return json.dumps({"text": text, **meta})


def _skipped(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("kg: skipped:")]


# -- 1. poison items ---------------------------------------------------------------------------

@pytest.mark.parametrize("workers", [1, 2])
def test_poison_items_fail_alone_and_the_rest_loads(tmp_path, workers):
    """A value nested 5,000 deep, an integer of 4,400 digits in a field and in the text (a toll:
    extraction), a 0001-01-01 publication date with "on Sunday": before, each one stopped the run
    with "internal error" and no summary (0 of the good articles loaded with 2 workers)."""
    good = [_line(f"Rebels attacked the town of Talbiseh on Monday, killing {n} soldiers, a monitor said.",
                  title=f"Attack {n}", published="2015-10-20") for n in range(3, 6)]
    lines = [good[0],
             '{"text": "x", "deep": ' + "[" * 5000 + "]" * 5000 + "}",
             '{"text": "x", "n": ' + "1" * 4400 + "}",
             good[1],
             _line("Rebels attacked the town of Talbiseh, killing " + "9" * 4400 + " soldiers, a monitor said.",
                   title="Poison toll"),
             _line("Rebels attacked the town of Talbiseh on Sunday, killing 2 soldiers, a monitor said.",
                   title="Year one", published="0001-01-01"),
             good[2]]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(lines) + "\n")
    store = tmp_path / "s"
    args = ("ingest", str(f), "--no-merge", "--workers", str(workers), "--batch-size", "2")
    t0 = time.perf_counter()
    p = run_kg(*args, store=store, timeout=120)
    assert "Traceback" not in p.stderr_text and "internal error" not in p.stderr_text, p.stderr_text
    skipped = _skipped(p.stderr_text)
    assert [s.split(": ")[2] for s in skipped] == [f"{f}:2", f"{f}:3", f"{f}:5"], skipped
    assert "nested too deeply" in skipped[0] and "4300 digits" in skipped[1]
    assert "extraction failed (ValueError" in skipped[2]
    assert "4 loaded, 0 skipped (already in store), 3 failed" in p.stderr_text, p.stderr_text
    assert p.returncode == 1  # item 6: a failure is visible to scripts
    assert time.perf_counter() - t0 < 60
    if workers == 1:  # a rerun loads what is left and skips the rest
        rerun = run_kg(*args, store=store, timeout=120)
        assert "0 loaded, 4 skipped (already in store), 3 failed" in rerun.stderr_text, rerun.stderr_text


def test_date_before_year_one_resolves_to_nothing():
    from kg.nlp.components.dates import resolve_date

    assert resolve_date("Sunday", dt.date(1, 1, 1)) is None
    assert resolve_date("yesterday", dt.date(1, 1, 1)) is None
    assert resolve_date("9" * 4400 + " March", dt.date(2015, 1, 1)) is None
    assert resolve_date("Sunday", dt.date(2015, 10, 20)) == dt.date(2015, 10, 18)


def test_rdf_mapping_failure_costs_one_article(monkeypatch):
    """An article whose RDF mapping raises fails with one line; its batch neighbours load."""
    import kg.graph.rdf
    from kg.ops.ingest import ingest_articles
    from kg.read.readers import article_from_text
    from kg.store.memory import MemoryStore

    arts = [article_from_text(GOOD.replace("Tuesday", day), source=f"a-{day}.txt")
            for day in ("Monday", "Tuesday", "Friday")]
    real = kg.graph.rdf.graph_triples

    def poisoned(ex):
        if ex.article.source == "a-Tuesday.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(ex)

    monkeypatch.setattr(kg.graph.rdf, "graph_triples", poisoned)
    store = MemoryStore()
    errors: list[str] = []
    report = ingest_articles(arts, store, on_error=errors.append)
    assert (report.loaded, report.failed) == (2, 1)
    assert errors == ["a-Tuesday.txt: RDF mapping failed (RecursionError: maximum recursion depth exceeded)"]


# -- 2. bounded reads --------------------------------------------------------------------------

def _run_limited(args: list[str], *, stdin=None, timeout: float = 30) -> tuple[int, str, float, int]:
    """`kg ARGS` under a 1.5 GB address-space limit; (exit, stderr, seconds, peak RSS in MB)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))

    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, stdin=stdin,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit)
    try:
        err = proc.communicate(timeout=timeout)[1].decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"kg {' '.join(args)} still running after {timeout}s")
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return proc.returncode, err, time.perf_counter() - t0, rss_mb


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_txt_symlink_to_a_device_is_read_bounded(tmp_path, device):
    """stat() said 0 bytes, so the whole endless device was read: out of memory (here, under the
    limit, MemoryError). Now: one line after 64 MB + 1 byte."""
    f = tmp_path / "dev.txt"
    os.symlink(device, f)
    code, err, seconds, _ = _run_limited(["ingest", str(f), "--store", str(tmp_path / "s"), "--no-merge"])
    assert code == 1 and "Traceback" not in err, err
    assert "dev.txt: file too large (more than 64 MB)" in err or "dev.txt: binary data" in err, err
    assert seconds < 15


def test_stdin_is_bounded(tmp_path):
    with open("/dev/zero", "rb") as zero:
        code, err, seconds, _ = _run_limited(["ingest", "-", "--store", str(tmp_path / "s")], stdin=zero)
    assert code == 1 and "<stdin>: input too large (more than 64 MB)" in err, err
    assert seconds < 15


_ENDLESS_STDIN = """
import io, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))  # unbounded: MemoryError, not OOM

class Endless(io.RawIOBase):
    started = False

    def readable(self):
        return True

    def readinto(self, b):
        head = b"" if self.started else b'{"text": "'
        self.started = True
        b[:] = (head + b"a" * len(b))[: len(b)]
        return len(b)

class Stdin:
    buffer = io.BufferedReader(Endless())

sys.stdin = Stdin()
from kg.read.readers import read_path
for e in read_path("-"):
    print(e)
"""


def test_a_jsonl_line_without_end_on_stdin_is_bounded():
    """JSONL on stdin whose first line never ends: `for line in stdin` read it whole (out of
    memory; run in a child under a 1.5 GB limit); now it is cut at 16 MB and the stream given up
    64 MB later, in bounded time."""
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _ENDLESS_STDIN], cwd=ROOT, capture_output=True, timeout=60)
    assert p.stdout.decode().splitlines() == [
        "<stdin>:1: line too long (more than 16 MB)",
        "<stdin>:1: line longer than 80 MB; the rest of the input is skipped"], p.stderr.decode()[-500:]
    assert time.perf_counter() - t0 < 15


def test_a_fifo_in_a_folder_is_skipped_without_hanging(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    os.mkfifo(d / "pipe.txt")
    t0 = time.perf_counter()
    p = run_kg("ingest", str(d), "--no-merge", store=tmp_path / "s", timeout=60)
    assert time.perf_counter() - t0 < 30
    assert _skipped(p.stderr_text) == [f"kg: skipped: {d / 'pipe.txt'}: cannot read (a FIFO, not an article "
                                       "file; skipped)"], p.stderr_text
    assert "1 loaded, 0 skipped (already in store), 1 failed" in p.stderr_text


# -- 3. symlinks in folder walks ---------------------------------------------------------------

def test_folder_walk_stays_inside_the_folder(tmp_path):
    from kg.read.readers import InputError, read_path

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:secret line\n\nnot an article of this folder\n")
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    os.symlink(outside / "secret.txt", d / "out.txt")  # a file outside: one line
    os.symlink(outside, d / "linked-dir")  # a folder link: not entered
    os.symlink("/", d / "root")
    os.symlink(d / "good.txt", d / "same.txt")  # inside the folder: read
    items = list(read_path(str(d)))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    sources = sorted(i.source for i in items if not isinstance(i, InputError))
    assert sources == [str(d / "good.txt"), str(d / "same.txt")]
    assert errors == [f"{d / 'out.txt'}: cannot read (a symlink to a file outside the folder; not followed)"]
    assert not any("secret" in (i.title or "") for i in items if not isinstance(i, InputError))


# -- 4. a missing optional package ---------------------------------------------------------------

def test_missing_html_cleaner_fails_per_html_file(tmp_path):
    """lxml >= 5.2 without lxml_html_clean (what pip 23.2 installed): every .html raised
    ImportError out of the reader and stopped the run."""
    assert '"lxml_html_clean' in (ROOT / "pyproject.toml").read_text()
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "page.html").write_text("<html><body><article><p>" + GOOD + "</p></article></body></html>")
    code = ("import sys\n"
            "sys.modules['lxml_html_clean'] = None\n"  # import fails as if not installed
            "for m in [m for m in sys.modules if m.startswith(('lxml.html.clean', 'trafilatura', 'justext'))]:\n"
            "    del sys.modules[m]\n"
            f"sys.argv = ['kg', 'ingest', {str(d)!r}, '--no-merge', '--store', {str(tmp_path / 's')!r}]\n"
            "from kg.cli import main\nmain()\n")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120)
    err = p.stderr.decode()
    assert p.returncode == 1 and "Traceback" not in err, err
    assert _skipped(err) == [f"kg: skipped: {d / 'page.html'}: cannot read: the Python package lxml_html_clean "
                             "is not installed (pip install lxml_html_clean)"], err
    assert "1 loaded, 0 skipped (already in store), 1 failed" in err


# -- 5. export never writes through a symlink ----------------------------------------------------

def test_export_refuses_what_is_not_a_regular_file(tmp_path, example_store):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    os.symlink(victim, tmp_path / "link.ttl")
    os.mkfifo(tmp_path / "fifo.ttl")
    (tmp_path / "dir.ttl").mkdir()
    for name, kind in [("link.ttl", "a symlink"), ("fifo.ttl", "a FIFO"), ("dir.ttl", "a folder")]:
        p = run_kg("export", "-o", str(tmp_path / name), store=example_store, timeout=60)
        assert p.returncode == 1, (name, p.stderr_text)
        assert p.stderr_text.strip().splitlines() == [
            f"kg: error: {tmp_path / name}: {kind}, not a regular file; refusing to replace it (give a new file name)"]
    assert victim.read_text() == "keep me" and (tmp_path / "link.ttl").is_symlink()
    out = tmp_path / "graph.ttl"
    out.write_text("old")
    p = run_kg("export", "-o", str(out), store=example_store, timeout=60)
    assert p.returncode == 0 and out.read_text().startswith("@prefix"), p.stderr_text
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert sorted(x.name for x in tmp_path.iterdir()) == ["dir.ttl", "fifo.ttl", "graph.ttl", "link.ttl", "victim.txt"]


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


# -- 6, 7. exit status, --published/--outlet for folders, undated events -------------------------

def test_help_documents_exit_status_and_symlinks():
    p = run_kg("ingest", "--help")
    assert "1 any item failed" in p.stdout_text and "symlinked folders are not entered" in p.stdout_text


def test_published_and_outlet_apply_to_a_folder(tmp_path):
    from kg.read.readers import read_path

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD)
    (d / "b.jsonl").write_text(_line(GOOD.replace("Tuesday", "Monday"), published="2014-01-02", outlet="Own")
                               + "\n" + _line(GOOD.replace("Tuesday", "Friday")) + "\n")
    arts = list(read_path(str(d), published=dt.date(2015, 10, 20), outlet="Wire"))
    got = [(a.source.rsplit("/", 1)[1], a.published, a.outlet) for a in arts]
    assert got == [("a.txt", dt.date(2015, 10, 20), "Wire"), ("b.jsonl:1", dt.date(2014, 1, 2), "Own"),
                   ("b.jsonl:2", dt.date(2015, 10, 20), "Wire")]
    p = run_kg("ingest", str(d / "a.txt"), "--no-merge", store=tmp_path / "s1", timeout=60)
    assert p.returncode == 0, p.stderr_text
    assert "1 loaded, 0 skipped (already in store), 0 failed (2 events undated: no publication date)" \
        in p.stderr_text, p.stderr_text
    p = run_kg("ingest", str(d), "--published", "2015-10-20", "--outlet", "Wire", "--no-merge",
               store=tmp_path / "s2", timeout=60)
    assert p.returncode == 0, p.stderr_text
    assert "3 loaded, 0 skipped (already in store), 0 failed in" in p.stderr_text, p.stderr_text  # all dated
    one_usage = run_kg("ingest", str(d), "--url", "http://x.test/a", store=tmp_path / "s3")
    assert one_usage.returncode == 2 and "--url applies to a single file" in one_usage.stderr_text


# -- 8. a rerun does not load the pipeline ---------------------------------------------------------

def test_rerun_of_a_loaded_article_never_imports_spacy(example_store):
    """Before: 1.6 s and spaCy imported to skip one article; now ~0.5 s, no spaCy."""
    e = dict(os.environ, KG_STORE=str(example_store))
    e.pop("KG_ENDPOINT", None)
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg.cli", "ingest", str(EXAMPLE),
                        "--published", "2015-10-15", "--outlet", "Middle East Eye"],
                       cwd=ROOT, env=e, capture_output=True, timeout=60)
    err = p.stderr.decode()
    assert p.returncode == 0 and "0 loaded, 1 skipped" in err, err[-2000:]
    assert not [ln for ln in err.splitlines() if ln.startswith("import time:") and "spacy" in ln]


# -- 9. file names cannot split an error line -------------------------------------------------------

def test_a_newline_in_a_file_name_is_escaped(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bad\nkg: 99 loaded.txt").write_bytes(b"Rebels \xfa\xfb broken")
    p = run_kg("ingest", str(d), store=tmp_path / "s")
    assert p.returncode == 1
    lines = p.stderr_text.splitlines()
    assert len(lines) == 2 and lines[0].startswith("kg: skipped: ") and "bad\\nkg: 99 loaded.txt" in lines[0], lines
