#pragma once
// One <phase> of a SUMO signal program, as the network and additional files write it.
#include <string>

#include "citytwin/engine/traffic/network.hpp"
#include "xml_scan.hpp"

namespace citytwin::engine::traffic {

/// Throws InputError naming the file and line for an unknown state letter or a duration that
/// is not positive.
SignalPhase readSumoPhase(const std::string& file, const XmlElement& e);

}  // namespace citytwin::engine::traffic
