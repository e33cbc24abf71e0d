#include "citytwin/engine/crowd/walls.hpp"

#include <algorithm>
#include <cmath>

namespace citytwin::engine::crowd {

Vec2f closestPoint(const Segment& s, Vec2f p) {
  const Vec2f d = s.b - s.a;
  const float len2 = dot(d, d);
  if (len2 <= 0.0f) return s.a;
  const float t = std::clamp(dot(p - s.a, d) / len2, 0.0f, 1.0f);
  return s.a + d * t;
}

WallSet::WallSet(const geodata::MultiPolygon2& walkable,
                 const std::vector<std::vector<geodata::Vec2>>& barriers, float cell_size)
    : cell_(cell_size) {
  auto add = [&](const geodata::Vec2& a, const geodata::Vec2& b) {
    segments_.push_back({{static_cast<float>(a.x), static_cast<float>(a.y)},
                         {static_cast<float>(b.x), static_cast<float>(b.y)}});
  };
  for (const auto& poly : walkable)
    for (const auto& ring : poly)
      for (std::size_t i = 0; i < ring.size(); ++i) add(ring[i], ring[(i + 1) % ring.size()]);
  for (const auto& line : barriers)
    for (std::size_t i = 1; i < line.size(); ++i) add(line[i - 1], line[i]);
  if (segments_.empty()) return;
  float max_x = -1e30f, max_y = -1e30f;
  min_x_ = min_y_ = 1e30f;
  for (const auto& s : segments_)
    for (Vec2f p : {s.a, s.b}) {
      min_x_ = std::min(min_x_, p.x);
      min_y_ = std::min(min_y_, p.y);
      max_x = std::max(max_x, p.x);
      max_y = std::max(max_y, p.y);
    }
  nx_ = static_cast<int>((max_x - min_x_) / cell_) + 1;
  ny_ = static_cast<int>((max_y - min_y_) / cell_) + 1;
  // Each segment goes into every cell its bounding box touches (two passes: count, then fill).
  const std::size_t cells = static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_);
  cell_start_.assign(cells + 1, 0);
  auto forCells = [&](const Segment& s, auto&& fn) {
    const int x0 = cellX(std::min(s.a.x, s.b.x)), x1 = cellX(std::max(s.a.x, s.b.x));
    const int y0 = cellY(std::min(s.a.y, s.b.y)), y1 = cellY(std::max(s.a.y, s.b.y));
    for (int cy = y0; cy <= y1; ++cy)
      for (int cx = x0; cx <= x1; ++cx)
        fn(static_cast<std::size_t>(cy) * static_cast<std::size_t>(nx_) +
           static_cast<std::size_t>(cx));
  };
  for (const auto& s : segments_) forCells(s, [&](std::size_t c) { ++cell_start_[c + 1]; });
  for (std::size_t c = 0; c < cells; ++c) cell_start_[c + 1] += cell_start_[c];
  cell_items_.resize(cell_start_.back());
  std::vector<std::uint32_t> cursor(cell_start_.begin(), cell_start_.end() - 1);
  for (std::uint32_t i = 0; i < segments_.size(); ++i)
    forCells(segments_[i], [&](std::size_t c) { cell_items_[cursor[c]++] = i; });
}

int WallSet::cellX(float x) const {
  return std::clamp(static_cast<int>(std::floor((x - min_x_) / cell_)), 0, nx_ - 1);
}
int WallSet::cellY(float y) const {
  return std::clamp(static_cast<int>(std::floor((y - min_y_) / cell_)), 0, ny_ - 1);
}

bool WallSet::crosses(Vec2f a, Vec2f b) const {
  bool hit = false;
  const Vec2f mid = (a + b) * 0.5f;
  const float reach = norm(b - a) * 0.5f + 0.01f;
  forEachNear(mid, reach, [&](const Segment& s) {
    if (hit) return;
    const Vec2f r = b - a, q = s.b - s.a;
    const float den = cross(r, q);
    if (std::abs(den) < 1e-12f) return;
    const float t = cross(s.a - a, q) / den, u = cross(s.a - a, r) / den;
    if (t >= 0.0f && t <= 1.0f && u >= 0.0f && u <= 1.0f) hit = true;
  });
  return hit;
}

}  // namespace citytwin::engine::crowd
