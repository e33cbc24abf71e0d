#pragma once
// Spatial cell list over agent positions, rebuilt every step by a counting sort in agent order,
// so neighbour iteration order (and with it every sum) is the same on any number of threads.
// The cells form a fixed lattice over the whole box, but only the window of it that holds
// agents is stored each step: a whole city's box costs nothing where nobody is.
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
    const int cx = cellX(p.x), cy = cellY(p.y);
    for (int oy = -1; oy <= 1; ++oy) {
      const int yy = cy + oy - wy0_;
      if (yy < 0 || yy >= wny_) continue;
      for (int ox = -1; ox <= 1; ++ox) {
        int xx = cx + ox;
        if (periodic_)
          xx = (xx + nx_) % nx_;
        else if (xx < 0 || xx >= nx_)
          continue;
        xx -= wx0_;
        if (xx < 0 || xx >= wnx_) continue;
        const std::size_t c = static_cast<std::size_t>(yy) * static_cast<std::size_t>(wnx_) +
                              static_cast<std::size_t>(xx);
        for (auto k = start_[c]; k < start_[c + 1]; ++k) {
          const std::uint32_t j = items_[k];
          float dx = x[j] - p.x;
          if (periodic_) {
            if (dx > 0.5f * width_)
              dx -= width_;
            else if (dx < -0.5f * width_)
              dx += width_;
          }
          fn(j, dx, y[j] - p.y);
        }
      }
    }
  }

  int cellX(float x) const;
  int cellY(float y) const;

 private:
  Vec2f min_{};
  float cell_x_ = 1.0f, cell_y_ = 1.0f, width_ = 0.0f;
  int nx_ = 1, ny_ = 1;
  int wx0_ = 0, wy0_ = 0, wnx_ = 0, wny_ = 0;  ///< the window of cells that holds agents
  bool periodic_ = false;
  std::vector<std::uint32_t> start_, items_, cell_of_, cursor_;
};

}  // namespace citytwin::engine::crowd
