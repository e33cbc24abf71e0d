#include "citytwin/geodata/geometry.hpp"

#include <algorithm>
#include <cmath>

namespace citytwin::geodata {

double signedArea(const Ring2& ring) {
  const std::size_t n = ring.size();
  if (n < 3) return 0.0;
  // Shoelace relative to the first point, which keeps precision for far-away coordinates.
  const Vec2 o = ring[0];
  double twice = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
    const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
    twice += ax * by - bx * ay;
  }
  return 0.5 * twice;
}

double area(const Polygon2& polygon) {
  if (polygon.empty()) return 0.0;
  double a = std::abs(signedArea(polygon[0]));
  for (std::size_t i = 1; i < polygon.size(); ++i) a -= std::abs(signedArea(polygon[i]));
  return a;
}

double area(const MultiPolygon2& polygons) {
  double a = 0.0;
  for (const auto& p : polygons) a += area(p);
  return a;
}

double segmentFraction(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy;
  return length2 > 0.0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0.0, 1.0)
                       : 0.0;
}

double distanceToSegment(Vec2 p, Vec2 a, Vec2 b) {
  const double t = segmentFraction(p, a, b);
  return std::hypot(a.x + t * (b.x - a.x) - p.x, a.y + t * (b.y - a.y) - p.y);
}

double length(const std::vector<Vec2>& line) {
  double len = 0.0;
  for (std::size_t i = 1; i < line.size(); ++i)
    len += std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
  return len;
}

Box2 bounds(const MultiPolygon2& polygons) {
  Box2 b{1e300, 1e300, -1e300, -1e300};
  for (const auto& p : polygons)
    for (const auto& r : p)
      for (const auto& v : r)
        b = {std::min(b.min_x, v.x), std::min(b.min_y, v.y), std::max(b.max_x, v.x),
             std::max(b.max_y, v.y)};
  return b;
}

bool contains(const Polygon2& polygon, Vec2 p) {
  bool in = false;
  for (const auto& ring : polygon)
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
      if ((ring[i].y > p.y) != (ring[j].y > p.y) &&
          p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
        in = !in;
  return in;
}

bool contains(const MultiPolygon2& polygons, Vec2 p) {
  for (const auto& poly : polygons)
    if (contains(poly, p)) return true;
  return false;
}

}  // namespace citytwin::geodata
