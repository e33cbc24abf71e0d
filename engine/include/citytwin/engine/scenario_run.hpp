#pragma once
// A scenario loaded and ready to step: its city, its crowd simulation, and its traffic
// simulation with the road network, routed demand and closure schedule, all on one clock
// (seconds since the scenario's start). What the desktop app drives; the headless CLI builds
// its traffic the same way (prepareTraffic), so a run gives the same results in both.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "citytwin/engine/interventions.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine {

namespace crowd {
class CrowdSimulation;
}
namespace traffic {
class TrafficSimulation;
}

/// The road network a scenario drives on (its road interventions applied), its routed demand
/// and its time-windowed closures.
struct TrafficSetup {
  traffic::Network net;
  traffic::Demand demand;
  std::optional<ClosureSchedule> closures;  ///< none when no closure has a time window
};

/// Applies the scenario's road interventions to `city` and builds the network and demand.
/// Throws geodata::InputError as loadScenarioFile does.
TrafficSetup prepareTraffic(geodata::CityModel& city, const ScenarioFile& file, int threads = 0);

class ScenarioRun {
 public:
  /// Reports a stage ("reading the city", "building routes", ...) and a fraction in [0, 1].
  using Progress = std::function<void(const std::string& stage, double fraction)>;

  /// Loads the scenario (see loadScenarioFile) and builds its simulations; a path that is not
  /// a scenario (.yaml) opens that city model alone, with nothing to simulate. `threads` <= 0: all
  /// cores. Throws geodata::InputError for a bad file, std::invalid_argument for a scenario
  /// whose sources cannot reach their stages.
  explicit ScenarioRun(const std::string& path, int threads = 0, const Progress& progress = {});
  ~ScenarioRun();
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  const ScenarioFile& file() const { return file_; }
  const geodata::CityModel& city() const { return city_; }
  crowd::CrowdSimulation* crowd() { return crowd_.get(); }
  const crowd::CrowdSimulation* crowd() const { return crowd_.get(); }
  traffic::TrafficSimulation* traffic() { return traffic_.get(); }
  const traffic::TrafficSimulation* traffic() const { return traffic_.get(); }
  const TrafficSetup* trafficSetup() const { return setup_.get(); }

  /// Seconds since the scenario's start.
  double elapsed() const;
  /// Time of day at the start (the traffic's begin, 0 for crowd-only scenarios).
  double clockStart() const;
  /// Seconds from the start to the scenario's end (the longer of crowd and traffic).
  double duration() const;
  /// Steps every simulation until it reaches `elapsed_s` or is finished.
  void advanceTo(double elapsed_s);
  bool finished() const;

 private:
  ScenarioFile file_;
  geodata::CityModel city_;
  std::unique_ptr<crowd::CrowdSimulation> crowd_;
  std::unique_ptr<TrafficSetup> setup_;
  std::unique_ptr<traffic::TrafficSimulation> traffic_;
};

}  // namespace citytwin::engine
