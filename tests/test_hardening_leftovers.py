"""Issue 15, items whose existing tests checked the behaviour but not the mechanism: every
`kg serve` query worker runs under its own memory limit (item 6), and `kg export -o` refuses a
device node too (item 13: it overwrote one as root)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import httpx
import pytest

from .conftest import run_kg
from .servers import KgServe


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


def _data_limit(pid: int) -> int | None:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max data size"):
            soft = line.split()[3]
            return None if soft == "unlimited" else int(soft)
    return None


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="Linux /proc")
def test_every_query_worker_runs_under_its_memory_limit(example_store):
    """RLIMIT_DATA (heap and private mappings; RLIMIT_AS would also count the store's mapped files)
    of --max-memory MB in each worker, the server itself unlimited; a replaced worker too."""
    with KgServe(example_store, "--max-memory", "300", "--workers", "2") as server:
        assert httpx.get(server.url, params={"query": "ASK {}"}, timeout=30).status_code == 200
        deadline = time.monotonic() + 20
        while len(kids := _children(server.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        # multiprocessing's own helper (resource tracker / fork server) runs no query: not limited
        workers = [k for k in kids if not any(h in _cmdline(k) for h in ("resource_tracker", "forkserver"))]
        limits = [_data_limit(k) for k in workers]
        assert len(limits) == 2 and all(x == 300 * 1024 * 1024 for x in limits), (limits, [_cmdline(k) for k in kids])
        assert _data_limit(server.proc.pid) is None  # the main process is not starved


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_export_refuses_a_device_node(tmp_path, example_store):
    dev = tmp_path / "null.ttl"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null twin
    p = run_kg("export", "-o", str(dev), store=example_store, timeout=60)
    assert p.returncode == 1 and "not a regular file" in p.stderr_text, p.stderr_text
    assert len(p.stderr_text.strip().splitlines()) == 1
    assert stat.S_ISCHR(dev.stat().st_mode)  # still the device, not replaced by a file
