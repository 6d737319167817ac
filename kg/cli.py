"""`kg`: thin commands over the library. Every error a user can cause is one line on stderr and
exit status 1 (bad input) or 2 (bad usage); set KG_DEBUG=1 to see tracebacks of internal errors.

Heavy imports (spaCy, rdflib, owlready2) happen inside the commands that need them, so that
`kg query` starts fast.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.commands import bulk as bulk_commands
from kg.commands import feeds as feed_commands
from kg.commands import report as report_commands
from kg.commands.common import (UsageProblem, check_output, echo_article, endpoint_option, fail, ingest_stopped,
                                opened_store, store_option, write_replacing)
from kg.commands.feeds import feed_mode, ingest_feeds


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """conflict-kg: build a knowledge graph of armed conflict from news articles, query it with SPARQL."""


@cli.command()
@click.argument("paths", nargs=-1, required=False, metavar="PATHS...")
@click.option("--feed", "feed_urls", multiple=True, metavar="URL",
              help="An RSS/Atom feed: load its new items' pages (repeatable; instead of PATHs).")
@click.option("--feeds", "feeds_file", metavar="FILE", help="A file of feed URLs, one a line (# comments).")
@click.option("--published", metavar="DATE",
              help="Publication date YYYY-MM-DD for every article without one of its own (JSONL lines and "
                   "HTML pages in a folder keep theirs; a single HTML file named takes this one).")
@click.option("--outlet", metavar="NAME", help="Publisher name, likewise.")
@click.option("--url", metavar="URL", help="Article URL (a single file only).")
@click.option("--replace", is_flag=True, help="Re-extract articles already in the store (replaces their graphs).")
@click.option("--batch-size", default=16, show_default=True, help="Articles per spaCy batch.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Extraction processes (each loads the spaCy pipeline).")
@click.option("--progress/--no-progress", default=None,
              help="A progress line with articles/s (default: when stderr is a terminal).")
@click.option("--merge/--no-merge", "do_merge", default=True, show_default=True,
              help="Re-group event accounts into merged events after loading (kg merge).")
@bulk_commands.executor_option
@bulk_commands.scheduler_option
@store_option
@endpoint_option
def ingest(paths, feed_urls, feeds_file, published, outlet, url, replace, batch_size, quiet, workers, progress,
           do_merge, executor, scheduler, store_path, endpoint) -> None:
    """Read articles (.txt, .html, .jsonl, folders, - for stdin) into the graph, one named graph each.

    \b
    Folders are walked recursively; symlinked folders are not entered, and a symlinked file is
    read only when it resolves inside the folder given (else it is one error line, as is a FIFO
    or device). Every item is capped at 64 MB (a JSONL line at 16 MB), stdin included.

    \b
    Exit status: 0 every item loaded or already in the store; 1 any item failed (the good
    ones are still loaded; each failure is one "kg: skipped:" line) or the store failed;
    2 bad usage; 130/143 interrupted (SIGINT/SIGTERM)."""
    run_on = bulk_commands.make_executor(executor, scheduler, workers)  # None: this machine (--workers)
    if feed_mode(feed_urls, feeds_file, paths, (published, outlet, url)):
        if run_on is not None:
            raise UsageProblem("--executor dask applies to PATHs, not to --feed/--feeds")
        ingest_feeds(feed_urls, feeds_file, store_path, endpoint, replace=replace, batch_size=batch_size,
                      quiet=quiet, workers=workers, progress=progress, merge=do_merge)
        return
    from contextlib import nullcontext

    from kg.ops.ingest import Ingest
    from kg.ops.parallel import WorkerError
    from kg.read.errors import one_line
    from kg.read.readers import InputError, parse_date, read_all
    from kg.runtime import interrupt
    from kg.runtime.progress import IngestProgress, want_progress
    from kg.store import StoreError

    try:
        pub = parse_date(published, what="--published") if published else None
    except InputError as e:
        fail(str(e))
    if url and (len(paths) > 1 or Path(paths[0]).is_dir()):
        raise UsageProblem("--url applies to a single file")
    interrupt.install()  # SIGINT/SIGTERM: finish the batch being written, then stop with a summary
    with opened_store(store_path, endpoint, read_only=False, own_errors=True) as store:
        t0 = time.perf_counter()
        bar = IngestProgress() if want_progress(progress) and not quiet else None
        echo = bar.echo if bar else (lambda m: click.echo(m, err=True))
        run = Ingest(store, replace=replace, on_error=lambda msg: echo(f"kg: skipped: {one_line(msg)}"),
                     on_article=None if quiet or bar else echo_article,  # the progress line replaces them
                     on_progress=bar.update if bar else None, batch_size=batch_size, workers=workers,
                     merge=do_merge, executor=run_on)
        try:
            report = run.run(read_all(list(paths), outlet=outlet, url=url, published=pub),
                             loading=bar or nullcontext())
        except (StoreError, WorkerError, interrupt.Interrupted) as e:
            ingest_stopped(e, run, t0)
    click.echo(f"{report.summary()} in {time.perf_counter() - t0:.1f}s", err=True)
    merged = run.merged
    if merged is not None and not quiet:
        click.echo(f"merged {merged.accounts} event accounts into {merged.merged_events} events "
                   f"({merged.multi_account_events} told by several articles)", err=True)
    if report.failed:  # scripts must see it: the good items are loaded all the same
        sys.exit(1)


@cli.command()
@click.argument("name", required=False)
@click.option("--sparql", metavar="TEXT", help="Run this SPARQL text instead of a named query.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--update", is_flag=True, help="Allow a SPARQL Update (writes to the store).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Rows per page of a named query or .rq file (0: every row).")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows (the next page: --offset 100).")
@store_option
@endpoint_option
def query(name, sparql, params, fmt, update, list_, limit, offset, store_path, endpoint) -> None:
    """Run a named query (see --list), a .rq file, or --sparql TEXT over the union of all graphs."""
    from kg.sparql.errors import QueryError
    from kg.sparql.formats import format_result
    from kg.sparql.named import bind_params, named_queries, paged, resolve_query, user_position, with_bindings
    from kg.sparql.scanner import is_update
    from kg.store.base import QuerySyntaxError, StoreError

    if list_:
        for q in named_queries().values():
            click.echo(f"{q.name}: {q.description}")
            for p in q.params:
                click.echo(f"    --param {p.name}=<{p.type}>{'' if p.required else ' (optional)'}  {p.description}")
        return
    if bool(name) == bool(sparql):
        raise UsageProblem("give a query NAME or FILE.rq, or --sparql TEXT (not both)")
    raw: dict[str, str] = {}
    for p in params:
        if "=" not in p:
            raise UsageProblem(f"--param {p!r}: expected KEY=VALUE")
        k, v = p.split("=", 1)
        raw[k.strip()] = v
    try:
        if sparql:
            if raw:
                raise QueryError("--param applies to named queries and .rq files")
            text, bindings, user_text, bound = sparql, {}, sparql, {}
        else:
            q = resolve_query(name)
            user_text, bound = q.text, bind_params(q, raw)
            text, bindings = with_bindings(q.sparql, bound), {}
            if not is_update(text):
                text = paged(text, limit, offset)
    except QueryError as e:
        fail(str(e), e.exit_code)
    try:
        if is_update(text):
            if not update:
                fail("this is a SPARQL Update; pass --update to change the store", 2)
            with opened_store(store_path, endpoint, read_only=False, own_errors=True) as store:
                store.update(text)
            click.echo("update applied", err=True)
            return
        with opened_store(store_path, endpoint, read_only=True, own_errors=True) as store:
            res = store.query(text, bindings)
            out = format_result(res, fmt)
    except QuerySyntaxError as e:  # positions in the user's own file, not in what kg sent
        fail(str(e) if sparql else user_position(str(e), user_text, bound))
    except (StoreError, QueryError) as e:
        fail(str(e))
    click.echo(out, nl=False)
    if not sparql and limit and res.kind == "select" and len(res.rows) >= limit:
        click.echo(f"kg: rows {offset + 1}-{offset + limit} shown; the next page: --offset {offset + limit}, "
                   "every row: --limit 0", err=True)


ANALYST_FORMATS = ("acled-csv", "ucdp-csv", "geojson")  # kg/ops/exports (docs/exports.md)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", *ANALYST_FORMATS]), default="ttl", show_default=True)
@click.option("-o", "--output", metavar="FILE",
              help="Write to this file (default stdout): created, or replaced if it is a regular file.")
@click.option("--accounts", is_flag=True, help="acled-csv/ucdp-csv/geojson: one row per event account, not per merged event.")
@click.option("--place", metavar="NAME", help="acled-csv/ucdp-csv/geojson: events in this place or any place inside it.")
@click.option("--from", "date_from", metavar="DATE", help="acled-csv/ucdp-csv/geojson: events on or after YYYY-MM-DD.")
@click.option("--to", "date_to", metavar="DATE", help="acled-csv/ucdp-csv/geojson: events on or before YYYY-MM-DD.")
@click.option("--acled-numeric", is_flag=True, help="acled-csv/geojson: ACLED's old numeric inter codes (1-8) and interaction.")
@store_option
@endpoint_option
def export(fmt, output, accounts, place, date_from, date_to, acled_numeric, store_path, endpoint) -> None:
    """Export the whole store, ontology included (triple formats hold the union of all graphs), or
    the events as ACLED or UCDP CSV or GeoJSON (acled-csv, ucdp-csv, geojson; docs/exports.md)."""
    analyst = _analyst_export(fmt, accounts, place, date_from, date_to, acled_numeric)
    if output:
        check_output(output)  # before the export's work, and again at the rename
    with opened_store(store_path, endpoint, read_only=True) as store:
        data = analyst(store) if analyst else store.export(fmt)
    if output:
        write_replacing(output, data)
        click.echo(f"wrote {len(data):,} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


def _analyst_export(fmt: str, accounts: bool, place: str | None, date_from: str | None, date_to: str | None,
                    numeric: bool) -> Any:
    """For acled-csv, ucdp-csv and geojson, the function of the store that makes the export's
    bytes (kg/ops/exports); None for the RDF formats, which take none of these options (exit 2)."""
    if fmt not in ANALYST_FORMATS:
        if accounts or place or date_from or date_to or numeric:
            raise UsageProblem("--accounts, --place, --from, --to and --acled-numeric go with "
                               "--format acled-csv, ucdp-csv or geojson")
        return None
    from kg.ops.exports import ExportError, Filters, export_table

    try:
        filters = Filters.parse(place, date_from, date_to)
    except ExportError as e:
        raise UsageProblem(str(e)) from None
    return lambda store: export_table(store, fmt, filters, accounts=accounts, numeric=numeric)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_option
@endpoint_option
def stats(fmt, store_path, endpoint) -> None:
    """Counts: articles, triples, and actors, places and events per class."""
    import json

    from kg.ops.stats import store_stats

    with opened_store(store_path, endpoint, read_only=True) as store:
        s = store_stats(store)
    if fmt == "json":
        click.echo(json.dumps(s, indent=1))
        return
    click.echo(f"articles  {s['articles']}")
    click.echo(f"graphs    {s['graphs']}")
    click.echo(f"triples   {s['triples']}  (quads in all graphs, ontology included)")
    click.echo(f"merged    {s.get('merged_events', 0)}  (real events grouped across articles by kg merge)")
    for group in ("actors", "places", "events"):
        total = sum(s[group].values())
        click.echo(f"{group:<9} {total}")
        for cls, n in sorted(s[group].items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"    {cls:<20} {n}")


@cli.command()
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="TCP port (0: any free port).")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, type=click.FloatRange(0.1), help="Seconds per query (then 503).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1), help="Rows per result (more: 400).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE (federated queries make the server fetch URLs).")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Query processes (a query past --timeout is stopped by killing its process).")
@click.option("--max-memory", default=1024, show_default=True, type=click.IntRange(64), help="MB per query process (then 503).")
@click.option("--read-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1), help="Seconds for a whole request to arrive: line, headers and body (then 408 or closed).")
@click.option("--max-connections", default=256, show_default=True, type=click.IntRange(1), help="Connections served at once (more: 503).")
@click.option("--allow-host", multiple=True, help="Also answer requests whose Host is NAME ('*': any; a guard against DNS rebinding).")
@click.option("--cors", "cors_origin", default=None, metavar="ORIGIN", help="Let web pages from ORIGIN read answers (CORS; none by default).")
@click.option("-q", "--quiet", is_flag=True, help="No request log.")
@store_option
@endpoint_option
def serve(port, bind, timeout_s, max_rows, allow_service, workers, max_memory, read_timeout, max_connections, allow_host,
          cors_origin, quiet, store_path, endpoint) -> None:
    """Serve the embedded store as a read-only SPARQL 1.1 endpoint at http://BIND:PORT/sparql."""
    if endpoint:
        raise UsageProblem("kg serve serves an embedded store (--store); an --endpoint is already a SPARQL server")
    import signal

    from kg.ops.serve import ServeConfig, make_server

    # opened here to check that the store opens (one line if not); the query processes open their own
    with opened_store(store_path, None, read_only=True, own_errors=True) as store:
        try:
            config = ServeConfig(timeout_s, max_rows, allow_service, quiet, max_memory, read_timeout, max_connections,
                                 tuple(allow_host), cors_origin)
            server = make_server(None, bind, port, config, store_path=str(store.path), workers=workers)
        except OSError as e:
            fail(f"cannot listen on {bind}:{port} ({e.strerror or e})")
        host, real_port = server.server_address[:2]
        click.echo(f"kg serve: read-only SPARQL endpoint at http://{host}:{real_port}/sparql "
                   f"(store {store.path}; Ctrl-C stops)", err=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill stops it as Ctrl-C does: snapshot removed
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("kg serve: stopped", err=True)
        finally:
            server.server_close()
            server.service.close()


@cli.group()
def ontology() -> None:
    """The OWL ontology and SHACL shapes."""


@ontology.command("check")
@click.option("--no-data", is_flag=True, help="Check the ontology only, not the store's data.")
@store_option
@endpoint_option
def ontology_check(no_data, store_path, endpoint) -> None:
    """Run HermiT on the ontology (consistency, unsatisfiable classes), SHACL on the store's data
    (shape), and sanity checks on the data (kg/sparql/internal/check-*.rq). None says the data is true."""
    from kg.graph.ontology import check_ontology, ontology_stats

    click.echo("checks: logic (HermiT: the ontology has no contradiction), shape (SHACL: each node has the "
               "properties and types its class needs) and sanity (statements that cannot all be true); "
               "not whether the articles were read right")
    st = ontology_stats()
    click.echo(f"ontology: {st.classes} classes, {st.object_properties} object properties, "
               f"{st.data_properties} data properties, {st.axioms} axioms")
    try:
        rep = check_ontology()
    except Exception as e:  # a missing Java is the user's environment, not a bug
        fail(f"reasoner failed: {str(e).splitlines()[0] if str(e) else type(e).__name__} (is Java 17 installed?)")
    click.echo(f"HermiT: {'consistent' if rep.consistent else 'INCONSISTENT'}; "
               f"unsatisfiable classes: {', '.join(rep.unsatisfiable) or 'none'}")
    ok = rep.consistent and not rep.unsatisfiable
    if not no_data:
        store_dir = store_path or os.environ.get("KG_STORE") or "./kg-store"
        if endpoint or Path(store_dir).exists():
            from kg.ops.stats import data_graph
            from kg.graph.ontology import validate_graph
            from kg.sparql.checks import run_checks

            with opened_store(store_path, endpoint, read_only=True, own_errors=True) as store:
                g = data_graph(store)
                findings = run_checks(store)
            sh = validate_graph(g)
            click.echo(f"SHACL: {'conforms' if sh.conforms else 'does NOT conform'} "
                       f"({len(g)} data triples, {sh.violations} violations)")
            if not sh.conforms:
                click.echo(sh.text, err=True)
            for f in findings:
                click.echo(f"sanity: {f.count} {f.description}")
                for example in f.examples:
                    click.echo(f"    {example}")
            ok = ok and sh.conforms and not any(f.count for f in findings)
        else:
            click.echo(f"SHACL: no store at {store_dir}; skipped")
    sys.exit(0 if ok else 1)


@cli.command()
@click.argument("gold_dir", type=click.Path(file_okay=False))
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the scores as JSON here.")
@click.option("--per-article/--total-only", default=True, help="Show a row per article.")
@click.option("--explain", is_flag=True, help="List every disagreement with the gold, article by article.")
@click.option("--merging", is_flag=True,
              help="Also load the folder into one store, run kg merge, and score the grouping of accounts.")
@click.option("--identity", is_flag=True,
              help="Also load the folder into one store and report identity across articles: real entities "
                   "that are one node, wrong merges, shared places linked to GeoNames.")
@click.option("--clusters", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="With --merging: score against these hand-made event clusters (default: GOLD_DIR/clusters.json "
                   "when present, else clusters derived from the gold by rule).")
@click.option("--folds", type=click.IntRange(min=2), default=None, metavar="K",
              help="Also report K folds grouped by theatre (an article's theatre in one fold only) and "
                   "their mean: the figure to quote. Fold 0 is the check split.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold assignment.")
def evaluate(gold_dir, json_out, per_article, explain, merging, identity, clusters, folds, seed) -> None:
    """Score extraction against gold annotations (NAME.txt + NAME.gold.json) in GOLD_DIR."""
    from kg.ops.evaluate import EvaluationError, evaluate_dir, render_explanations, render_report
    from kg.ops.folds import evaluate_folds, render_folds

    try:
        report = evaluate_folds(Path(gold_dir), folds, seed) if folds else evaluate_dir(Path(gold_dir))
    except (EvaluationError, ValueError) as e:
        fail(str(e))
    if explain:
        click.echo(render_explanations(report))
    click.echo(render_report(report, per_article=per_article and not folds))
    if folds:
        click.echo("")
        click.echo(render_folds(report["folds"]))
    if merging:
        from kg.ops.evaluate import evaluate_merging

        try:
            m = evaluate_merging(Path(gold_dir), clusters=Path(clusters) if clusters else None)
        except (EvaluationError, ValueError) as e:
            fail(str(e))
        report["merging"] = m
        f = lambda x: "-" if x is None else f"{x:.2f}"  # noqa: E731
        split = sum(1 for n in m["merged_events_per_shared_real_event"].values() if n > 1)
        click.echo(f"merging: pairwise precision {f(m['pairwise_precision'])}, recall {f(m['pairwise_recall'])} "
                   f"(of events the extractor found: {f(m['pairwise_recall_of_found_events'])}); "
                   f"{m['real_events_in_several_articles']} real events told by several articles, "
                   f"{split} of them split over several merged events; against "
                   f"{m['clusters'] or 'clusters derived from the gold by rule'}")
    if identity:
        from kg.ops.evaluation.identity import evaluate_identity, render_identity

        report["identity"] = evaluate_identity(Path(gold_dir))
        click.echo(render_identity(report["identity"], details=explain))
    if json_out:
        import json

        Path(json_out).write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


@cli.group()
def link() -> None:
    """Link the graph's places and actors to other knowledge graphs."""


@link.command("wikidata")
@click.option("--wikidata-endpoint", envvar="KG_WIKIDATA_ENDPOINT", default=None, metavar="URL",
              help="Wikidata-compatible SPARQL service (env KG_WIKIDATA_ENDPOINT; default the public one).")
@click.option("--offline", is_flag=True, help="Use cached answers only; fail if one is missing.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.75, show_default=True,
              help="Write only links scoring at least this.")
@click.option("--dry-run", is_flag=True, help="Show the links; write nothing.")
@click.option("--undo", is_flag=True, help="Remove every Wikidata link (drop the linking graph).")
@click.option("--cache-dir", metavar="DIR", default=None,
              help="Answer cache folder (env KG_CACHE_DIR; default ~/.cache/conflict-kg).")
@click.option("-v", "--verbose", is_flag=True, help="List every link and every candidate below the threshold.")
@store_option
@endpoint_option
def link_wikidata_cmd(wikidata_endpoint, offline, min_score, dry_run, undo, cache_dir, verbose,
                      store_path, endpoint) -> None:
    """Link places (GeoNames id, ISO 3166-2 code) and actors (names, kind, country) to Wikidata."""
    from kg.ops.link import DEFAULT_ENDPOINT, LINK_GRAPH, AnswerCache, LinkError, default_cache_dir, link_wikidata, unlink_wikidata

    if undo and (dry_run or offline):
        raise UsageProblem("--undo takes no --dry-run or --offline")
    wd_endpoint = wikidata_endpoint or DEFAULT_ENDPOINT
    if not wd_endpoint.startswith(("http://", "https://")):
        raise UsageProblem(f"--wikidata-endpoint {wd_endpoint!r}: expected an http(s) URL")
    with opened_store(store_path, endpoint, read_only=dry_run, also=(LinkError,)) as store:
        if undo:
            n = unlink_wikidata(store)
            click.echo(f"removed {n} Wikidata links (graph {LINK_GRAPH})", err=True)
            return
        cache = AnswerCache(cache_dir or default_cache_dir())
        t0 = time.perf_counter()
        report = link_wikidata(store, endpoint=wd_endpoint, cache=cache, offline=offline,
                               min_score=min_score, dry_run=dry_run)
    if dry_run or verbose:
        for lk in report.links:
            click.echo(f"{lk.node}\twd:{lk.qid}\t{lk.score:.3f}\t{lk.method}\t{lk.node_label}\t{lk.wd_label}")
    for a in report.ambiguous:
        cands = "; ".join(f"wd:{q} {lab!r} {s:.3f}" for q, lab, s in a.candidates)
        click.echo(f"kg: ambiguous, not linked: {a.node_label!r} ({a.node}): {cands}", err=True)
    if verbose:
        for node, label, qid, score in report.below:
            click.echo(f"kg: below {min_score}: {label!r} ({node}): best wd:{qid} {score:.3f}", err=True)
    where = "dry run, nothing written" if dry_run else f"graph {LINK_GRAPH}"
    click.echo(f"{report.summary()} in {time.perf_counter() - t0:.1f}s ({where})", err=True)


@cli.command()
@click.option("--window", default=1, show_default=True, type=click.IntRange(0, 60),
              help="Days either side of an account's date within which accounts may be one event.")
@click.option("--threshold", default=0.6, show_default=True, type=click.FloatRange(0, 1),
              help="Lowest pair score that groups two accounts.")
@click.option("--undo", is_flag=True, help="Remove the merged graph.")
@store_option
@endpoint_option
def merge(window, threshold, undo, store_path, endpoint) -> None:
    """Group event accounts from different articles into merged events (graph .../merged)."""
    from kg.ops.merge import merge_store, undo_merge

    with opened_store(store_path, endpoint, read_only=False) as store:
        if undo:
            undo_merge(store)
            click.echo("merged graph removed", err=True)
            return
        r = merge_store(store, window=window, threshold=threshold)
    click.echo(f"merged {r.accounts} event accounts into {r.merged_events} events "
               f"({r.multi_account_events} told by several articles; {r.pairs_scored} pairs scored "
               f"in {r.seconds:.2f}s)", err=True)

cli.add_command(feed_commands.watch)
cli.add_command(feed_commands.feeds)
cli.add_command(report_commands.report)
cli.add_command(bulk_commands.extract)
cli.add_command(bulk_commands.load)


def main() -> None:
    from kg.runtime.interrupt import Interrupted

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        sys.exit(130)
    except click.UsageError as e:
        msg = e.format_message().splitlines()[0]
        cmd = e.ctx.command_path if e.ctx else "kg"
        click.echo(f"kg: usage error: {msg} (see `{cmd} --help`)", err=True)
        sys.exit(2)
    except click.ClickException as e:
        click.echo(f"kg: error: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("kg: interrupted", err=True)
        sys.exit(130)
    except Interrupted as e:  # SIGINT/SIGTERM outside the places that report what was done
        click.echo(f"kg: interrupted by {e.name}", err=True)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as e:  # an internal error: one line unless debugging
        if os.environ.get("KG_DEBUG"):
            raise
        click.echo(f"kg: internal error: {type(e).__name__}: {e} (set KG_DEBUG=1 for a traceback)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
