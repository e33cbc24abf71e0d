#pragma once
// SUMO names a lane by its edge's id and its index: "edge_2". Internal to the SUMO readers.
#include <cstdlib>
#include <string>

#include "citytwin/engine/traffic/network.hpp"
#include "citytwin/geodata/error.hpp"
#include "xml_scan.hpp"

namespace citytwin::engine::traffic {

/// The network lane a SUMO lane id names; throws InputError naming the file and element when
/// the network has no such lane.
inline std::uint32_t sumoLane(const std::string& file, const XmlElement& e, const Network& net,
                              const std::string& id) {
  const auto cut = id.rfind('_');
  if (cut != std::string::npos && cut + 1 < id.size())
    if (const auto edge = net.findEdge(std::string_view(id).substr(0, cut))) {
      const auto k = static_cast<std::uint32_t>(std::strtoul(id.c_str() + cut + 1, nullptr, 10));
      if (k < net.edges[*edge].lane_count) return net.edges[*edge].first_lane + k;
    }
  throw geodata::InputError(file, e.where(), "lane \"" + id + "\" is not in the network",
                            "check that the file belongs to network " + net.source);
}

}  // namespace citytwin::engine::traffic
