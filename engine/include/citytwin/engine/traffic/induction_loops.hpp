#pragma once
// Induction loops (SUMO's inductionLoop / E1 detectors): a point on a lane that counts the
// vehicles whose front passes it, their speeds and lengths, and the share of time a vehicle
// stands over it, per interval. A device fed after each step: it reads the vehicles on its
// lanes only, never the move loop.
#include <iosfwd>
#include <string>
#include <vector>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

class TrafficSimulation;

struct InductionLoop {
  std::string id;
  std::uint32_t lane = 0;  ///< network lane
  float pos = 0.0f;        ///< m from the start of the lane
  double period_s = 900.0;
  std::string file;  ///< output file named in the definition (SUMO's `file`)
};

struct InductionLoopsRead {
  std::vector<InductionLoop> loops;
  std::vector<std::string> warnings;  ///< detectors of other kinds, named
};

/// Reads <inductionLoop> (and <e1Detector>) elements of a SUMO additional file. Negative
/// positions count from the lane's end. Throws geodata::InputError naming the file and line
/// for an unknown lane, a position off the lane (unless friendlyPos), or a period <= 0.
InductionLoopsRead readSumoInductionLoops(const std::string& path, const Network& net);

/// One interval of one loop, in SUMO's terms.
struct LoopInterval {
  double begin_s = 0.0, end_s = 0.0;
  std::uint32_t vehicles = 0;  ///< nVehContrib: fronts that passed the loop
  double speed_sum = 0.0;      ///< of those vehicles as they passed, m/s
  double inverse_speed_sum = 0.0;
  double length_sum = 0.0;
  double occupied_s = 0.0;  ///< time a vehicle stood over the loop
};

class InductionLoopRecorder {
 public:
  InductionLoopRecorder(std::vector<InductionLoop> loops, double begin_s);
  /// Call after every step.
  void observe(const TrafficSimulation& sim);
  /// Closes the open intervals at `end_s` (the end of the run).
  void finish(double end_s);
  const std::vector<InductionLoop>& loops() const { return loops_; }
  /// Per loop, its intervals in time order.
  const std::vector<std::vector<LoopInterval>>& intervals() const { return intervals_; }
  /// Writes the loops whose `file` is `file` in SUMO's detector output format.
  void writeSumoXml(std::ostream& out, const std::string& file) const;

 private:
  std::vector<InductionLoop> loops_;
  std::vector<std::vector<LoopInterval>> intervals_;
  /// Per loop: vehicles on its lane before and beyond the loop after the last step.
  std::vector<std::vector<std::uint32_t>> before_, beyond_;
  double last_time_ = 0.0;
};

}  // namespace citytwin::engine::traffic
