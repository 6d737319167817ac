"""One account per event and article: news restates its lead event ('the attack', 'the assault',
a toll in a later sentence), so accounts whose class, place, doers, date and toll do not conflict
merge into the first."""

from __future__ import annotations

from kg.model.records import EventRecord
from kg.model import classes as C
from kg.nlp.events.places_dates import within
from kg.nlp.state import DocState


def consolidate(st: DocState, events: list[EventRecord]) -> list[EventRecord]:
    """Same-class accounts whose place, agents and date do not conflict merge into the first; a
    killing with neither agent nor place only adds its toll to the event before it. The first
    toll stated stands: later figures in a story are mostly one side's claim ("the group claimed
    to have killed 30") or a part of the whole."""
    out: list[EventRecord] = []
    for ev in events:
        if ev.cls == C.KILLING and not ev.agents and not ev.place and _toll_only(ev, events, out):
            continue
        target = next((o for o in out if compatible(st, o, ev)), None)
        if target is None:
            out.append(ev)
        else:
            _absorb(st, target, ev)
    return out


def _toll_only(ev: EventRecord, events: list[EventRecord], out: list[EventRecord]) -> bool:
    """Whether a bare killing ('Four soldiers were killed') is only the toll of another event:
    one of its own sentence, or the one before it. True when it was folded in."""
    mate = next((o for o in events if o is not ev and o.cls != C.KILLING
                 and o.evidence.start == ev.evidence.start), None)
    if mate is not None:
        # "Four soldiers were killed after ... an attack was repulsed": the toll of that attack
        if ev.fatalities is not None:
            mate.fatalities = max(mate.fatalities or 0, ev.fatalities)
        mate.targets += [a for a in ev.targets if a not in mate.targets]
        return True
    prev = out[-1] if out else None
    if prev is not None and prev.fatalities is None and ev.fatalities is not None:
        prev.fatalities = ev.fatalities
    return prev is not None or ev.fatalities is None


def _absorb(st: DocState, target: EventRecord, ev: EventRecord) -> None:
    """Merge a restatement into the account it restates."""
    if target.cls == C.KILLING and ev.cls != C.KILLING:
        target.cls, target.trigger, target.trigger_start = ev.cls, ev.trigger, ev.trigger_start
    target.also += [c for c in ev.also if c not in target.also and c != target.cls]
    target.agents += [a for a in ev.agents if a not in target.agents]
    target.targets += [a for a in ev.targets if a not in target.targets]
    target.supporters += [a for a in ev.supporters if a not in target.supporters]
    target.reported_by += [a for a in ev.reported_by if a not in target.reported_by]
    if ev.place and (target.place is None or within(st, ev.place, target.place)):
        target.place = ev.place
    target.date = target.date or ev.date
    if ev.fatalities is not None:
        target.fatalities = ev.fatalities if target.fatalities is None else target.fatalities


def compatible(st: DocState, x: EventRecord, y: EventRecord) -> bool:
    """Whether two accounts may tell of one event: nothing in the text sets them apart."""
    if x.separate or y.separate:
        return False  # "In a separate development, ...": the text says it is another event
    return _same_kind_and_place(st, x, y) and not (x.agents and y.agents and not set(x.agents) & set(y.agents)) \
        and _same_time(st, x, y) and _same_toll(x, y)


def _same_kind_and_place(st: DocState, x: EventRecord, y: EventRecord) -> bool:
    if x.cls != y.cls and C.KILLING not in (x.cls, y.cls):
        return False  # a killing is how another event ended ("85 civilians killed in El Fasher")
    if x.cls != y.cls and not (x.place and y.place):
        return False
    return not (x.place and y.place and not (within(st, x.place, y.place) or within(st, y.place, x.place)))


def _same_time(st: DocState, x: EventRecord, y: EventRecord) -> bool:
    if x.date and y.date and x.date != y.date:
        return False
    xr, yr = x.date or x.report_date, y.date or y.report_date
    if not (x.date and y.date) and xr and yr and not 0 <= ((x.report_date or xr) - (y.date or yr)).days <= 1 \
            and not 0 <= ((y.report_date or yr) - (x.date or xr)).days <= 1:
        return False  # a report dated Sunday tells of Saturday's attack, not of next week's
    undated = x if x.date is None else y
    if st.published and (x.date is None) != (y.date is None) and undated.report_date is None:
        dated = x.date or y.date
        if (st.published - dated).days > 2:
            return False  # an undated account is today's news, not the background event dated weeks ago
    return True


def _same_toll(x: EventRecord, y: EventRecord) -> bool:
    if x.fatalities is None or y.fatalities is None or x.fatalities == y.fatalities:
        return True
    if x.place and y.place and x.place != y.place:
        return False  # "70 killed in Aleppo province ... one barrel killed 12 in Shaar": a part told apart
    return x.evidence.start != y.evidence.start  # one sentence, two tolls: "25 of them in a clash and 21 in fighting"
