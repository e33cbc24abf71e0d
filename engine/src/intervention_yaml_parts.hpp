#pragma once
// Pieces shared by the readers of the intervention kinds. Internal to the engine.
#include <string>
#include <vector>

#include "citytwin/engine/interventions.hpp"
#include "citytwin/geodata/city_model.hpp"
#include "scenario_yaml_reader.hpp"

namespace citytwin::engine::intervention_yaml {

/// `name` or `osm_way`, and an optional area; checked against the city's roads (the nearest
/// street name when none matches).
RoadSelection roads(const Reader& r, const YAML::Node& n, const std::string& where,
                    const geodata::CityModel& city);
/// "Damrak", "OSM way 123 (in an area)".
std::string describe(const RoadSelection& s);
/// A list of names, empty when the key is absent.
std::vector<std::string> names(const Reader& r, const YAML::Node& n, const char* key);
/// car, truck, bus, bicycle.
traffic::ClassMask modeClass(const Reader& r, const YAML::Node& n);

/// Each reads the value of one intervention kind into `i` (description and what).
using KindReader = void (*)(const Reader&, const YAML::Node&, const geodata::CityModel&,
                            Intervention&);
void readCloseRoad(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                   Intervention& i);
void readSpeedLimit(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                    Intervention& i);
void readSignalPlan(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                    Intervention& i);
void readLanes(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
               Intervention& i);
void readOneWay(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                Intervention& i);
void readPedestrianise(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                       Intervention& i);
void readBarrier(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                 Intervention& i);
void readRemoveBarrier(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                       Intervention& i);
void readCloseArea(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                   Intervention& i);
void readGate(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
              Intervention& i);
void readEntrance(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                  Intervention& i);
void readScaleDemand(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                     Intervention& i);
void readRouteVia(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                  Intervention& i);
void readArrivalProfile(const Reader& r, const YAML::Node& n, const geodata::CityModel& city,
                        Intervention& i);

}  // namespace citytwin::engine::intervention_yaml
