#include "calibration_io.hpp"

#include <cstdio>

#include "citytwin/engine/mobility/observation_replay.hpp"
#include "citytwin/geodata/error.hpp"
#include "observation_input.hpp"
#include "output_file.hpp"
#include "provenance.hpp"

namespace citytwin::cli {

namespace mobility = engine::mobility;
using json = nlohmann::json;

CalibrationCounts readCalibrationCounts(const std::string& observations,
                                        const geodata::LocalFrame& frame,
                                        const std::filesystem::path& out, bool force,
                                        ProgressBar& bar) {
  CalibrationCounts c;
  c.set = mobility::loadObservationSet(observations);
  mobility::sensorsToLocalFrame(c.set, frame);
  if (c.set.sensors.empty()) {
    throw geodata::InputError(observations, "", "has no sensors to compare counts on",
                              "add counting lines under 'sensors:' where the counts were made");
  }
  prepareOutputFolder(out, force);
  c.gate = std::make_unique<mobility::PrivacyGate>(c.set.privacy);
  const mobility::ObservationReplay observed = readObservations(
      c.set, *c.gate, 0.5,
      [&](const std::string& stage, double f) { bar.update("observations: " + stage, 0.05 * f); });
  c.counts = observed.observed_counts;
  c.counts.insert(c.counts.end(), observed.sensor_counts.begin(), observed.sensor_counts.end());
  return c;
}

json fitJson(const mobility::CountFit& f) {
  return {{"intervals", f.intervals},
          {"share_geh_below_5", f.share_geh_below_5},
          {"meets_target", f.meetsTarget()},
          {"mean_geh", f.mean_geh},
          {"max_geh", f.max_geh},
          {"rmse", f.rmse},
          {"simulated_total", f.simulated_total},
          {"observed_total", f.observed_total}};
}

json calibrationProvenance(const engine::ScenarioFile& file, const mobility::ObservationSet& set,
                           json parameters) {
  std::vector<std::string> files = file.inputs;
  files.push_back(set.path);
  json data_register = json::array();
  for (const auto& s : set.sources) {
    files.push_back(s.path);
    data_register.push_back({{"source", s.name},
                             {"controller", s.register_entry.controller},
                             {"purpose", s.register_entry.purpose},
                             {"legal_basis", s.register_entry.legal_basis},
                             {"personal_data", s.register_entry.personal_data},
                             {"access", s.register_entry.access}});
  }
  return {{"inputs", inputRecords(files)},
          {"data_register", data_register},
          {"parameters", std::move(parameters)},
          {"software", softwareAndMachine()}};
}

void printFit(const mobility::CountFit& before, const mobility::CountFit& after,
              const std::filesystem::path& out, const std::string& files) {
  std::fprintf(stderr,
               "GEH < 5 in %.1f %% of %zu intervals before, %.1f %% after (target: 85 %%); "
               "RMSE %.2f -> %.2f\nwrote %s/: %s\n",
               100 * before.share_geh_below_5, before.intervals, 100 * after.share_geh_below_5,
               before.rmse, after.rmse, out.string().c_str(), files.c_str());
}

}  // namespace citytwin::cli
