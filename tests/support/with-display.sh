#!/bin/sh
# Runs a UI test binary with a display: the one there is, or a virtual one (Xvfb) in CI.
if [ -n "$DISPLAY" ] && [ -z "$CITYTWIN_TEST_XVFB" ]; then
  exec "$@"
fi
exec xvfb-run -a -s "-screen 0 1920x1200x24 -nolisten tcp" "$@"
