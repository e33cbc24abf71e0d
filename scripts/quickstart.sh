#!/usr/bin/env bash
# Quick start, first command: install what is missing, build, and run the main job on the
# bundled default city (central Amsterdam). With a display, the desktop app opens on the
# concert-on-the-Dam scenario and plays it; otherwise the headless engine imports the city,
# runs and compares scenarios, and writes reports into out/quickstart/.
# CITYTWIN_STUDIO_ARGS: more options for the desktop app (the tests take a screenshot and quit).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  scripts/install-deps.sh --gui
else
  scripts/install-deps.sh
fi
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"

city=assets/data/osm/amsterdam-centrum.osm.gz
out=out/quickstart
mkdir -p "$out"
studio=build/release/ui/citytwin-studio
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -x "$studio" ]]; then
  # shellcheck disable=SC2086  # the extra options are words
  exec "$studio" --open scenarios/amsterdam-event/base.yaml --play ${CITYTWIN_STUDIO_ARGS:-}
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
