#pragma once
// The navigation grid, walls and one distance field per stage of a crowd scenario. Each field
// is marched only as far as the people heading for its stage need: from the sources whose
// journeys start there and from the stages before it in a journey (evacuation exits: from
// everywhere people start or stop), and it grows when someone turns up beyond.
#include <memory>
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"
#include "citytwin/engine/crowd/distance_field.hpp"
#include "citytwin/engine/crowd/nav_grid.hpp"
#include "citytwin/engine/crowd/walls.hpp"

namespace citytwin::engine::crowd {

class DistanceFieldSet {
 public:
  /// Computes the fields in parallel (each one alone, so the result is thread-independent).
  DistanceFieldSet(const CrowdScenario& scenario, int threads);
  const NavGrid& grid() const { return grid_; }
  NavGrid& grid() { return grid_; }
  const WallSet& walls() const { return walls_; }
  /// The field agents steer by: congestion-aware once reroute() ran, else the static one.
  const DistanceField& field(std::size_t stage) const {
    return dynamic_.empty() ? fields_[stage] : dynamic_[stage];
  }
  /// Makes the field of `stage` reach p (marching on from where it stopped, if it must).
  void cover(std::size_t stage, Vec2f p) {
    DistanceField& f = dynamic_.empty() ? fields_[stage] : dynamic_[stage];
    if (!f.covers(p)) f.extendTo(p);
  }
  /// Recomputes the steering fields with a walking-cost factor of (1 + congestion) per cell.
  void reroute(const CrowdScenario& scenario, std::shared_ptr<const CongestionMap> congestion,
               int threads);
  std::size_t bytes() const;

 private:
  std::vector<DistanceField> build(const CrowdScenario& scenario,
                                   const std::shared_ptr<const CongestionMap>& congestion,
                                   int threads);
  WallSet walls_;
  NavGrid grid_;
  std::vector<std::vector<geodata::MultiPolygon2>> must_reach_;  ///< per stage
  std::vector<DistanceField> fields_, dynamic_;
};

}  // namespace citytwin::engine::crowd
