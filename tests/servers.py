"""Real servers on 127.0.0.1 for the tests and benchmarks: `oxigraph serve` and `kg serve`.

One place for starting, waiting for and stopping them (the endpoint, serve, Wikidata-linking and
fault tests all need them), so that every test talks to a real server on a free port of
127.0.0.1 and stops it afterwards - no network, no leftover processes.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The oxigraph server next to this Python (a venv's bin), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.exists():
        return str(here)
    return shutil.which("oxigraph")


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr:
        proc.stderr.close()


class OxigraphServer:
    """`oxigraph serve` over a folder (optionally loaded first with Turtle files); a context manager.

    `union=True` starts it with --union-default-graph, as conflict-kg's store needs."""

    def __init__(self, files: list[Path] | None, location: Path, *, union: bool = False) -> None:
        self.files, self.location, self.union = list(files or []), Path(location), union
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def __enter__(self) -> "OxigraphServer":
        exe = oxigraph_binary()
        if exe is None:
            raise RuntimeError("the oxigraph server binary is not installed (pip install '.[dev]')")
        self.location.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            subprocess.run([exe, "load", "--location", str(self.location), "--file", str(f)],
                           check=True, capture_output=True, timeout=120)
        args = [exe, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.union:
            args.append("--union-default-graph")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.proc.stderr.read().decode()[:300]}")
            try:
                r = httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=2,
                               headers={"Accept": "application/sparql-results+json"})
                if r.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("oxigraph serve did not answer within 20 s")

    def __exit__(self, *exc: object) -> None:
        _stop(self.proc)
        self.proc = None


class KgServe:
    """`kg serve` on a store, on a free port, as a user runs it; a context manager."""

    def __init__(self, store: Path, *args: str) -> None:
        self.store, self.args = Path(store), list(args)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def __enter__(self) -> "KgServe":
        env = dict(os.environ, KG_STORE=str(self.store))
        env.pop("KG_ENDPOINT", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "-q", "--port", str(self.port),
                                      *self.args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.url, timeout=1)
                return self
            except httpx.TransportError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    err = self.proc.stderr.read().decode()[:500] if self.proc.poll() is not None else "timeout"
                    self.__exit__()
                    raise RuntimeError(f"kg serve did not start: {err}")
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        _stop(self.proc)
        self.proc = None


class Virtuoso:
    """A throw-away Virtuoso 7 on 127.0.0.1 (as benchmarks/virtuoso.sh starts it: Debian's
    virtuoso-opensource, user dba/dba, anonymous SPARQL allowed to write), its database and a
    staging folder for the bulk loader under `work`, which its DirsAllowed lists."""

    def __init__(self, work: Path) -> None:
        Path(work).mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(dir=work))
        self.stage = self.dir / "stage"
        self.http, self.isql = free_port(), free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Virtuoso":
        ini = Path("/etc/virtuoso-opensource-7/virtuoso.ini").read_text()
        ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(self.dir))
        ini = re.sub(r"(?m)^ServerPort(\s*)= *1111", f"ServerPort = 127.0.0.1:{self.isql}", ini)
        ini = re.sub(r"(?m)^ServerPort(\s*)= *8890", f"ServerPort = 127.0.0.1:{self.http}", ini)
        ini = re.sub(r"(?m)^DirsAllowed.*", f"DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, {self.stage}", ini)
        ini = re.sub(r"(?m)^ResultSetMaxRows.*", "ResultSetMaxRows = 10000000", ini)
        (self.dir / "virtuoso.ini").write_text(ini)
        self.proc = subprocess.Popen(["virtuoso-t", "+configfile", str(self.dir / "virtuoso.ini"), "+foreground"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(240):
            try:
                if httpx.get(f"{self.url}?query=ASK%7B%7D", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        else:
            self.__exit__()
            raise RuntimeError("virtuoso-t did not answer within 120 s")
        self.sql('GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);')
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http}/sparql"

    def sql(self, text: str) -> None:
        p = subprocess.run(["isql-vt", f"127.0.0.1:{self.isql}", "dba", "dba", f"exec={text}"], text=True,
                           capture_output=True, check=False)
        if p.returncode != 0 or "*** Error" in p.stdout + p.stderr:
            raise RuntimeError(f"isql: {(p.stdout + p.stderr).strip()[:300]}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            subprocess.run(["isql-vt", f"127.0.0.1:{self.isql}", "dba", "dba", "exec=shutdown;"], capture_output=True)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
