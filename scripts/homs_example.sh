#!/usr/bin/env bash
# The README's "one event, many outlets" example: the five outlets of ../shared/corpus/homs-2015
# loaded into one store (outlet and publication date from each article's gold file), then the
# merged Homs events and the outlets' accounts of two of them side by side.
#
#   bash scripts/homs_example.sh [CORPUS_DIR] [STORE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus/homs-2015}"
store="${2:-$(mktemp -d)/homs-store}"
kg=".venv/bin/kg"
[ -x "$kg" ] || { echo "homs_example.sh: $kg is missing: run 'bash scripts/setup.sh' first" >&2; exit 1; }
if ! ls "$corpus"/*.gold.json >/dev/null 2>&1; then
  echo "homs_example.sh: no NAME.txt + NAME.gold.json articles in $corpus (the shared corpus lives outside the repository; pass its homs-2015 folder as the first argument)" >&2
  exit 1
fi
for txt in "$corpus"/*.txt; do
  gold="${txt%.txt}.gold.json"
  outlet=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["outlet"])' "$gold")
  published=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["published"])' "$gold")
  "$kg" ingest "$txt" --outlet "$outlet" --published "$published" --store "$store" --no-merge -q
done
"$kg" merge --store "$store"
"$kg" query merged-events --store "$store" --param place="Homs province"
for cls in Offensive Airstrike; do
  event=$("$kg" query merged-events --store "$store" --param place="Homs province" --format json \
    | .venv/bin/python -c 'import json,sys
cls=sys.argv[1]
rows=json.load(sys.stdin)["results"]["bindings"]
best=max((r for r in rows if r["eventClass"]["value"]==cls), key=lambda r: int(r["accounts"]["value"]))
print(best["event"]["value"])' "$cls")
  "$kg" query event-accounts --store "$store" --param event="$event"
done
