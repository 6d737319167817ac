"""`kg evaluate`: score the graph built from annotated articles against their gold annotations.

The graph, not the extractor's internals, is what is scored: each article is extracted, mapped to
RDF and loaded into an in-memory Oxigraph store, and the system's view (actors, places, events,
control, support, sources) is read back with SPARQL. Gold format: ../shared/corpus/GOLD-SCHEMA.md.

Matching rules (documented because numbers mean nothing without them):
- names match after folding case, diacritics, quotes, a leading "the", the Arabic article
  (al-/el-/ad-/ar-...), punctuation and a trailing "'s"; any system name (label or altLabel) against
  any gold name (name or alias); each gold item matches at most one system node (greedy on
  name overlap, then type agreement);
- actors: every system node of an actor class, plus countries that act (agent, target, supporter,
  source, controller); places: every place node mentioned in the article;
- countries: (actor, country) pairs of matched actors; typing: share of matched actors and places
  whose class equals the gold type (StateForce <- ckg:StateForce/ArmedForce, Police <- ckg:Police/
  SecurityForce);
- events: lenient = same class and (same place or a shared agent); strict = same class, same place
  (or both none) and a shared agent (or both none);
- control, support: pairs of matched ends; sources: cited actors (ckg:citesSource, ckg:reportedBy);
- hierarchy: matched gold places with an "in" whose system node reaches the matched enclosing place
  through ckg:locatedIn+; fatalities and dates: leniently matched events whose gold value is set;
- splits: system nodes per gold actor or place that matched any (1.0 is ideal).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.model.records import Article, Extraction
from kg.ops.evaluation.counts import Acc, Counts
from kg.ops.evaluation.merging import CLUSTERS_NAME, gold_real_events, load_clusters, pairwise
from kg.ops.evaluation.names import norm_name
from kg.ops.evaluation.score import score_article
from kg.ops.evaluation.view import system_view
from kg.sparql.internal import prefixed_query as internal_query

__all__ = ["EvaluationError", "evaluate_dir", "evaluate_merging", "render_report", "render_explanations",
           "cross_article_identity", "gold_real_events", "norm_name", "score_article", "system_view"]

CATEGORIES = ["actors", "places", "countries", "events", "events_strict", "control", "support", "sources"]
ACCURACIES = ["typing", "hierarchy", "fatalities", "dates"]


class EvaluationError(Exception):
    """The gold folder cannot be evaluated (missing, empty, malformed gold file)."""


# -- running ------------------------------------------------------------------------------------
def evaluate_dir(folder: Path) -> dict[str, Any]:
    """Extract every NAME.txt that has NAME.gold.json, score it; totals micro-averaged."""
    return summarise(score_dir(folder))


def score_dir(folder: Path) -> dict[str, dict[str, Any]]:
    """Each annotated article's raw scores (counts, not rates), by article name: what `summarise`
    adds up, for the whole folder or for any part of it (a fold)."""
    if not folder.is_dir():
        raise EvaluationError(f"{folder}: not a folder")
    from kg.nlp.extract import extract

    annotated = _annotated(folder)
    per_article: dict[str, dict[str, Any]] = {}
    for (name, gold, _), ex in zip(annotated, extract([a for _, _, a in annotated])):
        per_article[name] = _score(gold, ex)
    return per_article


def _annotated(folder: Path) -> list[tuple[str, dict[str, Any], Article]]:
    """(name, gold, article) of every NAME.txt with a NAME.gold.json, by name; the article gets
    the gold's outlet and publication date, as ingest would from the command line."""
    from kg.read.readers import InputError, article_from_text, decode_bytes, parse_date

    out = []
    for txt in sorted(folder.glob("*.txt")):
        gp = txt.with_name(txt.stem + ".gold.json")
        if not gp.exists():
            continue
        try:
            gold = json.loads(gp.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise EvaluationError(f"{gp}: malformed gold file ({e})") from None
        try:
            text = decode_bytes(txt.read_bytes(), str(txt))
            published = parse_date(gold.get("published")) if gold.get("published") else None
        except InputError as e:
            raise EvaluationError(str(e)) from None
        out.append((txt.stem, gold, article_from_text(text, source=str(txt), outlet=gold.get("outlet"),
                                                      published=published)))
    if not out:
        raise EvaluationError(f"{folder}: no NAME.txt with NAME.gold.json")
    return out


def _score(gold: dict[str, Any], ex: Extraction) -> dict[str, Any]:
    """Score one article's graph, loaded alone (with the ontology) into a memory store: the same
    query engine as the real store."""
    from kg.graph.rdf import graph_triples
    from kg.store.memory import MemoryStore

    mem = MemoryStore()
    mem.put_graph("urn:article", graph_triples(ex))
    return score_article(gold, system_view(mem))


def cross_article_identity(per_article: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Distinct IRIs per real entity named in two or more articles. Gold entities of two articles
    are the same real entity when their canonical names match, or one's canonical name is among the
    other's aliases, with the same kind, type and theatre ("rebels" in Syria and in Yemen differ)."""
    groups: list[dict[str, Any]] = []
    for art, res in per_article.items():
        for kind, name, typ, names, node in res["identity"]:
            canon = norm_name(name)
            g = next((g for g in groups if g["kind"] == kind and g["type"] == typ and
                      (canon in g["names"] or g["canon"] & set(names))), None)
            if g is None:
                g = {"kind": kind, "type": typ, "label": name, "canon": set(), "names": set(), "articles": set(), "iris": set()}
                groups.append(g)
            g["canon"].add(canon)
            g["names"].update(names)
            g["articles"].add(art)
            if node:
                g["iris"].add(node)
    shared = [g for g in groups if len(g["articles"]) > 1 and g["iris"]]
    return {
        "entities": len(shared),
        "iris_per_entity": sum(len(g["iris"]) for g in shared) / len(shared) if shared else None,
        "split": {f'{g["kind"]} {g["label"]}': sorted(g["iris"]) for g in shared if len(g["iris"]) > 1},
    }


def summarise(per_article: dict[str, dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {k: Counts() for k in CATEGORIES}
    total.update({k: Acc() for k in ACCURACIES})
    splits: list[int] = []
    for res in per_article.values():
        for k in CATEGORIES:
            total[k].add(res[k])
        for k in ACCURACIES:
            total[k].add(res[k])
        splits += res["split_nodes"]

    def flat(res: dict[str, Any], split: list[int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in CATEGORIES:
            c = res[k]
            out[k] = {"p": c.p, "r": c.r, "f1": c.f1, "tp": c.tp, "sys": c.sys, "gold": c.gold}
        for k in ACCURACIES:
            out[k] = {"accuracy": res[k].value, "ok": res[k].ok, "n": res[k].n}
        out["nodes_per_entity"] = sum(split) / len(split) if split else None
        if "notes" in res:
            out["notes"] = res["notes"]
        out["split_entities"] = sum(1 for s in split if s > 1)
        return out

    return {
        "articles": {name: flat(res, res["split_nodes"]) for name, res in per_article.items()},
        "total": flat(total, splits),
        "cross_article": cross_article_identity(per_article),
    }


def render_explanations(report: dict[str, Any]) -> str:
    """Every disagreement with the gold, article by article: what to look at first."""
    out = []
    for name, r in report["articles"].items():
        if r.get("notes"):
            out.append(f"== {name}")
            out += [f"   {n}" for n in r["notes"]]
    return "\n".join(out)


def render_report(report: dict[str, Any], *, per_article: bool = True) -> str:
    def f(x: float | None) -> str:
        return "  -  " if x is None else f"{x:.2f}"

    cols = ["actors", "places", "countries", "events", "events_strict", "control", "support", "sources"]
    accs = ["typing", "hierarchy", "fatalities", "dates"]
    head = ["article"] + [c.replace("events_strict", "ev-strict") for c in cols] + accs + ["nodes/ent"]
    rows = []
    items = list(report["articles"].items()) if per_article else []
    for name, r in items + [("TOTAL (F1 / accuracy)", report["total"])]:
        rows.append([name[:38]] + [f(r[c]["f1"]) for c in cols] + [f(r[a]["accuracy"]) for a in accs]
                    + [f(r["nodes_per_entity"])])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    lines = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
    t = report["total"]
    lines.append("")
    lines.append("precision / recall: " + ", ".join(f"{c} {f(t[c]['p'])}/{f(t[c]['r'])}" for c in cols))
    x = report.get("cross_article") or {}
    if x.get("entities"):
        lines.append(f"identity across articles: {x['entities']} real entities named in 2+ articles, "
                     f"{f(x['iris_per_entity'])} IRIs each (1.00 is ideal)")
        for name, iris in x["split"].items():
            lines.append(f"  split: {name}: " + ", ".join(i.rsplit('/id/', 1)[-1] for i in iris))
    return "\n".join(lines)


# -- event merging across articles --------------------------------------------------------------
def evaluate_merging(folder: Path, *, window: int = 1, threshold: float = 0.6,
                     clusters: Path | None = None) -> dict[str, Any]:
    """Load every annotated article of a folder into one temporary store, run kg merge, and score
    the grouping pairwise (over gold events the extractor found) against hand clusters (`clusters`,
    else FOLDER/clusters.json when there is one; pairs inside one article count) or else
    gold_real_events, derived from the gold by rule."""
    import tempfile

    from kg.graph.rdf import graph_triples
    from kg.nlp.extract import extract
    from kg.ops.ingest import article_graph_iri
    from kg.ops.merge import merge_store
    from kg.store.embedded import EmbeddedStore

    annotated = _annotated(folder)
    golds = {name: gold for name, gold, _ in annotated}
    account_of: dict[tuple[str, int], str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        for (name, gold, art), ex in zip(annotated, extract([a for _, _, a in annotated])):
            store.put_graph(article_graph_iri(art), graph_triples(ex))
            for gi, iri in _score(gold, ex)["event_map"].items():
                account_of[(name, gi)] = iri
        report = merge_store(store, window=window, threshold=threshold)
        merged_of = {a.value: m.value for m, a in store.query(internal_query("evaluate-merged-accounts")).rows}
        store.close()
    clusters = clusters or (folder / CLUSTERS_NAME if (folder / CLUSTERS_NAME).is_file() else None)
    if clusters:
        scores = pairwise(load_clusters(clusters, golds), account_of, merged_of, within_articles=True)
    else:
        scores = pairwise(gold_real_events(golds), account_of, merged_of)
    return {
        **scores, "clusters": str(clusters) if clusters else None,
        "accounts": report.accounts, "merged_events": report.merged_events,
        "pairs_scored": report.pairs_scored, "merge_seconds": round(report.seconds, 3),
    }
