"""Sanity checks on a store's data: what the shapes and the reasoner cannot see.

SHACL checks shape (each node has the properties and types its class needs) and HermiT checks
logic (the ontology, and nothing in it contradicts itself); a store full of extraction errors
passes both, because a misread sentence still makes well-formed triples. These checks look for
statements that are well-formed but cannot all be true: an actor attacking itself, a town that
is also a person, a toll larger than its sentence says, an event after the article reporting it.

Each check is a SPARQL query, kg/sparql/internal/check-NAME.rq, whose first line
`# check: TEXT` says what it finds; its rows are the suspect nodes (first column) with what
shows the problem. A check that SPARQL says badly (the numbers in a sentence) filters its rows
here, in Python. A finding is a reason to look, not proof: an army may shell its own mutineers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from kg.model.vocab import CKG, CKR
from kg.sparql.internal import internal_query, prefixed_query

CHECKS = ("agent-is-target", "place-as-actor", "toll-vs-evidence", "event-after-publication")
EXAMPLES = 3

if TYPE_CHECKING:  # an annotation only: kg/sparql sits above kg/store
    from kg.store.base import Store


@dataclass
class Finding:
    """One check's result: how many suspect nodes, and the first few, one line each."""

    name: str
    description: str
    count: int
    examples: list[str] = field(default_factory=list)


def run_checks(store: Store, names: Sequence[str] = CHECKS) -> list[Finding]:
    """Every check over the store (the union of its graphs)."""
    out = []
    for name in names:
        rows = [[_value(t) for t in row] for row in store.query(prefixed_query(f"check-{name}")).rows]
        keep = _FILTERS.get(name)
        if keep is not None:
            rows = [r for r in rows if keep(r)]
        out.append(Finding(name, description(name), len(rows), [_example(r) for r in rows[:EXAMPLES]]))
    return out


def description(name: str) -> str:
    """The `# check:` line of check-NAME.rq."""
    first = internal_query(f"check-{name}").split("\n", 1)[0]
    return first.removeprefix("# check:").strip()


# -- the toll check: numbers in a sentence --------------------------------------------------------
_DIGITS = re.compile(r"\d[\d,]*")
_WORD = re.compile(r"[a-z]+")


def _number_words() -> dict[str, int]:
    """The number words the toll reader knows (kg/data/event_words.json), one word each."""
    data = json.loads((resources.files("kg") / "data" / "event_words.json").read_text(encoding="utf-8"))
    return {w: v for w, v in data["tolls"]["number_words"].items() if " " not in w}


def numbers_in(text: str) -> list[int]:
    """Every number a sentence writes: digits ('1,200', '15') and number words, a run of them
    read as one ('twenty-five' 25, 'two hundred' 200). Years (1900-2099) are dates, not counts."""
    words = _number_words()
    out = [int(d.replace(",", "")) for d in _DIGITS.findall(text) if d.replace(",", "")]
    out = [n for n in out if not 1900 <= n <= 2099]
    run: list[int] = []
    for w in [*_WORD.findall(text.lower()), ""]:
        if w in words:
            run.append(words[w])
            continue
        if run:
            total = 0
            for v in run:
                total = total * v if v == 100 and total else total + v
            out.append(total)
            run = []
    return out


def toll_unsupported(row: list[str]) -> bool:
    """True when the toll is above what its sentence can give: the sum of the numbers it
    writes (a toll may add them up: 'five soldiers and three civilians'), and 1 for a sentence
    with none ('a soldier was killed')."""
    try:
        toll = int(float(row[1]))
    except (TypeError, ValueError):
        return True  # a toll that is not a number is wrong too
    return toll > max(1, sum(numbers_in(row[2] or "")))


_FILTERS: dict[str, Callable[[list[str]], bool]] = {"toll-vs-evidence": toll_unsupported}


def _value(term: Any) -> str:
    if term is None:
        return ""
    text = str(getattr(term, "value", term))
    for prefix, ns in (("ckg:", CKG), ("ckr:", CKR)):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def _example(row: list[str]) -> str:
    """`subject: value; value; "evidence..."`, evidence cut to 100 characters."""
    parts = [v if len(v) <= 100 else v[:99] + "…" for v in row[1:] if v]
    return f"{row[0]}: " + "; ".join(parts) if parts else row[0]
