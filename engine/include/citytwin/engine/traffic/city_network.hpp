#pragma once
// The traffic network of a city model (roads from OSM): edges with their lanes, speed limits
// and modes, junctions with signals (fixed-time two-phase plans generated where OSM tags
// traffic_signals), right of way by road class, right before left where roads are equal (the
// Dutch rule), and OSM turn restrictions.
#include <string>
#include <vector>

#include "citytwin/engine/traffic/network.hpp"
#include "citytwin/geodata/city_model.hpp"

namespace citytwin::engine::traffic {

struct CityNetworkOptions {
  float signal_green_s = 30.0f;  ///< green per phase of generated signal plans
  bool bicycles = true;          ///< include cycle paths (bicycles use roads they may use anyway)
};

/// Road priority of an OSM highway class (higher: main road), as SUMO's netconvert ranks them.
int highwayPriority(const std::string& highway);

/// Builds the network. Edge ids are "<osm way>_<from node>_<to node>" of the model's links;
/// `edge_of_link` (optional) receives the edge of each model link (UINT32_MAX where none).
Network buildCityNetwork(const geodata::CityModel& city, const CityNetworkOptions& options = {},
                         std::vector<std::uint32_t>* edge_of_link = nullptr);

}  // namespace citytwin::engine::traffic
