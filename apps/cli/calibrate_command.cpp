#include "calibrate_command.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "calibrate_crowd.hpp"
#include "calibration_io.hpp"
#include "citytwin/engine/mobility/observation_replay.hpp"
#include "citytwin/engine/mobility/od_calibration.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/engine/traffic/city_network.hpp"
#include "citytwin/geodata/error.hpp"
#include "observation_input.hpp"
#include "output_file.hpp"
#include "progress_bar.hpp"
#include "provenance.hpp"

namespace citytwin::cli {
namespace {

namespace fs = std::filesystem;
namespace mobility = engine::mobility;
using json = nlohmann::json;

// HH:MM as OD matrices take it (whole minutes), else seconds.
std::string clock(double seconds) {
  const long s = std::lround(seconds);
  char text[64];
  if (s % 60 == 0) {
    std::snprintf(text, sizeof text, "%02ld:%02ld", s / 3600, s / 60 % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld", s);
  }
  return text;
}

}  // namespace

int runCalibrate(const CalibrateOptions& options) {
  geodata::CityModel city;
  const engine::ScenarioFile file = engine::loadScenarioFile(options.scenario, &city);
  if ((!file.has_traffic || file.traffic.od.empty()) && file.has_crowd) {
    return runCrowdCalibration(options, file, city);
  }
  if (!file.has_traffic || file.traffic.od.empty()) {
    throw geodata::InputError(
        options.scenario, "", "has no OD matrix or crowd to calibrate",
        "calibrate a scenario with traffic: od_matrix, or with crowd sources");
  }
  const fs::path out(options.out_dir);
  ProgressBar bar(!options.quiet);
  CalibrationCounts input =
      readCalibrationCounts(options.observations, city.frame, out, options.force, bar);
  const mobility::ObservationSet& set = input.set;
  const mobility::PrivacyGate& gate = *input.gate;
  const std::vector<mobility::CountSeries>& counts = input.counts;

  bar.update("building the road network", 0.06);
  engine::traffic::TrafficScenario scenario = file.traffic;
  scenario.gtfs_dir.clear();  // buses keep their timetable; only the OD trips are scaled
  const engine::traffic::Network net = engine::traffic::buildCityNetwork(city, scenario.network);
  mobility::OdCalibrationOptions calibration;
  calibration.replications = options.replications;
  calibration.max_factor = options.max_factor;
  calibration.threads = options.threads;
  const auto result = mobility::calibrateOdMatrix(
      net, scenario, set.sensors, set.interval_s, counts, calibration,
      [&](const std::string& stage, double f) { bar.update(stage, 0.08 + 0.92 * f); });
  bar.finish();

  {
    OutputFile od(out / "calibrated_od.csv");
    od.stream() << "from,to,begin,end,trips\n";
    for (std::size_t k = 0; k < scenario.od.size(); ++k) {
      const auto& e = scenario.od[k];
      char trips[32];
      std::snprintf(trips, sizeof trips, "%.2f", e.trips * result.factors[k]);
      od.stream() << scenario.zones[e.from].name << ',' << scenario.zones[e.to].name << ','
                  << clock(e.begin_s) << ',' << clock(e.end_s) << ',' << trips << '\n';
    }
    od.commit();
  }
  {
    OutputFile fit(out / "fit.csv");
    fit.stream() << "sensor,direction,interval_start,observed,simulated_before,simulated_after,"
                    "geh_before,geh_after\n";
    for (const auto& o : counts) {
      const auto* before = mobility::findSeries(result.simulated_before, o.sensor, o.direction);
      const auto* after = mobility::findSeries(result.simulated_after, o.sensor, o.direction);
      for (std::size_t i = 0; i < o.counts.size(); ++i) {
        const double t = o.intervalBegin(i);
        const double seen = o.counts[i];
        const double b = before ? before->countAt(t) : NAN;
        const double a = after ? after->countAt(t) : NAN;
        const double hourly = 3600.0 / o.interval_s;
        char row[256];
        if (std::isnan(seen) || !gate.publishable(seen)) {
          // Withheld or missing: the simulated values alone say nothing about anyone.
          std::snprintf(row, sizeof row, ",%.0f,%.0f,,", b, a);
        } else {
          std::snprintf(row, sizeof row, "%.0f,%.0f,%.0f,%.2f,%.2f", seen, b, a,
                        mobility::geh(b * hourly, seen * hourly),
                        mobility::geh(a * hourly, seen * hourly));
        }
        fit.stream() << o.sensor << ',' << o.direction << ',' << clock(t) << ',' << row << '\n';
      }
    }
    fit.commit();
  }

  json summary;
  summary["scenario"] = file.name;
  summary["observation_set"] = set.name;
  summary["method"] =
      "one simulation per OD entry (mean of " + std::to_string(options.replications) +
      " seeds) gives its contribution to each sensor and interval; bounded weighted least "
      "squares (weights 1/max(count, 5)) with a light pull towards the matrix as it was; the "
      "scaled matrix simulated in full for the fit after";
  summary["fit_before"] = fitJson(result.before);
  summary["fit_after"] = fitJson(result.after);
  summary["simulations"] = result.simulations;
  json entries = json::array();
  for (std::size_t k = 0; k < scenario.od.size(); ++k) {
    const auto& e = scenario.od[k];
    entries.push_back({{"from", scenario.zones[e.from].name},
                       {"to", scenario.zones[e.to].name},
                       {"begin", clock(e.begin_s)},
                       {"end", clock(e.end_s)},
                       {"trips_before", e.trips},
                       {"factor", result.factors[k]},
                       {"trips_after", e.trips * result.factors[k]},
                       {"seen_by_sensors", static_cast<bool>(result.observable[k])}});
  }
  summary["od_entries"] = entries;
  summary["provenance"] = calibrationProvenance(file, set,
                                                {{"interval_s", set.interval_s},
                                                 {"sensors", set.sensors.size()},
                                                 {"replications", options.replications},
                                                 {"max_factor", options.max_factor},
                                                 {"seed", scenario.config.seed}});
  OutputFile json_file(out / "summary.json");
  json_file.stream() << summary.dump(2) << "\n";
  json_file.commit();
  if (!options.quiet)
    printFit(result.before, result.after, out, "calibrated_od.csv, fit.csv, summary.json");
  return 0;
}

}  // namespace citytwin::cli
