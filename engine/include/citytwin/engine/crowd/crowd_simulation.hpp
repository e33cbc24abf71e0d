#pragma once
// The pedestrian simulation: agents in structure-of-arrays storage, a collision-free speed
// model step run in parallel with TBB, routing by distance fields, demand from sources,
// stages (waypoints, gates, waiting areas, exits) and measurements. Deterministic: the same
// seed gives bitwise the same trajectories on any number of threads.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"
#include "citytwin/engine/crowd/distance_field_set.hpp"

namespace citytwin::engine::crowd {

/// One row of the time series, every measure_interval_s.
struct CrowdSample {
  double time_s = 0.0;
  std::size_t agents = 0;
  std::size_t arrived = 0;
  std::vector<double> zone_density;     ///< people per m2, per zone (heads / area)
  std::vector<double> zone_voronoi;     ///< Voronoi density per zone (PedPy's method D)
  std::vector<std::int64_t> line_flow;  ///< net crossings in the interval, per line
  std::vector<double> line_speed;       ///< mean speed of those crossing, m/s
};

struct CrowdSummary {
  std::size_t agents_spawned = 0;
  std::size_t agents_arrived = 0;
  std::size_t agents_stuck = 0;  ///< distinct agents that made no progress for stuck_after_s
  std::size_t agents_remaining = 0;
  std::vector<double> max_density_per_zone;
  /// Per stage (gates only; 0 elsewhere): the most people queueing for it at once: held at
  /// the gate, or heading for it within 30 m of it at under 0.5 m/s.
  std::vector<std::size_t> max_queue_per_stage;
  std::vector<double> max_voronoi_density_per_zone;  ///< over the time-series samples
  double evacuation_time_s = -1.0;  ///< from evacuation start to the last one out; -1: none
  double mean_travel_time_s = 0.0;
  double mean_waiting_time_s = 0.0;
  std::size_t steps = 0;
  double simulated_time_s = 0.0;
};

/// Fruin's level of service for walkways from a density in people per m2 (A best, F worst).
char fruinLevel(double density);

class CrowdSimulation {
 public:
  /// Builds the navigation grid and one distance field per stage. `threads` <= 0: all cores.
  /// Throws std::invalid_argument naming the source or stage that cannot be reached.
  CrowdSimulation(CrowdScenario scenario, int threads = 0);
  ~CrowdSimulation();

  /// Places one agent now (initial distributions, replayed people, tests); returns its id.
  /// The caller keeps bodies from overlapping.
  std::uint32_t addAgent(Vec2f position, std::uint32_t journey, float desired_speed,
                         float radius = 0.2f);
  void step();
  /// True when every source is exhausted and nobody is left, or the duration is over.
  bool finished() const;
  /// Steps until finished or `cancel` turns true; reports progress in [0, 1].
  void run(const std::function<void(double)>& progress = {},
           const std::atomic<bool>* cancel = nullptr);

  double time() const { return static_cast<double>(steps_) * scenario_.time_step_s; }
  std::size_t steps() const { return steps_; }
  std::size_t agentCount() const { return x_.size(); }
  std::span<const float> x() const { return x_; }
  std::span<const float> y() const { return y_; }
  std::span<const std::uint32_t> ids() const { return id_; }
  std::span<const float> speed() const { return speed_; }
  std::span<const float> desiredSpeed() const { return v0_; }
  /// People who left through each stage (exits), in stage order.
  const std::vector<std::size_t>& exitCounts() const { return exit_counts_; }
  const CrowdScenario& scenario() const { return scenario_; }
  const std::vector<CrowdSample>& samples() const { return samples_; }
  CrowdSummary summary() const;
  /// Travel time of every agent that arrived, in arrival order.
  const std::vector<float>& travelTimes() const { return travel_times_; }
  /// Of that, the time each one spent queueing or waiting (speed under 0.1 m/s), same order.
  const std::vector<float>& waitingTimes() const { return waiting_times_; }
  /// Id of each agent that arrived, same order.
  const std::vector<std::uint32_t>& arrivedIds() const { return arrived_ids_; }
  /// FNV-1a over ids and the bits of every position: equal hashes mean equal states.
  std::uint64_t stateHash() const;
  int threads() const { return threads_; }
  const DistanceFieldSet& routing() const { return *fields_; }

 private:
  struct Impl;
  void spawn();
  void append(Vec2f p, std::uint32_t journey, float v0, float radius, std::uint8_t source);
  void rebuildNeighbours();
  void navigate();
  template <typename Move>
  void forEachWalker(Move&& move);  // crowd_simulation_internal.hpp
  void computeCollisionFreeSpeed();
  void computeSocialForce();
  void observeLineCrossings();
  void advanceStages();
  void measure();
  void removeArrived();
  void startEvacuation();
  void reroute();
  void assignEvacuationExit(std::size_t agent);

  CrowdScenario scenario_;
  int threads_ = 1;
  std::unique_ptr<DistanceFieldSet> fields_;
  std::unique_ptr<Impl> impl_;
  std::size_t steps_ = 0;

  // Agents, structure of arrays.
  std::vector<std::uint32_t> id_;
  std::vector<float> x_, y_, speed_, v0_, radius_;
  std::vector<float> dir_x_, dir_y_;
  std::vector<std::uint16_t> journey_, journey_pos_;
  std::vector<std::uint8_t> waiting_;  ///< 0 walking, 1 at a gate, 2 in a waiting area
  std::vector<float> wait_until_, spawn_time_, best_cost_, last_progress_, wait_total_;
  std::vector<std::uint8_t> stuck_flag_, source_of_;
  std::vector<std::uint8_t> remove_;
  std::vector<float> new_x_, new_y_, new_speed_;

  std::vector<CrowdSample> samples_;
  std::vector<float> travel_times_, waiting_times_;
  std::vector<std::uint32_t> arrived_ids_;
  std::vector<std::size_t> exit_counts_;
  std::vector<std::uint32_t> exit_stage_;  ///< per agent: the stage it leaves through
  std::vector<double> max_zone_density_;
  std::vector<std::size_t> max_queue_;  ///< per stage
  std::vector<std::int64_t> line_flow_;
  std::vector<double> line_speed_sum_;
  std::vector<std::int64_t> line_count_;
  std::size_t spawned_ = 0, arrived_ = 0, stuck_ = 0;
  double last_exit_time_ = -1.0;
  bool evacuating_ = false;
  std::uint32_t next_id_ = 1;
};

}  // namespace citytwin::engine::crowd
