#pragma once
// Strongly connected components: which parts of a network can reach each other both ways.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "citytwin/engine/road_graph.hpp"

namespace citytwin::engine {

struct Components {
  std::vector<std::uint32_t> component_of_node;
  std::uint32_t count = 0;
};

/// Tarjan's algorithm, iterative (no recursion depth limit on long roads). Component ids are
/// deterministic for a given graph.
Components stronglyConnectedComponents(const ModeGraph& graph);

struct LinkConnectivity {
  std::size_t links = 0;             ///< links open to the mode
  std::size_t links_in_largest = 0;  ///< of those, links inside the largest component
  double share = 0.0;                ///< links_in_largest / links (0 for an empty network)
};

/// Share of a mode's links whose both ends lie in the largest strongly connected component
/// (largest by links). With `through_outside`, boundary nodes are joined through one virtual
/// node: the world outside the extract, where traffic that leaves can come back.
LinkConnectivity linkConnectivity(const geodata::CityModel& model, geodata::Mode mode,
                                  bool through_outside = false);

}  // namespace citytwin::engine
