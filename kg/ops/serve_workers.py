"""`kg serve`'s query workers: processes that can be killed when a query overruns, each bounded
in memory, all answering from one snapshot of the store.

Why processes: pyoxigraph cannot cancel a running query, and a blocking operator (COUNT, ORDER
BY, GROUP BY over a cartesian product) computes inside one call. With threads, a query past its
budget is answered 503 but keeps its thread busy until it ends: measured, 8 such queries made
the endpoint answer 503 to everything afterwards. A worker that overruns is killed and replaced.

Why a memory limit: a 928-character query doubling a string (nested BIND(CONCAT(?s, ?s))) took
4.1 GB in one worker within its 15 s budget; four at once exceed the machine. Each worker sets
RLIMIT_DATA (--max-memory MB) at start; an allocation past it aborts the worker (Rust) or raises
MemoryError (Python), the client gets one line (503) and the worker is replaced.

Why a snapshot: a replacement opened the store as an ingest had left it since the server
started, and answers alternated between 30 and 4,030 articles. All workers, replacements too,
open one snapshot taken when the server starts: hard links to the store's table files (which
RocksDB never changes) and copies of its small mutable files, beside the store, removed when the
server stops (and, after a crash, by the next `kg serve` on the same store). It takes no more
disk until an ingest compacts files away.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from kg.ops.serve import Refused, ServeConfig, SparqlService
from kg.store.base import StoreError

RESPAWN_BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)  # seconds between tries to start a replacement


def _manifest_state(store: Path) -> tuple[str, int, int]:
    """What changes whenever RocksDB adds or drops a table file: the MANIFEST it names and its size."""
    current = (store / "CURRENT").read_text().strip()
    st = (store / current).stat()
    return current, st.st_size, st.st_mtime_ns


def _remove_stale(store: Path) -> None:
    """Snapshots left by a `kg serve` that was killed (its process is gone)."""
    for old in store.parent.glob(f".{store.name}.serve-*"):
        try:
            os.kill(int(old.name.rsplit("-", 1)[1]), 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except (ValueError, PermissionError):
            pass


def snapshot(store: Path) -> Path:
    """A read-only copy of the store as it is now: table files hard-linked, the rest copied.

    Consistent even while an ingest writes: a flush or compaction rewrites the MANIFEST, and a
    copy during which it changed is taken again; the write-ahead log is copied after the MANIFEST
    was read, so the snapshot holds a prefix of the writes (whole transactions: whole articles)."""
    _remove_stale(store)
    dest = store.parent / f".{store.name}.serve-{os.getpid()}"
    for _ in range(5):
        before = _manifest_state(store)
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir()
        for f in os.scandir(store):
            if f.name == "LOCK" or not f.is_file():
                continue
            if f.name.endswith(".sst"):
                try:
                    os.link(f.path, dest / f.name)
                    continue
                except OSError:  # another filesystem: copied
                    pass
            shutil.copy2(f.path, dest / f.name)
        if _manifest_state(store) == before:
            return dest
    shutil.rmtree(dest, ignore_errors=True)
    raise OSError("the store kept changing while it was copied")


class ProcessSparqlService(SparqlService):
    """Evaluates queries in `workers` worker processes over one snapshot of the store."""

    def __init__(self, store_path: str, config: ServeConfig, workers: int = 4) -> None:
        self.config = config
        self._snapshot: Path | None = None
        try:
            self._snapshot = snapshot(Path(store_path))
            self.store_path = str(self._snapshot)
        except OSError as e:  # e.g. a read-only folder: the live store, as before
            sys.stderr.write(f"kg serve: warning: cannot snapshot the store ({e}); workers open it directly and a "
                             "replaced one may see later writes\n")
            self.store_path = store_path
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_QueryWorker] = queue.Queue()
        self._closed = False
        self._all: set[_QueryWorker] = set()
        self._lock = threading.Lock()
        try:
            for _ in range(workers):
                self._idle.put(self._start())
            for w in list(self._all):  # fail at start-up, not at the first query, if workers cannot run
                w.ready(timeout=60)
        except BaseException:
            self.close()
            raise

    def _start(self) -> "_QueryWorker":
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_query_worker_main, name="kg-serve-query",
                                 args=(child, self.store_path, self.config, os.getpid()), daemon=True)
        proc.start()
        child.close()
        w = _QueryWorker(proc, parent)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, w: "_QueryWorker") -> None:
        """Kill a worker (overran or broke) and put a fresh one in its place, in the background."""
        w.kill()
        with self._lock:
            self._all.discard(w)
        threading.Thread(target=self._respawn, name="kg-serve-respawn", daemon=True).start()

    def _respawn(self) -> None:
        """Start a replacement, retrying with backoff: a pool that gave up would shrink for good and,
        once empty, answer every request 503. One log line when it fails, one when it recovers."""
        failed = 0
        while not self._closed:
            fresh = None
            try:
                fresh = self._start()
                fresh.ready(timeout=60)
            except OSError as e:
                if fresh is not None:
                    fresh.kill()
                    with self._lock:
                        self._all.discard(fresh)
                if not failed:
                    sys.stderr.write(f"kg serve: cannot start a query worker ({e}); retrying\n")
                time.sleep(RESPAWN_BACKOFF[min(failed, len(RESPAWN_BACKOFF) - 1)])
                failed += 1
                continue
            if failed:
                sys.stderr.write(f"kg serve: query worker started after {failed} failed tries\n")
            self._idle.put(fresh)
            return

    def run(self, sparql: str, accept: str, fmt: str | None) -> tuple[str, bytes]:
        budget = self.config.timeout_s
        deadline = time.monotonic() + budget
        try:
            w = self._idle.get(timeout=budget)
        except queue.Empty:
            raise Refused(503, f"server busy: no query worker free within {budget:g} s; retry later") from None
        try:
            w.conn.send((sparql, accept, fmt))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(w)
                w = None
                raise Refused(503, f"query timed out after {budget:g} s (server limit)")
            kind, a, b = w.conn.recv()
            if kind == "fatal":  # answered, but the worker ends itself (a MemoryError)
                self._replace(w)
                w = None
        except (EOFError, OSError):
            out_of_memory = w.died_of_abort()
            self._replace(w)
            w = None
            if out_of_memory:
                raise Refused(503, self._memory_message()) from None
            raise Refused(500, "query worker failed; retry") from None
        finally:
            if w is not None:
                self._idle.put(w)
        if kind == "ok":
            return a, b
        raise Refused(a, b)

    def _memory_message(self) -> str:
        return f"query ran out of memory ({self.config.max_memory_mb} MB per query, server limit)"

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            w.kill()
        if self._snapshot is not None:
            shutil.rmtree(self._snapshot, ignore_errors=True)
            self._snapshot = None


class _QueryWorker:
    def __init__(self, proc: Any, conn: Any) -> None:
        self.proc, self.conn = proc, conn

    def ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            raise OSError("a query worker did not start")
        msg = self.conn.recv()
        if msg != ("ready",):
            raise OSError(f"a query worker failed to open the store: {msg[1] if len(msg) > 1 else msg}")

    def died_of_abort(self) -> bool:
        """Whether the process ended by SIGABRT: what a failed Rust allocation does."""
        self.proc.join(timeout=2)
        return self.proc.exitcode == -signal.SIGABRT

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass


def _limit_memory(mb: int) -> None:
    """RLIMIT_DATA (heap and private mappings; not the store's mapped files, which RLIMIT_AS
    would count: a worker maps ~450 MB of address space idle, 93 MB of it data)."""
    import resource

    limit = mb * 1024 * 1024
    kind = getattr(resource, "RLIMIT_DATA", resource.RLIMIT_AS)
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(kind, (limit, hard))


def serve_one(service: SparqlService, conn: Any, job: tuple[str, str, str | None]) -> bool:
    """Answer one job on `conn`; False when the worker must end (its memory ran out)."""
    sparql, accept, fmt = job
    try:
        service.check(sparql)  # here, not in the server: a hostile text's scan costs worker time
        media, body = service.evaluate(sparql, accept, fmt, threading.Event())
        conn.send(("ok", media, body))
    except Refused as e:
        conn.send(("refused", e.status, str(e)))
    except MemoryError:
        conn.send(("fatal", 503, f"query ran out of memory ({service.config.max_memory_mb} MB per query, "
                                 "server limit)"))
        return False
    except Exception as e:  # one line for the client, never a traceback
        conn.send(("refused", 500, f"query failed: {type(e).__name__}"))
    return True


def _query_worker_main(conn: Any, store_path: str, config: ServeConfig, parent: int) -> None:
    """A query worker: opens the store read-only, answers (sparql, accept, fmt) jobs until its
    pipe closes. It ignores Ctrl-C (the server stops it) and dies with the server. Its stderr
    goes nowhere once it is ready: a failed Rust allocation prints a backtrace there, and the
    server logs one line for it instead."""
    from kg.ops.parallel import _exit_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent, death_signal=False)  # workers are also started from respawn threads
    os.environ["RUST_BACKTRACE"] = "0"
    from kg.store.embedded import EmbeddedStore

    try:
        store = EmbeddedStore(store_path, read_only=True)
    except StoreError as e:
        conn.send(("error", str(e)))
        return
    _limit_memory(config.max_memory_mb)
    service = SparqlService.__new__(SparqlService)  # evaluation only: no thread pool in a worker
    service.store, service.config = store, config
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if not serve_one(service, conn, job):
            return
