#include "citytwin/engine/crowd/nav_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace citytwin::engine::crowd {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Even-odd scanline fill of polygons at cell-centre rows; calls mark(cx, cy) per inside cell.
template <typename Mark>
void rasterise(const geodata::MultiPolygon2& polys, double min_x, double min_y, double cell, int nx,
               int ny, Mark&& mark) {
  std::vector<std::vector<double>> crossings(static_cast<std::size_t>(ny));
  for (const auto& poly : polys)
    for (const auto& ring : poly)
      for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        if (a.y == b.y) continue;
        const double lo = std::min(a.y, b.y), hi = std::max(a.y, b.y);
        int r0 = static_cast<int>(std::ceil((lo - min_y) / cell - 0.5));
        int r1 = static_cast<int>(std::ceil((hi - min_y) / cell - 0.5)) - 1;
        r0 = std::max(r0, 0);
        r1 = std::min(r1, ny - 1);
        for (int r = r0; r <= r1; ++r) {
          const double y = min_y + (r + 0.5) * cell;
          crossings[static_cast<std::size_t>(r)].push_back(a.x +
                                                           (y - a.y) * (b.x - a.x) / (b.y - a.y));
        }
      }
  for (int r = 0; r < ny; ++r) {
    auto& xs = crossings[static_cast<std::size_t>(r)];
    std::sort(xs.begin(), xs.end());
    for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
      const int c0 = std::max(0, static_cast<int>(std::ceil((xs[k] - min_x) / cell - 0.5)));
      const int c1 =
          std::min(nx - 1, static_cast<int>(std::ceil((xs[k + 1] - min_x) / cell - 0.5)) - 1);
      for (int c = c0; c <= c1; ++c) mark(c, r);
    }
  }
}

// Exact squared Euclidean distance transform in 1D (Felzenszwalb & Huttenlocher 2012).
void edt1d(const float* f, float* d, int n, int* v, float* z) {
  int k = 0;
  v[0] = 0;
  z[0] = -kInf;
  z[1] = kInf;
  for (int q = 1; q < n; ++q) {
    float s;
    while (true) {
      const int p = v[k];
      s = ((f[q] + static_cast<float>(q) * static_cast<float>(q)) -
           (f[p] + static_cast<float>(p) * static_cast<float>(p))) /
          (2.0f * static_cast<float>(q - p));
      if (s <= z[k] && k > 0)
        --k;
      else
        break;
    }
    if (s <= z[k]) {  // k == 0 and still dominated: replace
      v[0] = q;
      z[0] = -kInf;
      z[1] = kInf;
      continue;
    }
    ++k;
    v[k] = q;
    z[k] = s;
    z[k + 1] = kInf;
  }
  k = 0;
  for (int q = 0; q < n; ++q) {
    while (z[k + 1] < static_cast<float>(q)) ++k;
    const float dq = static_cast<float>(q - v[k]);
    d[q] = dq * dq + f[v[k]];
  }
}

}  // namespace

NavGrid::NavGrid(const geodata::MultiPolygon2& walkable, float cell_size) : cell_(cell_size) {
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (const auto& p : walkable)
    for (const auto& r : p)
      for (const auto& v : r)
        x0 = std::min(x0, v.x), y0 = std::min(y0, v.y), x1 = std::max(x1, v.x),
        y1 = std::max(y1, v.y);
  if (x0 > x1) return;
  // One cell of margin around the space, so walls are inside the grid.
  min_x_ = static_cast<float>(x0) - cell_;
  min_y_ = static_cast<float>(y0) - cell_;
  nx_ = static_cast<int>(std::ceil((x1 - x0) / cell_)) + 2;
  ny_ = static_cast<int>(std::ceil((y1 - y0) / cell_)) + 2;
  mask_.assign(static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_), 0);
  rasterise(walkable, min_x_, min_y_, cell_, nx_, ny_,
            [&](int cx, int cy) { mask_[index(cx, cy)] = 1; });

  // Distance to the nearest blocked cell: squared EDT by rows, then by columns.
  const std::size_t n = mask_.size();
  std::vector<float> f(n);
  for (std::size_t i = 0; i < n; ++i) f[i] = mask_[i] ? 1e20f : 0.0f;
  const int m = std::max(nx_, ny_);
  std::vector<float> line(static_cast<std::size_t>(m)), out(static_cast<std::size_t>(m)),
      z(static_cast<std::size_t>(m) + 1);
  std::vector<int> v(static_cast<std::size_t>(m));
  for (int cx = 0; cx < nx_; ++cx) {
    for (int cy = 0; cy < ny_; ++cy) line[static_cast<std::size_t>(cy)] = f[index(cx, cy)];
    edt1d(line.data(), out.data(), ny_, v.data(), z.data());
    for (int cy = 0; cy < ny_; ++cy) f[index(cx, cy)] = out[static_cast<std::size_t>(cy)];
  }
  wall_distance_.resize(n);
  for (int cy = 0; cy < ny_; ++cy) {
    for (int cx = 0; cx < nx_; ++cx) line[static_cast<std::size_t>(cx)] = f[index(cx, cy)];
    edt1d(line.data(), out.data(), nx_, v.data(), z.data());
    for (int cx = 0; cx < nx_; ++cx)
      wall_distance_[index(cx, cy)] = std::sqrt(out[static_cast<std::size_t>(cx)]) * cell_;
  }
}

void NavGrid::blockLinksCrossedBy(const std::vector<std::pair<Vec2f, Vec2f>>& walls) {
  blocked_.assign(mask_.size(), 0);
  auto crosses = [](Vec2f a, Vec2f b, Vec2f c, Vec2f d) {
    const Vec2f r = b - a, q = d - c;
    const float den = cross(r, q);
    if (std::abs(den) < 1e-12f) return false;
    const float t = cross(c - a, q) / den, u = cross(c - a, r) / den;
    return t >= 0.0f && t <= 1.0f && u >= 0.0f && u <= 1.0f;
  };
  for (const auto& [a, b] : walls) {
    const int x0 = std::max(0, cellX(std::min(a.x, b.x)) - 1),
              x1 = std::min(nx_ - 1, cellX(std::max(a.x, b.x)) + 1);
    const int y0 = std::max(0, cellY(std::min(a.y, b.y)) - 1),
              y1 = std::min(ny_ - 1, cellY(std::max(a.y, b.y)) + 1);
    for (int cy = y0; cy <= y1; ++cy)
      for (int cx = x0; cx <= x1; ++cx) {
        const Vec2f c = cellCentre(cx, cy);
        if (cx + 1 < nx_ && crosses(a, b, c, cellCentre(cx + 1, cy))) blocked_[index(cx, cy)] |= 1;
        if (cy + 1 < ny_ && crosses(a, b, c, cellCentre(cx, cy + 1))) blocked_[index(cx, cy)] |= 2;
      }
  }
}

bool NavGrid::walkableAt(Vec2f p) const {
  return walkable(cellX(p.x), cellY(p.y));
}

DistanceField::DistanceField(const NavGrid& grid, const geodata::MultiPolygon2& target,
                             float wall_clearance, float wall_penalty,
                             const std::vector<float>* congestion)
    : grid_(&grid) {
  const int nx = grid.nx_, ny = grid.ny_;
  const float h = grid.cell_;
  cost_.assign(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny), kInf);
  std::vector<std::uint8_t> state(cost_.size(), 0);  // 0 far, 1 trial, 2 known
  using Entry = std::pair<float, std::uint32_t>;     // ties broken by cell index: deterministic
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  rasterise(target, grid.min_x_, grid.min_y_, h, nx, ny, [&](int cx, int cy) {
    if (!grid.walkable(cx, cy)) return;
    const auto i = grid.index(cx, cy);
    cost_[i] = 0.0f;
    state[i] = 1;
    heap.push({0.0f, static_cast<std::uint32_t>(i)});
  });
  if (heap.empty()) {
    // A target smaller than a cell, or on the edge of the space: the walkable cell nearest to
    // its first vertex.
    if (target.empty() || target[0].empty() || target[0][0].empty()) return;
    const Vec2f t{static_cast<float>(target[0][0][0].x), static_cast<float>(target[0][0][0].y)};
    float best = kInf;
    std::size_t best_i = 0;
    for (int cy = 0; cy < ny; ++cy)
      for (int cx = 0; cx < nx; ++cx)
        if (grid.walkable(cx, cy)) {
          const float d = norm(grid.cellCentre(cx, cy) - t);
          if (d < best) best = d, best_i = grid.index(cx, cy);
        }
    if (best == kInf) return;
    cost_[best_i] = 0.0f;
    heap.push({0.0f, static_cast<std::uint32_t>(best_i)});
  }
  auto slowness = [&](std::size_t i) {
    const float wd = grid.wall_distance_[i];
    const float base = 1.0f + wall_penalty * std::max(0.0f, (wall_clearance - wd) / wall_clearance);
    return congestion ? base * (1.0f + (*congestion)[i]) : base;
  };
  const bool has_links = !grid.blocked_.empty();
  // The known value of the neighbour of (x, y) at offset (dx, dy), if no wall lies between.
  auto known = [&](int x, int y, int dx, int dy) {
    const int cx = x + dx, cy = y + dy;
    if (cx < 0 || cy < 0 || cx >= nx || cy >= ny) return kInf;
    if (has_links && !grid.linked(x, y, dx, dy)) return kInf;
    const auto i = grid.index(cx, cy);
    return state[i] == 2 ? cost_[i] : kInf;
  };
  while (!heap.empty()) {
    const auto [t, idx] = heap.top();
    heap.pop();
    if (state[idx] == 2 || t > cost_[idx]) continue;
    state[idx] = 2;
    const int cx = static_cast<int>(idx % static_cast<std::uint32_t>(nx)),
              cy = static_cast<int>(idx / static_cast<std::uint32_t>(nx));
    const int nbr[4][2] = {{cx + 1, cy}, {cx - 1, cy}, {cx, cy + 1}, {cx, cy - 1}};
    for (const auto& nb : nbr) {
      const int x = nb[0], y = nb[1];
      if (!grid.walkable(x, y)) continue;
      if (has_links && !grid.linked(cx, cy, x - cx, y - cy)) continue;
      const auto j = grid.index(x, y);
      if (state[j] == 2) continue;
      // First-order upwind update of |grad T| = slowness.
      const float a = std::min(known(x, y, -1, 0), known(x, y, 1, 0));
      const float b = std::min(known(x, y, 0, -1), known(x, y, 0, 1));
      const float f = slowness(j) * h;
      float u;
      if (std::abs(a - b) >= f || a == kInf || b == kInf)
        u = std::min(a, b) + f;
      else
        u = 0.5f * (a + b + std::sqrt(2.0f * f * f - (a - b) * (a - b)));
      if (u < cost_[j]) {
        cost_[j] = u;
        state[j] = 1;
        heap.push({u, static_cast<std::uint32_t>(j)});
      }
    }
  }
}

float DistanceField::cell(int cx, int cy) const {
  if (!grid_->walkable(cx, cy)) return kInf;
  return cost_[grid_->index(cx, cy)];
}

float DistanceField::costAt(Vec2f p) const {
  const float h = grid_->cellSize();
  const Vec2f o = grid_->origin();
  const float fx = (p.x - o.x) / h - 0.5f, fy = (p.y - o.y) / h - 0.5f;
  const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
  const float tx = fx - static_cast<float>(x0), ty = fy - static_cast<float>(y0);
  float sum = 0.0f, wsum = 0.0f;
  const float w[4] = {(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty};
  const float c[4] = {cell(x0, y0), cell(x0 + 1, y0), cell(x0, y0 + 1), cell(x0 + 1, y0 + 1)};
  for (int k = 0; k < 4; ++k)
    if (c[k] != kInf) sum += w[k] * c[k], wsum += w[k];
  return wsum > 1e-6f ? sum / wsum : cell(grid_->cellX(p.x), grid_->cellY(p.y));
}

bool DistanceField::reachable(Vec2f p) const {
  return costAt(p) != kInf;
}

Vec2f DistanceField::directionAt(Vec2f p) const {
  // Gradient per cell by central differences (a blocked or unreachable neighbour counts as
  // uphill), blended bilinearly between the four surrounding cell centres.
  const float h = grid_->cellSize();
  const Vec2f o = grid_->origin();
  auto gradient = [&](int cx, int cy, bool& ok) -> Vec2f {
    const float c = cell(cx, cy);
    ok = c != kInf;
    if (!ok) return {};
    // A neighbour across a wall, blocked or unreachable counts as uphill.
    auto at = [&](int dx, int dy) {
      const float v = grid_->linked(cx, cy, dx, dy) ? cell(cx + dx, cy + dy) : kInf;
      return v == kInf ? c + h : v;
    };
    return {(at(1, 0) - at(-1, 0)) / (2 * h), (at(0, 1) - at(0, -1)) / (2 * h)};
  };
  const float fx = (p.x - o.x) / h - 0.5f, fy = (p.y - o.y) / h - 0.5f;
  const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
  const float tx = fx - static_cast<float>(x0), ty = fy - static_cast<float>(y0);
  const float w[4] = {(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty};
  const int cxs[4] = {x0, x0 + 1, x0, x0 + 1}, cys[4] = {y0, y0, y0 + 1, y0 + 1};
  Vec2f g{};
  float wsum = 0.0f;
  for (int k = 0; k < 4; ++k) {
    bool ok = false;
    const Vec2f gk = gradient(cxs[k], cys[k], ok);
    if (ok) g += gk * w[k], wsum += w[k];
  }
  if (wsum < 1e-6f) {
    bool ok = false;
    g = gradient(grid_->cellX(p.x), grid_->cellY(p.y), ok);
  }
  return normalized(g * -1.0f);
}

}  // namespace citytwin::engine::crowd
