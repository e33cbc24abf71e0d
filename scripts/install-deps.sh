#!/usr/bin/env bash
# Installs the Debian 12 packages CityTwin needs that are missing. Idempotent: does nothing
# (and needs no network) when everything is there. Runs apt-get as root, or through sudo.
#   scripts/install-deps.sh          build and test packages
#   scripts/install-deps.sh --gui    also Qt 6, OpenSceneGraph and Xvfb for citytwin-studio
#   scripts/install-deps.sh --sumo   also SUMO and its tools, for the comparison tests
#   scripts/install-deps.sh --report also Chromium, to check that comparison reports render
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgdal-dev gdal-bin libproj-dev proj-bin proj-data libgeos-dev
  libosmium2-dev libprotozero-dev libexpat1-dev zlib1g-dev libbz2-dev libssl-dev
  nlohmann-json3-dev libcli11-dev libtbb-dev libyaml-cpp-dev libmosquitto-dev mosquitto
  libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema python3-yaml
)
for option in "$@"; do
  case "$option" in
    --gui) packages+=(qt6-base-dev libqt6opengl6-dev libqt6charts6-dev libopenscenegraph-dev xvfb xauth) ;;
    --sumo) packages+=(sumo sumo-tools python3) ;;
    --report) packages+=(chromium fonts-dejavu-core) ;;
    *) echo "install-deps: unknown option $option (use --gui, --sumo, --report)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}), and neither root nor sudo to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
