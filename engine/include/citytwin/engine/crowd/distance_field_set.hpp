#pragma once
// The navigation grid, walls and one distance field per stage of a crowd scenario.
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"
#include "citytwin/engine/crowd/nav_grid.hpp"
#include "citytwin/engine/crowd/walls.hpp"

namespace citytwin::engine::crowd {

class DistanceFieldSet {
 public:
  /// Computes the fields in parallel (each one alone, so the result is thread-independent).
  DistanceFieldSet(const CrowdScenario& scenario, int threads);
  const NavGrid& grid() const { return grid_; }
  const WallSet& walls() const { return walls_; }
  /// The field agents steer by: congestion-aware once reroute() ran, else the static one.
  const DistanceField& field(std::size_t stage) const {
    return dynamic_.empty() ? fields_[stage] : dynamic_[stage];
  }
  /// Recomputes the steering fields with a walking-cost factor of (1 + congestion) per cell.
  void reroute(const CrowdScenario& scenario, const std::vector<float>& congestion, int threads);
  std::size_t bytes() const;

 private:
  NavGrid grid_;
  WallSet walls_;
  std::vector<DistanceField> fields_, dynamic_;
};

}  // namespace citytwin::engine::crowd
