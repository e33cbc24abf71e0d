#pragma once
// A thin RAII layer over the GEOS C API (reentrant), for polygon unions and differences.
#include <geos_c.h>

#include <memory>
#include <vector>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::geodata::geos {

class Context {
 public:
  Context() : h_(GEOS_init_r()) {}
  ~Context() { GEOS_finish_r(h_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  GEOSContextHandle_t get() const { return h_; }

 private:
  GEOSContextHandle_t h_;
};

struct Deleter {
  GEOSContextHandle_t h;
  void operator()(GEOSGeometry* g) const {
    if (g) GEOSGeom_destroy_r(h, g);
  }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, Deleter>;

GeomPtr lineString(const Context& ctx, const std::vector<Vec2>& pts);
/// A polygon made valid (OSM rings may self-touch); null for degenerate input.
GeomPtr polygon(const Context& ctx, const Polygon2& poly);
/// Unary union of all parts (consumes them), snapped to a grid of `grid_m` metres: the
/// snapping makes the union robust against nearly coincident edges (triangulated solids).
GeomPtr unionAll(const Context& ctx, std::vector<GeomPtr>&& parts, double grid_m);
/// The polygons of a (multi)polygon or collection result.
MultiPolygon2 toMultiPolygon(const Context& ctx, const GEOSGeometry* g);

}  // namespace citytwin::geodata::geos
