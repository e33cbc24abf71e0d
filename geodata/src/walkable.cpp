#include "walkable.hpp"

#include "geos_util.hpp"

namespace citytwin::geodata {
namespace {
constexpr int kQuadrantSegments = 4;       // arcs of 22.5 degrees: enough for walking space
constexpr double kBarrierHalfWidth = 0.1;  // walls and fences are cut out 0.2 m wide
constexpr double kGridM = 0.01;            // walkable space is kept to the centimetre
}  // namespace

MultiPolygon2 buildWalkable(const WalkableInputs& in, const std::vector<Building>& buildings,
                            const Box2& clip) {
  geos::Context ctx;
  const auto h = ctx.get();
  std::vector<geos::GeomPtr> parts;
  for (const auto& a : in.areas) parts.push_back(geos::polygon(ctx, a));
  for (const auto& s : in.strips) {
    auto line = geos::lineString(ctx, s.line);
    parts.emplace_back(GEOSBufferWithStyle_r(h, line.get(), s.width_m / 2, kQuadrantSegments,
                                             GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0),
                       geos::Deleter{h});
  }
  for (const auto& s : in.sidewalks) {
    auto line = geos::lineString(ctx, s.line);
    // The sidewalk's centre line runs beside the carriageway: offset, then widen.
    const double offset = s.carriageway_width_m / 2 + s.sidewalk_width_m / 2;
    for (int side : {1, -1}) {
      if ((side == 1 && !s.left) || (side == -1 && !s.right)) continue;
      geos::GeomPtr centre(GEOSOffsetCurve_r(h, line.get(), side * offset, kQuadrantSegments,
                                             GEOSBUF_JOIN_MITRE, 2.0),
                           geos::Deleter{h});
      if (!centre || GEOSisEmpty_r(h, centre.get())) continue;
      parts.emplace_back(
          GEOSBufferWithStyle_r(h, centre.get(), s.sidewalk_width_m / 2, kQuadrantSegments,
                                GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0),
          geos::Deleter{h});
    }
  }
  geos::GeomPtr walkable = geos::unionAll(ctx, std::move(parts), kGridM);

  std::vector<geos::GeomPtr> obstacles;
  for (const auto& b : buildings)
    for (const auto& poly : b.footprint) obstacles.push_back(geos::polygon(ctx, poly));
  for (const auto& line : in.barriers) {
    if (line.size() < 2) continue;
    auto g = geos::lineString(ctx, line);
    obstacles.emplace_back(GEOSBufferWithStyle_r(h, g.get(), kBarrierHalfWidth, 2, GEOSBUF_CAP_FLAT,
                                                 GEOSBUF_JOIN_MITRE, 2.0),
                           geos::Deleter{h});
  }
  if (!obstacles.empty()) {
    geos::GeomPtr blocked = geos::unionAll(ctx, std::move(obstacles), kGridM);
    walkable.reset(GEOSDifferencePrec_r(h, walkable.get(), blocked.get(), kGridM));
  }
  if (!clip.empty())
    walkable.reset(
        GEOSClipByRect_r(h, walkable.get(), clip.min_x, clip.min_y, clip.max_x, clip.max_y));
  return geos::toMultiPolygon(ctx, walkable.get());
}

}  // namespace citytwin::geodata
