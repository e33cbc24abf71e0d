#include "virtual_sensors.hpp"

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/mobility/fit_statistics.hpp"
#include "citytwin/engine/mobility/observation_replay.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/geodata/error.hpp"
#include "observation_input.hpp"

namespace citytwin::cli {
namespace {

namespace mobility = engine::mobility;

mobility::ObservationSet loadInFrame(const std::string& path, const geodata::LocalFrame& frame) {
  mobility::ObservationSet set = mobility::loadObservationSet(path);
  mobility::sensorsToLocalFrame(set, frame);
  if (set.sensors.empty()) {
    throw geodata::InputError(path, "", "has no sensors to count the simulation on",
                              "add counting lines under 'sensors:'");
  }
  return set;
}

}  // namespace

VirtualSensors::VirtualSensors(const std::string& observation_set, const geodata::LocalFrame& frame,
                               double begin_s)
    : set_(loadInFrame(observation_set, frame)),
      counter_(std::make_unique<mobility::LineCounter>(set_.sensors, begin_s, set_.interval_s)),
      on_foot_(*counter_, begin_s) {}

void VirtualSensors::attachTraffic(std::size_t trips) {
  on_road_ = std::make_unique<mobility::TrafficSensors>(trips, *counter_);
}

nlohmann::json VirtualSensors::write(const std::filesystem::path& out, double end_s) const {
  const auto simulated = counter_->allSeries(end_s);
  // Simulated people and vehicles are nobody: every count may be shown.
  mobility::PrivacyPolicy everything;
  everything.min_group_size = 1;
  mobility::writeCountCsv((out / "sensor_counts.csv").string(), simulated,
                          mobility::PrivacyGate(everything));
  nlohmann::json j{{"observation_set", std::filesystem::absolute(set_.path).string()},
                   {"sensors", set_.sensors.size()},
                   {"interval_s", set_.interval_s},
                   {"file", "sensor_counts.csv"}};
  bool has_counts = false;
  for (const auto& s : set_.sources) {
    has_counts |= s.kind == mobility::ObservationSource::Kind::kCounts;
  }
  if (has_counts) {
    mobility::PrivacyGate gate(set_.privacy);
    const auto observed = readObservations(set_, gate, 1.0);
    const auto fit = mobility::compareCounts(simulated, observed.observed_counts);
    j["fit"] = {{"intervals", fit.intervals},
                {"share_geh_below_5", fit.share_geh_below_5},
                {"meets_target", fit.meetsTarget()},
                {"mean_geh", fit.mean_geh},
                {"rmse", fit.rmse}};
  }
  return j;
}

}  // namespace citytwin::cli
