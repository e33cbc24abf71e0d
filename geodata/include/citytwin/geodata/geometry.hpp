#pragma once
// Plain geometry types of the city model, in the local metric frame (metres; x east, y north,
// z up). No GDAL or GEOS types here: the engine includes this header in hot code.
#include <array>
#include <cstdint>
#include <vector>

namespace citytwin::geodata {

struct Vec2 {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const Vec2&, const Vec2&) = default;
};

struct Vec3 {
  double x = 0.0;
  double y = 0.0;
  double z = 0.0;
  friend bool operator==(const Vec3&, const Vec3&) = default;
};

/// A closed ring; the first point is not repeated at the end.
using Ring2 = std::vector<Vec2>;
/// Outer ring first, then holes.
using Polygon2 = std::vector<Ring2>;
using MultiPolygon2 = std::vector<Polygon2>;
using Ring3 = std::vector<Vec3>;
using Polygon3 = std::vector<Ring3>;

struct Box2 {
  double min_x = 0.0, min_y = 0.0, max_x = 0.0, max_y = 0.0;
  [[nodiscard]] bool empty() const { return max_x < min_x || max_y < min_y; }
  friend bool operator==(const Box2&, const Box2&) = default;
};

/// A general simple-features geometry, for layers whose type is known only at run time
/// (event fences, stages, zones, gates, sensors). parts -> rings or lines -> points.
enum class GeometryKind : std::uint8_t {
  kPoint,
  kLineString,
  kPolygon,
  kMultiPoint,
  kMultiLineString,
  kMultiPolygon
};

struct Geometry {
  GeometryKind kind = GeometryKind::kPoint;
  bool has_z = false;
  std::vector<std::vector<Ring3>> parts;
  friend bool operator==(const Geometry&, const Geometry&) = default;
};

/// Signed area of a ring (counter-clockwise positive), shoelace formula.
double signedArea(const Ring2& ring);
/// Area of a polygon with holes (outer minus holes, orientation-independent).
double area(const Polygon2& polygon);
double area(const MultiPolygon2& polygons);
double length(const std::vector<Vec2>& line);
/// Where the segment from `a` to `b` comes nearest `p`: 0 at a, 1 at b.
double segmentFraction(Vec2 p, Vec2 a, Vec2 b);
/// Distance from `p` to the segment from `a` to `b`.
double distanceToSegment(Vec2 p, Vec2 a, Vec2 b);
/// Bounding box of all rings (empty box for no points).
Box2 bounds(const MultiPolygon2& polygons);
/// Even-odd point-in-polygon over all rings (holes count as outside).
bool contains(const Polygon2& polygon, Vec2 p);
bool contains(const MultiPolygon2& polygons, Vec2 p);

/// `polygons` with strips of `width` metres along each line added (a street given to
/// pedestrians joins the walkable space), as one valid union.
MultiPolygon2 unionWithStrips(const MultiPolygon2& polygons,
                              const std::vector<std::vector<Vec2>>& lines, double width);

/// Triangles covering a polygon with holes (constrained Delaunay), for drawing roofs and
/// areas; counter-clockwise. Empty for a degenerate polygon.
std::vector<std::array<Vec2, 3>> triangulate(const Polygon2& polygon);

}  // namespace citytwin::geodata
