#pragma once
// What the two calibrations (OD matrix, crowd arrival profiles) share: reading the observed
// counts into the city's frame, and the fit, data register and provenance of their reports.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/fit_statistics.hpp"
#include "citytwin/engine/mobility/observation_set.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "progress_bar.hpp"

namespace citytwin::cli {

struct CalibrationCounts {
  engine::mobility::ObservationSet set;
  std::unique_ptr<engine::mobility::PrivacyGate> gate;  ///< decides what fit.csv may show
  /// The count sources, then the virtual sensors on the set's trajectories.
  std::vector<engine::mobility::CountSeries> counts;
};

/// Loads the set into `frame`, prepares the results folder (see prepareOutputFolder) and reads
/// the counts through the privacy stage (progress up to 5 %).
CalibrationCounts readCalibrationCounts(const std::string& observations,
                                        const geodata::LocalFrame& frame,
                                        const std::filesystem::path& out, bool force,
                                        ProgressBar& bar);

nlohmann::json fitJson(const engine::mobility::CountFit& fit);

/// summary.json's provenance: the inputs (scenario, set and sources with their SHA-256), the
/// data register, the parameters given and the software.
nlohmann::json calibrationProvenance(const engine::ScenarioFile& file,
                                     const engine::mobility::ObservationSet& set,
                                     nlohmann::json parameters);

/// "GEH < 5 in .. % of .. intervals before, .. % after; RMSE .. -> .." and what was written.
void printFit(const engine::mobility::CountFit& before, const engine::mobility::CountFit& after,
              const std::filesystem::path& out, const std::string& files);

}  // namespace citytwin::cli
