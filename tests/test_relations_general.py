"""Attribution that carries across sentences: news copy names a source once for a run of claims,
before or after them ('Gunmen stormed the village on Monday. Eleven people died, police said.').
The events of the unattributed sentence cite that neighbour's source (kg/nlp/relations/attribution.py
spread_attribution; reach in kg/data/relations.json `attribution_reach`). Sentences are hand-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kg.nlp.extract import extract
from kg.nlp.lexicon import relation_words
from kg.read.readers import article_from_text
from tests.conftest import run_kg

AFTER = ("Insurgents attack army post in Tillaberi\n"
         "NIAMEY, Niger — Insurgents attacked an army post near the town of Tillaberi on Monday, killing twelve "
         "soldiers. The attack was confirmed by the Defence Ministry of Niger in a statement on Tuesday, which "
         "said reinforcements had been sent.\n")
FAR = ("Clashes in Kidal\n"
       "GAO, Mali — Rebels attacked an army convoy near the town of Kidal on Sunday, killing nine soldiers.\n\n"
       "The road has long been dangerous.\n\nTraders avoid it in the rainy season.\n\n"
       "Convoys now travel at night.\n\nThe United Nations said on Monday that it had suspended aid deliveries.\n")


def _events(text: str):
    ex = next(extract([article_from_text(text, source="t.txt", published=dt.date(2024, 5, 7))]))
    return ex


def _labels(ex, keys):
    return {ex.actors[k].label for k in keys if k in ex.actors}


def test_an_event_cites_the_source_named_in_the_next_sentence() -> None:
    ex = _events(AFTER)
    first = [e for e in ex.events if "killing" in ex_text(e)]
    assert first, [e.cls for e in ex.events]
    cited = set().union(*(_labels(ex, e.reported_by) for e in first))
    assert any("Defence" in c or "Ministry" in c for c in cited), cited


def ex_text(e) -> str:
    return e.evidence.sentence


def test_a_source_too_far_away_is_not_spread() -> None:
    ex = _events(FAR)
    first = [e for e in ex.events if "convoy" in ex_text(e)]
    assert first, [e.cls for e in ex.events]
    assert all(not e.reported_by for e in first), [e.reported_by for e in first]


def test_the_reach_is_data() -> None:
    reach = relation_words()["attribution_reach"]["sentences"]
    assert isinstance(reach, int) and 0 <= reach <= 3


def test_the_cli_records_the_neighbours_source(tmp_path: Path) -> None:
    art = tmp_path / "niger.txt"
    art.write_text(AFTER, encoding="utf-8")
    store = tmp_path / "s"
    p = run_kg("ingest", str(art), "--published", "2024-05-07", store=store)
    assert p.returncode == 0, p.stderr_text
    q = ("SELECT ?l WHERE { ?e ckg:reportedBy ?a ; ckg:evidence ?ev . ?a rdfs:label ?l . "
         "FILTER(CONTAINS(STR(?ev), 'killing')) }")
    p = run_kg("query", "--sparql", q, "--format", "csv", store=store)
    assert p.returncode == 0, p.stderr_text
    assert "Ministry" in p.stdout_text or "Defence" in p.stdout_text, p.stdout_text
