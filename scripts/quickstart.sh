#!/usr/bin/env bash
# Quick start, first command: install what is missing, build, and run the main job on the
# bundled default city (central Amsterdam). With a display and citytwin-studio built, the
# desktop app opens on it; otherwise the headless engine imports the city and writes a report
# into out/quickstart/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"

city=assets/data/osm/amsterdam-centrum.osm.gz
out=out/quickstart
mkdir -p "$out"
studio=build/release/ui/citytwin-studio
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -x "$studio" ]]; then
  exec "$studio" --open "$city"
fi

# Headless: the quick start owns out/quickstart/, so it replaces its own earlier results.
build/release/apps/cli/citytwin import "$city" --out "$out/amsterdam.gpkg" --force
build/release/apps/cli/citytwin info "$out/amsterdam.gpkg" | tee "$out/report.txt"
build/release/apps/cli/citytwin info --json "$out/amsterdam.gpkg" > "$out/report.json"
# The morning peak on the centre's roads (a few seconds).
build/release/apps/cli/citytwin run scenarios/amsterdam-traffic/base.yaml --out "$out/traffic" --force
# A planner's comparison: the peak as it is, with a street closed, with a new signal plan;
# three runs each (about a minute).
build/release/apps/cli/citytwin compare scenarios/amsterdam-traffic/base.yaml \
  scenarios/amsterdam-traffic/closed-street.yaml scenarios/amsterdam-traffic/signal-plan.yaml \
  --replications 3 --out "$out/compare" --force
echo
echo "Report: $out/report.txt and $out/report.json; the model $out/amsterdam.gpkg opens in QGIS."
echo "Traffic: $out/traffic/summary.json, tripinfo.csv and edge_aggregates.csv."
echo "Comparison: open $out/compare/report.html in a browser; layers.gpkg opens in QGIS."
