"""A real SPARQL server with the Wikidata-shaped fixture, and the scoring of links against the
fixture's expected links; shared by tests/test_link_wikidata.py and benchmarks/link_bench.py.

The server is the `oxigraph` binary (the `oxigraph` package of the [dev] extra): loaded with
`oxigraph load` into a folder, then `oxigraph serve` on a free port of 127.0.0.1.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "wikidata"
CKR = "https://w3id.org/conflict-kg/id/"


def fixture_files() -> list[Path]:
    return sorted(FIXTURE_DIR.glob("*.ttl"))


def oxigraph_binary() -> str | None:
    """The oxigraph server next to this Python (a venv's bin), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.exists():
        return str(here)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """`oxigraph serve` over a folder loaded with the given Turtle files; a context manager."""

    def __init__(self, files: list[Path], location: Path) -> None:
        self.files, self.location = files, Path(location)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def __enter__(self) -> "OxigraphServer":
        exe = oxigraph_binary()
        if exe is None:
            raise RuntimeError("the oxigraph server binary is not installed (pip install '.[dev]')")
        self.location.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            subprocess.run([exe, "load", "--location", str(self.location), "--file", str(f)],
                           check=True, capture_output=True, timeout=120)
        self.proc = subprocess.Popen(
            [exe, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.proc.stderr.read().decode()[:300]}")
            try:
                r = httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=2,
                               headers={"Accept": "application/sparql-results+json"})
                if r.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("oxigraph serve did not answer within 20 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()


def expected_links() -> dict[str, str | None]:
    """Node IRI -> the Wikidata item it must be linked to, or None when it must stay unlinked."""
    out: dict[str, str | None] = {}
    for name, prefix in (("expected-places.tsv", "place/"), ("expected-actors.tsv", "actor/")):
        for line in (FIXTURE_DIR / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            key, qid = line.split("\t")
            key = key.replace(":", "/", 1) if prefix == "place/" else key
            out[CKR + prefix + key] = None if qid == "-" else qid
    return out


@dataclass
class Scores:
    expected: int = 0  # expected links among the nodes that were up for linking
    found: int = 0  # of those, made correctly
    judged_links: int = 0  # links made on nodes with a judgement
    correct: int = 0
    unjudged: int = 0
    errors: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.judged_links if self.judged_links else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def score_links(links: list, nodes: list[str] | int, expected: dict[str, str | None] | None = None) -> Scores:
    """Precision over links made on judged nodes; recall over the expected links of the nodes
    that were in the graph (`nodes`: their IRIs; an int means "all expected nodes")."""
    expected = expected_links() if expected is None else expected
    present = set(expected) if isinstance(nodes, int) else set(nodes)
    made = {link.node: link for link in links}
    s = Scores()
    for node, link in made.items():
        if node not in expected:
            s.unjudged += 1
            continue
        s.judged_links += 1
        if expected[node] == link.qid:
            s.correct += 1
        else:
            s.errors.append(f"{node} -> {link.qid} {link.wd_label!r} ({link.method}, {link.score}); "
                            f"expected {expected[node] or 'none'}")
    for node, qid in expected.items():
        if qid is None or node not in present:
            continue
        s.expected += 1
        if node in made and made[node].qid == qid:
            s.found += 1
        elif node not in made:
            s.misses.append(f"{node} (expected {qid})")
    return s
