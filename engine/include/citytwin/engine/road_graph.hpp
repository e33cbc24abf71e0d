#pragma once
// The road network of one travel mode as a compact directed graph (compressed sparse rows),
// the form routing and connectivity analysis run on.
#include <cstdint>
#include <vector>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::engine {

struct ModeGraph {
  std::uint32_t node_count = 0;
  std::vector<std::uint32_t> first_edge;  ///< node_count + 1 offsets into the edge arrays
  std::vector<std::uint32_t> edge_target;
  std::vector<std::uint32_t> edge_link;  ///< the model link behind each edge
};

/// Edges are the links open to `mode`, ordered by source node then link index.
ModeGraph buildModeGraph(const geodata::CityModel& model, geodata::Mode mode);

}  // namespace citytwin::engine
