#pragma once
// Fastest paths on the edge graph (A* with a straight-line bound), for one vehicle class.
// Edge weights are travel times; they start from length / speed limit and can be replaced by
// observed travel times for re-routing. One Router per thread: it keeps its search state.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

class EdgeGraph {
 public:
  EdgeGraph(const Network& net, ClassMask vclass);
  const Network& network() const { return *net_; }
  /// Successor edges of `e` reachable through a link open to the class.
  std::span<const std::uint32_t> next(std::uint32_t e) const {
    return {targets_.data() + first_[e], targets_.data() + first_[e + 1]};
  }
  bool usable(std::uint32_t e) const { return usable_[e] != 0; }
  /// Free-flow travel time of an edge (s) for a vehicle capped at `max_speed`.
  float freeTime(std::uint32_t e, float max_speed) const;
  float maxSpeed() const { return max_speed_; }

 private:
  const Network* net_;
  std::vector<std::uint32_t> first_, targets_;
  std::vector<std::uint8_t> usable_;
  float max_speed_ = 1.0f;
};

class Router {
 public:
  explicit Router(const EdgeGraph& graph);
  /// Edges from `from` to `to` (both included), or nothing when `to` cannot be reached.
  /// `weights` (s per edge, optional) replaces the free-flow times.
  std::optional<std::vector<std::uint32_t>> route(std::uint32_t from, std::uint32_t to,
                                                  float max_speed,
                                                  const std::vector<float>* weights = nullptr);

 private:
  const EdgeGraph* graph_;
  std::vector<float> cost_;
  std::vector<std::uint32_t> parent_, stamp_;
  std::uint32_t search_ = 0;
};

}  // namespace citytwin::engine::traffic
