#pragma once
// The city model: what geodata/ makes of real GIS files, in a local metric frame.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "citytwin/geodata/frame.hpp"
#include "citytwin/geodata/geometry.hpp"

namespace citytwin::geodata {

/// Travel modes as bits, so one link can carry several.
enum class Mode : std::uint8_t { kCar = 1, kBike = 2, kFoot = 4, kBus = 8 };
using ModeMask = std::uint8_t;
inline constexpr std::array<Mode, 4> kAllModes{Mode::kCar, Mode::kBike, Mode::kFoot, Mode::kBus};
constexpr ModeMask bit(Mode m) {
  return static_cast<ModeMask>(m);
}
constexpr bool allows(ModeMask mask, Mode m) {
  return (mask & bit(m)) != 0;
}
const char* modeName(Mode m);

using NodeIndex = std::uint32_t;
using LinkIndex = std::uint32_t;

/// A junction, a way end, a signal or a point where the extract's box cuts a way.
struct Node {
  std::int64_t osm_id = 0;  ///< 0 for nodes made by clipping at the box edge
  Vec2 position;
  bool traffic_signals = false;
  bool boundary = false;  ///< on the edge of the extract: demand enters and leaves here
  friend bool operator==(const Node&, const Node&) = default;
};

/// A directed road, path or footway segment between two nodes.
struct Link {
  NodeIndex from = 0;
  NodeIndex to = 0;
  std::int64_t osm_way_id = 0;
  ModeMask modes = 0;
  std::uint8_t lanes = 1;        ///< lanes in this direction (motorised traffic)
  float speed_limit_mps = 0.0f;  ///< legal limit for vehicles (tagged or NL default)
  bool speed_limit_tagged = false;
  bool boundary = false;  ///< starts or ends at a boundary node
  std::string highway;    ///< OSM highway class (or "busway", "pedestrian_area", ...)
  std::string name;
  double length_m = 0.0;
  std::vector<Vec2> geometry;  ///< from's position first, to's position last
  friend bool operator==(const Link&, const Link&) = default;
};

/// "From link, via node, to link" as tagged on an OSM type=restriction relation.
struct TurnRestriction {
  LinkIndex from_link = 0;
  NodeIndex via_node = 0;
  LinkIndex to_link = 0;
  bool only = false;  ///< only_* (every other turn from from_link is forbidden) vs no_*
  std::string kind;   ///< the OSM value, e.g. "no_left_turn"
  std::int64_t osm_relation_id = 0;
  friend bool operator==(const TurnRestriction&, const TurnRestriction&) = default;
};

/// One boundary surface of a 3D object, with its semantic class and texture reference.
struct Surface {
  std::string semantic;  ///< CityJSON semantic type (RoofSurface, WallSurface, ...) or ""
  Polygon3 rings;
  std::string texture;  ///< image path relative to the model file's folder, or ""
  std::vector<std::vector<std::array<double, 2>>> uv;  ///< per ring, per vertex (if textured)
  friend bool operator==(const Surface&, const Surface&) = default;
};

enum class BuildingSource : std::uint8_t { kOsm, kCityJson };

/// A building footprint with height: what the simulation and the 2D map use.
struct Building {
  std::string id;  ///< "osm:way/123", "osm:relation/5" or the CityJSON object id
  BuildingSource source = BuildingSource::kOsm;
  MultiPolygon2 footprint;
  double height_m = 0.0;
  double ground_z = 0.0;      ///< terrain height at the base (NAP for Dutch data, else 0)
  std::string lod;            ///< "" for OSM extrusions, else the CityJSON LoD used ("2.2")
  std::string height_source;  ///< "height", "building:levels", "default", "geometry"
  friend bool operator==(const Building&, const Building&) = default;
};

/// Any CityJSON city object, with its chosen geometry, semantics and attributes.
struct CityObject {
  std::string id;
  std::string type;  ///< Building, BuildingPart, Road, PlantCover, ...
  std::vector<std::string> parents;
  std::string lod;              ///< the LoD kept (the best present), "" when no geometry
  std::string attributes_json;  ///< attributes as a JSON object text
  std::vector<Surface> surfaces;
  friend bool operator==(const CityObject&, const CityObject&) = default;
};

using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;

enum class FieldType : std::uint8_t { kInteger, kReal, kString };

struct FieldDef {
  std::string name;
  FieldType type = FieldType::kString;
  friend bool operator==(const FieldDef&, const FieldDef&) = default;
};

struct Feature {
  Geometry geometry;
  std::vector<FieldValue> values;  ///< one per FieldDef of the layer
  friend bool operator==(const Feature&, const Feature&) = default;
};

/// A vector layer the city model carries as-is: event fences, stages, zones, gates, sensors.
struct ExtraLayer {
  std::string name;
  std::string source;  ///< the file it came from
  std::vector<FieldDef> fields;
  std::vector<Feature> features;
  friend bool operator==(const ExtraLayer&, const ExtraLayer&) = default;
};

/// A terrain height raster in the local frame (north-up, row 0 at max y).
struct Terrain {
  int width = 0;
  int height = 0;
  double min_x = 0.0;  ///< west edge, local frame
  double max_y = 0.0;  ///< north edge, local frame
  double pixel_size_x = 0.0;
  double pixel_size_y = 0.0;  ///< positive; rows go south
  std::vector<float> z;       ///< row-major, width * height
  std::optional<float> nodata;
  std::string source;
  friend bool operator==(const Terrain&, const Terrain&) = default;
};

/// An input file that went into the model, for provenance.
struct SourceRecord {
  std::string path;
  std::string kind;  ///< osm, cityjson, vector, raster
  std::string crs;
  std::string sha256;
  friend bool operator==(const SourceRecord&, const SourceRecord&) = default;
};

struct CityModel {
  LocalFrame frame;
  Box2 bounds;  ///< the extract's box in the local frame (where links are cut)
  std::vector<Node> nodes;
  std::vector<Link> links;
  std::vector<TurnRestriction> turn_restrictions;
  MultiPolygon2 walkable;
  std::vector<Building> buildings;
  std::vector<CityObject> city_objects;
  std::vector<ExtraLayer> layers;
  std::optional<Terrain> terrain;
  std::vector<SourceRecord> sources;
  std::vector<std::string> warnings;
  friend bool operator==(const CityModel&, const CityModel&) = default;
};

}  // namespace citytwin::geodata
