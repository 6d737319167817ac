"""One sentence's events: each trigger that tells of a happening becomes an account with its
agents; accounts whose triggers hang off one another ('launched airstrikes, killing 10 people')
merge into one of the most specific class; each merged account becomes an EventRecord with its
targets, place, date and toll."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from spacy.tokens import Span, Token

from kg.model.records import EventRecord
from kg.model import classes as C
from kg.nlp.events.anaphora import antecedent, sibling_class
from kg.nlp.events.modality import anchor, blocked, current, nobody
from kg.nlp.events.place_lists import split_by_place
from kg.nlp.events.places_dates import context_place, date, place, report_date
from kg.nlp.events.roles import agents as agents_of, targets as targets_of, without_deniers
from kg.nlp.events.tolls import Tolls, share_of
from kg.nlp.events.triggers import Trigger, civilians_hit, not_an_event, target_classes
from kg.nlp.events.words import EventLexicon, word_pattern, word_set
from kg.nlp.state import DocState
from kg.nlp.syntax import evidence_of

SEPARATE = word_pattern("triggers", "separate")
ATTRIBUTION_VERBS = word_set("places", "attribution_verbs")


@dataclass
class Account:
    """What one trigger (or a merged group of them) says of an event."""

    tok: Token
    cls: str
    n: int  # trigger length in tokens
    agents: list[str]
    share: int | None = None  # its share of a toll split across events
    members: list[Token] = field(default_factory=list)  # the triggers merged into it
    targets: list[str] | None = None  # set by a merge: the side that lost a capture


class SentenceReader:
    """Reads the events of one sentence into the doc's state."""

    def __init__(self, lex: EventLexicon, tolls: Tolls) -> None:
        self.lex = lex
        self.tolls = tolls

    def read(self, st: DocState, sent: Span, triggers: list[Trigger]) -> None:
        accounts = [a for t, cls, n in triggers if (a := self._account(st, sent, t, cls, n)) is not None]
        if not accounts:
            return
        reporters = st.reporters.get(sent.start, [])
        for acc in self.merge(accounts):
            ev = self._record(st, sent, acc, reporters)
            if ev is not None:
                st.events.extend(split_by_place(st, acc.tok, ev))

    # -- phase 1: one account per trigger that tells of a happening ----------------------------
    def _account(self, st: DocState, sent: Span, t: Token, cls: str, n: int) -> Account | None:
        if not_an_event(t, self.lex):
            return None
        unrealised, deny = blocked(t, self.lex)
        if unrealised and cls == C.KILLING and nobody(t) and st.events and st.events[-1].fatalities is None:
            st.events[-1].fatalities = 0  # "A bomb exploded ... No one was killed": a toll of zero
        if unrealised:
            return None
        told = antecedent(st, t, cls)
        if told is not None:
            # "three soldiers were killed during the shelling": the toll of the event referred to
            fat = self.tolls.fatalities(sent, t)
            if told.fatalities is None and fat is not None:
                told.fatalities = fat
            return None
        cls = sibling_class(st, t, cls)
        found = without_deniers(st, agents_of(st, t, cls, self.lex), deny)
        if cls in (C.ARMED_CLASH, C.BOMBING, C.OFFENSIVE) and found and st.actors[found[0]].cls == C.AIR_FORCE:
            cls = C.AIRSTRIKE
        return Account(t, cls, n, found, share_of(sent.doc, t))

    # -- phase 2: accounts whose triggers hang off one another become one -----------------------
    def merge(self, accounts: list[Account]) -> list[Account]:
        groups: list[list[Account]] = []
        for acc in accounts:
            home = next((g for g in groups if _joins(acc, g)), None)
            if home is None:
                groups.append([acc])
            else:
                home.append(acc)
        return [self._collapse(g) for g in groups]

    def _collapse(self, g: list[Account]) -> Account:
        best = min(g, key=lambda a: self.lex.rank(a.cls))
        top = min(g, key=lambda a: _depth(a.tok))
        found = [a for x in sorted(g, key=lambda a: _depth(a.tok)) for a in x.agents]
        losers: list[str] = []
        if best.cls in (C.TERRITORY_CAPTURE, C.WITHDRAWAL) and best.agents:
            # "retook the town after heavy fighting with IS": the other side of the fight lost it
            losers = [a for a in found if a not in best.agents]
            found = list(best.agents)
        lead = top if top.cls == best.cls else best
        return Account(lead.tok, best.cls, lead.n, found, members=[x.tok for x in g], targets=losers or None)

    # -- phase 3: a merged account becomes a record ----------------------------------------------
    def _record(self, st: DocState, sent: Span, acc: Account, reporters: list[str]) -> EventRecord | None:
        t = acc.tok
        cls, agents, targets, hit = self._roles(st, acc)
        where = place(st, t, sent)
        fat = self.tolls.fatalities(sent, t)
        supporters = _uniq(
            r.subject for r in st.relations
            if r.predicate == "supports" and r.object in agents and r.evidence.start == sent.start_char
        )
        specific_place = where is not None and st.places[where].cls != C.COUNTRY
        if cls == C.WITHDRAWAL and not any(st.actors[a].cls not in (C.CIVILIANS, C.PERSON) for a in agents):
            return None  # "thousands fled toward Goma": people displaced, no side withdrawing
        if not (agents or fat or targets or specific_place):
            return None  # "Haiti has been mired in violence": no concrete happening to record
        when = date(st, t, sent)
        filled = sum(bool(x) for x in (agents, where, when, fat, targets))
        table = st.tokens(sent.doc)
        ev = EventRecord(
            cls=cls,
            trigger=doc_text(t, acc.n),
            evidence=evidence_of(sent, round(min(0.95, 0.45 + 0.1 * filled), 2), table),
            agents=agents,
            targets=targets,
            supporters=[s for s in supporters if s not in agents],
            place=where,
            date=when,
            fatalities=fat,
            reported_by=[r for r in reporters if r not in agents],
            trigger_start=t.idx,
            also=target_classes(st, t, cls, hit, self.lex),
        )
        ev.separate = bool(SEPARATE.search(table.span_text(sent.start, sent.end)))  # Span.text joins its tokens
        if not specific_place:
            # none, or only a country ("killed in combat in Colombia's south"): the place the story
            # named just before may say where in it (applied after consolidation)
            ev.context_place = context_place(st, sent)
        if when is None:
            ev.report_date = report_date(st, sent)
            ev.current = current(t)
        return ev

    def _roles(self, st: DocState, acc: Account) -> tuple[str, list[str], list[str], list[str]]:
        """(class, agents, targets, all hit) of a merged account: an attack on civilians is named
        by who it hit, and in a clash the side attacked fights too."""
        t, cls = acc.tok, acc.cls
        agents = _uniq(acc.agents)
        targets = [x for x in _uniq(acc.targets or targets_of(st, t)) if x not in agents]
        # who the merged-in triggers hit too ("a roadside bomb killed four civilians"): for its classes
        hit = _uniq([*targets, *(x for m in acc.members if m is not t for x in targets_of(st, m))])
        if cls == C.ARMED_CLASH and (any(st.actors[x].cls == C.CIVILIANS for x in targets) or civilians_hit(t, self.lex)):
            cls = C.ATTACK_ON_CIVILIANS  # "an attack on a displacement camp", "attacked civilians"
        elif cls == C.ARMED_CLASH and agents:
            # a clash has two sides that both fight: the one attacked is a party to it too
            armed = [x for x in targets if st.actors[x].cls not in C.NOT_A_SIDE]
            agents += armed
            targets = [x for x in targets if x not in armed]
        return cls, agents, targets, hit


def _joins(acc: Account, g: list[Account]) -> bool:
    """Whether an account belongs to a group already formed in its sentence."""
    shares = {o.share for o in g} - {None}
    if acc.share is not None and shares and acc.share not in shares:
        return False  # "25 of them in a clash and 21 in fighting": two events, two tolls
    if not any(_linked(acc.tok, other.tok) for other in g):
        return False
    own_a, other_a = acc.agents, [a for o in g for a in o.agents]
    # "its forces captured X, while Ukrainian drones attacked Y": two doers, two events
    return not (own_a and other_a and not set(own_a) & set(other_a) and (
        acc.tok.dep_ == "conj" or acc.cls != g[0].cls and C.ARMED_CLASH not in (acc.cls, g[0].cls)))


def _ancestors(t: Token, limit: int = 3) -> list[Token]:
    out, z = [], t
    for _ in range(limit):
        if z.head == z:
            break
        if z.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in z.children):
            break  # a coordinated clause with its own subject is another event
        if z.dep_ == "ccomp" or z.head.lemma_ in ATTRIBUTION_VERBS:
            break  # reported clauses of one attribution are separate statements
        z = z.head
        out.append(z)
    return out


def _linked(a: Token, b: Token) -> bool:
    """Whether one trigger hangs off the other ('launched airstrikes, killing 10')."""
    xa, xb = anchor(a), anchor(b)
    if xa == xb:
        return True
    return xb in _ancestors(xa) or xa in _ancestors(xb) or a in _ancestors(b) or b in _ancestors(a)


def _depth(t: Token) -> int:
    d = 0
    while t.head != t and d < 50:
        t = t.head
        d += 1
    return d


def _uniq(xs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def doc_text(t: Token, n: int) -> str:
    """A trigger's words: a verb alone, a noun with the words of its phrase."""
    if t.pos_ == "VERB":
        return t.text
    return t.doc[t.i - n + 1 : t.i + 1].text
