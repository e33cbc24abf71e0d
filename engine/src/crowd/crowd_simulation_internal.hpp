#pragma once
// Internal to the crowd engine: what the systems of a crowd step share (constants of the
// models, the per-thread neighbour lists, the agents in cell order, the simulation's private
// state). The systems live in files of their own: crowd_spawn.cpp, crowd_routing.cpp,
// collision_free_speed.cpp, social_force.cpp, crowd_stages.cpp, crowd_measurement.cpp.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "../rng.hpp"
#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/crowd/neighbour_grid.hpp"

namespace citytwin::engine::crowd {

inline constexpr float kInf = std::numeric_limits<float>::infinity();
inline constexpr float kReachCost = 0.3f;  // metres of walking left: the stage is reached
// Metres of walking to a gate within which people queue.
inline constexpr float kQueueReach = 30.0f;
inline constexpr float kQueueSpeed = 0.5f;    // m/s: slower than this near a gate is queueing
inline constexpr float kProgressStep = 0.5f;  // metres of route gained: the agent made progress
inline constexpr float kWallReach = 0.6f;     // walls farther than this do not push
// Zipper courtesy: someone who has made no progress for kYieldAfter seconds longer than me,
// standing ahead of me, gets kYieldGap metres more room, so a stream opens a gap for a person
// trying to merge into it (a collision-free speed model alone lets the stream starve them).
inline constexpr float kYieldAfter = 20.0f;
inline constexpr float kYieldGap = 0.4f;
// Someone stalled this long also tries turning further (about 56 degrees) to find a way on.
inline constexpr float kWidenAfter = 5.0f;
inline constexpr std::size_t kGrain = 512;

// The people round one agent, gathered once per step into two short lists (structure of
// arrays, in the neighbour grid's order so that every sum is the same on any number of
// threads): those within the repulsion cut-off, and those close enough to slow the agent down
// (a headway under v0 x time gap; anyone farther can never be the nearest blocker). The
// vectors keep their capacity, one list per worker thread: a step allocates nothing.
struct NeighbourList {
  struct Part {
    std::vector<float> dx, dy, d, l;
    std::size_t n = 0;
    void push(float x, float y, float dist, float reach) {
      if (n == dx.size()) {
        const std::size_t grow = std::max<std::size_t>(64, 2 * n);
        for (auto* v : {&dx, &dy, &d, &l}) v->resize(grow);
      }
      dx[n] = x, dy[n] = y, d[n] = dist, l[n] = reach;
      ++n;
    }
    std::size_t size() const { return n; }
  };
  Part repel, headway;
  void clear() { repel.n = headway.n = 0; }
};

// The agents' positions and what neighbours read of each other, copied in the neighbour grid's
// cell order (its items()) after every rebuild, so that the neighbour search reads contiguous
// memory.
struct CellOrder {
  std::vector<float> x, y, radius, last_progress;
  std::vector<std::uint8_t> waiting;
};

struct CrowdSimulation::Impl {
  tbb::task_arena arena;
  tbb::enumerable_thread_specific<NeighbourList> neighbours;
  CellOrder ordered;
  NeighbourGrid grid;
  std::vector<Rng> source_rng;
  std::vector<std::size_t> source_spawned;
  std::vector<std::vector<geodata::Vec2>> source_cells;  // walkable cell centres in each source
  std::vector<double> gate_tokens;
  std::vector<float> cost;           // current stage cost after the move
  std::vector<std::uint8_t> beyond;  // agents whose field does not reach them yet
  double next_reroute = 0.0;
  std::vector<geodata::Box2> zone_box;
  std::vector<double> zone_area;
  std::vector<std::uint32_t> evac_journey_of_exit;
  double next_sample = 0.0, next_density_check = 0.0;
  explicit Impl(int threads) : arena(threads) {}
};

/// The direction the routes give agent `i` at p: down its field's cost (east in a periodic
/// corridor), or its last direction where the field gives none.
inline Vec2f desiredDirection(const CrowdScenario& s, const DistanceFieldSet& fields,
                              std::uint16_t journey, std::uint16_t journey_pos, Vec2f p,
                              Vec2f last) {
  if (s.periodic_x_max > s.periodic_x_min) return {1.0f, 0.0f};
  const auto stage = s.journeys[journey].stages[journey_pos];
  const Vec2f e0 = fields.field(stage).directionAt(p);
  return e0 == Vec2f{} ? last : e0;
}

/// Where an operational model moves one agent in a step: new position, speed and heading.
struct WalkerMove {
  Vec2f position;
  float speed = 0.0f;
  Vec2f heading;
};

/// Runs move(i, p, e0) -> WalkerMove in parallel for every agent who walks this step (at p,
/// desired direction e0) and keeps the result in the new_* buffers and the heading; those
/// waiting at a gate or in a waiting area stand still. The operational models' kernels are
/// written as such a move: they compute, the step applies.
template <typename Move>
void CrowdSimulation::forEachWalker(Move&& move) {
  const CrowdScenario& s = scenario_;
  auto body = [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const Vec2f p{x_[i], y_[i]};
      if (waiting_[i] != 0) {
        new_x_[i] = p.x, new_y_[i] = p.y, new_speed_[i] = 0.0f;
        continue;
      }
      const WalkerMove m = move(
          i, p,
          desiredDirection(s, *fields_, journey_[i], journey_pos_[i], p, {dir_x_[i], dir_y_[i]}));
      new_x_[i] = m.position.x, new_y_[i] = m.position.y, new_speed_[i] = m.speed;
      dir_x_[i] = m.heading.x, dir_y_[i] = m.heading.y;
    }
  };
  impl_->arena.execute(
      [&] { tbb::parallel_for(tbb::blocked_range<std::size_t>(0, x_.size(), kGrain), body); });
}

}  // namespace citytwin::engine::crowd
