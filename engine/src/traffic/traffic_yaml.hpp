#pragma once
// The `traffic:` section of a scenario file. Internal to the engine.
#include <string>

#include "../scenario_yaml_reader.hpp"
#include "citytwin/engine/traffic/traffic_scenario.hpp"

namespace citytwin::engine::traffic {

/// Fills `out` from the section; relative paths resolve against `scenario_dir`.
void readTrafficSection(const Reader& r, const YAML::Node& section, const std::string& scenario_dir,
                        TrafficScenario& out);

}  // namespace citytwin::engine::traffic
