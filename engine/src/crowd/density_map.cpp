#include "citytwin/engine/crowd/density_map.hpp"

#include <algorithm>
#include <cmath>

namespace citytwin::engine::crowd {

DensityMap densityMapOver(const geodata::Box2& b, double cell_m) {
  DensityMap m;
  m.cell_m = cell_m;
  m.x0 = std::floor(b.min_x / cell_m) * cell_m;
  m.y0 = std::floor(b.min_y / cell_m) * cell_m;
  m.nx = std::max(1, static_cast<int>(std::ceil((b.max_x - m.x0) / cell_m)));
  m.ny = std::max(1, static_cast<int>(std::ceil((b.max_y - m.y0) / cell_m)));
  m.density.assign(static_cast<std::size_t>(m.nx) * static_cast<std::size_t>(m.ny), 0.0f);
  m.speed.assign(m.density.size(), 0.0f);
  return m;
}

float DensityMap::densityAt(double x, double y) const {
  const int cx = static_cast<int>(std::floor((x - x0) / cell_m));
  const int cy = static_cast<int>(std::floor((y - y0) / cell_m));
  if (cx < 0 || cy < 0 || cx >= nx || cy >= ny) return 0.0f;
  return density[static_cast<std::size_t>(cy) * static_cast<std::size_t>(nx) +
                 static_cast<std::size_t>(cx)];
}

namespace {

/// Sums of a row-major grid over a (2r + 1)-wide window along x, then along y (a box filter).
void boxSum(std::vector<float>& v, int nx, int ny, int r, std::vector<float>& tmp) {
  tmp.assign(v.size(), 0.0f);
  for (int y = 0; y < ny; ++y) {
    const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(nx);
    float run = 0.0f;
    for (int x = -r; x < nx + r; ++x) {
      if (x + r < nx && x + r >= 0) run += v[row + static_cast<std::size_t>(x + r)];
      if (x - r - 1 >= 0 && x - r - 1 < nx) run -= v[row + static_cast<std::size_t>(x - r - 1)];
      if (x >= 0 && x < nx) tmp[row + static_cast<std::size_t>(x)] = run;
    }
  }
  for (int x = 0; x < nx; ++x) {
    float run = 0.0f;
    for (int y = -r; y < ny + r; ++y) {
      auto at = [&](int yy) {
        return static_cast<std::size_t>(yy) * static_cast<std::size_t>(nx) +
               static_cast<std::size_t>(x);
      };
      if (y + r < ny && y + r >= 0) run += tmp[at(y + r)];
      if (y - r - 1 >= 0 && y - r - 1 < ny) run -= tmp[at(y - r - 1)];
      if (y >= 0 && y < ny) v[at(y)] = run;
    }
  }
}

}  // namespace

void fillDensityMap(std::span<const float> x, std::span<const float> y,
                    std::span<const float> speed, int radius_cells, DensityMap& m) {
  // Without speeds (a density-only view) the speed channel is left at zero and not smoothed.
  const bool with_speed = !speed.empty();
  std::fill(m.density.begin(), m.density.end(), 0.0f);
  std::fill(m.speed.begin(), m.speed.end(), 0.0f);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const int cx = static_cast<int>(std::floor((x[i] - m.x0) / m.cell_m));
    const int cy = static_cast<int>(std::floor((y[i] - m.y0) / m.cell_m));
    if (cx < 0 || cy < 0 || cx >= m.nx || cy >= m.ny) continue;
    const std::size_t k = static_cast<std::size_t>(cy) * static_cast<std::size_t>(m.nx) +
                          static_cast<std::size_t>(cx);
    m.density[k] += 1.0f;
    if (with_speed) m.speed[k] += speed[i];
  }
  const int r = std::max(0, radius_cells);
  if (r > 0) {
    std::vector<float> tmp;
    boxSum(m.density, m.nx, m.ny, r, tmp);
    if (with_speed) boxSum(m.speed, m.nx, m.ny, r, tmp);
  }
  const float window = static_cast<float>((2 * r + 1) * (2 * r + 1) * m.cell_m * m.cell_m);
  for (std::size_t k = 0; k < m.density.size(); ++k) {
    const float people = m.density[k];
    if (with_speed) m.speed[k] = people > 0.5f ? m.speed[k] / people : 0.0f;
    m.density[k] = people / window;
  }
}

}  // namespace citytwin::engine::crowd
