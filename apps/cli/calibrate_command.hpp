#pragma once
#include <string>

namespace citytwin::cli {

struct CalibrateOptions {
  std::string scenario;      ///< a traffic scenario with an OD matrix, or a crowd scenario
  std::string observations;  ///< the observation set: sensors and observed counts
  std::string out_dir;
  int replications = 3;  ///< simulations per OD entry
  double max_factor = 5.0;
  int rounds = 4;  ///< crowd: simulate-and-rescale rounds of the arrival profiles
  int threads = 0;
  bool force = false;
  bool quiet = false;
};

/// `citytwin calibrate SCENARIO OBSERVATIONS --out DIR`: fits the scenario's OD matrix to the
/// observed counts at the observation set's sensors. Writes calibrated_od.csv (the scaled
/// matrix, ready for the scenario's od_matrix), fit.csv (observed and simulated counts per
/// sensor and interval, before and after, with their GEH), and summary.json (the fit before
/// and after, the factor of every OD entry, the data register and the provenance). A crowd
/// scenario (no OD matrix) has its sources' arrival profiles fitted instead (calibrate_crowd).
int runCalibrate(const CalibrateOptions& options);

}  // namespace citytwin::cli
