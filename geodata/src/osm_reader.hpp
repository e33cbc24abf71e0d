#pragma once
// Reads an OSM file (.osm, .osm.gz, .osm.bz2, .osm.pbf) with libosmium into network,
// buildings and walkable-space inputs in the local frame.
#include <optional>
#include <string>
#include <vector>

#include "citytwin/geodata/city_model.hpp"
#include "citytwin/geodata/import.hpp"
#include "walkable.hpp"

namespace citytwin::geodata {

struct LonLatBox {
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
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
