"""kg ingest --feed/--feeds, kg watch, kg feeds: news feeds polled into the store (kg/ops/feeds.py)."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from kg.commands.common import (UsageProblem, echo_article, endpoint_option, fail, ingest_stopped, opened_store,
                                store_option)


def feed_mode(feed_urls: tuple[str, ...], feeds_file: str | None, paths: tuple[str, ...],
               single: tuple[Any, ...]) -> bool:
    """Whether kg ingest reads feeds; PATHs are required otherwise (click's own message, as
    before the feed options existed), and not allowed with feeds."""
    if not (feed_urls or feeds_file):
        if not paths:
            ctx = click.get_current_context()
            raise click.MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "paths"))
        return False
    if paths or any(single):
        raise UsageProblem("--feed/--feeds take no PATHs, --published, --outlet or --url")
    return True


def _feed_list(feed_urls: tuple[str, ...], feeds_file: str | None) -> list[str]:
    from kg.ops.feeds import read_feed_list
    from kg.read.errors import InputError

    urls = list(feed_urls)
    if any(not u.startswith(("http://", "https://")) for u in urls):
        raise UsageProblem("--feed: expected an http(s) URL")
    try:
        urls += read_feed_list(feeds_file) if feeds_file else []
    except InputError as e:
        fail(str(e))
    if not urls:
        fail(f"{feeds_file}: no feed URLs")
    return urls


def _feed_pass(store: Any, state: Any, client: Any, feeds: list[str], *, quiet: bool, progress: bool | None,
               started: list[Any] | None = None, **options: Any) -> tuple[Any, Any, Any]:
    """One pass over the feeds into the store: (the Ingest, its report, the poll report)."""
    from contextlib import nullcontext

    from kg.ops.feeds import feed_ingest
    from kg.runtime.progress import IngestProgress, want_progress

    bar = IngestProgress() if want_progress(progress) and not quiet else None
    echo = bar.echo if bar else (lambda m: click.echo(m, err=True))
    run, poller = feed_ingest(store, state, client, on_notice=echo, on_error=lambda m: echo(f"kg: failed: {m}"),
                              on_article=None if quiet or bar else echo_article,
                              on_progress=bar.update if bar else None, **options)
    if started is not None:
        started.append(run)  # the caller's ingest_stopped reads how far it got
    report = run.run(poller.items(feeds), loading=bar or nullcontext())
    poller.finish()
    return run, report, poller.report


def ingest_feeds(feed_urls: tuple[str, ...], feeds_file: str | None, store_path: str | None,
                  endpoint: str | None, *, quiet: bool, progress: bool | None, **options: Any) -> None:
    """kg ingest --feed/--feeds: one pass; exit status 1 if any feed or item failed."""
    from kg.ops.feedhttp import PoliteClient
    from kg.ops.feedstate import FeedState, state_path
    from kg.ops.parallel import WorkerError
    from kg.read.errors import InputError
    from kg.runtime import interrupt
    from kg.store import StoreError

    feeds = _feed_list(feed_urls, feeds_file)
    interrupt.install()
    with opened_store(store_path, endpoint, read_only=False, own_errors=True) as store:
        try:
            state, client = FeedState(state_path(store_path, endpoint)), PoliteClient()
        except InputError as e:
            fail(str(e))
        t0 = time.perf_counter()
        started: list[Any] = []
        try:
            _, report, polled = _feed_pass(store, state, client, feeds, quiet=quiet, progress=progress,
                                           started=started, **options)
        except (StoreError, WorkerError, interrupt.Interrupted) as e:
            ingest_stopped(e, started[0] if started else _NoRun(), t0)
        finally:
            client.close()
            state.close()
    click.echo(f"{polled.summary()}; {report.summary()} in {time.perf_counter() - t0:.1f}s", err=True)
    if report.failed:
        sys.exit(1)


class _NoRun:
    """What ingest_stopped reads when a run stopped before its Ingest existed."""

    report = None
    stage = "loading"


@click.command()
@click.option("--feeds", "feeds_file", required=True, metavar="FILE",
              help="A file of feed URLs, one a line (read again before every pass).")
@click.option("--every", default="15m", show_default=True, metavar="DURATION", help="Time between passes: 15m, 30s, 1h.")
@click.option("--runs", default=0, type=click.IntRange(min=0), help="Stop after this many passes (0: until stopped).")
@click.option("--batch-size", default=16, show_default=True, help="Articles per spaCy batch.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line of each pass.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Extraction processes.")
@click.option("--merge/--no-merge", "do_merge", default=True, show_default=True,
              help="Re-group event accounts into merged events after each pass that loaded articles.")
@store_option
@endpoint_option
def watch(feeds_file, every, runs, batch_size, quiet, workers, do_merge, store_path, endpoint) -> None:
    """Poll the feeds of FILE every DURATION and load new items, until stopped (Ctrl-C, SIGTERM).

    A signal finishes the article being written and ends cleanly; exit status 1 if any pass had a
    failure."""
    from kg.ops.feeds import parse_every
    from kg.read.errors import InputError

    try:
        seconds = parse_every(every)
    except InputError as e:
        raise UsageProblem(str(e)) from None
    _feed_list((), feeds_file)  # a missing or bad file is an error before anything starts
    failed = _watch_loop(feeds_file, seconds, runs, store_path, endpoint, quiet=quiet, batch_size=batch_size,
                         workers=workers, merge=do_merge)
    sys.exit(1 if failed else 0)


def _watch_loop(feeds_file: str, seconds: float, runs: int, store_path: str | None, endpoint: str | None, *,
                quiet: bool, **options: Any) -> bool:
    """The passes of kg watch; True if one of them had a failure."""
    from kg.ops.feedhttp import PoliteClient
    from kg.ops.feeds import sleep_until
    from kg.ops.feedstate import FeedState, state_path
    from kg.read.errors import InputError
    from kg.runtime import interrupt
    from kg.store import StoreError

    interrupt.install()
    failed, n = False, 0
    with opened_store(store_path, endpoint, read_only=False, own_errors=True) as store:
        try:
            state, client = FeedState(state_path(store_path, endpoint)), PoliteClient()
        except InputError as e:
            fail(str(e))
        try:
            while not runs or n < runs:
                n += 1
                t0, next_at = time.perf_counter(), time.monotonic() + seconds
                try:
                    _, report, polled = _feed_pass(store, state, client, _feed_list((), feeds_file), quiet=quiet,
                                                   progress=False, **options)
                    failed = failed or bool(report.failed)
                    click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} pass {n}: {polled.summary()}; "
                               f"{report.summary()} in {time.perf_counter() - t0:.1f}s", err=True)
                except StoreError as e:
                    failed = True
                    click.echo(f"kg: pass {n} failed: {e}; trying again at the next pass", err=True)
                if not runs or n < runs:
                    sleep_until(next_at)
        except interrupt.Interrupted as e:
            done = e.report.summary() + " in the pass stopped" if e.report is not None else "between passes"
            click.echo(f"kg: watch stopped by {e.name} after {n} passes ({done}); rerun to resume", err=True)
        finally:
            client.close()
            state.close()
    return failed


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_option
@endpoint_option
def feeds(fmt, store_path, endpoint) -> None:
    """The feeds polled into this store: last fetch, last new item, items loaded, errors."""
    import dataclasses
    import json

    from kg.ops.feedstate import FeedState, state_path
    from kg.read.errors import InputError

    path = state_path(store_path, endpoint)
    if not path.exists():
        click.echo(f"kg: no feeds polled into this store yet ({path} does not exist)", err=True)
        return
    try:
        state = FeedState(path)
    except InputError as e:
        fail(str(e))
    rows = state.feeds()
    state.close()
    if fmt == "json":
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], indent=1))
        return
    when = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) if t else "never"  # noqa: E731
    for r in rows:
        moved = f" -> {r.current_url}" if r.current_url != r.url else ""
        click.echo(f"{r.url}{moved}{'  (gone: 410, not polled)' if r.gone else ''}")
        click.echo(f"    {r.title or '(no title)'}: last fetch {when(r.last_fetch)} ({r.last_status or '-'}), "
                   f"last new item {when(r.last_new)}, {r.items} items, {r.errors} errors")
        if r.last_error:
            click.echo(f"    last error: {r.last_error}")
