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
  start_.assign(static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_) + 1, 0);
}

int NeighbourGrid::cellX(float x) const {
  return std::clamp(static_cast<int>(std::floor((x - min_.x) / cell_x_)), 0, nx_ - 1);
}
int NeighbourGrid::cellY(float y) const {
  return std::clamp(static_cast<int>(std::floor((y - min_.y) / cell_y_)), 0, ny_ - 1);
}

void NeighbourGrid::rebuild(std::span<const float> x, std::span<const float> y) {
  const std::size_t n = x.size();
  std::fill(start_.begin(), start_.end(), 0u);
  cell_of_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::uint32_t>(cellY(y[i]) * nx_ + cellX(x[i]));
    cell_of_[i] = c;
    ++start_[c + 1];
  }
  for (std::size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
  items_.resize(n);
  std::vector<std::uint32_t> cursor(start_.begin(), start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) items_[cursor[cell_of_[i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace citytwin::engine::crowd
