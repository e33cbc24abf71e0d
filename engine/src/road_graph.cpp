#include "citytwin/engine/road_graph.hpp"

namespace citytwin::engine {

ModeGraph buildModeGraph(const geodata::CityModel& model, geodata::Mode mode) {
  ModeGraph g;
  g.node_count = static_cast<std::uint32_t>(model.nodes.size());
  g.first_edge.assign(g.node_count + 1, 0);
  for (const auto& l : model.links)
    if (geodata::allows(l.modes, mode)) ++g.first_edge[l.from + 1];
  for (std::uint32_t i = 0; i < g.node_count; ++i) g.first_edge[i + 1] += g.first_edge[i];
  g.edge_target.resize(g.first_edge.back());
  g.edge_link.resize(g.first_edge.back());
  std::vector<std::uint32_t> cursor(g.first_edge.begin(), g.first_edge.end() - 1);
  for (std::uint32_t li = 0; li < model.links.size(); ++li) {
    const auto& l = model.links[li];
    if (!geodata::allows(l.modes, mode)) continue;
    const std::uint32_t e = cursor[l.from]++;
    g.edge_target[e] = l.to;
    g.edge_link[e] = li;
  }
  return g;
}

}  // namespace citytwin::engine
