#include "citytwin/engine/crowd/distance_field.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace citytwin::engine::crowd {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kMarginFactor = 1.3f;  // the march goes on to this times the farthest need
constexpr float kMarginMetres = 100.0f;

}  // namespace

CongestionMap::CongestionMap(const NavGrid& grid)
    : nx_(grid.width()), ny_(grid.height()), tnx_(grid.tilesX()) {
  index_.assign(static_cast<std::size_t>(grid.tilesX()) * static_cast<std::size_t>(grid.tilesY()),
                0);
}

float* CongestionMap::tileValues(int tx, int ty) {
  auto& k = index_[tile(tx, ty)];
  if (k == 0) {
    tiles_.emplace_back(NavGrid::kTileCells, 0.0f);
    k = static_cast<std::uint32_t>(tiles_.size());
  }
  return tiles_[k - 1].data();
}

CongestionMap congestionFrom(const NavGrid& grid, const std::vector<float>& x,
                             const std::vector<float>& y, float weight, float radius_m) {
  CongestionMap counts(grid), out(grid);
  const int nx = grid.width(), ny = grid.height();
  if (nx == 0) return out;
  const float h = grid.cellSize();
  const int r = std::max(1, static_cast<int>(std::ceil(radius_m / h)));
  // Heads per cell, in the tiles that have people.
  std::vector<std::pair<int, int>> occupied;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const int cx = std::clamp(grid.cellX(x[i]), 0, nx - 1),
              cy = std::clamp(grid.cellY(y[i]), 0, ny - 1);
    const int tx = NavGrid::tileOf(cx), ty = NavGrid::tileOf(cy);
    occupied.emplace_back(tx, ty);
    counts.tileValues(tx, ty)[NavGrid::local(cx, cy)] += 1.0f;
  }
  std::sort(occupied.begin(), occupied.end());
  occupied.erase(std::unique(occupied.begin(), occupied.end()), occupied.end());
  // Box sums in every tile within r cells of a head: a padded copy of the counts, then running
  // sums along x and along y (exact: the counts are small whole numbers).
  std::vector<std::pair<int, int>> affected;
  const int span = (r + NavGrid::kTile - 1) / NavGrid::kTile;
  for (auto [tx, ty] : occupied)
    for (int oy = -span; oy <= span; ++oy)
      for (int ox = -span; ox <= span; ++ox) affected.emplace_back(tx + ox, ty + oy);
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
  const int w = NavGrid::kTile + 2 * r;
  std::vector<float> pad(static_cast<std::size_t>(w) * static_cast<std::size_t>(w)),
      rows(pad.size());
  const float area = static_cast<float>((2 * r + 1) * (2 * r + 1)) * h * h;
  for (auto [tx, ty] : affected) {
    if (tx < 0 || ty < 0 || tx >= grid.tilesX() || ty >= grid.tilesY()) continue;
    const int x0 = tx * NavGrid::kTile - r, y0 = ty * NavGrid::kTile - r;
    for (int j = 0; j < w; ++j)
      for (int i = 0; i < w; ++i)
        pad[static_cast<std::size_t>(j * w + i)] = counts.at(x0 + i, y0 + j);
    for (int j = 0; j < w; ++j) {
      float acc = 0.0f;
      for (int i = 0; i < 2 * r + 1; ++i) acc += pad[static_cast<std::size_t>(j * w + i)];
      for (int i = r; i < w - r; ++i) {
        rows[static_cast<std::size_t>(j * w + i)] = acc;
        if (i + r + 1 < w)
          acc += pad[static_cast<std::size_t>(j * w + i + r + 1)] -
                 pad[static_cast<std::size_t>(j * w + i - r)];
      }
    }
    bool any = false;
    float sums[NavGrid::kTileCells];
    for (int i = r; i < w - r; ++i) {
      float acc = 0.0f;
      for (int j = 0; j < 2 * r + 1; ++j) acc += rows[static_cast<std::size_t>(j * w + i)];
      for (int j = r; j < w - r; ++j) {
        const float v = weight * std::max(0.0f, acc / area - 0.5f);
        sums[(j - r) * NavGrid::kTile + (i - r)] = v;
        any |= v > 0.0f;
        if (j + r + 1 < w)
          acc += rows[static_cast<std::size_t>((j + r + 1) * w + i)] -
                 rows[static_cast<std::size_t>((j - r) * w + i)];
      }
    }
    if (any) std::copy(std::begin(sums), std::end(sums), out.tileValues(tx, ty));
  }
  return out;
}

DistanceField::DistanceField(NavGrid& grid, const geodata::MultiPolygon2& target,
                             FieldOptions options,
                             const std::vector<geodata::MultiPolygon2>& must_reach)
    : grid_(&grid), options_(std::move(options)), gnx_((grid.tilesX() + 7) / 8) {
  group_index_.assign(
      static_cast<std::size_t>(gnx_) * static_cast<std::size_t>((grid.tilesY() + 7) / 8), nullptr);
  if (grid.width() == 0) return;
  // The walkable cells of each area to reach.
  for (std::uint32_t a = 0; a < must_reach.size(); ++a) {
    bool any = false;
    grid.forEachCellIn(must_reach[a], [&](int cx, int cy) {
      if (!grid.walkable(cx, cy)) return;
      to_reach_.emplace_back(grid.index(cx, cy), a);
      any = true;
    });
    area_reached_.push_back(any ? 0 : 1);  // an area with no walkable cell cannot be reached
    areas_pending_ += any ? 1 : 0;
  }
  std::sort(to_reach_.begin(), to_reach_.end());
  if (areas_pending_ == 0) bound_ = kMarginMetres;
  grid.forEachCellIn(target, [&](int cx, int cy) {
    if (grid.walkable(cx, cy)) push(cx, cy, 0.0f);
  });
  if (heap_.empty()) {
    // A target smaller than a cell, or on the edge of the space: the walkable cell nearest to
    // its first vertex.
    if (target.empty() || target[0].empty() || target[0][0].empty()) return;
    seedNearest({static_cast<float>(target[0][0][0].x), static_cast<float>(target[0][0][0].y)});
  }
  march();
}

void DistanceField::seedNearest(Vec2f t) {
  int cx = 0, cy = 0;
  if (!grid_->nearestWalkable(t, kSnapToWalkableMetres, cx, cy)) return;
  Tile* tile = tileFor(cx, cy, true);
  tile->cost[NavGrid::local(cx, cy)] = 0.0f;
  heap_.push_back({0.0f, grid_->index(cx, cy)});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
}

DistanceField::Tile* DistanceField::tileFor(int cx, int cy, bool create) {
  const int tx = NavGrid::tileOf(cx), ty = NavGrid::tileOf(cy);
  auto& g = group_index_[static_cast<std::size_t>(ty >> 3) * static_cast<std::size_t>(gnx_) +
                         static_cast<std::size_t>(tx >> 3)];
  if (!g) {
    if (!create) return nullptr;
    groups_.emplace_back();
    groups_.back().fill(nullptr);
    g = &groups_.back();
  }
  auto& t = (*g)[static_cast<std::size_t>(((ty & 7) << 3) | (tx & 7))];
  if (!t) {
    if (!create) return nullptr;
    tiles_.emplace_back();
    t = &tiles_.back();
    std::fill(std::begin(t->cost), std::end(t->cost), kInf);
    std::fill(std::begin(t->state), std::end(t->state), std::uint8_t{0});
  }
  return t;
}

const DistanceField::Tile* DistanceField::tileAt(int cx, int cy) const {
  if (!grid_ || !grid_->inside(cx, cy)) return nullptr;
  const int tx = NavGrid::tileOf(cx), ty = NavGrid::tileOf(cy);
  const Group* g = group_index_[static_cast<std::size_t>(ty >> 3) * static_cast<std::size_t>(gnx_) +
                                static_cast<std::size_t>(tx >> 3)];
  return g ? (*g)[static_cast<std::size_t>(((ty & 7) << 3) | (tx & 7))] : nullptr;
}

void DistanceField::push(int cx, int cy, float cost) {
  Tile* t = tileFor(cx, cy, true);
  const auto l = NavGrid::local(cx, cy);
  t->cost[l] = cost;
  t->state[l] = 1;
  heap_.push_back({cost, grid_->index(cx, cy)});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
}

void DistanceField::march(std::uint64_t stop_at) {
  NavGrid& grid = *grid_;
  const int nx = grid.width();
  const float h = grid.cellSize();
  const float clearance = options_.wall_clearance, penalty = options_.wall_penalty;
  const CongestionMap* congestion = options_.congestion.get();
  auto slowness = [&](int x, int y) {
    const float wd = grid.wallDistance(x, y);
    const float base = 1.0f + penalty * std::max(0.0f, (clearance - wd) / clearance);
    return congestion ? base * (1.0f + congestion->at(x, y)) : base;
  };
  // The known value of the neighbour of (x, y) at offset (dx, dy), if no wall lies between.
  auto known = [&](int x, int y, int dx, int dy) {
    const Tile* t = tileAt(x + dx, y + dy);
    if (!t || t->state[NavGrid::local(x + dx, y + dy)] != 2) return kInf;
    if (!grid.linked(x, y, dx, dy)) return kInf;
    return t->cost[NavGrid::local(x + dx, y + dy)];
  };
  while (!heap_.empty()) {
    if (areas_pending_ == 0 && heap_.front().first > bound_ && stop_at == ~std::uint64_t{0}) break;
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
    const auto [t, idx] = heap_.back();
    heap_.pop_back();
    const int cx = static_cast<int>(idx % static_cast<std::uint64_t>(nx)),
              cy = static_cast<int>(idx / static_cast<std::uint64_t>(nx));
    Tile* here = tileFor(cx, cy, true);
    const auto li = NavGrid::local(cx, cy);
    if (here->state[li] == 2 || t > here->cost[li]) continue;
    here->state[li] = 2;
    last_ = t;
    ++reached_;
    if (areas_pending_ > 0) {
      auto it = std::lower_bound(to_reach_.begin(), to_reach_.end(),
                                 std::pair<std::uint64_t, std::uint32_t>{idx, 0});
      for (; it != to_reach_.end() && it->first == idx; ++it)
        if (!area_reached_[it->second]) {
          area_reached_[it->second] = 1;
          if (--areas_pending_ == 0) bound_ = std::max(bound_, kMarginFactor * t + kMarginMetres);
        }
    }
    const int nbr[4][2] = {{cx + 1, cy}, {cx - 1, cy}, {cx, cy + 1}, {cx, cy - 1}};
    for (const auto& nb : nbr) {
      const int x = nb[0], y = nb[1];
      if (!grid.ensure(x, y) || !grid.walkable(x, y)) continue;
      if (!grid.linked(cx, cy, x - cx, y - cy)) continue;
      Tile* there = tileFor(x, y, true);
      const auto lj = NavGrid::local(x, y);
      if (there->state[lj] == 2) continue;
      // First-order upwind update of |grad T| = slowness.
      const float a = std::min(known(x, y, -1, 0), known(x, y, 1, 0));
      const float b = std::min(known(x, y, 0, -1), known(x, y, 0, 1));
      const float f = slowness(x, y) * h;
      float u;
      if (std::abs(a - b) >= f || a == kInf || b == kInf)
        u = std::min(a, b) + f;
      else
        u = 0.5f * (a + b + std::sqrt(2.0f * f * f - (a - b) * (a - b)));
      if (u < there->cost[lj]) {
        there->cost[lj] = u;
        there->state[lj] = 1;
        heap_.push_back({u, grid.index(x, y)});
        std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
      }
    }
    if (idx == stop_at) return;
  }
}

void DistanceField::extendTo(Vec2f p) {
  if (!grid_ || heap_.empty()) return;
  const int cx = grid_->cellX(p.x), cy = grid_->cellY(p.y);
  if (!grid_->ensure(cx, cy) || !grid_->walkable(cx, cy)) return;
  const Tile* t = tileAt(cx, cy);
  if (!t || t->state[NavGrid::local(cx, cy)] != 2) march(grid_->index(cx, cy));
  // And a margin beyond, so that the people round p are covered too.
  bound_ = std::max(bound_, kMarginFactor * last_ + kMarginMetres);
  march();
}

void DistanceField::complete() {
  if (!grid_) return;
  bound_ = kInf;
  march();
}

bool DistanceField::covers(Vec2f p) const {
  if (!grid_ || heap_.empty()) return true;
  const int cx = grid_->cellX(p.x), cy = grid_->cellY(p.y);
  if (!grid_->inside(cx, cy)) return true;
  if (!grid_->built(cx, cy)) return false;
  if (!grid_->walkable(cx, cy)) return true;
  const Tile* t = tileAt(cx, cy);
  return t && t->state[NavGrid::local(cx, cy)] == 2;
}

float DistanceField::cell(int cx, int cy) const {
  const Tile* t = tileAt(cx, cy);
  if (!t) return kInf;
  const auto l = NavGrid::local(cx, cy);
  return t->state[l] == 2 ? t->cost[l] : kInf;
}

float DistanceField::costAt(Vec2f p) const {
  if (!grid_) return kInf;
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

namespace {

// The steepest-descent direction at p from per-cell costs, given how to read a cell's cost and
// whether a wall cuts the link to a neighbour: central differences per cell (a blocked or
// unreachable neighbour counts as uphill), blended bilinearly between the four cell centres
// round p.
template <typename Cell, typename Linked>
Vec2f descent(Vec2f p, Vec2f o, float h, int x0, int y0, const Cell& cell, const Linked& linked,
              int px, int py) {
  auto gradient = [&](int cx, int cy, bool& ok) -> Vec2f {
    const float c = cell(cx, cy);
    ok = c != kInf;
    if (!ok) return {};
    auto at = [&](int dx, int dy) {
      const float v = linked(cx, cy, dx, dy) ? cell(cx + dx, cy + dy) : kInf;
      return v == kInf ? c + h : v;
    };
    return {(at(1, 0) - at(-1, 0)) / (2 * h), (at(0, 1) - at(0, -1)) / (2 * h)};
  };
  const float fx = (p.x - o.x) / h - 0.5f, fy = (p.y - o.y) / h - 0.5f;
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
    g = gradient(px, py, ok);
  }
  return normalized(g * -1.0f);
}

}  // namespace

Vec2f DistanceField::directionAt(Vec2f p) const {
  if (!grid_) return {};
  const float h = grid_->cellSize();
  const Vec2f o = grid_->origin();
  const float fx = (p.x - o.x) / h - 0.5f, fy = (p.y - o.y) / h - 0.5f;
  const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
  const int px = grid_->cellX(p.x), py = grid_->cellY(p.y);
  // Fast path: the 4 x 4 cells read (and p's own) lie in one tile, read straight from it.
  if ((x0 - 1) >> NavGrid::kTileBits == (x0 + 2) >> NavGrid::kTileBits &&
      (y0 - 1) >> NavGrid::kTileBits == (y0 + 2) >> NavGrid::kTileBits && x0 >= 1 && y0 >= 1) {
    const Tile* t = tileAt(x0, y0);
    const std::uint8_t* blocked = grid_->blockedBits(x0, y0);
    if (t && blocked) {
      auto cell = [t](int cx, int cy) {
        const auto l = NavGrid::local(cx, cy);
        return t->state[l] == 2 ? t->cost[l] : kInf;
      };
      auto linked = [blocked](int cx, int cy, int dx, int dy) {  // as NavGrid::linked
        if (dx < 0) cx += dx, dx = 1;
        if (dy < 0) cy += dy, dy = 1;
        return (blocked[NavGrid::local(cx, cy)] & (dx > 0 ? 1 : 2)) == 0;
      };
      return descent(p, o, h, x0, y0, cell, linked, px, py);
    }
  }
  auto cell = [this](int cx, int cy) { return this->cell(cx, cy); };
  auto linked = [this](int cx, int cy, int dx, int dy) { return grid_->linked(cx, cy, dx, dy); };
  return descent(p, o, h, x0, y0, cell, linked, px, py);
}

std::size_t DistanceField::bytes() const {
  return tiles_.size() * sizeof(Tile) + groups_.size() * sizeof(groups_[0]) +
         group_index_.size() * sizeof(Group*) + heap_.capacity() * sizeof(Entry) +
         to_reach_.size() * sizeof(to_reach_[0]);
}

}  // namespace citytwin::engine::crowd
