"""What every `kg` command shares: the one-line error and its exit codes, the --store / --endpoint
options, the store a command works on, the ingest's per-article and stopped lines, and writing an
output file without ever replacing anything but a regular file."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click


class UsageProblem(click.UsageError):
    """Bad usage detected after parsing (exit 2)."""


def fail(msg: str, code: int = 1) -> NoReturn:
    from kg.read.errors import one_line

    click.echo(f"kg: error: {one_line(msg)}", err=True)
    sys.exit(code)


store_option = click.option(
    "--store", "store_path", envvar="KG_STORE", default=None, metavar="DIR",
    help="Embedded store folder (env KG_STORE; default ./kg-store).",
)
endpoint_option = click.option(
    "--endpoint", envvar="KG_ENDPOINT", default=None, metavar="URL",
    help="SPARQL 1.1 endpoint instead of the embedded store (env KG_ENDPOINT).",
)


@contextmanager
def opened_store(store_path: str | None, endpoint: str | None, *, read_only: bool,
                 also: tuple[type[Exception], ...] = (), own_errors: bool = False) -> Iterator[Any]:
    """The store a command works on, closed however the command ends.

    A StoreError at opening is the one-line error (exit status 1). So is a StoreError (locked,
    unreachable, a query that does not parse) or one of `also` raised by the body, unless the
    command handles its errors itself (own_errors: ingest says how far it got)."""
    from kg.store import StoreError, open_store

    try:
        store = open_store(store_path, endpoint, read_only=read_only)
    except StoreError as e:
        fail(str(e))
    caught = () if own_errors else (StoreError, *also)
    try:
        yield store
    except caught as e:
        fail(str(e))
    finally:
        store.close()


def echo_article(article: Any, what: str) -> None:
    from kg.read.errors import one_line

    title = one_line((article.title or article.source)[:70])
    click.echo(f"{what:>8}  {title}", err=True)


def ingest_stopped(e: BaseException, run: Any, t0: float) -> NoReturn:
    """The one line for an ingest that did not finish: how far it got, and that a rerun resumes
    (a store or worker failure: exit 1; SIGINT/SIGTERM: 128 + the signal, as shells do)."""
    from kg.runtime.interrupt import Interrupted

    done = getattr(e, "report", None) or run.report
    if not isinstance(e, Interrupted):
        so_far = f" ({done.summary()} before the failure; rerun to resume)" if done is not None else ""
        fail(f"{e}{so_far}")
    counts = done.summary() if done is not None else "nothing loaded"
    where = "; kg merge did not finish" if run.stage == "merging" else "; the articles in flight were not written"
    click.echo(f"kg: interrupted by {e.name}: {counts} in {time.perf_counter() - t0:.1f}s{where}; "
               "rerun the same command to finish", err=True)
    sys.exit(e.exit_code)


def check_output(output: str) -> None:
    """Refuse to replace anything but a regular file (one line, exit 1).

    Why: writing through a symlink replaced its target; a FIFO hung, a device node (as root)
    was overwritten, and a folder was a confusing OS error."""
    import stat

    try:
        mode = os.lstat(output).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        fail(f"{output}: cannot write ({e.strerror or e})")
    if not stat.S_ISREG(mode):
        kind = ("a symlink" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode) else
                "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not a regular file")
        fail(f"{output}: {kind}, not a regular file; refusing to replace it (give a new file name)")


def write_replacing(output: str, data: bytes) -> None:
    """Write to a new temporary file beside `output`, then rename it over `output`: a reader
    never sees half a file, and the rename replaces the name itself (never a symlink's target)."""
    import tempfile

    target = Path(output)
    check_output(output)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.",
                                   suffix=".part")
    except OSError as e:
        fail(f"{output}: cannot write ({e.strerror or e})")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an export is as readable as any new file
        check_output(output)
        os.replace(tmp, output)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        fail(f"{output}: cannot write ({e.strerror or e})")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
