#!/usr/bin/env bash
# Quick start, second command: install what is missing, build (RelWithDebInfo with asserts)
# and run every test through ctest. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt, OpenSceneGraph and Xvfb: the desktop app and its tests (under Xvfb, no display needed);
# SUMO: the traffic comparison tests run it; Chromium: the report test renders the HTML.
scripts/install-deps.sh --gui --sumo --report
cmake --preset release -DCITYTWIN_BUILD_TESTS=ON
cmake --build --preset release --parallel "$(nproc)"
ctest --preset release --parallel "$(nproc)"
