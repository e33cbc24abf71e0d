#pragma once
// Routing for pedestrians: the walkable space as a raster, and per destination a distance
// field (travel time to the destination, by fast marching) whose gradient gives every agent its
// desired direction in O(1) per step, around corners and concave obstacles.
#include <cstdint>
#include <vector>

#include "citytwin/engine/crowd/vec2f.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

class NavGrid {
 public:
  NavGrid() = default;
  /// Rasterises `walkable` (cell centres inside) with square cells of `cell_size` metres.
  NavGrid(const geodata::MultiPolygon2& walkable, float cell_size);

  int width() const { return nx_; }
  int height() const { return ny_; }
  float cellSize() const { return cell_; }
  Vec2f origin() const { return {min_x_, min_y_}; }
  bool walkable(int cx, int cy) const {
    return cx >= 0 && cy >= 0 && cx < nx_ && cy < ny_ && mask_[index(cx, cy)] != 0;
  }
  bool walkableAt(Vec2f p) const;
  std::size_t index(int cx, int cy) const {
    return static_cast<std::size_t>(cy) * static_cast<std::size_t>(nx_) +
           static_cast<std::size_t>(cx);
  }
  int cellX(float x) const { return static_cast<int>(std::floor((x - min_x_) / cell_)); }
  int cellY(float y) const { return static_cast<int>(std::floor((y - min_y_) / cell_)); }
  Vec2f cellCentre(int cx, int cy) const {
    return {min_x_ + (static_cast<float>(cx) + 0.5f) * cell_,
            min_y_ + (static_cast<float>(cy) + 0.5f) * cell_};
  }
  /// Distance to the nearest non-walkable cell, in metres (for keeping routes off walls).
  const std::vector<float>& wallDistance() const { return wall_distance_; }
  /// Marks the links between neighbouring cell centres that a wall crosses, so routes never
  /// pass through thin obstacles (a fence or wall narrower than a cell).
  void blockLinksCrossedBy(const std::vector<std::pair<Vec2f, Vec2f>>& walls);
  /// False when a wall lies between cell (cx, cy) and its neighbour (cx + dx, cy + dy).
  bool linked(int cx, int cy, int dx, int dy) const {
    if (dx < 0) return linked(cx + dx, cy, 1, 0);
    if (dy < 0) return linked(cx, cy + dy, 0, 1);
    if (blocked_.empty() || cx < 0 || cy < 0 || cx >= nx_ || cy >= ny_) return true;
    return (blocked_[index(cx, cy)] & (dx > 0 ? 1 : 2)) == 0;
  }

 private:
  float min_x_ = 0, min_y_ = 0, cell_ = 0.5f;
  int nx_ = 0, ny_ = 0;
  std::vector<std::uint8_t> mask_;
  std::vector<float> wall_distance_;
  std::vector<std::uint8_t> blocked_;  ///< bit 1: link to +x blocked, bit 2: link to +y
  friend class DistanceField;
};

/// Travel cost from every walkable cell to a target area, by the fast marching method.
class DistanceField {
 public:
  DistanceField() = default;
  /// Cells whose centre lies in `target` have cost 0. Near walls the walking cost rises
  /// (up to 1 + wall_penalty within wall_clearance), so routes keep a little off walls.
  /// `congestion`, one value per grid cell, multiplies the walking cost by (1 + value).
  DistanceField(const NavGrid& grid, const geodata::MultiPolygon2& target,
                float wall_clearance = 0.6f, float wall_penalty = 2.0f,
                const std::vector<float>* congestion = nullptr);

  /// Cost (metres of walking) at a point, bilinearly interpolated; +inf where unreachable.
  float costAt(Vec2f p) const;
  /// Unit direction of steepest descent at a point (zero where unreachable or at the target).
  Vec2f directionAt(Vec2f p) const;
  bool reachable(Vec2f p) const;
  std::size_t bytes() const { return cost_.size() * sizeof(float); }

 private:
  float cell(int cx, int cy) const;
  const NavGrid* grid_ = nullptr;
  std::vector<float> cost_;
};

}  // namespace citytwin::engine::crowd
