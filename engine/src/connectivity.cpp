#include "citytwin/engine/connectivity.hpp"

#include <algorithm>
#include <limits>

namespace citytwin::engine {

Components stronglyConnectedComponents(const ModeGraph& g) {
  constexpr std::uint32_t kUnvisited = std::numeric_limits<std::uint32_t>::max();
  const std::uint32_t n = g.node_count;
  Components out;
  out.component_of_node.assign(n, kUnvisited);
  std::vector<std::uint32_t> index(n, kUnvisited), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::uint32_t> stack;
  struct Frame {
    std::uint32_t node;
    std::uint32_t next_edge;
  };
  std::vector<Frame> call;
  std::uint32_t counter = 0;
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    call.push_back({root, g.first_edge[root]});
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!call.empty()) {
      Frame& f = call.back();
      const std::uint32_t v = f.node;
      if (f.next_edge < g.first_edge[v + 1]) {
        const std::uint32_t w = g.edge_target[f.next_edge++];
        if (index[w] == kUnvisited) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = true;
          call.push_back({w, g.first_edge[w]});
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        std::uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          out.component_of_node[w] = out.count;
        } while (w != v);
        ++out.count;
      }
      call.pop_back();
      if (!call.empty()) {
        const std::uint32_t parent = call.back().node;
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return out;
}

LinkConnectivity linkConnectivity(const geodata::CityModel& model, geodata::Mode mode,
                                  bool through_outside) {
  ModeGraph g = buildModeGraph(model, mode);
  if (through_outside) {
    // Add the outside as node n, with an edge to and from every boundary node of this mode.
    std::vector<bool> touches(g.node_count, false);
    for (const auto& l : model.links)
      if (geodata::allows(l.modes, mode)) touches[l.from] = touches[l.to] = true;
    std::vector<std::uint32_t> boundary;
    for (std::uint32_t i = 0; i < g.node_count; ++i)
      if (touches[i] && model.nodes[i].boundary) boundary.push_back(i);
    ModeGraph h;
    h.node_count = g.node_count + 1;
    h.first_edge.assign(h.node_count + 1, 0);
    for (std::uint32_t v = 0; v < g.node_count; ++v) {
      const bool is_b = std::binary_search(boundary.begin(), boundary.end(), v);
      h.first_edge[v + 1] =
          h.first_edge[v] + (g.first_edge[v + 1] - g.first_edge[v]) + (is_b ? 1 : 0);
      for (auto e = g.first_edge[v]; e < g.first_edge[v + 1]; ++e) {
        h.edge_target.push_back(g.edge_target[e]);
        h.edge_link.push_back(g.edge_link[e]);
      }
      if (is_b)
        h.edge_target.push_back(g.node_count),
            h.edge_link.push_back(std::numeric_limits<std::uint32_t>::max());
    }
    h.first_edge[h.node_count] =
        h.first_edge[g.node_count] + static_cast<std::uint32_t>(boundary.size());
    for (auto b : boundary)
      h.edge_target.push_back(b), h.edge_link.push_back(std::numeric_limits<std::uint32_t>::max());
    g = std::move(h);
  }
  const Components c = stronglyConnectedComponents(g);
  std::vector<std::size_t> links_in(c.count, 0);
  LinkConnectivity out;
  for (const auto& l : model.links) {
    if (!geodata::allows(l.modes, mode)) continue;
    ++out.links;
    if (c.component_of_node[l.from] == c.component_of_node[l.to])
      ++links_in[c.component_of_node[l.from]];
  }
  if (out.links == 0) return out;
  out.links_in_largest = *std::max_element(links_in.begin(), links_in.end());
  out.share = static_cast<double>(out.links_in_largest) / static_cast<double>(out.links);
  return out;
}

}  // namespace citytwin::engine
