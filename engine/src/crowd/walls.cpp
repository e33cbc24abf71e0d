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

WallSet::WallSet() : blocks_(new std::atomic<Block*>[1]) {
  blocks_[0].store(nullptr);
}
WallSet::~WallSet() = default;

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
  float max_x = -1e30f, max_y = -1e30f;
  min_x_ = min_y_ = 1e30f;
  for (const auto& s : segments_)
    for (Vec2f p : {s.a, s.b}) {
      min_x_ = std::min(min_x_, p.x);
      min_y_ = std::min(min_y_, p.y);
      max_x = std::max(max_x, p.x);
      max_y = std::max(max_y, p.y);
    }
  if (segments_.empty()) min_x_ = min_y_ = max_x = max_y = 0.0f;
  nx_ = static_cast<int>((max_x - min_x_) / cell_) + 1;
  ny_ = static_cast<int>((max_y - min_y_) / cell_) + 1;
  bnx_ = (nx_ + kBlock - 1) / kBlock;
  bny_ = (ny_ + kBlock - 1) / kBlock;
  const std::size_t blocks = static_cast<std::size_t>(bnx_) * static_cast<std::size_t>(bny_);
  blocks_.reset(new std::atomic<Block*>[blocks]);
  for (std::size_t k = 0; k < blocks; ++k) blocks_[k].store(nullptr, std::memory_order_relaxed);
  // Each wall by the rows of blocks its bounding box touches.
  band_.resize(static_cast<std::size_t>(bny_));
  for (std::uint32_t i = 0; i < segments_.size(); ++i) {
    const Segment& s = segments_[i];
    const int y0 = cellY(std::min(s.a.y, s.b.y)) >> kBlockBits,
              y1 = cellY(std::max(s.a.y, s.b.y)) >> kBlockBits;
    for (int b = y0; b <= y1; ++b) band_[static_cast<std::size_t>(b)].push_back(i);
  }
}

void WallSet::build(int bx, int by) {
  // Each wall goes into every cell of this block that its bounding box touches, in wall order.
  auto block = std::make_unique<Block>();
  block->start.assign(kBlock * kBlock + 1, 0);
  const int bx0 = bx * kBlock, by0 = by * kBlock;
  const int bx1 = bx0 + kBlock - 1, by1 = by0 + kBlock - 1;
  std::vector<std::uint32_t> mine;
  for (auto i : band_[static_cast<std::size_t>(by)]) {
    const Segment& s = segments_[i];
    const int x0 = cellX(std::min(s.a.x, s.b.x)), x1 = cellX(std::max(s.a.x, s.b.x));
    if (x1 < bx0 || x0 > bx1) continue;
    mine.push_back(i);
  }
  auto forCells = [&](const Segment& s, auto&& fn) {
    const int x0 = std::max(bx0, cellX(std::min(s.a.x, s.b.x))),
              x1 = std::min(bx1, cellX(std::max(s.a.x, s.b.x)));
    const int y0 = std::max(by0, cellY(std::min(s.a.y, s.b.y))),
              y1 = std::min(by1, cellY(std::max(s.a.y, s.b.y)));
    for (int cy = y0; cy <= y1; ++cy)
      for (int cx = x0; cx <= x1; ++cx) fn(localIndex(cx, cy));
  };
  for (auto i : mine) forCells(segments_[i], [&](std::size_t c) { ++block->start[c + 1]; });
  for (std::size_t c = 0; c + 1 < block->start.size(); ++c) block->start[c + 1] += block->start[c];
  block->items.resize(block->start.back());
  std::vector<std::uint32_t> cursor(block->start.begin(), block->start.end() - 1);
  for (auto i : mine) forCells(segments_[i], [&](std::size_t c) { block->items[cursor[c]++] = i; });
  blocks_[static_cast<std::size_t>(by) * static_cast<std::size_t>(bnx_) +
          static_cast<std::size_t>(bx)]
      .store(block.get(), std::memory_order_release);
  owned_.push_back(std::move(block));
}

void WallSet::ensureBox(Vec2f lo, Vec2f hi) {
  if (segments_.empty()) return;
  const int x0 = cellX(lo.x) >> kBlockBits, x1 = cellX(hi.x) >> kBlockBits;
  const int y0 = cellY(lo.y) >> kBlockBits, y1 = cellY(hi.y) >> kBlockBits;
  for (int by = y0; by <= y1; ++by)
    for (int bx = x0; bx <= x1; ++bx) {
      const auto k = static_cast<std::size_t>(by) * static_cast<std::size_t>(bnx_) +
                     static_cast<std::size_t>(bx);
      if (blocks_[k].load(std::memory_order_acquire)) continue;
      std::lock_guard<std::mutex> hold(lock_);
      if (!blocks_[k].load(std::memory_order_acquire)) build(bx, by);
    }
}

std::size_t WallSet::bytes() const {
  std::lock_guard<std::mutex> hold(lock_);
  std::size_t b = segments_.size() * sizeof(Segment) +
                  static_cast<std::size_t>(bnx_) * static_cast<std::size_t>(bny_) * sizeof(void*);
  for (const auto& band : band_) b += band.size() * sizeof(std::uint32_t);
  for (const auto& block : owned_)
    b += (block->start.size() + block->items.size()) * sizeof(std::uint32_t);
  return b;
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
