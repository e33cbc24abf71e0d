#include "calibrate_crowd.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "calibration_io.hpp"
#include "citytwin/engine/mobility/arrival_calibration.hpp"
#include "citytwin/engine/mobility/observation_replay.hpp"
#include "citytwin/geodata/error.hpp"
#include "output_file.hpp"
#include "progress_bar.hpp"
#include "provenance.hpp"

namespace citytwin::cli {
namespace {

namespace fs = std::filesystem;
namespace mobility = engine::mobility;
using json = nlohmann::json;

// The scenario file as written, with the fitted profiles in its sources and its file paths made
// absolute (so that it runs from the results folder).
std::string calibratedYaml(const engine::ScenarioFile& file,
                           const engine::crowd::CrowdScenario& calibrated) {
  YAML::Node root = YAML::LoadFile(file.path);
  if (root["base"]) {
    throw geodata::InputError(file.path, "", "is a variant: calibrate its base scenario",
                              "give the base scenario (the file its 'base:' names)");
  }
  const fs::path folder = fs::absolute(file.path).parent_path();
  const auto absolute = [&](YAML::Node node) {
    if (node && node.IsScalar() && !fs::path(node.as<std::string>()).is_absolute())
      node = (folder / node.as<std::string>()).lexically_normal().string();
  };
  absolute(root["city"]);
  if (root["traffic"]) {
    absolute(root["traffic"]["od_matrix"]);
    for (auto line : root["traffic"]["bus_lines"]) absolute(line["gtfs"]);
  }
  root["name"] = root["name"].as<std::string>(file.name) + " (arrivals calibrated)";
  YAML::Node sources = root["crowd"]["sources"];
  for (std::size_t k = 0; k < sources.size() && k < calibrated.sources.size(); ++k) {
    const auto& s = calibrated.sources[k];
    YAML::Node profile(YAML::NodeType::Sequence);
    for (const auto& step : s.profile) {
      YAML::Node pair(YAML::NodeType::Sequence);
      pair.push_back(step.from_s);
      pair.push_back(step.rate_per_s);  // in full: the file runs as the calibration's last round
      pair.SetStyle(YAML::EmitterStyle::Flow);
      profile.push_back(pair);
    }
    profile.SetStyle(YAML::EmitterStyle::Flow);
    sources[k]["agents"] = s.agents;
    sources[k]["profile"] = profile;
  }
  YAML::Emitter emit;
  emit << root;
  return "# Written by `citytwin calibrate`: the arrival profiles fitted to the cameras' "
         "counts.\n" +
         std::string(emit.c_str()) + "\n";
}

}  // namespace

int runCrowdCalibration(const CalibrateOptions& options, const engine::ScenarioFile& file,
                        const geodata::CityModel& city) {
  const fs::path out(options.out_dir);
  ProgressBar bar(!options.quiet);
  CalibrationCounts input =
      readCalibrationCounts(options.observations, city.frame, out, options.force, bar);
  const mobility::ObservationSet& set = input.set;
  const mobility::PrivacyGate& gate = *input.gate;
  const std::vector<mobility::CountSeries>& counts = input.counts;

  mobility::ArrivalCalibrationOptions calibration;
  calibration.threads = options.threads;
  calibration.rounds = options.rounds;
  mobility::ArrivalCalibration result;
  try {
    result = mobility::calibrateArrivalProfiles(
        file.crowd, set.sensors, counts, calibration,
        [&](const std::string& stage, double f) { bar.update(stage, 0.05 + 0.95 * f); });
  } catch (const std::invalid_argument& e) {
    throw geodata::InputError(options.observations, "", e.what());
  }
  bar.finish();

  {
    OutputFile yaml(out / "calibrated.yaml");
    yaml.stream() << calibratedYaml(file, result.calibrated);
    yaml.commit();
  }
  const double interval = counts[result.matches.front().observed].interval_s;
  {
    OutputFile csv(out / "profiles.csv");
    csv.stream() << "source,interval_start_s,people_before,people_after\n";
    for (std::size_t k = 0; k < file.crowd.sources.size(); ++k) {
      const auto& before = file.crowd.sources[k];
      const auto& after = result.calibrated.sources[k];
      const double end = after.profile.empty() ? 0.0 : after.profile.back().from_s;
      for (double t = 0.0; t < end; t += interval) {
        const auto people = [&](const engine::crowd::Source& s) {
          return engine::crowd::arrivalsUntil(s, t + interval) - engine::crowd::arrivalsUntil(s, t);
        };
        char row[160];
        std::snprintf(row, sizeof row, ",%.0f,%.1f,%.1f\n", t, people(before), people(after));
        csv.stream() << before.name << row;
      }
    }
    csv.commit();
  }
  {
    OutputFile fit(out / "fit.csv");
    fit.stream() << "sensor,direction,interval_start_s,observed,simulated_before,"
                    "simulated_after\n";
    for (const auto& m : result.matches) {
      const auto& o = counts[m.observed];
      const auto* b = mobility::findSeries(result.simulated_before, o.sensor, o.direction);
      const auto* a = mobility::findSeries(result.simulated_after, o.sensor, o.direction);
      for (std::size_t i = 0; i < o.counts.size(); ++i) {
        const double t = o.intervalBegin(i), seen = o.counts[i];
        char row[160];
        if (std::isnan(seen) || !gate.publishable(seen)) {
          std::snprintf(row, sizeof row, ",%.0f,,%.0f,%.0f\n", t, b ? b->countAt(t) : NAN,
                        a ? a->countAt(t) : NAN);
        } else {
          std::snprintf(row, sizeof row, ",%.0f,%.0f,%.0f,%.0f\n", t, seen, b ? b->countAt(t) : NAN,
                        a ? a->countAt(t) : NAN);
        }
        fit.stream() << o.sensor << ',' << o.direction << row;
      }
    }
    fit.commit();
  }
  json summary;
  summary["scenario"] = file.name;
  summary["observation_set"] = set.name;
  summary["method"] =
      "each source matched with the nearest counting line with observed counts; per round the "
      "scenario is simulated, and each interval's arrival rate is scaled by observed / "
      "simulated counts at that line one walk later (distance / mean desired speed); the round "
      "with the lowest RMSE is kept";
  summary["fit_before"] = fitJson(result.before);
  summary["fit_after"] = fitJson(result.after);
  summary["best_round"] = result.rounds;
  json matches = json::array();
  for (const auto& m : result.matches) {
    const auto& s = result.calibrated.sources[m.source];
    matches.push_back({{"source", s.name},
                       {"sensor", counts[m.observed].sensor},
                       {"direction", counts[m.observed].direction},
                       {"distance_m", std::round(m.distance_m * 10) / 10},
                       {"lag_s", std::round(m.lag_s * 10) / 10},
                       {"people_before", file.crowd.sources[m.source].agents},
                       {"people_after", s.agents}});
  }
  summary["sources"] = matches;
  summary["provenance"] = calibrationProvenance(file, set,
                                                {{"interval_s", interval},
                                                 {"rounds", options.rounds},
                                                 {"seed", file.crowd.seed},
                                                 {"threads", options.threads}});
  OutputFile json_file(out / "summary.json");
  json_file.stream() << summary.dump(2) << "\n";
  json_file.commit();
  if (!options.quiet)
    printFit(result.before, result.after, out,
             "calibrated.yaml, profiles.csv, fit.csv, summary.json");
  return 0;
}

}  // namespace citytwin::cli
