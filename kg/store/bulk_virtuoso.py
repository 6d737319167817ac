"""`kg load --loader virtuoso`: Virtuoso's bulk loader (`ld_dir` + `rdf_loader_run()`), driven
through its isql client, for a store that is a Virtuoso server (`--endpoint .../sparql`).

Why through isql: the bulk loader is a set of SQL procedures, not part of the SPARQL protocol.
It reads files on the server's disk, so the staged files go to a folder the server can read and
that its virtuoso.ini lists in DirsAllowed (`--stage DIR`, default the partitions' folder's
`.staged/`): this loader is for a Virtuoso on the machine (or a shared disk). `rdf_loader_run()`
commits as it goes without a transaction log, so the chunk is made whole by kg's bulk-pending
mark, written through SPARQL before the load, and the `checkpoint` after it makes it durable.
ld_dir remembers each file it loaded (DB.DBA.load_list) and would skip a file of the same name
again: the script first forgets the staging folder's entries, so a redone chunk is loaded.

Configuration (environment): KG_VIRTUOSO_ISQL (host:port of isql, default 127.0.0.1:1111),
KG_VIRTUOSO_USER (default dba), KG_VIRTUOSO_PASSWORD (required; passed on isql's command line,
as isql takes it), KG_VIRTUOSO_ISQL_BIN (default isql-vt, Debian's name, else isql).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kg.store.base import Store, StoreError
from kg.store.bulk_common import Graphs, chunk_quads
from kg.store.bulk_files import remove_staged, write_staged

ERROR_TAG = "KG-LOAD-ERROR"
#: graph for triples without one; a kg partition has none (every quad is in its article graph)
DEFAULT_GRAPH = "https://w3id.org/conflict-kg/state/bulk-default"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def isql_script(stage: Path) -> str:
    """The isql commands that load every *.nq file of the staging folder and report the failed
    ones (one `KG-LOAD-ERROR` row each)."""
    folder = _sql_string(str(stage))
    like = _sql_string(str(stage).rstrip("/") + "/%")
    return "\n".join([
        f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {like};",
        f"ld_dir({folder}, '*.nq', {_sql_string(DEFAULT_GRAPH)});",
        "rdf_loader_run();",
        "checkpoint;",
        f"SELECT '{ERROR_TAG}', ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE {like} "
        "AND ll_error IS NOT NULL;",
        "",
    ])


def load_errors(output: str) -> list[str]:
    """isql's error lines (`*** Error ...`) and the failed files' rows, from its output."""
    return [line.strip() for line in output.splitlines()
            if line.lstrip().startswith("*** Error") or (ERROR_TAG in line and "SELECT" not in line)]


@dataclass
class IsqlConnection:
    address: str
    user: str
    password: str
    binary: str

    @classmethod
    def from_env(cls) -> "IsqlConnection":
        password = os.environ.get("KG_VIRTUOSO_PASSWORD")
        if not password:
            raise StoreError("the virtuoso loader needs KG_VIRTUOSO_PASSWORD (and KG_VIRTUOSO_ISQL host:port, "
                             "KG_VIRTUOSO_USER) to run isql")
        binary = os.environ.get("KG_VIRTUOSO_ISQL_BIN") or shutil.which("isql-vt") or shutil.which("isql")
        if not binary:
            raise StoreError("the virtuoso loader needs Virtuoso's isql client (isql-vt; or set KG_VIRTUOSO_ISQL_BIN)")
        return cls(os.environ.get("KG_VIRTUOSO_ISQL", "127.0.0.1:1111"), os.environ.get("KG_VIRTUOSO_USER", "dba"),
                   password, binary)

    def run(self, script: str) -> str:
        try:
            p = subprocess.run([self.binary, self.address, self.user, self.password], input=script,
                               capture_output=True, text=True, check=False)
        except OSError as e:
            raise StoreError(f"{self.binary}: cannot run ({e.strerror or e})") from None
        out = p.stdout + p.stderr
        errors = load_errors(out)
        if p.returncode != 0 or errors:
            first = (errors or out.strip().splitlines() or [f"exit status {p.returncode}"])[0]
            raise StoreError(f"Virtuoso bulk load through isql {self.address} failed: {first[:200]}")
        return out


class VirtuosoLoader:
    name = "virtuoso"
    needs_mark = True

    def __init__(self, store: Store, stage: Path, connection: IsqlConnection | None = None) -> None:
        self.store = store
        self.stage = stage.resolve()
        self.isql = connection or IsqlConnection.from_env()

    def load(self, graphs: Graphs) -> dict[str, str]:
        remove_staged(sorted(self.stage.glob("*.nq")))  # a stopped run's leftovers
        staged = write_staged(chunk_quads(graphs), self.stage, "chunk")
        self.stage.chmod(0o755)  # the server's user reads them
        for path in staged:
            path.chmod(0o644)
        try:
            self.isql.run(isql_script(self.stage))
        finally:
            remove_staged(staged)
        return {}
