#include "citytwin/engine/crowd/voronoi_density.hpp"

#include <geos_c.h>

#include <memory>
#include <vector>

namespace citytwin::engine::crowd {

double voronoiDensity(std::span<const float> x, std::span<const float> y,
                      const geodata::MultiPolygon2& zone, double margin_m) {
  const double zone_area = geodata::area(zone);
  if (zone_area <= 0.0) return 0.0;
  const geodata::Box2 b = geodata::bounds(zone);
  const double x0 = b.min_x - margin_m, y0 = b.min_y - margin_m, x1 = b.max_x + margin_m,
               y1 = b.max_y + margin_m;
  GEOSContextHandle_t h = GEOS_init_r();
  auto destroy = [h](GEOSGeometry* g) {
    if (g) GEOSGeom_destroy_r(h, g);
  };
  using Ptr = std::unique_ptr<GEOSGeometry, decltype(destroy)>;
  std::vector<GEOSGeometry*> points;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1)
      points.push_back(GEOSGeom_createPointFromXY_r(h, x[i], y[i]));
  double density = 0.0;
  if (!points.empty()) {
    auto ring = [&](const geodata::Ring2& r) {
      GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(r.size() + 1), 2);
      for (unsigned k = 0; k <= r.size(); ++k)
        GEOSCoordSeq_setXY_r(h, seq, k, r[k % r.size()].x, r[k % r.size()].y);
      return GEOSGeom_createLinearRing_r(h, seq);
    };
    std::vector<GEOSGeometry*> polys;
    for (const auto& p : zone) {
      std::vector<GEOSGeometry*> holes;
      for (std::size_t k = 1; k < p.size(); ++k) holes.push_back(ring(p[k]));
      polys.push_back(GEOSGeom_createPolygon_r(h, ring(p[0]), holes.data(),
                                               static_cast<unsigned>(holes.size())));
    }
    Ptr zone_g(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(),
                                           static_cast<unsigned>(polys.size())),
               destroy);
    Ptr sites(GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, points.data(),
                                          static_cast<unsigned>(points.size())),
              destroy);
    Ptr frame(GEOSGeom_createRectangle_r(h, x0, y0, x1, y1), destroy);
    Ptr cells(GEOSVoronoiDiagram_r(h, sites.get(), frame.get(), 0.0, 0), destroy);
    const int n = cells ? GEOSGetNumGeometries_r(h, cells.get()) : 0;
    for (int k = 0; k < n; ++k) {
      // Each cell clipped to the frame (GEOS extends the outer cells beyond it).
      Ptr cell(GEOSIntersection_r(h, GEOSGetGeometryN_r(h, cells.get(), k), frame.get()), destroy);
      double cell_area = 0.0, inside_area = 0.0;
      if (!cell || GEOSArea_r(h, cell.get(), &cell_area) == 0 || cell_area <= 0.0) continue;
      Ptr inside(GEOSIntersection_r(h, cell.get(), zone_g.get()), destroy);
      if (inside && GEOSArea_r(h, inside.get(), &inside_area) != 0)
        density += inside_area / cell_area;
    }
  }
  GEOS_finish_r(h);
  return density / zone_area;
}

}  // namespace citytwin::engine::crowd
