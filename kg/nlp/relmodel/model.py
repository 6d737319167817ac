"""Inference for the relation layer: logistic regression over hashed features, numpy only.

The weights live in a folder as `relations.json` (see `save`): per relation a bias, a decision
threshold chosen on the training folds, and the non-zero weights by hashed feature index. The folder
is `KG_MODEL_DIR` when set (a fold's weights while scoring that fold), else the shipped
kg/data/relmodel/. `KG_MODEL_DIR=none` (or `KG_NO_RELMODEL=1`) turns the layer off: rules only.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.nlp.relmodel.features import DIM, FEATURES_VERSION, hash_feature

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "relmodel"
FILE = "relations.json"
OFF = ("none", "off", "0", "")


class ModelError(RuntimeError):
    """Weights that cannot be used (wrong feature version, unreadable file)."""


@dataclass
class RelationWeights:
    bias: float
    threshold: float  # add a relation when p >= threshold; > 1 means never (the layer is off for it)
    w: np.ndarray  # float32, DIM

    def score(self, indices: list[int]) -> float:
        z = self.bias + float(self.w[indices].sum()) if indices else self.bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def prob(self, features: list[str]) -> float:
        return self.score(sorted({hash_feature(f) for f in features}))


@dataclass
class Model:
    relations: dict[str, RelationWeights]
    meta: dict

    def get(self, predicate: str) -> RelationWeights | None:
        return self.relations.get(predicate)


def model_dir() -> Path | None:
    """The weights folder in use, or None when the layer is switched off."""
    if os.environ.get("KG_NO_RELMODEL", "").strip() not in ("", "0"):
        return None
    raw = os.environ.get("KG_MODEL_DIR")
    if raw is None:
        return SHIPPED
    if raw.strip().lower() in OFF:
        return None
    return Path(raw)


def load(folder: Path) -> Model:
    path = folder / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"relation model weights unreadable at {path}: {e}") from None
    if data.get("features_version") != FEATURES_VERSION or data.get("dim") != DIM:
        raise ModelError(f"{path}: weights for features v{data.get('features_version')} / dim {data.get('dim')}, "
                         f"this code computes v{FEATURES_VERSION} / dim {DIM}: retrain (scripts/train_relations.py)")
    rels = {}
    for pred, r in data["relations"].items():
        w = np.zeros(DIM, dtype=np.float32)
        idx = np.asarray(r["index"], dtype=np.int64)
        w[idx] = np.asarray(r["weight"], dtype=np.float32)
        rels[pred] = RelationWeights(float(r["bias"]), float(r["threshold"]), w)
    return Model(rels, data.get("meta", {}))


def load_configured() -> Model | None:
    """The model `KG_MODEL_DIR` names (None when off, or when the shipped folder holds no weights)."""
    folder = model_dir()
    if folder is None:
        return None
    if folder == SHIPPED and not (folder / FILE).exists():
        return None
    return load(folder)


def save(folder: Path, relations: dict[str, tuple[float, float, np.ndarray]], meta: dict) -> Path:
    """Write weights: {predicate: (bias, threshold, dense weight vector)}; weights rounded to 6
    significant digits (the file stays small and diffs stay readable)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {"features_version": FEATURES_VERSION, "dim": DIM, "meta": meta, "relations": {}}
    for pred, (bias, thr, w) in relations.items():
        idx = np.flatnonzero(np.abs(w) > 1e-6)
        out["relations"][pred] = {
            "bias": float(f"{bias:.6g}"), "threshold": float(f"{thr:.6g}"),
            "index": idx.tolist(), "weight": [float(f"{x:.6g}") for x in w[idx].tolist()],
        }
    path = folder / FILE
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    return path
