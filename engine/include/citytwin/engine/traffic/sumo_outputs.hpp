#pragma once
// Results in SUMO's own output formats, for tools written for SUMO (sumolib, tripinfo
// statistics, plotting): the trip information of every arrived vehicle and the per-step
// summary of the network. Devices fed by the step; they never touch the move loop.
#include <iosfwd>
#include <vector>

namespace citytwin::engine::traffic {

class TrafficSimulation;

/// Writes SUMO's tripinfo-output (<tripinfos><tripinfo id depart arrival duration
/// routeLength waitingTime timeLoss departDelay vType/></tripinfos>) of every arrived vehicle.
void writeSumoTripinfo(std::ostream& out, const TrafficSimulation& sim);

/// SUMO's summary-output: per step, vehicles inserted, running, arrived and the mean travel
/// time of those arrived so far.
class SumoSummaryRecorder {
 public:
  void observe(const TrafficSimulation& sim);
  void write(std::ostream& out) const;

 private:
  struct Step {
    double time;
    std::size_t inserted, running, arrived;
    double mean_travel_time_s;
  };
  std::vector<Step> steps_;
  std::size_t trips_seen_ = 0;
  double duration_sum_ = 0.0;
};

}  // namespace citytwin::engine::traffic
