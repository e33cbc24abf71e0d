#pragma once
// Travel cost to a destination over the walkable raster, by the fast marching method, stored
// sparsely and computed only as far as it is needed: the march stops once it has reached
// every area that people start from on the way here (and a margin beyond), and goes on from
// where it stopped when someone turns up farther out. Its gradient gives every agent its
// desired direction in O(1) per step, around corners and concave obstacles.
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "citytwin/engine/crowd/nav_grid.hpp"
#include "citytwin/engine/crowd/vec2f.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

/// A walking-cost surcharge per cell (cost x (1 + value)), stored by tile; 0 where absent.
class CongestionMap {
 public:
  explicit CongestionMap(const NavGrid& grid);
  float at(int cx, int cy) const {
    if (cx < 0 || cy < 0 || cx >= nx_ || cy >= ny_) return 0.0f;
    const auto k = index_[tile(NavGrid::tileOf(cx), NavGrid::tileOf(cy))];
    return k ? tiles_[k - 1][NavGrid::local(cx, cy)] : 0.0f;
  }
  /// The values of one tile, created (all 0) when absent.
  float* tileValues(int tx, int ty);
  std::size_t tiles() const { return tiles_.size(); }

 private:
  std::size_t tile(int tx, int ty) const {
    return static_cast<std::size_t>(ty) * static_cast<std::size_t>(tnx_) +
           static_cast<std::size_t>(tx);
  }
  int nx_ = 0, ny_ = 0, tnx_ = 0;
  std::vector<std::uint32_t> index_;
  std::deque<std::vector<float>> tiles_;
};

/// Local crowding from people's positions: heads per cell box-summed over `radius_m` around
/// each cell, as people per m2; value = weight x max(0, density - 0.5).
CongestionMap congestionFrom(const NavGrid& grid, const std::vector<float>& x,
                             const std::vector<float>& y, float weight, float radius_m = 1.5f);

/// A target with no walkable cell inside snaps to the nearest walkable cell within this many
/// metres; farther than that it lies off the walkable space.
inline constexpr float kSnapToWalkableMetres = 500.0f;

struct FieldOptions {
  /// Near walls the walking cost rises (up to 1 + wall_penalty within wall_clearance), so
  /// routes keep a little off walls.
  float wall_clearance = 0.6f;
  float wall_penalty = 2.0f;
  /// Optional crowding surcharge per cell.
  std::shared_ptr<const CongestionMap> congestion;
};

class DistanceField {
 public:
  DistanceField() = default;
  /// Cells whose centre lies in `target` have cost 0. The march goes on until it has reached a
  /// walkable cell of every area in `must_reach` (where one is reachable), then to 1.3 times
  /// that cost plus 100 m; with nothing to reach, 100 m round the target.
  DistanceField(NavGrid& grid, const geodata::MultiPolygon2& target, FieldOptions options = {},
                const std::vector<geodata::MultiPolygon2>& must_reach = {});
  DistanceField(DistanceField&&) noexcept = default;
  DistanceField& operator=(DistanceField&&) noexcept = default;

  /// Cost (metres of walking) at a point, bilinearly interpolated; +inf where unreachable or
  /// not reached yet.
  float costAt(Vec2f p) const;
  /// Unit direction of steepest descent at a point (zero where unreachable or at the target).
  Vec2f directionAt(Vec2f p) const;
  bool reachable(Vec2f p) const;
  /// True when the cost at p's cell is final: reached, not walkable, or the march is over.
  bool covers(Vec2f p) const;
  /// Marches on until p's cell is reached (or shown unreachable), and a margin beyond.
  void extendTo(Vec2f p);
  /// Marches on over the whole connected space (tests and tools).
  void complete();
  bool completed() const { return heap_.empty(); }
  std::size_t cellsReached() const { return reached_; }
  std::size_t bytes() const;

 private:
  struct Tile {
    float cost[NavGrid::kTileCells];
    std::uint8_t state[NavGrid::kTileCells];  // 0 far, 1 trial, 2 known
  };
  using Entry = std::pair<float, std::uint64_t>;  // ties broken by cell number: deterministic
  Tile* tileFor(int cx, int cy, bool create);
  const Tile* tileAt(int cx, int cy) const;
  float cell(int cx, int cy) const;
  void push(int cx, int cy, float cost);
  /// Marches while the next cost is within bound_ (always while something is still to be
  /// reached); stops early once `stop_at` (a cell number) is known.
  void march(std::uint64_t stop_at = ~std::uint64_t{0});
  void seedNearest(Vec2f t);

  NavGrid* grid_ = nullptr;
  FieldOptions options_;
  // Two-level directory, as the grid's: groups of 8 x 8 tiles, made when first needed.
  using Group = std::array<Tile*, 64>;
  int gnx_ = 0;
  std::vector<Group*> group_index_;
  std::deque<Group> groups_;  // deques: the addresses stay put as they grow
  std::deque<Tile> tiles_;
  std::vector<Entry> heap_;
  /// Cells of the areas to reach, sorted, with the area each belongs to.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> to_reach_;
  std::vector<std::uint8_t> area_reached_;
  std::size_t areas_pending_ = 0, reached_ = 0;
  float last_ = 0.0f, bound_ = 0.0f;
};

}  // namespace citytwin::engine::crowd
