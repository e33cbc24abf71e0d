#pragma once
// A live map of the crowd: people per square metre and their mean walking speed per grid
// cell, from the agents' current positions. Counted in square cells and averaged over the
// (2r + 1) x (2r + 1) cells around each one, so that a cell of 2 m with r = 1 reads the density
// over 36 m2 (a single person in a 4 m2 cell is not "0.25 people/m2" of a crowd).
#include <cstddef>
#include <span>
#include <vector>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

struct DensityMap {
  double x0 = 0.0, y0 = 0.0;  ///< south-west corner, local frame
  double cell_m = 2.0;
  int nx = 0, ny = 0;
  std::vector<float> density;  ///< people/m2, row-major from the south-west, nx * ny
  std::vector<float> speed;    ///< mean speed of the people counted, m/s; 0 where none
  std::size_t size() const { return density.size(); }
  float densityAt(double x, double y) const;
};

/// An empty map covering `bounds` with square cells of `cell_m` metres.
DensityMap densityMapOver(const geodata::Box2& bounds, double cell_m);

/// Fills the map from positions and speeds (same length, or no speeds: the speed channel stays
/// zero); people outside it are left out.
/// `radius_cells`: the averaging window's half-width in cells (0: per cell).
void fillDensityMap(std::span<const float> x, std::span<const float> y,
                    std::span<const float> speed, int radius_cells, DensityMap& map);

}  // namespace citytwin::engine::crowd
