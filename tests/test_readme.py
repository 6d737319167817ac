"""The README's commands work in a fresh clone on what the repository ships (issue 17).

The first `bash` block after the set-up block is run line by line, as a user who followed the
README would: after scripts/setup.sh has loaded the bundled example into ./kg-store. Each command must
exit 0, and the showcase queries must give rows (a README query that prints "(0 rows)" on the
bundled example tells the user nothing works)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def readme_blocks() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [[ln for ln in b.splitlines() if ln.strip()] for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def command(line: str) -> list[str]:
    """A README line without its trailing comment, split as the shell would."""
    return shlex.split(line, comments=True)


def test_first_screen_shows_setup_and_tests():
    first = readme_blocks()[0]
    assert any(command(ln)[:2] == ["bash", "scripts/setup.sh"] for ln in first)
    assert any("pytest" in ln for ln in first)
    ci = (ROOT / ".ci" / "run").read_text()
    for ln in first:
        assert " ".join(command(ln)) in ci, f"CI does not run the README's command {ln!r}"


def test_readme_commands_run_on_the_bundled_example(tmp_path):
    work = tmp_path / "clone"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    env = dict(os.environ, PYTHONPATH=str(ROOT), KG_STORE=str(work / "kg-store"))
    env.pop("KG_ENDPOINT", None)

    def kg(args: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)

    # what scripts/setup.sh does before the README's second block
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    for ln in setup.splitlines():
        if ln.startswith(".venv/bin/kg "):
            p = kg(command(ln)[1:])
            assert p.returncode == 0, (ln, p.stderr)
    block = readme_blocks()[1]
    assert len(block) >= 5
    for ln in block:
        args = command(ln)
        assert args[0] == "kg", ln
        p = kg(args[1:])
        assert p.returncode == 0, (ln, p.stderr[-2000:])
        if args[1] == "query":
            assert "(0 rows)" not in p.stdout, f"README query gives no rows: {ln}"
        if args[1] == "ingest":
            assert "1 skipped" in p.stdout + p.stderr
    assert (work / "graph.ttl").stat().st_size > 1000
