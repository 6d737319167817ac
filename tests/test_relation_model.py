"""The trained relation layer (`ckg_relation_model`, kg/nlp/relmodel): the shipped weights load and
score a fixed set of feature vectors as they did when shipped; `KG_MODEL_DIR` switches weights
(or the layer off); a tiny training run on the gold sample shipped in the repository
(examples/gold) writes a loadable model; the layer adds relations and never repeats the rules'.
No network, no shared corpus."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from kg.nlp.relmodel import model as relmodel
from kg.nlp.relmodel.features import DIM, hash_feature

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "relmodel" / "probabilities.json"
GOLD_SAMPLE = ROOT / "examples" / "gold"


def _trainer():
    spec = importlib.util.spec_from_file_location("train_relations", ROOT / "scripts" / "train_relations.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def test_shipped_weights_give_the_fixture_probabilities():
    m = relmodel.load(relmodel.SHIPPED)
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert len(cases) >= 6
    for case in cases:
        p = m.relations[case["predicate"]].prob(case["features"])
        assert p == pytest.approx(case["probability"], abs=1e-5), case["features"][:4]


def test_shipped_weights_are_small():
    size = (relmodel.SHIPPED / relmodel.FILE).stat().st_size
    assert size < 30_000_000
    m = relmodel.load(relmodel.SHIPPED)
    assert set(m.relations) == {"controls", "supports"}
    assert m.meta["trained_on"] >= 1


def test_hashing_is_stable():
    # crc32, not Python's salted hash(): the same index in every process
    import zlib

    assert hash_feature("lca:seize") == zlib.crc32(b"lca:seize") & (DIM - 1) < DIM


def test_model_dir_switch(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_NO_RELMODEL", raising=False)
    monkeypatch.delenv("KG_MODEL_DIR", raising=False)
    assert relmodel.model_dir() == relmodel.SHIPPED
    monkeypatch.setenv("KG_MODEL_DIR", "none")
    assert relmodel.model_dir() is None and relmodel.load_configured() is None
    monkeypatch.setenv("KG_MODEL_DIR", str(tmp_path))
    with pytest.raises(relmodel.ModelError):
        relmodel.load_configured()  # a folder named on purpose must hold weights
    w = np.zeros(DIM, dtype=np.float32)
    w[hash_feature("b")] = 0.5
    relmodel.save(tmp_path, {"controls": (1.0, 0.5, w), "supports": (-3.0, 2.0, w)}, {"trained_on": 0})
    m = relmodel.load_configured()
    assert m is not None and m.relations["controls"].prob(["b"]) == pytest.approx(1 / (1 + np.exp(-1.5)), abs=1e-6)
    monkeypatch.setenv("KG_NO_RELMODEL", "1")
    assert relmodel.load_configured() is None


def test_wrong_feature_version_is_refused(tmp_path):
    relmodel.save(tmp_path, {}, {})
    data = json.loads((tmp_path / relmodel.FILE).read_text())
    data["features_version"] = -1
    (tmp_path / relmodel.FILE).write_text(json.dumps(data))
    with pytest.raises(relmodel.ModelError):
        relmodel.load(tmp_path)


@pytest.fixture(scope="module")
def collected():
    """Candidates of three gold-annotated sample articles (the pipeline runs with the layer off)."""
    tr = _trainer()
    names = ["congo-m23-sake", "iraq-bartella-retaken", "yemen-marib-missile"]
    import os
    before = os.environ.get("KG_MODEL_DIR")
    try:
        arts = tr.collect(GOLD_SAMPLE, names, quiet=True)
    finally:
        if before is None:
            os.environ.pop("KG_MODEL_DIR", None)
        else:
            os.environ["KG_MODEL_DIR"] = before
    return tr, arts


def test_collection_labels_candidates(collected):
    tr, arts = collected
    assert [a["name"] for a in arts] == ["congo-m23-sake", "iraq-bartella-retaken", "yemen-marib-missile"]
    cands = [c for a in arts for c in a["candidates"]]
    assert {c["p"] for c in cands} == {"controls", "supports"}
    assert any(c["y"] == 1 for c in cands) and any(c["y"] == 0 for c in cands)
    assert all(0 <= i < DIM for c in cands for i in c["x"])


def test_tiny_training_run_writes_a_loadable_model(collected, tmp_path):
    tr, arts = collected
    folds = {a["name"]: i for i, a in enumerate(arts)}
    meta = tr.train_and_save(arts, folds, None, tmp_path, log=lambda *a, **k: None)
    assert meta["trained_on"] == 3
    m = relmodel.load(tmp_path)
    pos = [c for a in arts for c in a["candidates"] if c["p"] == "controls" and c["y"] == 1]
    neg = [c for a in arts for c in a["candidates"] if c["p"] == "controls" and c["y"] == 0]
    w = m.relations["controls"]
    # trained on them: positives score above negatives on average
    assert np.mean([w.score(c["x"]) for c in pos]) > np.mean([w.score(c["x"]) for c in neg])
    # the same data and settings give the same weights (no randomness)
    again = tmp_path / "again"
    tr.train_and_save(arts, folds, None, again, log=lambda *a, **k: None)
    assert (again / relmodel.FILE).read_text() == (tmp_path / relmodel.FILE).read_text()


def test_layer_adds_relations_without_repeating_the_rules(tmp_path):
    """With a model that accepts every candidate, the layer adds pairs the rules did not give, each
    once, with the probability as confidence; with the layer off the rules' relations are unchanged."""
    from kg.nlp.components.relation_model import RelationModel
    from kg.nlp.pipeline import build_nlp
    from kg.nlp.state import DocState
    from kg.read.readers import article_from_text

    text = ("Rebels seize town\n\nHouthi rebels, backed by Iran, fired missiles at the city of Marib on Sunday. "
            "Government forces said the Houthis now hold Harib and the army retook Sirwah.")
    art = article_from_text(text, source="t", published=dt.date(2024, 5, 1))
    nlp = build_nlp()
    w = np.zeros(DIM, dtype=np.float32)
    relmodel.save(tmp_path, {"controls": (5.0, 0.5, w), "supports": (5.0, 0.5, w)}, {"trained_on": 0})
    accept_all = RelationModel(relmodel.load(tmp_path))
    off = RelationModel(None)

    def run(layer):
        doc = nlp.make_doc(art.full_text)
        doc._.kg = DocState(published=art.published, body_start=len(art.title) + 2, text=art.full_text)
        for name, proc in nlp.pipeline:
            doc = layer(doc) if name == "ckg_relation_model" else proc(doc)
        return doc._.kg

    rules = run(off).relations
    both = run(accept_all).relations
    rule_keys = [(r.predicate, r.subject, r.object) for r in rules]
    keys = [(r.predicate, r.subject, r.object) for r in both]
    assert keys[: len(rule_keys)] == rule_keys  # the rules' records first, untouched
    added = both[len(rules):]
    assert added, "an accept-all model adds candidates"
    added_keys = [(r.predicate, r.subject, r.object) for r in added]
    assert len(set(added_keys)) == len(added_keys) and not set(added_keys) & set(rule_keys)  # no pair twice
    assert all(r.predicate in ("controls", "supports") and 0.99 <= r.evidence.confidence <= 1.0 for r in added)
