"""The tables `kg link wikidata` decides with, from kg/data/wikidata-link.json: which Wikidata
root classes an actor may be an instance of, which of their families fit each actor class of
ours, which actor classes are never looked up by name (persons need far more evidence than a
name; civilians are a description, not an entity), and the generic words that alone name no
particular entity. Data, not code: a new root class or generic word is a line in the file."""

from __future__ import annotations

import json

from kg.runtime.resources import data_file

_TABLES = json.loads(data_file("wikidata-link.json").read_text(encoding="utf-8"))

#: Wikidata root class id -> family ("armed", "nonstate", "gov", ...), in the file's order
ACTOR_ROOTS: dict[str, str] = {q: family for q, (family, _what) in _TABLES["actor_roots"].items()}
CLASS_FAMILIES: dict[str, frozenset[str]] = {c: frozenset(f) for c, f in _TABLES["class_families"].items()}
SKIP_ACTOR_CLASSES = frozenset(_TABLES["skip_actor_classes"])
SETTLEMENT_CLASSES = frozenset(_TABLES["settlement_classes"])
ADMIN_CLASSES = frozenset(_TABLES["admin_classes"])
GENERIC_WORDS = frozenset(_TABLES["generic_words"])
