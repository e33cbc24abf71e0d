#pragma once
#include <string>

namespace citytwin::cli {

struct SweepOptions {
  std::string sweep_file;
  std::string out_dir;
  int parallel = 0;   ///< runs at once; 0: the sweep file's (default 1)
  int threads = 0;    ///< worker threads in all; 0: all cores
  int only = 0;       ///< run just this design point (1-based), e.g. one task of a cluster array
  bool list = false;  ///< print the design and stop
  bool force = false;
  bool quiet = false;
};

/// `citytwin sweep SWEEP --out DIR`: a full-factorial design over scenarios (a base and its
/// variants) and named parameters, every point with the same replications and seeds, run in
/// parallel on this machine; writes DIR/results.csv (one row per run) and DIR/design.csv.
/// Finished runs are reused, so `--only K` on many machines and a final plain run (which
/// collects) spread a sweep over a cluster.
int runSweep(const SweepOptions& options);

}  // namespace citytwin::cli
