#pragma once
// The local metric frame: a projected CRS plus a whole-metre origin, so that local
// coordinates stay small (float-friendly in the engine) and convert back exactly.
#include <memory>
#include <string>
#include <vector>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::geodata {

struct LocalFrame {
  std::string crs;  ///< authority code of the projected CRS, e.g. "EPSG:28992"
  Vec3 origin;      ///< in that CRS; whole metres, so projected <-> local is exact
  [[nodiscard]] Vec2 toLocal(double x, double y) const { return {x - origin.x, y - origin.y}; }
  [[nodiscard]] Vec2 toProjected(Vec2 p) const { return {p.x + origin.x, p.y + origin.y}; }
  friend bool operator==(const LocalFrame&, const LocalFrame&) = default;
};

/// EPSG:28992 (RD New) inside the Netherlands, else the WGS 84 UTM zone of the point.
std::string chooseFrameCrs(double lon_deg, double lat_deg);

/// Transforms coordinates between two CRSs with PROJ (through GDAL's OSR), with the
/// traditional GIS axis order (x = easting or longitude). Throws InputError for unknown CRSs.
class CrsTransform {
 public:
  CrsTransform(const std::string& source_crs, const std::string& target_crs);
  ~CrsTransform();
  CrsTransform(CrsTransform&&) noexcept;
  CrsTransform& operator=(CrsTransform&&) noexcept;

  /// Transforms in place; returns false where PROJ cannot transform the point.
  bool apply(double& x, double& y, double& z) const;
  /// Transforms `n` points in place in one call (far cheaper per point than apply); ok[i] is
  /// 0 where point i cannot be transformed. Heights are not used.
  void applyMany(std::size_t n, double* x, double* y, std::vector<char>& ok) const;
  [[nodiscard]] bool identity() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// True when the text names a CRS that PROJ knows (EPSG code, URN, OGC URL or WKT).
bool isKnownCrs(const std::string& crs);
/// Normalises CityJSON/OGC spellings ("https://www.opengis.net/def/crs/EPSG/0/7415",
/// "urn:ogc:def:crs:EPSG::7415") to "EPSG:7415"; other text is returned as-is.
std::string normaliseCrs(const std::string& crs);

}  // namespace citytwin::geodata
