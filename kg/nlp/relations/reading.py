"""What the relation readers share while they read one doc: the records they add, with the kind
of each control claim and the places sides left, which settle at the end of the doc who holds what.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.model.records import RelationRecord
from kg.nlp.lexicon import patterns, relation_words as lex
from kg.nlp.state import DocState, Mention
from kg.nlp.relations.support_sides import support_words
from kg.nlp.syntax import STATE_CLASSES, evidence_of

# a capture outdates a description, a recapture outdates both
_RANK = {"static": 0, "capture": 1, "recapture": 2}


class Reading:
    """One doc being read: its state, and what a later sentence needs from an earlier one."""

    def __init__(self, doc: Doc, st: DocState) -> None:
        self.doc = doc
        self.st = st
        self.past: set[str] = set(patterns()["past_adverbs"])
        self.kinds: dict[int, str] = {}  # id(controls record) -> capture | recapture | static
        self.losses: set[tuple[str, str]] = set()  # (actor, place) it withdrew from or lost
        # relations add no mentions: the places are listed once, not once per sentence
        self.places: list[Mention] = [m for m in st.mentions if m.kind == "place"]

    def add(self, pred: str, s: str | None, o: str | None, sent: Span, conf: float = 0.8,
            kind: str = "static") -> None:
        """A relation the sentence states, once per sentence; support only between two sides."""
        st = self.st
        if not s or not o or s == o:
            return
        if pred == "supports" and not self._may_support(s, o):
            return
        for r in st.relations:
            if r.predicate == pred and r.subject == s and r.object == o and r.evidence.start == sent.start_char:
                return
        rec = RelationRecord(pred, s, o, evidence_of(sent, conf, st.tokens(sent.doc)))
        st.relations.append(rec)
        if pred == "controls":
            self.kinds[id(rec)] = kind

    def _may_support(self, s: str, o: str) -> bool:
        sa, oa = self.st.actors.get(s), self.st.actors.get(o)
        if sa is None or oa is None or oa.cls in lex()["unsupportable_classes"] or sa.cls in ("Civilians",):
            return False
        # "troops supporting the government": one state's own arms, no backing between sides;
        # but one branch backs another ("the Air Force came to support the police")
        branches = support_words()["same_state_branches"]
        if sa.cls in branches and oa.cls in branches and sa.cls != oa.cls:
            return True
        return not (sa.cls in STATE_CLASSES and oa.cls in STATE_CLASSES and sa.country and sa.country == oa.country)

    def rank(self, r: RelationRecord) -> int:
        """How much a control claim outdates others: static 0, capture 1, recapture 2."""
        return _RANK[self.kinds.get(id(r), "static")]

    def supersede(self) -> None:
        """A place retaken by one side is no longer held by another ('rebels seized Malakal in
        June ... the army said it had retaken Malakal'); a capture outdates a description."""
        st = self.st
        ctl = [r for r in st.relations if r.predicate == "controls"]
        best: dict[str, int] = {}
        for r in ctl:
            best[r.object] = max(best.get(r.object, 0), self.rank(r))

        def side(k: str) -> tuple[str, ...]:
            a = st.actors.get(k)  # 'Russian troops' and 'Russian forces' are one side here
            return ("state", a.country) if a and a.country and a.cls in ("Army", "StateForce") else (k,)

        lost = {(side(a), p) for a, p in self.losses}
        drop = {id(r) for r in ctl if (side(r.subject), r.object) in lost and self.kinds.get(id(r)) != "recapture"}
        for r in ctl:
            top = best[r.object]
            if top == 0:
                continue
            winners = {x.subject for x in ctl if x.object == r.object and self.rank(x) == top}
            if r.subject in winners:
                continue
            if top == 2 or self.rank(r) == 0:
                drop.add(id(r))
        st.relations[:] = [r for r in st.relations if id(r) not in drop]
