#pragma once
// The `interventions:` list of a scenario file. Internal to the engine.
#include <vector>

#include "citytwin/engine/interventions.hpp"
#include "citytwin/geodata/city_model.hpp"
#include "scenario_yaml_reader.hpp"

namespace citytwin::engine {

/// Reads each intervention, checking that the roads it names exist in `city` (naming the
/// nearest street name otherwise).
/// Lines of a barrier: `line: [[x, y], ...]`, an area's outline (`polygon`, `circle`, ...), or
/// every line and polygon outline in a vector `file` (GeoJSON, GeoPackage, ... drawn in QGIS).
std::vector<std::vector<geodata::Vec2>> barrierLines(const Reader& r, const YAML::Node& n,
                                                     const std::string& where);

void readInterventions(const Reader& r, const YAML::Node& list, const geodata::CityModel& city,
                       std::vector<Intervention>& out);

}  // namespace citytwin::engine
