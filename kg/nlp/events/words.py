"""The event reader's word lists, read once: kg/data/events.json (triggers and the classes they
name) and kg/data/event_words.json (the grammar around them, by phase)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.nlp.lexicon import event_lexicon, load_json


def _section(name: str) -> dict[str, Any]:
    return load_json("event_words.json")[name]


def word_set(section: str, name: str) -> frozenset[str]:
    """A word list of event_words.json as a set: the readers test membership."""
    return frozenset(_section(section)[name])


def word_seq(section: str, name: str) -> tuple[str, ...]:
    """A word list in its order (alternatives tried first to last)."""
    return tuple(_section(section)[name])


def word_value(section: str, name: str) -> Any:
    """A table or pattern of event_words.json as written."""
    return _section(section)[name]


def word_pattern(section: str, name: str) -> re.Pattern[str]:
    return re.compile(_section(section)[name], re.I)


@dataclass(frozen=True)
class EventLexicon:
    """kg/data/events.json in the forms the readers look things up in."""

    verbs: dict[str, str | None]
    nouns: dict[str, str]
    light: frozenset[str]
    particles: dict[str, list[str]]
    blocked: dict[str, list[str]]
    obj_classes: dict[str, str]
    person_objects: frozenset[str]
    particle_classes: dict[str, str]
    priority: dict[str, int]
    death: frozenset[str]
    negators: frozenset[str]
    modal: frozenset[str]
    max_noun_len: int
    noun_starts: frozenset[str]

    def rank(self, cls: str) -> int:
        """Specificity of a class: lower wins when accounts merge."""
        return self.priority.get(cls, 99)


@lru_cache(maxsize=1)
def event_words() -> EventLexicon:
    lex = event_lexicon()
    nouns: dict[str, str] = lex["nouns"]
    return EventLexicon(
        verbs=lex["verbs"],
        nouns=nouns,
        light=frozenset(lex["light_verbs"]),
        particles=lex["verb_particles"],
        blocked=lex.get("blocked_particles", {}),
        obj_classes=lex["object_classes"],
        person_objects=frozenset(lex["person_objects"]["nouns"]),
        particle_classes={k: v for k, v in lex["particle_classes"].items() if k != "comment"},
        priority={c: i for i, c in enumerate(lex["priority"])},
        death=frozenset(lex["death_words"]),
        negators=frozenset(lex["negators"]),
        modal=frozenset(lex["modal_blockers"]),
        max_noun_len=max(len(k.split()) for k in nouns),
        noun_starts=frozenset({k.split()[0] for k in nouns} | {k.split("-")[0] for k in nouns}),
    )
