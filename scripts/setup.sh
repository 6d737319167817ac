#!/usr/bin/env bash
# One command from a fresh clone to a working graph: creates .venv, installs conflict-kg with its
# test extras (a plain, non-editable install, as a user gets it), ingests the bundled example and
# asks two questions of it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q '.[dev]'
export KG_STORE=${KG_STORE:-./kg-store}
.venv/bin/kg ingest examples/homs-offensive-2015.txt --published 2015-10-15 --outlet "Middle East Eye"
.venv/bin/kg query who-controls --param place=Talbisseh
.venv/bin/kg query events
