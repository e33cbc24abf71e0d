#pragma once
// `citytwin calibrate` for a crowd scenario: fits the sources' arrival profiles to the counts of
// the cameras on their streets (see engine/mobility/arrival_calibration.hpp).
#include "calibrate_command.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/geodata/city_model.hpp"

namespace citytwin::cli {

/// Writes calibrated.yaml (the scenario with the fitted profiles, runnable as it is),
/// profiles.csv (people per interval per source, before and after), fit.csv and summary.json.
int runCrowdCalibration(const CalibrateOptions& options, const engine::ScenarioFile& file,
                        const geodata::CityModel& city);

}  // namespace citytwin::cli
