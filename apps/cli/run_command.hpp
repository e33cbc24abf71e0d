#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "citytwin/engine/scenario_file.hpp"

namespace citytwin::cli {

struct RunOptions {
  std::string scenario;
  std::string out_dir;
  int threads = 0;
  long long seed = -1;        ///< < 0: the scenario's
  long long seed_offset = 0;  ///< added to the scenario's seeds (replication k: k - 1)
  int replications = 0;       ///< 0: as the scenario says (default 1)
  std::vector<engine::ScenarioOverride> overrides;  ///< values set from outside (sweeps)
  /// An observation set whose sensors count the simulated traffic (sensor_counts.csv), compared
  /// with its observed counts where it has them ("" : none).
  std::string sensors;
  bool force = false;
  bool quiet = false;
};

/// `citytwin run`: a scenario headless (crowd, traffic or both), writing summary.json and the
/// result files into the output folder. With more than one replication, each goes into
/// rep-001, rep-002, ... with seeds scenario seed + 0, + 1, ...; finished replications of the
/// same scenario are kept (an interrupted run resumes), and summary.json gives each KPI's mean
/// and 95 % confidence interval.
int runScenario(const RunOptions& options);

/// One run of a scenario into `options.out_dir` (no replications).
int runOnce(const RunOptions& options);

/// Replications 1 .. count of a scenario into out_dir/rep-001 ...; those already finished with
/// the same inputs and seeds are kept. Returns their folders.
std::vector<std::filesystem::path> runReplications(const RunOptions& options, int count,
                                                   bool quiet_each);

}  // namespace citytwin::cli
