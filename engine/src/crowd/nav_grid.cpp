#include "citytwin/engine/crowd/nav_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace citytwin::engine::crowd {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

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

// The polygons' edges by band of kTile rows, and per band, once asked for, the sorted x of
// every crossing of each cell-centre row: a tile is then filled by a binary search per row.
struct NavGrid::Rows {
  // The walkable rings' edges by band of rows come from the wall index (one index of the city's
  // edges serves both); without walls given, a private one.
  std::unique_ptr<WallSet> own_walls;
  std::vector<std::unique_ptr<std::vector<std::vector<double>>>> band_rows;
  std::size_t crossings = 0;
};

NavGrid::~NavGrid() = default;

NavGrid::NavGrid(const geodata::MultiPolygon2& walkable, float cell_size, WallSet* walls,
                 float wall_reach)
    : cell_(cell_size), walls_(walls), rows_(std::make_unique<Rows>()) {
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
  tnx_ = (nx_ + kTile - 1) / kTile;
  tny_ = (ny_ + kTile - 1) / kTile;
  reach_cells_ = std::clamp(static_cast<int>(std::ceil(wall_reach / cell_)) + 1, 1, kTile);
  gnx_ = (tnx_ + 7) / 8;
  gny_ = (tny_ + 7) / 8;
  const std::size_t groups = static_cast<std::size_t>(gnx_) * static_cast<std::size_t>(gny_);
  groups_.reset(new std::atomic<Group*>[groups]);
  for (std::size_t k = 0; k < groups; ++k) groups_[k].store(nullptr, std::memory_order_relaxed);

  auto& rows = *rows_;
  if (!walls_) rows.own_walls = std::make_unique<WallSet>(walkable);
  rows.band_rows.resize(static_cast<std::size_t>(tny_));
}

void NavGrid::rasterWindow(int x0, int y0, int x1, int y1, std::vector<std::uint8_t>& out) {
  const int w = x1 - x0 + 1;
  out.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(y1 - y0 + 1), 0);
  auto& rows = *rows_;
  const double mx = min_x_, my = min_y_, h = cell_;
  for (int r = std::max(y0, 0); r <= std::min(y1, ny_ - 1); ++r) {
    const auto band = static_cast<std::size_t>(tileOf(r));
    if (!rows.band_rows[band]) {
      auto built = std::make_unique<std::vector<std::vector<double>>>(kTile);
      const int first = static_cast<int>(band) * kTile;
      const WallSet& index = walls_ ? *walls_ : *rows.own_walls;
      // The rows' centre lines, with a metre to spare for the index's float extents.
      const float y_lo = min_y_ + (static_cast<float>(first) + 0.5f) * cell_ - 1.0f;
      const float y_hi = min_y_ + (static_cast<float>(first + kTile) - 0.5f) * cell_ + 1.0f;
      index.forEachRingEdgeInRows(
          y_lo, y_hi, [&](std::uint32_t, const geodata::Vec2& a, const geodata::Vec2& b) {
            int r0 = 0, r1 = -1;
            if (!edgeRows(a, b, my, h, first, std::min(ny_ - 1, first + kTile - 1), r0, r1)) return;
            for (int rr = r0; rr <= r1; ++rr)
              (*built)[static_cast<std::size_t>(rr - first)].push_back(
                  crossingX(a, b, my + (rr + 0.5) * h));
          });
      for (auto& xs : *built) {
        std::sort(xs.begin(), xs.end());
        rows.crossings += xs.size();
      }
      rows.band_rows[band] = std::move(built);
    }
    const auto& xs = (*rows.band_rows[band])[static_cast<std::size_t>(r & (kTile - 1))];
    // Skip the pairs that end left of the window.
    const auto first = static_cast<std::size_t>(
        std::lower_bound(xs.begin(), xs.end(), mx + (x0 - 1) * h) - xs.begin());
    for (std::size_t k = first > 0 ? ((first - 1) & ~std::size_t{1}) : 0; k + 1 < xs.size();
         k += 2) {
      const int c0 = std::max(0, firstColumnFrom(xs[k], mx, h));
      const int c1 = std::min(nx_ - 1, firstColumnFrom(xs[k + 1], mx, h) - 1);
      if (c0 > x1) break;
      for (int c = std::max(c0, x0); c <= std::min(c1, x1); ++c)
        out[static_cast<std::size_t>(r - y0) * static_cast<std::size_t>(w) +
            static_cast<std::size_t>(c - x0)] = 1;
    }
  }
}

void NavGrid::build(int tx, int ty) {
  auto tile = std::make_unique<Tile>();
  const int x0 = tx * kTile, y0 = ty * kTile;
  const int R = reach_cells_;
  // The tile with a halo of R cells: walkable cells and their distance to the nearest blocked
  // one (a squared EDT by columns, then rows), exact where it is within R cells.
  std::vector<std::uint8_t> mask;
  rasterWindow(x0 - R, y0 - R, x0 + kTile - 1 + R, y0 + kTile - 1 + R, mask);
  const int w = kTile + 2 * R;
  std::vector<float> f(mask.size());
  for (std::size_t i = 0; i < mask.size(); ++i) f[i] = mask[i] ? 1e20f : 0.0f;
  std::vector<float> line(static_cast<std::size_t>(w)), out(static_cast<std::size_t>(w)),
      z(static_cast<std::size_t>(w) + 1);
  std::vector<int> v(static_cast<std::size_t>(w));
  auto at = [w](int x, int y) {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x);
  };
  for (int x = 0; x < w; ++x) {
    for (int y = 0; y < w; ++y) line[static_cast<std::size_t>(y)] = f[at(x, y)];
    edt1d(line.data(), out.data(), w, v.data(), z.data());
    for (int y = 0; y < w; ++y) f[at(x, y)] = out[static_cast<std::size_t>(y)];
  }
  for (int y = R; y < R + kTile; ++y) {
    for (int x = 0; x < w; ++x) line[static_cast<std::size_t>(x)] = f[at(x, y)];
    edt1d(line.data(), out.data(), w, v.data(), z.data());
    for (int x = R; x < R + kTile; ++x) {
      const std::size_t c =
          static_cast<std::size_t>(y - R) * kTile + static_cast<std::size_t>(x - R);
      tile->mask[c] = mask[at(x, y)];
      tile->wall_distance[c] = std::sqrt(out[static_cast<std::size_t>(x)]) * cell_;
      tile->blocked[c] = 0;
    }
  }
  // Links that a wall crosses.
  if (walls_) {
    const float h = cell_;
    std::vector<std::pair<std::uint32_t, Segment>> near;
    // Agents on this tile ask for walls within about a metre: index them 4 m round it.
    walls_->ensureBox(
        {min_x_ + static_cast<float>(x0) * h - 4.0f, min_y_ + static_cast<float>(y0) * h - 4.0f},
        {min_x_ + static_cast<float>(x0 + kTile) * h + 4.0f,
         min_y_ + static_cast<float>(y0 + kTile) * h + 4.0f});
    walls_->forEachInBox({min_x_ + static_cast<float>(x0 - 1) * h - 0.01f,
                          min_y_ + static_cast<float>(y0 - 1) * h - 0.01f},
                         {min_x_ + static_cast<float>(x0 + kTile + 1) * h + 0.01f,
                          min_y_ + static_cast<float>(y0 + kTile + 1) * h + 0.01f},
                         [&](const Segment& s, std::uint32_t id) { near.emplace_back(id, s); });
    std::sort(near.begin(), near.end(),
              [](const auto& p, const auto& q) { return p.first < q.first; });
    near.erase(std::unique(near.begin(), near.end(),
                           [](const auto& p, const auto& q) { return p.first == q.first; }),
               near.end());
    const int tx1 = std::min(nx_ - 1, x0 + kTile - 1), ty1 = std::min(ny_ - 1, y0 + kTile - 1);
    for (const auto& [id, s] : near) {
      const int sx0 = std::max(x0, cellX(std::min(s.a.x, s.b.x)) - 1),
                sx1 = std::min(tx1, cellX(std::max(s.a.x, s.b.x)) + 1);
      const int sy0 = std::max(y0, cellY(std::min(s.a.y, s.b.y)) - 1),
                sy1 = std::min(ty1, cellY(std::max(s.a.y, s.b.y)) + 1);
      for (int cy = sy0; cy <= sy1; ++cy)
        for (int cx = sx0; cx <= sx1; ++cx) {
          const Vec2f c = cellCentre(cx, cy);
          auto& bits = tile->blocked[local(cx, cy)];
          if (cx + 1 < nx_ && segmentsCross(s.a, s.b, c, cellCentre(cx + 1, cy))) bits |= 1;
          if (cy + 1 < ny_ && segmentsCross(s.a, s.b, c, cellCentre(cx, cy + 1))) bits |= 2;
        }
    }
  }
  auto& slot = groups_[static_cast<std::size_t>(ty >> 3) * static_cast<std::size_t>(gnx_) +
                       static_cast<std::size_t>(tx >> 3)];
  Group* group = slot.load(std::memory_order_acquire);
  if (!group) {
    owned_groups_.push_back(std::make_unique<Group>());
    group = owned_groups_.back().get();
    for (auto& t : group->tiles) t.store(nullptr, std::memory_order_relaxed);
    slot.store(group, std::memory_order_release);
  }
  group->tiles[((ty & 7) << 3) | (tx & 7)].store(tile.get(), std::memory_order_release);
  owned_.push_back(std::move(tile));
}

bool NavGrid::ensure(int cx, int cy) {
  if (!inside(cx, cy)) return false;
  if (tileAt(cx, cy)) return true;
  std::lock_guard<std::mutex> hold(lock_);
  if (!tileAt(cx, cy)) build(tileOf(cx), tileOf(cy));
  return true;
}

bool NavGrid::nearestWalkable(Vec2f p, float max_m, int& bx, int& by) {
  if (nx_ == 0) return false;
  const int tx = cellX(p.x), ty = cellY(p.y);
  const int max_ring = static_cast<int>(std::ceil(max_m / cell_)) + 1;
  float best = kInf;
  std::uint64_t best_i = 0;
  for (int ring = 0; ring <= max_ring; ++ring) {
    // Cells of ring k are at least (k - 1) cells from p: stop once none can beat the best.
    if (best < kInf && (static_cast<float>(ring) - 1.0f) * cell_ > best) break;
    for (int cy = ty - ring; cy <= ty + ring; ++cy) {
      const bool edge_row = cy == ty - ring || cy == ty + ring;
      for (int cx = tx - ring; cx <= tx + ring; cx += edge_row ? 1 : std::max(1, 2 * ring)) {
        if (!ensure(cx, cy) || !walkable(cx, cy)) continue;
        const float d = norm(cellCentre(cx, cy) - p);
        const auto i = index(cx, cy);
        if (d <= max_m && (d < best || (d == best && i < best_i)))
          best = d, best_i = i, bx = cx, by = cy;
      }
    }
  }
  return best < kInf;
}

void NavGrid::ensureBox(const geodata::Box2& box) {
  if (nx_ == 0 || box.min_x > box.max_x) return;
  const int x0 = std::clamp(cellX(static_cast<float>(box.min_x)), 0, nx_ - 1),
            x1 = std::clamp(cellX(static_cast<float>(box.max_x)), 0, nx_ - 1);
  const int y0 = std::clamp(cellY(static_cast<float>(box.min_y)), 0, ny_ - 1),
            y1 = std::clamp(cellY(static_cast<float>(box.max_y)), 0, ny_ - 1);
  for (int ty = tileOf(y0); ty <= tileOf(y1); ++ty)
    for (int tx = tileOf(x0); tx <= tileOf(x1); ++tx) ensure(tx * kTile, ty * kTile);
}

std::size_t NavGrid::tilesBuilt() const {
  std::lock_guard<std::mutex> hold(lock_);
  return owned_.size();
}

void NavGrid::releaseRowCache() {
  std::lock_guard<std::mutex> hold(lock_);
  for (auto& band : rows_->band_rows) band.reset();
  rows_->crossings = 0;
}

std::size_t NavGrid::bytes() const {
  std::lock_guard<std::mutex> hold(lock_);
  std::size_t b = owned_.size() * sizeof(Tile) + owned_groups_.size() * sizeof(Group) +
                  static_cast<std::size_t>(gnx_) * static_cast<std::size_t>(gny_) * sizeof(void*);
  b += rows_->crossings * sizeof(double);
  if (rows_->own_walls) b += rows_->own_walls->bytes();
  return b;
}

}  // namespace citytwin::engine::crowd
