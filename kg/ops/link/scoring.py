"""Scores of Wikidata candidates and the decision: link, ambiguous, or below the threshold.

A wrong owl:sameAs merges two things for every consumer of the graph, a missing one only loses an
enrichment: so a candidate is linked only when it clears the threshold and no rival comes within
the margin."""

from __future__ import annotations

from kg.ops.link.model import AMBIGUITY_MARGIN, Ambiguous, Candidate, Entity, Link, LinkReport
from kg.ops.link.names import name_similarity
from kg.ops.link.tables import ADMIN_CLASSES, CLASS_FAMILIES, SETTLEMENT_CLASSES


def score_place(e: Entity, c: Candidate) -> float:
    """An identifier match is strong evidence, checked against name, kind and country."""
    name = name_similarity(e, c)
    cls = e.cls
    if cls == "Country":
        kind = 1.0 if "country" in c.families else 0.3
    elif cls in SETTLEMENT_CLASSES:
        kind = 1.0 if "settlement" in c.families else (0.3 if "admin" in c.families else 0.5)
    elif cls in ADMIN_CLASSES:
        kind = 1.0 if ("admin" in c.families and "settlement" not in c.families) else (
            0.3 if "settlement" in c.families else 0.5)
    else:
        kind = 0.5
    country = _country_part(e.cc, c.countries, country_node=cls == "Country")
    score = 0.6 + 0.25 * name + 0.15 * kind
    if country == 0.0:
        score -= 0.3
    if c.disambiguation:
        score = 0.0
    c.parts = {"name": name, "kind": kind, "country": country}
    return round(max(0.0, min(1.0, score)), 3)


def score_actor(e: Entity, c: Candidate) -> float:
    """Name similarity carries most weight; kind and country decide between namesakes."""
    name = name_similarity(e, c)
    fams = CLASS_FAMILIES.get(e.cls, frozenset())
    kind = 1.0 if c.families & fams else (0.5 if c.families else 0.0)
    country = _country_part(e.cc, c.countries)
    score = 0.6 * name + 0.25 * kind + 0.15 * country
    if country == 0.0:
        score -= 0.25
    c.parts = {"name": name, "kind": kind, "country": country}
    return round(max(0.0, min(1.0, score)), 3)


def _country_part(ours: str | None, theirs: set[str], *, country_node: bool = False) -> float:
    if not ours or not theirs:
        return 0.5
    if ours in theirs:
        return 1.0
    return 0.0


def decide(e: Entity, cands: list[Candidate], method: str, min_score: float, report: LinkReport) -> None:
    """Link the best candidate if it clears the threshold and no rival comes within the margin."""
    if not cands:
        report.no_candidates += 1
        return
    cands.sort(key=lambda c: (-c.score, c.qid))
    best = cands[0]
    if best.score < min_score:
        report.below.append((e.iri, e.label, best.qid, best.score))
        return
    rivals = [c for c in cands[1:] if c.score >= min_score and best.score - c.score < AMBIGUITY_MARGIN]
    if rivals:
        report.ambiguous.append(Ambiguous(e.iri, e.label, [(c.qid, c.label, c.score) for c in [best, *rivals]]))
        return
    report.links.append(Link(e.iri, e.label, best.qid, best.label, best.score, method, best.description))
