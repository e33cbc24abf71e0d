#pragma once
// Voronoi density in a zone (Steffen & Seyfried 2010; PedPy's method D): every person owns the
// Voronoi cell around them, and the zone's density is the sum over people of the share of
// their cell inside the zone divided by the cell's area, over the zone's area. Smoother than
// counting heads, and defined for a single person.
#include <span>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

/// People per m2 in `zone`; cells are bounded by the zone's box grown by `margin_m`.
double voronoiDensity(std::span<const float> x, std::span<const float> y,
                      const geodata::MultiPolygon2& zone, double margin_m = 5.0);

}  // namespace citytwin::engine::crowd
