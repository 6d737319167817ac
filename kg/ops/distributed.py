"""Extraction on a Dask distributed cluster: the executor behind `kg ingest --executor dask`.

Why Dask and not a home-made pool over the network: extraction (the spaCy model is ~90% of an
ingest) is what outgrows one machine, and Dask already does the hard parts - scheduling over many
machines, rescheduling the task of a worker that died, deployment on SSH, Kubernetes and HPC.

The division of work is the one of kg/ops/parallel.py: a worker loads the pipeline once (the
PipelinePlugin, or the first task, whichever comes first) and turns a batch of articles into
plain N-Triples bytes (never spaCy objects); the client keeps the reading, the skip check and
every store write, so the store sees whole articles only, whatever a worker does. At most
`2 * worker threads` batches are in flight (back-pressure), and the results come back in input
order. A worker killed mid-batch costs nothing but time: the scheduler runs its batch again on
another worker, and the client, which writes only results, never sees the lost one.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from kg.model.records import Article
from kg.ops.parallel import Failed, WorkerError, decoded
from kg.runtime.batching import batched

CONNECT_TIMEOUT_S = 10  # a scheduler that does not answer within this is "unreachable" (one line)
EXTRA_HINT = "pip install 'conflict-kg[dask]'"


class SchedulerError(WorkerError):
    """The Dask scheduler cannot be reached or started; one line for the user (exit 1)."""


_pipeline_lock = threading.Lock()  # one spaCy pipeline per worker process, used by one thread at a time


def _load_pipeline() -> None:
    from kg.nlp.pipeline import build_nlp

    with _pipeline_lock:
        build_nlp()


def extract_on_worker(batch: list[Article]) -> list[tuple[bytes, int] | str]:
    """The Dask task: a batch's graphs as N-Triples (see parallel._extract_batch). The lock makes
    a worker started with several threads safe: spaCy's pipeline is not thread-safe, and one
    process gains nothing from two threads on it (it holds the GIL)."""
    from kg.ops.parallel import _extract_batch

    with _pipeline_lock:
        return _extract_batch(batch)


def pipeline_plugin() -> Any:
    """A worker plugin that loads the pipeline on every worker, also on one that joins later
    (a replacement for a dead one), off the worker's event loop so its heartbeats go on."""
    from distributed import WorkerPlugin

    class PipelinePlugin(WorkerPlugin):
        name = "conflict-kg-pipeline"

        async def setup(self, worker: Any) -> None:
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, _load_pipeline)

    return PipelinePlugin()


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of `workers` processes on
    127.0.0.1 (no dashboard), closed however the run ends."""
    try:
        import distributed
    except ImportError:
        raise SchedulerError(f"--executor dask needs the optional dependency distributed ({EXTRA_HINT})") from None
    cluster = None
    try:
        if scheduler is None:
            cluster = _local_cluster(distributed, workers)
            client = distributed.Client(cluster, timeout=CONNECT_TIMEOUT_S)
        else:
            _probe(scheduler)
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as e:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise SchedulerError(f"cannot reach {where} ({_reason(e)})") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _probe(address: str) -> None:
    """Refuse at once a TCP scheduler nobody listens on. Why: Dask's client retries a refused
    connection until its timeout, so a typo in the address cost CONNECT_TIMEOUT_S of silence."""
    import socket

    from distributed.comm import parse_address, parse_host_port

    scheme, loc = parse_address(address)
    if scheme not in ("tcp", "tls"):
        return
    host, port = parse_host_port(loc, default_port=8786)
    with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
        pass


def _local_cluster(distributed: Any, workers: int) -> Any:
    """A LocalCluster whose worker processes start with SIGINT blocked: Ctrl-C from the terminal
    reaches the whole process group, and only the client must handle it (it stops the cluster
    itself); a worker would print its own traceback. The cluster's loop thread, which starts (and
    restarts) the worker processes, is made here and keeps the mask."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _reason(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:200]


class DaskExecutor:
    """Extraction on a Dask cluster, with parallel.LocalExecutor's `article_graphs` method. The
    cluster is reached (or the LocalCluster started) only once a first article needs extracting:
    a rerun whose articles are all in the store needs no cluster."""

    def __init__(self, scheduler: str | None = None, workers: int = 2, *, in_flight: int | None = None) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.in_flight = in_flight
        self.client: Any = None  # while a run is on: tests and benchmarks look at the cluster

    def article_graphs(self, articles: Iterable[Article], *,
                       batch_size: int = 16) -> Iterator[tuple[Article, list[Any] | Failed]]:
        batches = batched(articles, batch_size)
        first = next(batches, None)
        if first is None:
            return
        with dask_client(self.scheduler, self.workers) as client:
            self.client = client
            try:
                client.register_plugin(pipeline_plugin())
                yield from self._run(client, first, batches)
            finally:
                self.client = None

    def _run(self, client: Any, first: list[Article],
             batches: Iterator[list[Article]]) -> Iterator[tuple[Article, list[Any] | Failed]]:
        limit = self.in_flight or max(2, 2 * sum(client.nthreads().values()))
        inflight: deque[tuple[list[Article], Any]] = deque()
        try:
            for batch in _chain(first, batches):
                inflight.append((batch, client.submit(extract_on_worker, batch, pure=False)))
                while len(inflight) >= limit:
                    yield from _finished(*inflight.popleft())
            while inflight:
                yield from _finished(*inflight.popleft())
        finally:  # interrupted, failed, or the consumer stopped: nothing more is computed
            client.cancel([f for _, f in inflight], force=True)


def _chain(first: list[Article], rest: Iterator[list[Article]]) -> Iterator[list[Article]]:
    yield first
    yield from rest


def _finished(batch: list[Article], future: Any) -> Iterator[tuple[Article, list[Any] | Failed]]:
    """A batch's results once its task is done. A task that failed for the cluster's reasons
    (workers killed again and again, the scheduler gone) stops the run with one line; an article
    that fails on its own is a Failed inside the result, as on one machine."""
    from distributed import KilledWorker

    try:
        graphs = future.result()
    except KilledWorker:
        raise WorkerError("Dask workers died again and again on one batch (out of memory?); rerun to resume") from None
    except (OSError, TimeoutError) as e:
        raise WorkerError(f"lost the Dask cluster ({_reason(e)}); rerun to resume") from None
    except Exception as e:  # noqa: BLE001 - e.g. conflict-kg missing on a worker: the run's failure
        raise WorkerError(f"a Dask task failed ({type(e).__name__}: {_reason(e)}); "
                          "is conflict-kg installed on every worker?") from None
    yield from decoded(batch, graphs)
