#pragma once
#include <string>

namespace citytwin::cli {

struct RunOptions {
  std::string scenario;
  std::string out_dir;
  int threads = 0;
  long long seed = -1;  ///< < 0: the scenario's
  bool force = false;
  bool quiet = false;
};

/// `citytwin run`: a crowd scenario headless, writing summary.json, timeseries.csv,
/// travel_times.csv and trajectories.txt (Juelich format) into the output folder.
int runScenario(const RunOptions& options);

}  // namespace citytwin::cli
