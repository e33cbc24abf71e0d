#pragma once
// The walls agents meet: every ring edge of the walkable space, indexed in a uniform grid for
// "walls near this point" queries.
#include <cstdint>
#include <vector>

#include "citytwin/engine/crowd/vec2f.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

struct Segment {
  Vec2f a, b;
};

class WallSet {
 public:
  WallSet() = default;
  /// Walls are the rings (outer and holes) of the walkable polygons, plus extra barrier lines.
  explicit WallSet(const geodata::MultiPolygon2& walkable,
                   const std::vector<std::vector<geodata::Vec2>>& barriers = {},
                   float cell_size = 2.0f);

  /// Calls fn(segment) for every wall within `radius` of p (and maybe a few more).
  template <typename Fn>
  void forEachNear(Vec2f p, float radius, Fn&& fn) const {
    if (segments_.empty()) return;
    const int x0 = cellX(p.x - radius), x1 = cellX(p.x + radius);
    const int y0 = cellY(p.y - radius), y1 = cellY(p.y + radius);
    for (int cy = y0; cy <= y1; ++cy)
      for (int cx = x0; cx <= x1; ++cx) {
        const auto c = static_cast<std::size_t>(cy) * static_cast<std::size_t>(nx_) +
                       static_cast<std::size_t>(cx);
        for (auto k = cell_start_[c]; k < cell_start_[c + 1]; ++k) fn(segments_[cell_items_[k]]);
      }
  }

  /// True when moving from a to b crosses a wall.
  bool crosses(Vec2f a, Vec2f b) const;
  const std::vector<Segment>& segments() const { return segments_; }

 private:
  int cellX(float x) const;
  int cellY(float y) const;
  std::vector<Segment> segments_;
  float min_x_ = 0, min_y_ = 0, cell_ = 2.0f;
  int nx_ = 1, ny_ = 1;
  std::vector<std::uint32_t> cell_start_, cell_items_;
};

/// The closest point to p on segment s.
Vec2f closestPoint(const Segment& s, Vec2f p);

}  // namespace citytwin::engine::crowd
