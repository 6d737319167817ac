"""A real SPARQL server with the Wikidata-shaped fixture, and the scoring of links against the
fixture's expected links; shared by tests/test_link_wikidata.py and benchmarks/link_bench.py.

The server is the `oxigraph` binary (the `oxigraph` package of the [dev] extra): loaded with
`oxigraph load` into a folder, then `oxigraph serve` on a free port of 127.0.0.1 (tests/servers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .servers import OxigraphServer, free_port, oxigraph_binary  # noqa: F401 - re-exported

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "wikidata"
CKR = "https://w3id.org/conflict-kg/id/"


def fixture_files() -> list[Path]:
    return sorted(FIXTURE_DIR.glob("*.ttl"))


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
