#!/usr/bin/env bash
# Refresh the vendored JavaScript, CSS and TopoJSON of `kg report` (kg/data/report/vendor/) from
# npm, at the pinned versions below, with each package's licence beside its files. Run by a
# maintainer when a version changes; the report itself never needs npm or the network.
#   scripts/refresh_report_assets.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LEAFLET=1.9.4
TOPOJSON_CLIENT=3.1.0
WORLD_ATLAS=2.0.2
dest=kg/data/report/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unpack() {  # unpack NAME@VERSION into $tmp/NAME
  local spec=$1 name=${1%@*}
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$tmp/$name"
  tar -xzf "$tmp/$name"-*.tgz -C "$tmp/$name" --strip-components=1
}
unpack "leaflet@$LEAFLET"
unpack "topojson-client@$TOPOJSON_CLIENT"
unpack "world-atlas@$WORLD_ATLAS"
rm -rf "$dest" && mkdir -p "$dest"
cp "$tmp/leaflet/dist/leaflet.js" "$tmp/leaflet/dist/leaflet.css" "$dest/"
cp "$tmp/leaflet/LICENSE" "$dest/leaflet.LICENSE"
cp "$tmp/topojson-client/dist/topojson-client.min.js" "$dest/"
cp "$tmp/topojson-client/LICENSE" "$dest/topojson-client.LICENSE"
cp "$tmp/world-atlas/countries-50m.json" "$dest/"
cp "$tmp/world-atlas/LICENSE" "$dest/world-atlas.LICENSE"
cat > "$dest/VERSIONS" <<VERSIONS
leaflet $LEAFLET (BSD-2-Clause) leaflet.js leaflet.css
topojson-client $TOPOJSON_CLIENT (ISC) topojson-client.min.js
world-atlas $WORLD_ATLAS (ISC; Natural Earth data, public domain) countries-50m.json
VERSIONS
echo "vendored into $dest:"; ls -l "$dest"
