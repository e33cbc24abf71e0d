#pragma once
// The walkable space as a raster for pedestrian routing, stored sparsely: tiles of 32 x 32
// cells are rasterised from the walkable polygons only when routing first reaches them, so the
// memory and set-up time follow the area people use, not the extent of the city file.
// Each built tile holds per cell: walkable or not, the distance to the nearest non-walkable
// cell (exact up to the reach that routing and spawning look at), and the links to the next
// cells that a wall crosses.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "citytwin/engine/crowd/vec2f.hpp"
#include "citytwin/engine/crowd/walls.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

class NavGrid {
 public:
  static constexpr int kTileBits = 5;
  static constexpr int kTile = 1 << kTileBits;  ///< cells per tile side
  static constexpr int kTileCells = kTile * kTile;

  /// The raster of `walkable` (cell centres inside, even-odd over all rings) with square cells
  /// of `cell_size` metres over its bounding box plus one cell; nothing is rasterised yet.
  /// `walkable` must outlive the grid: tiles are rasterised from it when first needed.
  /// `walls` (may be null) mark links between cells that a wall or barrier crosses, so routes
  /// never pass through thin obstacles, and have their index built round every tile built;
  /// `wall_reach` is how far out the wall distance is exact.
  NavGrid(const geodata::MultiPolygon2& walkable, float cell_size, WallSet* walls = nullptr,
          float wall_reach = 1.0f);
  ~NavGrid();
  NavGrid(const NavGrid&) = delete;
  NavGrid& operator=(const NavGrid&) = delete;

  int width() const { return nx_; }
  int height() const { return ny_; }
  float cellSize() const { return cell_; }
  Vec2f origin() const { return {min_x_, min_y_}; }
  int cellX(float x) const { return static_cast<int>(std::floor((x - min_x_) / cell_)); }
  int cellY(float y) const { return static_cast<int>(std::floor((y - min_y_) / cell_)); }
  Vec2f cellCentre(int cx, int cy) const {
    return {min_x_ + (static_cast<float>(cx) + 0.5f) * cell_,
            min_y_ + (static_cast<float>(cy) + 0.5f) * cell_};
  }
  /// A cell's number over the whole extent (row-major), the same however tiles are built.
  std::uint64_t index(int cx, int cy) const {
    return static_cast<std::uint64_t>(cy) * static_cast<std::uint64_t>(nx_) +
           static_cast<std::uint64_t>(cx);
  }
  bool inside(int cx, int cy) const { return cx >= 0 && cy >= 0 && cx < nx_ && cy < ny_; }

  /// Walkable, as far as built: a cell in a tile not built yet reads as not walkable.
  bool walkable(int cx, int cy) const {
    const Tile* t = tileAt(cx, cy);
    return t && t->mask[local(cx, cy)] != 0;
  }
  bool walkableAt(Vec2f p) const { return walkable(cellX(p.x), cellY(p.y)); }
  /// Distance from the cell's centre to the nearest non-walkable cell's, in metres; exact up to
  /// the wall reach, larger beyond. 0 in tiles not built.
  float wallDistance(int cx, int cy) const {
    const Tile* t = tileAt(cx, cy);
    return t ? t->wall_distance[local(cx, cy)] : 0.0f;
  }
  /// False when a wall lies between cell (cx, cy) and its neighbour (cx + dx, cy + dy).
  bool linked(int cx, int cy, int dx, int dy) const {
    if (dx < 0) return linked(cx + dx, cy, 1, 0);
    if (dy < 0) return linked(cx, cy + dy, 0, 1);
    const Tile* t = tileAt(cx, cy);
    if (!t) return true;
    return (t->blocked[local(cx, cy)] & (dx > 0 ? 1 : 2)) == 0;
  }

  /// The wall-link bits of the tile holding (cx, cy) (bit 1: +x blocked, bit 2: +y), indexed
  /// by local(); null where the tile is not built.
  const std::uint8_t* blockedBits(int cx, int cy) const {
    const Tile* t = tileAt(cx, cy);
    return t ? t->blocked : nullptr;
  }
  /// Builds the tile holding cell (cx, cy) if it is not built yet; false outside the extent.
  /// Safe to call from several threads: a tile's content depends only on where it is.
  bool ensure(int cx, int cy);
  /// The walkable cell whose centre is nearest to p within `max_m` metres (ties: the lower cell
  /// number), building tiles as it searches; false when there is none.
  bool nearestWalkable(Vec2f p, float max_m, int& cx, int& cy);
  /// Builds every tile that the box (local frame) touches.
  void ensureBox(const geodata::Box2& box);
  bool built(int cx, int cy) const { return tileAt(cx, cy) != nullptr; }
  std::size_t tilesBuilt() const;
  /// Drops the cached row crossings (they are made again if more tiles are needed).
  void releaseRowCache();
  std::size_t bytes() const;

  /// Calls mark(cx, cy) for every cell whose centre lies inside `area` (even-odd), building the
  /// tiles it needs; cells of the whole extent, walkable or not.
  template <typename Mark>
  void forEachCellIn(const geodata::MultiPolygon2& area, Mark&& mark);

  /// Tile coordinates and the cell's place inside its tile.
  static int tileOf(int c) { return c >> kTileBits; }
  static std::size_t local(int cx, int cy) {
    return static_cast<std::size_t>(((cy & (kTile - 1)) << kTileBits) | (cx & (kTile - 1)));
  }
  int tilesX() const { return tnx_; }
  int tilesY() const { return tny_; }

 private:
  struct Tile {
    std::uint8_t mask[kTileCells];
    std::uint8_t blocked[kTileCells];  ///< bit 1: link to +x blocked, bit 2: link to +y
    float wall_distance[kTileCells];
  };
  struct Rows;  // the walkable polygons' crossings per cell row, built per band of rows
  // Tiles are found through a two-level directory (groups of 8 x 8 tiles made when first
  // needed), so even the directory follows the used area.
  struct Group {
    std::atomic<Tile*> tiles[64];
  };
  const Tile* tileAt(int cx, int cy) const {
    if (cx < 0 || cy < 0 || cx >= nx_ || cy >= ny_) return nullptr;
    const int tx = tileOf(cx), ty = tileOf(cy);
    const Group* g = groups_[static_cast<std::size_t>(ty >> 3) * static_cast<std::size_t>(gnx_) +
                             static_cast<std::size_t>(tx >> 3)]
                         .load(std::memory_order_acquire);
    return g ? g->tiles[((ty & 7) << 3) | (tx & 7)].load(std::memory_order_acquire) : nullptr;
  }
  void build(int tx, int ty);  // under the lock
  /// The inside test of the walkable polygons for cells [x0, x1] x [y0, y1] (any extent).
  void rasterWindow(int x0, int y0, int x1, int y1, std::vector<std::uint8_t>& out);

  float min_x_ = 0, min_y_ = 0, cell_ = 0.5f;
  int nx_ = 0, ny_ = 0, tnx_ = 0, tny_ = 0, gnx_ = 0, gny_ = 0;
  int reach_cells_ = 2;
  WallSet* walls_ = nullptr;
  std::unique_ptr<std::atomic<Group*>[]> groups_;
  std::vector<std::unique_ptr<Group>> owned_groups_;
  std::vector<std::unique_ptr<Tile>> owned_;
  std::unique_ptr<Rows> rows_;
  mutable std::mutex lock_;
};

// The scanline rule of the raster, shared by the lazy tiles and by areas rasterised on demand.
/// The cell rows whose centre line (y = min_y + (r + 0.5) cell) the edge a-b crosses, within
/// [row0, row1]; false when none (a horizontal edge crosses none).
inline bool edgeRows(const geodata::Vec2& a, const geodata::Vec2& b, double min_y, double cell,
                     int row0, int row1, int& r0, int& r1) {
  if (a.y == b.y) return false;
  const double lo = std::min(a.y, b.y), hi = std::max(a.y, b.y);
  r0 = std::max(row0, static_cast<int>(std::ceil((lo - min_y) / cell - 0.5)));
  r1 = std::min(row1, static_cast<int>(std::ceil((hi - min_y) / cell - 0.5)) - 1);
  return r1 >= r0;
}
/// Where the edge a-b crosses the horizontal line at y.
inline double crossingX(const geodata::Vec2& a, const geodata::Vec2& b, double y) {
  return a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y);
}
/// The first cell column whose centre lies at or right of x.
inline int firstColumnFrom(double x, double min_x, double cell) {
  return static_cast<int>(std::ceil((x - min_x) / cell - 0.5));
}

/// Even-odd scanline fill of polygons at cell-centre rows over rows [row0, row1]; calls
/// mark(cx, cy) per inside cell of the grid (origin min_x, min_y; nx columns).
template <typename Mark>
void rasterisePolygons(const geodata::MultiPolygon2& polys, double min_x, double min_y, double cell,
                       int nx, int row0, int row1, Mark&& mark);

template <typename Mark>
void NavGrid::forEachCellIn(const geodata::MultiPolygon2& area, Mark&& mark) {
  const geodata::Box2 b = geodata::bounds(area);
  if (b.min_x > b.max_x) return;
  const int r0 = std::max(0, cellY(static_cast<float>(b.min_y)) - 1),
            r1 = std::min(ny_ - 1, cellY(static_cast<float>(b.max_y)) + 1);
  rasterisePolygons(area, min_x_, min_y_, cell_, nx_, r0, r1, [&](int cx, int cy) {
    ensure(cx, cy);
    mark(cx, cy);
  });
}

template <typename Mark>
void rasterisePolygons(const geodata::MultiPolygon2& polys, double min_x, double min_y, double cell,
                       int nx, int row0, int row1, Mark&& mark) {
  if (row1 < row0) return;
  std::vector<std::vector<double>> crossings(static_cast<std::size_t>(row1 - row0 + 1));
  for (const auto& poly : polys)
    for (const auto& ring : poly)
      for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        int r0 = 0, r1 = -1;
        if (!edgeRows(a, b, min_y, cell, row0, row1, r0, r1)) continue;
        for (int r = r0; r <= r1; ++r)
          crossings[static_cast<std::size_t>(r - row0)].push_back(
              crossingX(a, b, min_y + (r + 0.5) * cell));
      }
  for (int r = row0; r <= row1; ++r) {
    auto& xs = crossings[static_cast<std::size_t>(r - row0)];
    std::sort(xs.begin(), xs.end());
    for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
      const int c0 = std::max(0, firstColumnFrom(xs[k], min_x, cell));
      const int c1 = std::min(nx - 1, firstColumnFrom(xs[k + 1], min_x, cell) - 1);
      for (int c = c0; c <= c1; ++c) mark(c, r);
    }
  }
}

}  // namespace citytwin::engine::crowd
