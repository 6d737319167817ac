"""kg evaluate --folds: theatre-grouped folds (kg/ops/folds.py) and the command as a user runs it."""

from __future__ import annotations

import json

import pytest

from kg.ops.folds import CHECK_FOLD, assign_folds, read_theatres, theatre_of

from .conftest import ROOT, run_kg

GOLD = ROOT / "examples" / "gold"


def theatres(n_per: dict[str, int]) -> dict[str, str]:
    return {f"{t}-{i}": t for t, n in n_per.items() for i in range(n)}


def test_a_theatre_is_never_split_and_folds_are_balanced():
    th = theatres({"Syria": 6, "Yemen": 5, "Mali": 2, "Haiti": 4, "Iraq": 4, "Chad": 1, "Peru": 3})
    folds = assign_folds(th, 3)
    for t in set(th.values()):
        assert len({folds[n] for n, tt in th.items() if tt == t}) == 1, t
    sizes = sorted(list(folds.values()).count(i) for i in range(3))
    assert sizes[-1] - sizes[0] <= 2
    assert folds == assign_folds(th, 3)  # deterministic


def test_too_many_folds_and_too_few_are_refused():
    with pytest.raises(ValueError, match="only 2 theatres"):
        assign_folds(theatres({"A": 1, "B": 1}), 3)
    with pytest.raises(ValueError, match="at least 2"):
        assign_folds(theatres({"A": 1, "B": 1}), 1)


def test_theatre_from_the_gold_or_the_file_name(tmp_path):
    assert theatre_of({"theatre": " Sudan "}, "x") == "Sudan"
    assert theatre_of({}, "syria-aleppo-strike") == "syria"
    (tmp_path / "a-1.gold.json").write_text(json.dumps({"theatre": "Mali"}))
    (tmp_path / "b-2.gold.json").write_text("not json")
    assert read_theatres(tmp_path) == {"a-1": "Mali", "b-2": "b"}


@pytest.mark.slow
def test_kg_evaluate_folds_on_the_shipped_gold_sample(tmp_path):
    out = tmp_path / "report.json"
    p = run_kg("evaluate", str(GOLD), "--folds", "2", "--json", str(out))
    assert p.returncode == 0, p.stderr_text
    assert "mean of folds" in p.stdout_text and "(check)" in p.stdout_text
    rep = json.loads(out.read_text())
    rows = rep["folds"]["folds"]
    assert [r["fold"] for r in rows] == [0, 1] and rows[CHECK_FOLD]["check"]
    assert sum(r["articles"] for r in rows) == len(list(GOLD.glob("*.gold.json")))
    assert 0 <= rep["folds"]["mean"]["events"] <= 1
    p = run_kg("evaluate", str(GOLD), "--folds", "9")
    assert p.returncode == 1 and "theatres" in p.stderr_text and "Traceback" not in p.stderr_text
