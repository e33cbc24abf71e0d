#include "citytwin/engine/crowd/walls.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace citytwin::engine::crowd {

Vec2f closestPoint(const Segment& s, Vec2f p) {
  const Vec2f d = s.b - s.a;
  const float len2 = dot(d, d);
  if (len2 <= 0.0f) return s.a;
  const float t = std::clamp(dot(p - s.a, d) / len2, 0.0f, 1.0f);
  return s.a + d * t;
}

EdgeList::EdgeList(const geodata::MultiPolygon2& rings,
                   const std::vector<std::vector<geodata::Vec2>>& lines) {
  std::uint32_t id = 0;
  for (const auto& poly : rings)
    for (const auto& ring : poly) {
      rings_.push_back(&ring);
      first_.push_back(id);
      id += static_cast<std::uint32_t>(ring.size());
    }
  first_.push_back(id);
  for (const auto& line : lines)
    for (std::size_t i = 1; i < line.size(); ++i) lines_.emplace_back(line[i - 1], line[i]);
}

void EdgeList::edge(std::uint32_t id, geodata::Vec2& a, geodata::Vec2& b) const {
  const std::uint32_t rings_total = first_.empty() ? 0 : first_.back();
  if (id >= rings_total) {
    std::tie(a, b) = lines_[id - rings_total];
    return;
  }
  const auto r = static_cast<std::size_t>(std::upper_bound(first_.begin(), first_.end(), id) -
                                          first_.begin() - 1);
  const auto& ring = *rings_[r];
  const std::size_t i = id - first_[r];
  a = ring[i];
  b = ring[(i + 1) % ring.size()];
}

namespace {
Segment toSegment(const geodata::Vec2& a, const geodata::Vec2& b) {
  return {{static_cast<float>(a.x), static_cast<float>(a.y)},
          {static_cast<float>(b.x), static_cast<float>(b.y)}};
}
}  // namespace

WallSet::~WallSet() = default;

WallSet::WallSet(const geodata::MultiPolygon2& walkable,
                 const std::vector<std::vector<geodata::Vec2>>& barriers, float cell_size)
    : edges_(walkable, barriers), cell_(cell_size) {
  float max_x = -1e30f, max_y = -1e30f;
  min_x_ = min_y_ = 1e30f;
  edges_.forEach([&](std::uint32_t, const geodata::Vec2& a, const geodata::Vec2& b) {
    const Segment s = toSegment(a, b);
    for (Vec2f p : {s.a, s.b}) {
      min_x_ = std::min(min_x_, p.x);
      min_y_ = std::min(min_y_, p.y);
      max_x = std::max(max_x, p.x);
      max_y = std::max(max_y, p.y);
    }
  });
  if (edges_.size() == 0) min_x_ = min_y_ = max_x = max_y = 0.0f;
  nx_ = static_cast<int>((max_x - min_x_) / cell_) + 1;
  ny_ = static_cast<int>((max_y - min_y_) / cell_) + 1;
  bnx_ = (nx_ + kBlock - 1) / kBlock;
  bny_ = (ny_ + kBlock - 1) / kBlock;
  const std::size_t blocks = static_cast<std::size_t>(bnx_) * static_cast<std::size_t>(bny_);
  blocks_.reset(new std::atomic<Block*>[blocks]);
  for (std::size_t k = 0; k < blocks; ++k) blocks_[k].store(nullptr, std::memory_order_relaxed);
  // Each wall by the rows of blocks its bounding box touches.
  band_.resize(static_cast<std::size_t>(bny_));
  edges_.forEach([&](std::uint32_t i, const geodata::Vec2& a, const geodata::Vec2& b) {
    const Segment s = toSegment(a, b);
    const int y0 = cellY(std::min(s.a.y, s.b.y)) >> kBlockBits,
              y1 = cellY(std::max(s.a.y, s.b.y)) >> kBlockBits;
    for (int k = y0; k <= y1; ++k) band_[static_cast<std::size_t>(k)].push_back(i);
  });
}

void WallSet::build(int bx, int by) {
  // Each wall goes into every cell of this block that its bounding box touches, in wall order.
  auto block = std::make_unique<Block>();
  block->start.assign(kBlock * kBlock + 1, 0);
  const int bx0 = bx * kBlock, by0 = by * kBlock;
  const int bx1 = bx0 + kBlock - 1, by1 = by0 + kBlock - 1;
  std::vector<std::pair<std::uint32_t, Segment>> mine;
  for (auto i : band_[static_cast<std::size_t>(by)]) {
    geodata::Vec2 a, b;
    edges_.edge(i, a, b);
    const Segment s = toSegment(a, b);
    const int x0 = cellX(std::min(s.a.x, s.b.x)), x1 = cellX(std::max(s.a.x, s.b.x));
    if (x1 < bx0 || x0 > bx1) continue;
    mine.emplace_back(i, s);
  }
  auto forCells = [&](const Segment& s, auto&& fn) {
    const int x0 = std::max(bx0, cellX(std::min(s.a.x, s.b.x))),
              x1 = std::min(bx1, cellX(std::max(s.a.x, s.b.x)));
    const int y0 = std::max(by0, cellY(std::min(s.a.y, s.b.y))),
              y1 = std::min(by1, cellY(std::max(s.a.y, s.b.y)));
    for (int cy = y0; cy <= y1; ++cy)
      for (int cx = x0; cx <= x1; ++cx) fn(localIndex(cx, cy));
  };
  for (const auto& [i, s] : mine) forCells(s, [&](std::size_t c) { ++block->start[c + 1]; });
  for (std::size_t c = 0; c + 1 < block->start.size(); ++c) block->start[c + 1] += block->start[c];
  block->items.resize(block->start.back());
  block->ids.resize(block->start.back());
  std::vector<std::uint32_t> cursor(block->start.begin(), block->start.end() - 1);
  for (const auto& [i, s] : mine)
    forCells(s, [&](std::size_t c) {
      block->items[cursor[c]] = s;
      block->ids[cursor[c]++] = i;
    });
  blocks_[static_cast<std::size_t>(by) * static_cast<std::size_t>(bnx_) +
          static_cast<std::size_t>(bx)]
      .store(block.get(), std::memory_order_release);
  owned_.push_back(std::move(block));
}

void WallSet::ensureBox(Vec2f lo, Vec2f hi) {
  if (edges_.size() == 0) return;
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
  std::size_t b = edges_.bytes() +
                  static_cast<std::size_t>(bnx_) * static_cast<std::size_t>(bny_) * sizeof(void*);
  for (const auto& band : band_) b += band.size() * sizeof(std::uint32_t);
  for (const auto& block : owned_)
    b += block->start.size() * sizeof(std::uint32_t) +
         block->items.size() * (sizeof(Segment) + sizeof(std::uint32_t));
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
  forEachNear(mid, reach, [&](const Segment& s) { hit = hit || segmentsCross(a, b, s.a, s.b); });
  return hit;
}

}  // namespace citytwin::engine::crowd
