#pragma once
// The walls agents meet: every ring edge of the walkable space and every barrier, indexed for
// "walls near this point" queries. The index is built lazily, block by block (32 x 32 cells of
// 2 m), where the navigation grid is built: its memory follows the area people use, not the
// city. Blocks are built only from serial phases (or under the navigation grid's lock); queries
// read built blocks and skip the others.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "citytwin/engine/crowd/vec2f.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

struct Segment {
  Vec2f a, b;
};

/// The edges of the walkable rings (and of barrier lines) numbered in order, without copying
/// the rings: edge k of ring r runs from its vertex k to k + 1. The rings must outlive it.
class EdgeList {
 public:
  EdgeList() = default;
  EdgeList(const geodata::MultiPolygon2& rings,
           const std::vector<std::vector<geodata::Vec2>>& lines = {});
  std::uint32_t size() const { return ringEdges() + static_cast<std::uint32_t>(lines_.size()); }
  std::uint32_t ringEdges() const { return first_.empty() ? 0 : first_.back(); }
  /// Ends of edge `id` (ring edges first, then the lines' segments).
  void edge(std::uint32_t id, geodata::Vec2& a, geodata::Vec2& b) const;
  /// Calls fn(id, a, b) for every edge in order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
    std::uint32_t id = 0;
    for (const auto* ring : rings_)
      for (std::size_t i = 0; i < ring->size(); ++i)
        fn(id++, (*ring)[i], (*ring)[(i + 1) % ring->size()]);
    for (const auto& [a, b] : lines_) fn(id++, a, b);
  }
  std::size_t bytes() const {
    return rings_.size() * (sizeof(void*) + sizeof(std::uint32_t)) +
           lines_.size() * 2 * sizeof(geodata::Vec2);
  }

 private:
  std::vector<const geodata::Ring2*> rings_;
  std::vector<std::uint32_t> first_;  ///< per ring: the id of its first edge, then the total
  std::vector<std::pair<geodata::Vec2, geodata::Vec2>> lines_;
};

class WallSet {
 public:
  /// Walls are the rings (outer and holes) of the walkable polygons, plus extra barrier lines.
  /// The walkable polygons must outlive the set (it reads them where it builds its index).
  explicit WallSet(const geodata::MultiPolygon2& walkable,
                   const std::vector<std::vector<geodata::Vec2>>& barriers = {},
                   float cell_size = 2.0f);
  ~WallSet();
  WallSet(const WallSet&) = delete;
  WallSet& operator=(const WallSet&) = delete;

  /// Builds the index where the box [lo, hi] lies (safe from several threads).
  void ensureBox(Vec2f lo, Vec2f hi);

  /// Calls fn(segment) for every wall within `radius` of p (and maybe a few more), where the
  /// index is built.
  template <typename Fn>
  void forEachNear(Vec2f p, float radius, Fn&& fn) const {
    forEachInBox({p.x - radius, p.y - radius}, {p.x + radius, p.y + radius},
                 [&](const Segment& s, std::uint32_t) { fn(s); });
  }
  /// Calls fn(segment, id) for every wall whose bounding box may touch the box [lo, hi]; a
  /// wall can come more than once (same id).
  template <typename Fn>
  void forEachInBox(Vec2f lo, Vec2f hi, Fn&& fn) const {
    if (edges_.size() == 0) return;
    const int x0 = cellX(lo.x), x1 = cellX(hi.x);
    const int y0 = cellY(lo.y), y1 = cellY(hi.y);
    for (int cy = y0; cy <= y1; ++cy)
      for (int cx = x0; cx <= x1; ++cx) {
        const Block* block = blocks_[blockIndex(cx, cy)].load(std::memory_order_acquire);
        if (!block) continue;
        const std::size_t c = localIndex(cx, cy);
        for (auto k = block->start[c]; k < block->start[c + 1]; ++k)
          fn(block->items[k], block->ids[k]);
      }
  }

  /// Calls fn(id, a, b) once for every ring edge of the walkable polygons (not the barriers)
  /// whose extent may reach rows y0 - y1, with its ends as given (double precision).
  template <typename Fn>
  void forEachRingEdgeInRows(float y0, float y1, Fn&& fn) const {
    if (edges_.size() == 0) return;
    const int first = cellY(y0) >> kBlockBits, last = cellY(y1) >> kBlockBits;
    for (int band = first; band <= last; ++band)
      for (auto id : band_[static_cast<std::size_t>(band)]) {
        if (id >= edges_.ringEdges()) continue;
        geodata::Vec2 a, b;
        edges_.edge(id, a, b);
        // Reported from its own first band, or from the first band asked for.
        const int own =
            cellY(std::min(static_cast<float>(a.y), static_cast<float>(b.y))) >> kBlockBits;
        if (own == band || band == first) fn(id, a, b);
      }
  }

  /// True when moving from a to b crosses a wall.
  bool crosses(Vec2f a, Vec2f b) const;
  std::size_t bytes() const;

 private:
  static constexpr int kBlockBits = 5, kBlock = 1 << kBlockBits;
  struct Block {
    std::vector<std::uint32_t> start;  ///< kBlock * kBlock + 1 offsets into items
    std::vector<Segment> items;        ///< the walls per cell, copied: contiguous reads
    std::vector<std::uint32_t> ids;
  };
  int cellX(float x) const;
  int cellY(float y) const;
  std::size_t blockIndex(int cx, int cy) const {
    return static_cast<std::size_t>(cy >> kBlockBits) * static_cast<std::size_t>(bnx_) +
           static_cast<std::size_t>(cx >> kBlockBits);
  }
  static std::size_t localIndex(int cx, int cy) {
    return static_cast<std::size_t>(((cy & (kBlock - 1)) << kBlockBits) | (cx & (kBlock - 1)));
  }
  void build(int bx, int by);  // under the lock

  EdgeList edges_;
  float min_x_ = 0, min_y_ = 0, cell_ = 2.0f;
  int nx_ = 1, ny_ = 1, bnx_ = 1, bny_ = 1;
  std::vector<std::vector<std::uint32_t>> band_;  ///< per row of blocks: the walls it touches
  std::unique_ptr<std::atomic<Block*>[]> blocks_;
  std::vector<std::unique_ptr<Block>> owned_;
  mutable std::mutex lock_;
};

/// The closest point to p on segment s.
Vec2f closestPoint(const Segment& s, Vec2f p);

/// True when segments a-b and c-d cross (touching counts; parallel ones never do).
inline bool segmentsCross(Vec2f a, Vec2f b, Vec2f c, Vec2f d) {
  const Vec2f r = b - a, q = d - c;
  const float den = cross(r, q);
  if (std::abs(den) < 1e-12f) return false;
  const float t = cross(c - a, q) / den, u = cross(c - a, r) / den;
  return t >= 0.0f && t <= 1.0f && u >= 0.0f && u <= 1.0f;
}

}  // namespace citytwin::engine::crowd
