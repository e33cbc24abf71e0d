#pragma once
// Spatial cell list over agent positions, rebuilt every step by a counting sort in agent order,
// so neighbour iteration order (and with it every sum) is the same on any number of threads.
// The cells form a fixed lattice over the whole box; each step only the blocks of 16 x 16
// cells that hold agents are stored, so a crowd spread over a whole city costs what its people
// occupy, not the city's extent.
#include <cstdint>
#include <span>
#include <vector>

#include "citytwin/engine/crowd/vec2f.hpp"

namespace citytwin::engine::crowd {

class NeighbourGrid {
 public:
  /// Cells of at least `cell_size` over the box; with `periodic`, x wraps over [min.x, max.x).
  void configure(Vec2f min, Vec2f max, float cell_size, bool periodic);
  void rebuild(std::span<const float> x, std::span<const float> y);

  /// Calls fn(j, dx, dy) for every agent j within the 3x3 cells around p, with (dx, dy) the
  /// displacement from p to j (minimum image when periodic).
  template <typename Fn>
  void forEachNear(Vec2f p, std::span<const float> x, std::span<const float> y, Fn&& fn) const {
    forEachRangeNear(p, [&](std::uint32_t begin, std::uint32_t end) {
      for (auto k = begin; k < end; ++k) {
        const std::uint32_t j = items_[k];
        fn(j, minimumImage(x[j] - p.x), y[j] - p.y);
      }
    });
  }

  /// The same 3 x 3 cells in the same order, as ranges [begin, end) of items(): for callers
  /// that keep their agents' data in cell order (contiguous reads in the hot loop).
  template <typename Fn>
  void forEachRangeNear(Vec2f p, Fn&& fn) const {
    const int cx = cellX(p.x), cy = cellY(p.y);
    for (int oy = -1; oy <= 1; ++oy) {
      const int yy = cy + oy;
      if (yy < 0 || yy >= ny_) continue;
      for (int ox = -1; ox <= 1; ++ox) {
        int xx = cx + ox;
        if (periodic_)
          xx = (xx + nx_) % nx_;
        else if (xx < 0 || xx >= nx_)
          continue;
        const std::int32_t slot = slotOf(xx, yy);
        if (slot < 0) continue;
        const std::uint32_t* start = &start_[static_cast<std::size_t>(slot) * kStride];
        const std::size_t l = local(xx, yy);
        if (start[l] < start[l + 1]) fn(start[l], start[l + 1]);
      }
    }
  }
  /// An x displacement as seen across the periodic boundary when that is shorter (as is).
  float minimumImage(float dx) const {
    if (periodic_) {
      if (dx > 0.5f * width_)
        dx -= width_;
      else if (dx < -0.5f * width_)
        dx += width_;
    }
    return dx;
  }
  /// Agent indices in cell order (the order of the last rebuild).
  const std::vector<std::uint32_t>& items() const { return items_; }

  int cellX(float x) const;
  int cellY(float y) const;

 private:
  static constexpr int kBlockBits = 4, kBlock = 1 << kBlockBits;
  static constexpr std::size_t kStride = kBlock * kBlock + 1;
  static std::size_t local(int cx, int cy) {
    return static_cast<std::size_t>(((cy & (kBlock - 1)) << kBlockBits) | (cx & (kBlock - 1)));
  }
  /// The stored block holding cell (cx, cy), or -1.
  std::int32_t slotOf(int cx, int cy) const {
    const int bx = (cx >> kBlockBits) - bx0_, by = (cy >> kBlockBits) - by0_;
    if (bx < 0 || by < 0 || bx >= bnx_ || by >= bny_) return -1;
    return slot_[static_cast<std::size_t>(by) * static_cast<std::size_t>(bnx_) +
                 static_cast<std::size_t>(bx)];
  }
  Vec2f min_{};
  float cell_x_ = 1.0f, cell_y_ = 1.0f, width_ = 0.0f;
  int nx_ = 1, ny_ = 1;
  int bx0_ = 0, by0_ = 0, bnx_ = 0, bny_ = 0;  ///< the window of blocks that holds agents
  bool periodic_ = false;
  std::vector<std::int32_t> slot_;  ///< per block of the window: its stored block, or -1
  /// Per stored block, kStride offsets into items_ (absolute), cells in row-major order.
  std::vector<std::uint32_t> start_, items_, cell_of_, cursor_;
};

}  // namespace citytwin::engine::crowd
