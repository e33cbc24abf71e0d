#pragma once
// Reading SUMO networks (.net.xml, also gzipped): edges, lanes, junctions with their
// right-of-way matrices, connections and fixed-time signal programs.
#include <string>

#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

/// Throws geodata::InputError naming the file, the line and the element on bad input.
Network readSumoNetwork(const std::string& path);

/// SUMO vehicle classes ("passenger", "bus", ...) as class bits; unknown ones give 0.
ClassMask classFromSumo(std::string_view vclass);
/// SUMO vehicle classes CityTwin knows but does not simulate (rail, ships, aircraft, ...):
/// their vehicles are left out with a warning that names them.
bool isUnsimulatedSumoClass(std::string_view vclass);

}  // namespace citytwin::engine::traffic
