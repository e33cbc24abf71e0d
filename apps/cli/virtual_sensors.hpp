#pragma once
// `citytwin run --sensors SET`: the observation set's counting lines count the simulated
// people and traffic; the counts go to sensor_counts.csv and, where the set has observed
// counts, the fit (GEH, RMSE) into summary.json.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/mobility/crowd_sensors.hpp"
#include "citytwin/engine/mobility/observation_set.hpp"
#include "citytwin/engine/mobility/traffic_sensors.hpp"

namespace citytwin::cli {

class VirtualSensors {
 public:
  /// Counts from `begin_s` (the scenario's start on the counts' clock).
  VirtualSensors(const std::string& observation_set, const geodata::LocalFrame& frame,
                 double begin_s);
  /// The traffic's vehicles are counted too (`trips`: the demand's trip count).
  void attachTraffic(std::size_t trips);
  void observe(const engine::traffic::TrafficSimulation& sim) { on_road_->observe(sim); }
  void observe(const engine::crowd::CrowdSimulation& sim) { on_foot_.observe(sim); }
  /// Writes sensor_counts.csv into `out`; returns what summary.json says about the sensors.
  nlohmann::json write(const std::filesystem::path& out, double end_s) const;

 private:
  engine::mobility::ObservationSet set_;
  std::unique_ptr<engine::mobility::LineCounter> counter_;
  engine::mobility::CrowdSensors on_foot_;
  std::unique_ptr<engine::mobility::TrafficSensors> on_road_;
};

}  // namespace citytwin::cli
