#pragma once
// Reading scenario YAML: generic helpers with errors that name the file, the line and the key,
// and the nearest valid key for a misspelt one. Internal to the engine.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "citytwin/geodata/error.hpp"
#include "citytwin/geodata/frame.hpp"
#include "citytwin/geodata/geometry.hpp"
#include "nearest_name.hpp"

namespace citytwin::engine {

using geodata::InputError;

class Reader {
 public:
  Reader(std::string path, const geodata::LocalFrame* frame)
      : path_(std::move(path)), frame_(frame) {}

  [[noreturn]] void fail(const YAML::Node& n, const std::string& what,
                         const std::string& hint = {}) const {
    const auto m = n.Mark();
    throw InputError(path_, m.line >= 0 ? "line " + std::to_string(m.line + 1) : "", what,
                     hint.empty() ? "see scenarios/README.md for what the key takes" : hint);
  }

  // Every key of a map must be one of `allowed`; names the nearest valid key otherwise.
  void keys(const YAML::Node& n, const std::string& where,
            std::initializer_list<const char*> allowed) const {
    if (!n.IsMap()) fail(n, where + " must be a mapping of keys to values");
    for (const auto& kv : n) {
      const auto key = kv.first.as<std::string>();
      if (std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
        continue;
      const std::string best =
          nearestName(key, allowed, [](const char* a) { return std::string_view(a); });
      fail(kv.first, "unknown key '" + key + "' in " + where, "did you mean '" + best + "'?");
    }
  }

  template <typename T>
  T get(const YAML::Node& n, const char* key, T fallback) const {
    const YAML::Node v = n[key];
    if (!v) return fallback;
    try {
      return v.as<T>();
    } catch (const YAML::Exception&) {
      fail(v, std::string("'") + key + "' has the wrong type ('" + v.Scalar() + "')",
           std::string("see scenarios/README.md for what '") + key + "' takes");
    }
  }

  template <typename T>
  T require(const YAML::Node& n, const char* key, const std::string& where) const {
    if (!n[key]) fail(n, where + " needs '" + key + "'");
    return get<T>(n, key, T{});
  }

  /// Seconds after midnight from a number of seconds or a clock time "HH:MM" / "HH:MM:SS".
  double timeOfDay(const YAML::Node& n, const char* key, double fallback) const {
    const YAML::Node v = n[key];
    if (!v) return fallback;
    const auto text = v.as<std::string>();
    int hh = 0, mm = 0, ss = 0;
    char extra = 0;
    const int got = std::sscanf(text.c_str(), "%d:%d:%d%c", &hh, &mm, &ss, &extra);
    if ((got == 2 || got == 3) && hh >= 0 && mm >= 0 && mm < 60 && ss >= 0 && ss < 60)
      return hh * 3600.0 + mm * 60.0 + ss;
    return get<double>(n, key, fallback);  // seconds; names the key when it is neither
  }

  const std::string& path() const { return path_; }
  const geodata::LocalFrame* frame() const { return frame_; }

  /// A point: [x, y] in the scenario's CRS, or {lat: ..., lon: ...} in WGS 84 degrees (as a
  /// web map gives them), whatever the scenario's CRS.
  geodata::Vec2 point(const YAML::Node& n) const {
    if (n.IsMap()) return latLon(n);
    if (!n.IsSequence() || n.size() != 2)
      fail(n, "a point is [x, y] in the scenario's crs, or {lat: ..., lon: ...}");
    double x = n[0].as<double>(), y = n[1].as<double>(), z = 0;
    if (transform_) {
      if (!transform_->apply(x, y, z))
        fail(n, "this point cannot be transformed into the city's frame");
      return frame_->toLocal(x, y);
    }
    return {x, y};
  }

  geodata::Vec2 latLon(const YAML::Node& n) const {
    keys(n, "a point", {"lat", "lon"});
    if (!n["lat"] || !n["lon"]) fail(n, "a point in degrees needs both 'lat' and 'lon'");
    double lat = get<double>(n, "lat", 0.0), lon = get<double>(n, "lon", 0.0), z = 0.0;
    if (!std::isfinite(lat) || lat < -90 || lat > 90)
      fail(n["lat"], "lat must be -90 - 90 degrees", "latitude first, as web maps give it");
    if (!std::isfinite(lon) || lon < -180 || lon > 180)
      fail(n["lon"], "lon must be -180 - 180 degrees");
    if (!frame_) return {lon, lat};
    if (!wgs84_) wgs84_ = std::make_unique<geodata::CrsTransform>("EPSG:4326", frame_->crs);
    double x = lon, y = lat;
    if (!wgs84_->apply(x, y, z)) fail(n, "this point cannot be transformed into the city's frame");
    return frame_->toLocal(x, y);
  }

  // An area: `polygon: [[x, y], ...]`, `circle: {center, radius}`, or several of either
  // (`polygons: [...]`, `circles: [...]`): a stage spread over several spots.
  geodata::MultiPolygon2 area(const YAML::Node& n, const std::string& where) const {
    geodata::MultiPolygon2 out;
    auto polygon = [&](const YAML::Node& p) {
      geodata::Ring2 ring;
      for (const auto& v : p) ring.push_back(point(v));
      if (ring.size() < 3) fail(p, where + ": a polygon needs at least 3 points");
      out.push_back({ring});
    };
    auto circle = [&](const YAML::Node& c) {
      keys(c, where + " circle", {"center", "radius"});
      const geodata::Vec2 centre = point(c["center"]);
      const double r = require<double>(c, "radius", where + " circle");
      if (r <= 0) fail(c["radius"], "radius must be positive");
      geodata::Ring2 ring;
      for (int k = 0; k < 24; ++k)
        ring.push_back(
            {centre.x + r * std::cos(k * M_PI / 12), centre.y + r * std::sin(k * M_PI / 12)});
      out.push_back({ring});
    };
    if (n["polygon"]) polygon(n["polygon"]);
    if (n["circle"]) circle(n["circle"]);
    for (const auto& p : n["polygons"]) polygon(p);
    for (const auto& c : n["circles"]) circle(c);
    if (out.empty())
      fail(n, where + " needs an area: 'polygon', 'circle', 'polygons' or 'circles'");
    if (!bounds_.empty()) {
      bool inside = false;
      for (const auto& p : out)
        for (const auto& v : p.front())
          inside |= v.x >= bounds_.min_x && v.x <= bounds_.max_x && v.y >= bounds_.min_y &&
                    v.y <= bounds_.max_y;
      if (!inside) {
        char box[160];
        std::snprintf(box, sizeof box, "the city covers x %.0f - %.0f, y %.0f - %.0f",
                      bounds_.min_x + (frame_ ? frame_->origin.x : 0.0),
                      bounds_.max_x + (frame_ ? frame_->origin.x : 0.0),
                      bounds_.min_y + (frame_ ? frame_->origin.y : 0.0),
                      bounds_.max_y + (frame_ ? frame_->origin.y : 0.0));
        fail(n, where + " lies outside the city",
             std::string(box) + " in its CRS; check the coordinates and the scenario's 'crs'");
      }
    }
    return out;
  }

  /// Areas must overlap this box (the city's extent, local frame).
  void setBounds(const geodata::Box2& b) { bounds_ = b; }

  void setCrs(const std::string& crs) {
    if (crs == "local") return;
    if (!frame_) return;
    transform_ = std::make_unique<geodata::CrsTransform>(crs, frame_->crs);
  }

 private:
  std::string path_;
  const geodata::LocalFrame* frame_;
  std::unique_ptr<geodata::CrsTransform> transform_;
  mutable std::unique_ptr<geodata::CrsTransform> wgs84_;  // for {lat, lon} points
  geodata::Box2 bounds_{1.0, 1.0, 0.0, 0.0};              // empty: no check
};

}  // namespace citytwin::engine
