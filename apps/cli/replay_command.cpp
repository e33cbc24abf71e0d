#include "replay_command.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

#include "citytwin/engine/mobility/fit_statistics.hpp"
#include "citytwin/engine/mobility/observation_replay.hpp"
#include "citytwin/engine/scenario_file.hpp"
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

json registerJson(const mobility::ObservationSource& s) {
  const auto& r = s.register_entry;
  json j{{"source", s.name},     {"description", r.description}, {"controller", r.controller},
         {"purpose", r.purpose}, {"legal_basis", r.legal_basis}, {"personal_data", r.personal_data},
         {"access", r.access},   {"licence", r.licence}};
  j["retention_s"] = r.retention_s > 0.0 ? json(r.retention_s) : json(nullptr);
  return j;
}

// Totals per series as they may be shown: withheld (null) when from 1 to k - 1.
json totalsJson(const std::vector<mobility::CountSeries>& series,
                const mobility::PrivacyGate& gate) {
  json list = json::array();
  for (const auto& s : series) {
    const double total = s.total();
    const bool shown = gate.publishable(total);
    list.push_back({{"sensor", s.sensor},
                    {"direction", s.direction},
                    {"interval_s", s.interval_s},
                    {"begin_s", s.begin_s},
                    {"total", shown ? json(total) : json(nullptr)},
                    {"withheld", !shown}});
  }
  return list;
}

void writeTracks(const fs::path& path, const mobility::TrackTable& tracks) {
  OutputFile file(path);
  auto& out = file.stream();
  out << "track,time,x,y\n";
  char row[128];
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    std::snprintf(row, sizeof row, "%u,%.3f,%.3f,%.3f\n", tracks.track[i], tracks.time[i],
                  static_cast<double>(tracks.x[i]), static_cast<double>(tracks.y[i]));
    out << row;
  }
  file.commit();
}

}  // namespace

int runReplay(const ReplayOptions& options) {
  if (!(options.step_s > 0.0)) {
    throw geodata::InputError("", "", "--step must be a positive number of seconds");
  }
  mobility::ObservationSet set = mobility::loadObservationSet(options.observations);
  if (!options.scenario.empty()) {
    geodata::CityModel city;
    engine::loadScenarioFile(options.scenario, &city);
    mobility::sensorsToLocalFrame(set, city.frame);
  }
  if (set.sources.empty()) {
    throw geodata::InputError(options.observations, "", "has no 'sources' to replay",
                              "add the count tables and trajectories under 'sources:'");
  }
  const fs::path out(options.out_dir);
  prepareOutputFolder(out, options.force);

  ProgressBar bar(!options.quiet);
  mobility::PrivacyGate gate(set.privacy);
  const mobility::ObservationReplay replay = readObservations(
      set, gate, options.step_s, [&](const std::string& stage, double f) { bar.update(stage, f); });
  bar.finish();

  mobility::writeCountCsv((out / "observed_counts.csv").string(), replay.observed_counts, gate);
  mobility::writeCountCsv((out / "sensor_counts.csv").string(), replay.sensor_counts, gate);
  if (set.export_tracks) writeTracks(out / "tracks.csv", replay.tracks);

  json summary;
  summary["observation_set"] = set.name;
  summary["privacy"] = {
      {"pseudonymisation", "SipHash-2-4, key drawn at random per period, never written"},
      {"key_period_s", set.privacy.key_period_s},
      {"min_group_size", set.privacy.min_group_size},
      {"time_resolution_s", set.privacy.time_resolution_s},
      {"space_resolution_m", set.privacy.space_resolution_m},
      {"retention_s",
       std::isfinite(set.privacy.retention_s) ? json(set.privacy.retention_s) : json(nullptr)}};
  json sources = json::array();
  for (const auto& r : replay.sources) {
    sources.push_back({{"name", r.name},
                       {"records", r.records},
                       {"tracks", r.tracks},
                       {"expired", r.expired},
                       {"dated", r.dated},
                       {"begin_s", r.begin_s},
                       {"end_s", r.end_s}});
  }
  summary["sources"] = sources;
  // How long each written file may be kept: its sources' strictest limit (`citytwin expire`
  // applies it). Sensor counts come from the trajectories and keep to their limit.
  double tracks_limit = std::numeric_limits<double>::infinity(), counts_limit = tracks_limit;
  for (const auto& s : set.sources) {
    double& kind =
        s.kind == mobility::ObservationSource::Kind::kTrajectories ? tracks_limit : counts_limit;
    kind = std::min(kind, mobility::retentionOf(s, set.privacy));
  }
  const auto limit_json = [](double s) { return std::isfinite(s) ? json(s) : json(nullptr); };
  summary["retention"] = {{"tracks_s", limit_json(tracks_limit)},
                          {"sensor_counts_s", limit_json(tracks_limit)},
                          {"observed_counts_s", limit_json(counts_limit)}};
  summary["observed_counts"] = totalsJson(replay.observed_counts, gate);
  summary["sensor_counts"] = totalsJson(replay.sensor_counts, gate);
  // Where a camera's counts and the trajectories cover the same sensor: how well they agree.
  std::vector<mobility::CountSeries> twins;
  for (const auto& o : replay.observed_counts) {
    for (const auto& s : replay.sensor_counts) {
      // Compared interval by interval: only series on the same intervals.
      if (s.sensor == o.sensor && s.direction == o.direction && s.interval_s == o.interval_s &&
          s.begin_s == o.begin_s) {
        twins.push_back(o);
      }
    }
  }
  if (!twins.empty()) {
    const auto fit = mobility::compareCounts(replay.sensor_counts, twins);
    summary["agreement"] = {{"intervals", fit.intervals},
                            {"share_geh_below_5", fit.share_geh_below_5},
                            {"mean_geh", fit.mean_geh},
                            {"rmse", fit.rmse}};
  }
  json provenance;
  std::vector<std::string> files{set.path};
  json data_register = json::array();
  for (const auto& s : set.sources) {
    files.push_back(s.path);
    data_register.push_back(registerJson(s));
  }
  provenance["inputs"] = inputRecords(files);
  provenance["data_register"] = data_register;
  provenance["parameters"] = {
      {"step_s", options.step_s},
      {"interval_s", set.interval_s},
      {"begin_s", std::isnan(set.begin_s) ? json("first sample") : json(set.begin_s)},
      {"sensors", set.sensors.size()}};
  provenance["software"] = softwareAndMachine();
  summary["provenance"] = provenance;

  {
    OutputFile log(out / "replay.log");
    for (const auto& line : replay.log) log.stream() << line << "\n";
    log.commit();
  }
  OutputFile file(out / "summary.json");
  file.stream() << summary.dump(2) << "\n";
  file.commit();
  if (!options.quiet) {
    for (const auto& line : replay.log) std::cerr << line << "\n";
    std::cerr << "wrote " << out.string()
              << "/: observed_counts.csv, sensor_counts.csv, summary.json, replay.log"
              << (set.export_tracks ? ", tracks.csv" : "") << "\n";
  }
  return 0;
}

}  // namespace citytwin::cli
