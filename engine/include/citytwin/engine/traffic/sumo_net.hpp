#pragma once
// Reading SUMO networks (.net.xml, also gzipped): edges, lanes, junctions with their
// right-of-way matrices, connections and fixed-time signal programs.
#include <string>
#include <vector>

#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

/// Throws geodata::InputError naming the file, the line and the element on bad input.
Network readSumoNetwork(const std::string& path);

struct SignalProgramsRead {
  std::size_t programs = 0;           ///< programs that now run instead of the network's
  std::vector<std::string> warnings;  ///< what was read but is not acted on, named
};

/// Reads the signal programs (<tlLogic>) of a SUMO additional file into `net`: as in SUMO,
/// a program loaded after the network's runs instead of it. Throws geodata::InputError naming
/// the file and line for a signal the network does not have or a program with too few states.
/// Files without programs read as none.
SignalProgramsRead readSumoSignalPrograms(const std::string& path, Network& net);

/// SUMO vehicle classes ("passenger", "bus", ...) as class bits; unknown ones give 0.
ClassMask classFromSumo(std::string_view vclass);
/// SUMO vehicle classes CityTwin knows but does not simulate (rail, ships, aircraft, ...):
/// their vehicles are left out with a warning that names them.
bool isUnsimulatedSumoClass(std::string_view vclass);

}  // namespace citytwin::engine::traffic
