"""kg extract --to DIR and kg load DIR (kg/ops/bulk.py), and the --executor / --scheduler options
they share with kg ingest (kg/ops/distributed.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from kg.commands.common import UsageProblem, endpoint_option, fail, opened_store, store_option

executor_option = click.option(
    "--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
    help="Where extraction runs: processes on this machine, or a Dask cluster (pip install 'conflict-kg[dask]').")
LOADER_CHOICES = ("auto", "transactions", "pyoxigraph", "oxigraph", "virtuoso")  # kg.ops.bulk.LOADERS
scheduler_option = click.option(
    "--scheduler", metavar="ADDRESS", envvar="KG_DASK_SCHEDULER", default=None,
    help="--executor dask: the scheduler, e.g. tcp://HOST:8786 (env KG_DASK_SCHEDULER; default a local "
         "cluster of --workers processes).")


def make_executor(executor: str, scheduler: str | None, workers: int) -> Any:
    """The executor the options name; None means the in-process default (kg ingest's old path)."""
    if executor == "local":
        if scheduler:
            raise UsageProblem("--scheduler goes with --executor dask")
        return None
    from kg.ops.distributed import DaskExecutor

    return DaskExecutor(scheduler, workers)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATHS...")
@click.option("--to", "out", required=True, metavar="DIR", help="Folder of the partitions (created if missing).")
@click.option("--published", metavar="DATE", help="Publication date YYYY-MM-DD for every article without one.")
@click.option("--outlet", metavar="NAME", help="Publisher name for every article without one.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1),
              help="Articles per partition (and per extraction batch).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Extraction processes (or local Dask workers).")
@executor_option
@scheduler_option
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line.")
def extract(paths, out, published, outlet, batch_size, workers, executor, scheduler, quiet) -> None:
    """Extract articles to partitioned N-Quads files in DIR (one per batch), for `kg load`.

    \b
    A rerun skips the partitions already in DIR (same input, same --batch-size: same names).
    Exit status: 0 every item extracted; 1 any item failed (the rest is written)."""
    from kg.ops.bulk import BulkError, Extraction
    from kg.ops.parallel import LocalExecutor, WorkerError
    from kg.read.errors import one_line
    from kg.read.readers import InputError, parse_date, read_all
    from kg.runtime import interrupt

    try:
        pub = parse_date(published, what="--published") if published else None
    except InputError as e:
        fail(str(e))
    ex = make_executor(executor, scheduler, workers) or LocalExecutor(workers)
    echo = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    run = Extraction(Path(out), ex, batch_size=batch_size,
                     on_error=lambda msg: click.echo(f"kg: skipped: {one_line(msg)}", err=True),
                     on_partition=lambda name, what: echo(f"{what:>8}  {name}"))
    interrupt.install()
    t0 = time.perf_counter()
    try:
        r = run.run(read_all(list(paths), outlet=outlet, published=pub))
    except (BulkError, WorkerError) as e:
        fail(f"{e} ({_extracted(run.report)} before the failure; rerun to resume)")
    except interrupt.Interrupted as e:
        click.echo(f"kg: interrupted by {e.name}: {_extracted(run.report)} in {time.perf_counter() - t0:.1f}s; "
                   "rerun the same command to finish", err=True)
        sys.exit(e.exit_code)
    click.echo(f"{_extracted(r)}, {r.quads} quads in {time.perf_counter() - t0:.1f}s", err=True)
    if r.failed:
        sys.exit(1)


def _extracted(r: Any) -> str:
    return (f"{r.partitions_written} partitions written ({r.articles} articles), "
            f"{r.partitions_skipped} skipped (already in the folder), {r.failed} failed")


@click.command()
@click.argument("folder", metavar="DIR")
@click.option("--replace", is_flag=True, help="Rewrite article graphs already in the store.")
@click.option("--merge/--no-merge", "do_merge", default=True, show_default=True,
              help="Re-group event accounts into merged events after loading (kg merge).")
@click.option("--loader", type=click.Choice(LOADER_CHOICES), default="auto", show_default=True,
              help="auto: the embedded store's bulk loader, a server's SPARQL updates; transactions: one per "
                   "article, as ingest; oxigraph: the `oxigraph load` command (a stopped server's --store folder); "
                   "virtuoso: ld_dir + rdf_loader_run() through isql (docs/scaling.md).")
@click.option("--stage", metavar="DIR", default=None,
              help="--loader virtuoso: folder for the staged files, readable by the server and in its DirsAllowed "
                   "(default DIR/.staged).")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line.")
@store_option
@endpoint_option
def load(folder, replace, do_merge, loader, stage, quiet, store_path, endpoint) -> None:
    """Load the partitions `kg extract --to DIR` wrote into the store, then merge (as kg ingest).

    \b
    Article graphs already in the store are skipped, so a rerun finishes a stopped load.
    Exit status: 0 done; 1 a partition unreadable, an article refused, or the store failed."""
    from kg.ops.bulk import BulkError, Load, make_loader
    from kg.read.errors import one_line
    from kg.runtime import interrupt
    from kg.store import StoreError

    if not Path(folder).is_dir():
        fail(f"{folder}: no such folder")
    echo = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    interrupt.install()
    t0 = time.perf_counter()
    with opened_store(store_path, endpoint, read_only=False, own_errors=True) as store:
        try:
            chosen = make_loader(loader, store, Path(folder), replace=replace, stage=Path(stage) if stage else None)
        except (BulkError, StoreError) as e:
            fail(str(e))
        run = Load(store, loader=chosen, replace=replace, merge=do_merge,
                   on_partition=lambda name, what: echo(f"{what:>8}  {name}"),
                   on_error=lambda msg: click.echo(f"kg: skipped: {one_line(msg)}", err=True))
        try:
            r = run.run(Path(folder))
        except (BulkError, StoreError) as e:
            fail(f"{e} ({_loaded(run.report)} before the failure; rerun to resume)")
        except interrupt.Interrupted as e:
            where = "; kg merge did not finish" if run.stage == "merging" else ""
            click.echo(f"kg: interrupted by {e.name}: {_loaded(run.report)}{where}; rerun the same command to finish",
                       err=True)
            sys.exit(e.exit_code)
    if run.recovered:
        echo(f"redone: {run.recovered} article graphs of a bulk chunk a stopped load had begun")
    dt = time.perf_counter() - t0
    click.echo(f"{_loaded(r)} in {dt:.1f}s ({chosen.name} loader)", err=True)
    if run.merged is not None and not quiet:
        m = run.merged
        click.echo(f"merged {m.accounts} event accounts into {m.merged_events} events "
                   f"({m.multi_account_events} told by several articles)", err=True)
    if r.failed:
        sys.exit(1)


def _loaded(r: Any) -> str:
    return (f"{r.articles} articles loaded ({r.quads} quads) from {r.partitions_written} partitions, "
            f"{r.skipped} skipped (already in store), {r.failed} failed")
