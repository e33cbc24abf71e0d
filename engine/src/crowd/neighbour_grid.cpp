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
  wx0_ = wy0_ = wnx_ = wny_ = 0;
}

int NeighbourGrid::cellX(float x) const {
  return std::clamp(static_cast<int>(std::floor((x - min_.x) / cell_x_)), 0, nx_ - 1);
}
int NeighbourGrid::cellY(float y) const {
  return std::clamp(static_cast<int>(std::floor((y - min_.y) / cell_y_)), 0, ny_ - 1);
}

void NeighbourGrid::rebuild(std::span<const float> x, std::span<const float> y) {
  const std::size_t n = x.size();
  // The window: the cells the agents occupy (all columns of a periodic ring).
  int x0 = nx_, x1 = -1, y0 = ny_, y1 = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const int cx = cellX(x[i]), cy = cellY(y[i]);
    x0 = std::min(x0, cx), x1 = std::max(x1, cx), y0 = std::min(y0, cy), y1 = std::max(y1, cy);
  }
  if (n == 0) x0 = x1 = y0 = y1 = 0;
  if (periodic_) x0 = 0, x1 = nx_ - 1;
  wx0_ = x0, wy0_ = y0, wnx_ = x1 - x0 + 1, wny_ = y1 - y0 + 1;
  start_.assign(static_cast<std::size_t>(wnx_) * static_cast<std::size_t>(wny_) + 1, 0u);
  cell_of_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::uint32_t>((cellY(y[i]) - wy0_) * wnx_ + (cellX(x[i]) - wx0_));
    cell_of_[i] = c;
    ++start_[c + 1];
  }
  for (std::size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
  items_.resize(n);
  cursor_.assign(start_.begin(), start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    items_[cursor_[cell_of_[i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace citytwin::engine::crowd
