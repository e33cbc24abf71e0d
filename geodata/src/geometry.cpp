#include "citytwin/geodata/geometry.hpp"

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

double length(const std::vector<Vec2>& line) {
  double len = 0.0;
  for (std::size_t i = 1; i < line.size(); ++i)
    len += std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
  return len;
}

}  // namespace citytwin::geodata
