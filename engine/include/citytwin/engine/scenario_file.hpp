#pragma once
// The scenario file (YAML): the city, and a crowd part, a traffic part or both. Documented in
// scenarios/README.md. Errors name the file, the line and the key.
#include <string>
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"
#include "citytwin/engine/interventions.hpp"
#include "citytwin/engine/traffic/traffic_scenario.hpp"
#include "citytwin/geodata/city_model.hpp"

namespace citytwin::engine {

struct ScenarioFile {
  std::string path;
  std::string name;
  std::string city_path;  ///< resolved against the scenario's folder
  bool has_crowd = false;
  crowd::CrowdScenario crowd;
  bool has_traffic = false;
  traffic::TrafficScenario traffic;
  int trajectory_every = 10;  ///< crowd: steps between trajectory frames; 0: none
  std::string crs = "local";  ///< of the coordinates written in the file
  int replications = 1;       ///< runs with seeds seed, seed + 1, ... (`replications:`)
  /// Every file the scenario reads (itself, its base, the city's inputs, OD matrix, GTFS
  /// feed, barrier files), for provenance and to tell a finished run of it from another's.
  std::vector<std::string> inputs;
  /// A variant: the scenario it changes (`base:`), "" for a base scenario.
  std::string base_path;
  std::string description;
  /// The base's interventions (if any) first, then the variant's.
  std::vector<Intervention> interventions;
};

/// A value set from outside the file (a sweep's parameter): `key` is a dotted path through the
/// scenario's mappings and list positions ("traffic.truck_share", "crowd.sources.0.agents"),
/// `value` a YAML scalar or flow value ("0.1", "[20, 40]"). For a variant it applies to its base.
struct ScenarioOverride {
  std::string key;
  std::string value;
};

/// Reads the scenario and the city it names; a variant (`base: FILE` and `interventions:`)
/// reads its base and adds its interventions (a GeoPackage from `citytwin import`, or raw
/// inputs imported on the fly). Coordinates in the file are in `crs:` (default: the model's
/// local frame, "local"). Throws geodata::InputError.
ScenarioFile loadScenarioFile(const std::string& path, geodata::CityModel* city_out = nullptr,
                              const std::vector<ScenarioOverride>& overrides = {});

}  // namespace citytwin::engine
