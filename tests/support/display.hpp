#pragma once
// UI tests and benchmarks need a display: without one (CI, a server), the binary starts itself
// again under xvfb-run, with Mesa's software OpenGL.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace citytwin::test {

/// Returns when there is a display (or the arguments only list tests); else replaces the
/// process with itself under xvfb-run, or exits with a message when that cannot start.
inline void ensureDisplay(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--gtest_list_tests") == 0) return;
  if (std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY")) return;
  std::vector<char*> args{const_cast<char*>("xvfb-run"), const_cast<char*>("-a"),
                          const_cast<char*>("-s"),
                          const_cast<char*>("-screen 0 1920x1200x24 -nolisten tcp")};
  for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  execvp("xvfb-run", args.data());
  std::fprintf(stderr,
               "%s needs a display, and xvfb-run could not start (install xvfb: "
               "scripts/install-deps.sh --gui)\n",
               argv[0]);
  std::exit(2);
}

}  // namespace citytwin::test
