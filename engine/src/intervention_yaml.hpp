#pragma once
// The `interventions:` list of a scenario file. Internal to the engine.
#include <vector>

#include "citytwin/engine/interventions.hpp"
#include "citytwin/geodata/city_model.hpp"
#include "scenario_yaml_reader.hpp"

namespace citytwin::engine {

/// Reads each intervention, checking that the roads it names exist in `city` (naming the
/// nearest street name otherwise).
void readInterventions(const Reader& r, const YAML::Node& list, const geodata::CityModel& city,
                       std::vector<Intervention>& out);

}  // namespace citytwin::engine
