#include "citytwin/engine/crowd/neighbour_grid.hpp"

#include <algorithm>
#include <cmath>

namespace citytwin::engine::crowd {

void NeighbourGrid::configure(Vec2f min, Vec2f max, float cell_size, bool periodic) {
  min_ = min;
  periodic_ = periodic;
  width_ = max.x - min.x;
  nx_ = std::max(1, static_cast<int>(std::floor(width_ / cell_size)));
  ny_ = std::max(1, static_cast<int>(std::floor((max.y - min.y) / cell_size)));
  if (periodic_ && nx_ < 3) nx_ = 1;  // tiny rings: one column, minimum image still applies
  cell_x_ = width_ / static_cast<float>(nx_);
  cell_y_ = (max.y - min.y) / static_cast<float>(ny_);
  bx0_ = by0_ = bnx_ = bny_ = 0;
  slot_.clear();
}

int NeighbourGrid::cellX(float x) const {
  return std::clamp(static_cast<int>(std::floor((x - min_.x) / cell_x_)), 0, nx_ - 1);
}
int NeighbourGrid::cellY(float y) const {
  return std::clamp(static_cast<int>(std::floor((y - min_.y) / cell_y_)), 0, ny_ - 1);
}

void NeighbourGrid::rebuild(std::span<const float> x, std::span<const float> y) {
  const std::size_t n = x.size();
  // The window of blocks the agents occupy.
  int x0 = nx_, x1 = -1, y0 = ny_, y1 = -1;
  cell_of_.resize(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    const int cx = cellX(x[i]), cy = cellY(y[i]);
    cell_of_[2 * i] = static_cast<std::uint32_t>(cx);
    cell_of_[2 * i + 1] = static_cast<std::uint32_t>(cy);
    x0 = std::min(x0, cx), x1 = std::max(x1, cx), y0 = std::min(y0, cy), y1 = std::max(y1, cy);
  }
  if (n == 0) x0 = x1 = y0 = y1 = 0;
  bx0_ = x0 >> kBlockBits, by0_ = y0 >> kBlockBits;
  bnx_ = (x1 >> kBlockBits) - bx0_ + 1, bny_ = (y1 >> kBlockBits) - by0_ + 1;
  slot_.assign(static_cast<std::size_t>(bnx_) * static_cast<std::size_t>(bny_), -1);
  // Stored blocks in order of first touch; per cell the number of agents, then offsets.
  std::int32_t slots = 0;
  start_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const int cx = static_cast<int>(cell_of_[2 * i]), cy = static_cast<int>(cell_of_[2 * i + 1]);
    auto& s =
        slot_[static_cast<std::size_t>((cy >> kBlockBits) - by0_) * static_cast<std::size_t>(bnx_) +
              static_cast<std::size_t>((cx >> kBlockBits) - bx0_)];
    if (s < 0) {
      s = slots++;
      start_.resize(start_.size() + kStride, 0u);
    }
    const std::size_t at = static_cast<std::size_t>(s) * kStride + local(cx, cy);
    ++start_[at + 1];
    cell_of_[2 * i] = static_cast<std::uint32_t>(at);  // reuse: the agent's counter slot
  }
  std::uint32_t total = 0;
  for (std::int32_t b = 0; b < slots; ++b) {
    std::uint32_t* s = &start_[static_cast<std::size_t>(b) * kStride];
    s[0] = total;
    for (std::size_t c = 1; c < kStride; ++c) s[c] += s[c - 1];
    total = s[kStride - 1];
  }
  items_.resize(n);
  cursor_.assign(start_.begin(), start_.end());
  for (std::size_t i = 0; i < n; ++i)
    items_[cursor_[cell_of_[2 * i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace citytwin::engine::crowd
