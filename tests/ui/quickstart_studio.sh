#!/usr/bin/env bash
# The README's first command where there is a display (here Xvfb): it builds what is missing
# and opens the desktop app on the bundled city's event scenario. The extra options make it
# run 30 simulated seconds, save a screenshot and quit, so that the test can check it.
set -euo pipefail
source_dir=$1
shot=$2
rm -f "$shot"
export CITYTWIN_STUDIO_ARGS="--run-for 30 --screenshot $shot --quit --size 1280x800"
xvfb-run -a -s "-screen 0 1920x1200x24 -nolisten tcp" "$source_dir/scripts/quickstart.sh"
# A PNG of the whole window: signature, and more than a blank window would take.
[[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] || {
  echo "quickstart_studio: $shot is not a PNG" >&2
  exit 1
}
size=$(stat -c %s "$shot")
((size > 100000)) || {
  echo "quickstart_studio: $shot is only $size bytes: the city was not drawn" >&2
  exit 1
}
echo "quickstart_studio: the app opened the event scenario and wrote $shot ($size bytes)"
