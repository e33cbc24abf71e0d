#pragma once
// Reads an OSM file (.osm, .osm.gz, .osm.bz2, .osm.pbf) with libosmium into network,
// buildings and walkable-space inputs in the local frame.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "citytwin/geodata/city_model.hpp"
#include "citytwin/geodata/import.hpp"
#include "walkable.hpp"

namespace citytwin::geodata {

struct LonLatBox {
  double min_lon = 180, min_lat = 90, max_lon = -180, max_lat = -90;  ///< starts empty
  [[nodiscard]] bool empty() const { return min_lon > max_lon; }
  void extend(double lon, double lat) {
    min_lon = std::min(min_lon, lon);
    max_lon = std::max(max_lon, lon);
    min_lat = std::min(min_lat, lat);
    max_lat = std::max(max_lat, lat);
  }
  void extend(const LonLatBox& o) {
    if (!o.empty()) extend(o.min_lon, o.min_lat), extend(o.max_lon, o.max_lat);
  }
};

struct OsmData {
  std::vector<Node> nodes;
  std::vector<Link> links;
  std::vector<TurnRestriction> turn_restrictions;
  std::vector<Building> buildings;
  WalkableInputs walkable;
  Box2 bounds;  ///< local frame
  std::vector<std::string> warnings;
};

/// The extract's box from the file header, or the bounding box of its nodes.
LonLatBox osmExtent(const std::string& path);

/// Reads the whole file. Links are cut at the extract's box; the cut ends become boundary
/// nodes. Throws InputError on unreadable files and dangling node references.
OsmData readOsm(const std::string& path, const LocalFrame& frame, const ImportOptions& options);

}  // namespace citytwin::geodata
