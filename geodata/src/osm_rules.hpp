#pragma once
// How OSM tags map to the city model: modes, direction, lanes, speed, building height,
// walkable widths. Pure functions on a small tag map, so they are tested without files.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::geodata::osm {

using Tags = std::map<std::string, std::string, std::less<>>;

inline std::string_view tag(const Tags& tags, std::string_view key) {
  auto it = tags.find(key);
  return it == tags.end() ? std::string_view{} : std::string_view{it->second};
}

/// True for highway values that become links (roads, paths, footways, busways).
bool isRoutableHighway(std::string_view highway);

/// Modes allowed in the way's forward and backward direction.
struct DirectionalModes {
  ModeMask forward = 0;
  ModeMask backward = 0;
};
DirectionalModes wayModes(const Tags& tags);

struct LanesPerDirection {
  std::uint8_t forward = 1;
  std::uint8_t backward = 1;
};
LanesPerDirection wayLanes(const Tags& tags, bool oneway_forward_only);

/// A speed text ("50", "30 mph", "NL:urban", "walk") in km/h, or nullopt if unreadable.
std::optional<double> parseSpeedKmh(std::string_view text, std::string_view country);
/// Default legal limit in km/h for an untagged way of this class in this country.
double defaultSpeedKmh(std::string_view highway, std::string_view country);

struct SpeedLimits {
  double forward_kmh = 0.0;
  double backward_kmh = 0.0;
  bool tagged = false;
};
SpeedLimits waySpeedLimits(const Tags& tags, std::string_view country);

/// A length text ("12", "12.5 m", "40'") in metres.
std::optional<double> parseLengthM(std::string_view text);

struct BuildingHeight {
  double height_m = 0.0;
  std::string source;  ///< "height", "building:levels", "default"
};
BuildingHeight buildingHeight(const Tags& tags);

/// Width in metres of walkable surface along a foot link (0 where pedestrians use sidewalks).
double walkableWidthM(const Tags& tags);

/// Which sides of a road have a sidewalk (tagged, or inferred for urban road classes).
struct Sidewalks {
  bool left = false;
  bool right = false;
};
Sidewalks waySidewalks(const Tags& tags, std::string_view country);
/// Carriageway width in metres (width tag, or lanes x 3 m).
double carriagewayWidthM(const Tags& tags);

/// True for areas that are walkable surface: pedestrian squares and area highways.
bool isWalkableArea(const Tags& tags);
/// True for linear barriers that people cannot cross (walls, fences, hedges).
bool isLinearBarrier(const Tags& tags);
/// True for node tags that mark a traffic signal (road signal or signalled crossing).
bool isTrafficSignal(const Tags& tags);

}  // namespace citytwin::geodata::osm
