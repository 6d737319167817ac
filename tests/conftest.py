"""Shared fixtures: the bundled example article, a store built from it once per session, a real
Oxigraph server per module, and a helper that runs the `kg` command line as a user does (a
subprocess)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.runtime.corpus import corpus_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "homs-offensive-2015.txt"
CORPUS = corpus_dir()


def run_kg(*args: str, store: Path | None = None, input: bytes | None = None, env: dict | None = None,
           timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `kg ARGS` in a subprocess; returns the completed process (text stdout/stderr)."""
    e = dict(os.environ)
    e.pop("KG_ENDPOINT", None)
    if store is not None:
        e["KG_STORE"] = str(store)
    e.update(env or {})
    p = subprocess.run([sys.executable, "-m", "kg.cli", *args], input=input, capture_output=True,
                       env=e, cwd=ROOT, timeout=timeout)
    p.stdout_text = p.stdout.decode("utf-8", "replace")  # type: ignore[attr-defined]
    p.stderr_text = p.stderr.decode("utf-8", "replace")  # type: ignore[attr-defined]
    return p


def ingest_then_query(tmp_path: Path, text: str, sparql: str, *, published: str = "2024-05-07") -> str:
    """Load one article from a file with `kg ingest`, then run `kg query --sparql` on it as CSV,
    both as a user would; each step must exit 0. Returns the CSV text."""
    art = tmp_path / "article.txt"
    art.write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    p = run_kg("ingest", str(art), "--published", published, store=store)
    assert p.returncode == 0, p.stderr_text
    p = run_kg("query", "--sparql", sparql, "--format", "csv", store=store)
    assert p.returncode == 0, p.stderr_text
    return p.stdout_text


@pytest.fixture(scope="session")
def example_extraction():
    from kg.nlp.extract import extract
    from kg.read.readers import read_path

    art = next(iter(read_path(str(EXAMPLE), published=dt.date(2015, 10, 15), outlet="Middle East Eye")))
    return next(iter(extract([art])))


@pytest.fixture(scope="session")
def example_store(tmp_path_factory):
    """A store folder holding the example article, built through the CLI."""
    store = tmp_path_factory.mktemp("store") / "kg-store"
    p = run_kg("ingest", str(EXAMPLE), "--published", "2015-10-15", "--outlet", "Middle East Eye", store=store)
    assert p.returncode == 0, p.stderr_text
    return store


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve --union-default-graph` on a free 127.0.0.1 port with a fresh database, for one
    test module; yields its base URL and stops it afterwards."""
    from .servers import OxigraphServer, oxigraph_binary

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    with OxigraphServer(None, tmp_path_factory.mktemp("oxigraph"), union=True) as server:
        yield server.base
