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

class WallSet {
 public:
  WallSet();
  /// Walls are the rings (outer and holes) of the walkable polygons, plus extra barrier lines.
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
    forEachIndexInBox({p.x - radius, p.y - radius}, {p.x + radius, p.y + radius},
                      [&](std::uint32_t k) { fn(segments_[k]); });
  }
  /// Calls fn(index) for every wall whose bounding box may touch the box [lo, hi]; a wall can
  /// come more than once.
  template <typename Fn>
  void forEachIndexInBox(Vec2f lo, Vec2f hi, Fn&& fn) const {
    if (segments_.empty()) return;
    const int x0 = cellX(lo.x), x1 = cellX(hi.x);
    const int y0 = cellY(lo.y), y1 = cellY(hi.y);
    for (int cy = y0; cy <= y1; ++cy)
      for (int cx = x0; cx <= x1; ++cx) {
        const Block* block = blocks_[blockIndex(cx, cy)].load(std::memory_order_acquire);
        if (!block) continue;
        const std::size_t c = localIndex(cx, cy);
        for (auto k = block->start[c]; k < block->start[c + 1]; ++k) fn(block->items[k]);
      }
  }

  /// True when moving from a to b crosses a wall.
  bool crosses(Vec2f a, Vec2f b) const;
  const std::vector<Segment>& segments() const { return segments_; }
  std::size_t bytes() const;

 private:
  static constexpr int kBlockBits = 5, kBlock = 1 << kBlockBits;
  struct Block {
    std::vector<std::uint32_t> start;  ///< kBlock * kBlock + 1 offsets into items
    std::vector<std::uint32_t> items;
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

  std::vector<Segment> segments_;
  float min_x_ = 0, min_y_ = 0, cell_ = 2.0f;
  int nx_ = 1, ny_ = 1, bnx_ = 1, bny_ = 1;
  std::vector<std::vector<std::uint32_t>> band_;  ///< per row of blocks: the walls it touches
  std::unique_ptr<std::atomic<Block*>[]> blocks_;
  std::vector<std::unique_ptr<Block>> owned_;
  mutable std::mutex lock_;
};

/// The closest point to p on segment s.
Vec2f closestPoint(const Segment& s, Vec2f p);

}  // namespace citytwin::engine::crowd
