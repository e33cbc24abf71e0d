#include "geos_util.hpp"

#include <algorithm>

namespace citytwin::geodata::geos {
namespace {
GEOSCoordSequence* sequence(GEOSContextHandle_t h, const std::vector<Vec2>& pts, bool close) {
  const auto n = static_cast<unsigned>(pts.size() + (close ? 1 : 0));
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, n, 2);
  for (unsigned i = 0; i < pts.size(); ++i) GEOSCoordSeq_setXY_r(h, seq, i, pts[i].x, pts[i].y);
  if (close) GEOSCoordSeq_setXY_r(h, seq, n - 1, pts[0].x, pts[0].y);
  return seq;
}

Ring2 ringOf(GEOSContextHandle_t h, const GEOSGeometry* ring) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  Ring2 r;
  r.reserve(n);
  for (unsigned i = 0; i + 1 < n; ++i) {  // drop the closing point
    Vec2 p;
    GEOSCoordSeq_getXY_r(h, seq, i, &p.x, &p.y);
    r.push_back(p);
  }
  return r;
}

void collectPolygons(GEOSContextHandle_t h, const GEOSGeometry* g, MultiPolygon2& out) {
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g)) return;
    Polygon2 poly;
    poly.push_back(ringOf(h, GEOSGetExteriorRing_r(h, g)));
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) poly.push_back(ringOf(h, GEOSGetInteriorRingN_r(h, g, i)));
    out.push_back(std::move(poly));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) collectPolygons(h, GEOSGetGeometryN_r(h, g, i), out);
  }
}
}  // namespace

GeomPtr lineString(const Context& ctx, const std::vector<Vec2>& pts) {
  const auto h = ctx.get();
  return GeomPtr(GEOSGeom_createLineString_r(h, sequence(h, pts, false)), Deleter{h});
}

GeomPtr polygon(const Context& ctx, const Polygon2& poly) {
  const auto h = ctx.get();
  if (poly.empty() || poly[0].size() < 3) return GeomPtr(nullptr, Deleter{h});
  GEOSGeometry* shell = GEOSGeom_createLinearRing_r(h, sequence(h, poly[0], true));
  std::vector<GEOSGeometry*> holes;
  for (std::size_t i = 1; i < poly.size(); ++i)
    if (poly[i].size() >= 3)
      holes.push_back(GEOSGeom_createLinearRing_r(h, sequence(h, poly[i], true)));
  GeomPtr p(GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size())),
            Deleter{h});
  if (p && GEOSisValid_r(h, p.get()) != 1) p.reset(GEOSMakeValid_r(h, p.get()));
  return p;
}

GeomPtr unionAll(const Context& ctx, std::vector<GeomPtr>&& parts, double grid_m) {
  const auto h = ctx.get();
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (auto& p : parts)
    if (p) raw.push_back(p.release());
  GeomPtr coll(GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, raw.data(),
                                           static_cast<unsigned>(raw.size())),
               Deleter{h});
  return GeomPtr(GEOSUnaryUnionPrec_r(h, coll.get(), grid_m), Deleter{h});
}

MultiPolygon2 toMultiPolygon(const Context& ctx, const GEOSGeometry* g) {
  MultiPolygon2 out;
  if (g) collectPolygons(ctx.get(), g, out);
  return out;
}

}  // namespace citytwin::geodata::geos

namespace citytwin::geodata {

MultiPolygon2 unionWithStrips(const MultiPolygon2& polygons,
                              const std::vector<std::vector<Vec2>>& lines, double width) {
  geos::Context ctx;
  const auto h = ctx.get();
  std::vector<geos::GeomPtr> parts;
  for (const auto& p : polygons)
    if (auto g = geos::polygon(ctx, p)) parts.push_back(std::move(g));
  for (const auto& l : lines) {
    if (l.size() < 2) continue;
    const auto line = geos::lineString(ctx, l);
    parts.emplace_back(GEOSBufferWithStyle_r(h, line.get(), width / 2, 4, GEOSBUF_CAP_FLAT,
                                             GEOSBUF_JOIN_ROUND, 5.0),
                       geos::Deleter{h});
  }
  const auto all = geos::unionAll(ctx, std::move(parts), 0.01);
  return all ? geos::toMultiPolygon(ctx, all.get()) : polygons;
}

std::vector<std::array<Vec2, 3>> triangulate(const Polygon2& polygon) {
  std::vector<std::array<Vec2, 3>> out;
  geos::Context ctx;
  const auto h = ctx.get();
  const auto poly = geos::polygon(ctx, polygon);
  if (!poly) return out;
  const geos::GeomPtr tris(GEOSConstrainedDelaunayTriangulation_r(h, poly.get()), geos::Deleter{h});
  if (!tris) return out;
  const int n = GEOSGetNumGeometries_r(h, tris.get());
  out.reserve(static_cast<std::size_t>(std::max(n, 0)));
  for (int k = 0; k < n; ++k) {
    const GEOSGeometry* tri = GEOSGetGeometryN_r(h, tris.get(), k);
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, tri));
    std::array<Vec2, 3> t;
    for (unsigned i = 0; i < 3; ++i) {
      GEOSCoordSeq_getX_r(h, seq, i, &t[i].x);
      GEOSCoordSeq_getY_r(h, seq, i, &t[i].y);
    }
    // Counter-clockwise, so that faces point up.
    if ((t[1].x - t[0].x) * (t[2].y - t[0].y) - (t[1].y - t[0].y) * (t[2].x - t[0].x) < 0)
      std::swap(t[1], t[2]);
    out.push_back(t);
  }
  return out;
}

}  // namespace citytwin::geodata
