#include "citytwin/engine/traffic/router.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace citytwin::engine::traffic {

namespace {
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
}  // namespace

EdgeGraph::EdgeGraph(const Network& net, ClassMask vclass) : net_(&net) {
  const std::size_t n = net.edges.size();
  usable_.assign(n, 0);
  first_.assign(n + 1, 0);
  std::vector<std::vector<std::uint32_t>> next(n);
  for (std::uint32_t e = 0; e < n; ++e) {
    const Edge& edge = net.edges[e];
    for (std::uint32_t l = edge.first_lane; l < edge.first_lane + edge.lane_count; ++l) {
      const Lane& lane = net.lanes[l];
      if ((lane.allow & vclass) == 0) continue;
      usable_[e] = 1;
      for (std::uint32_t k = lane.first_link; k < lane.first_link + lane.link_count; ++k) {
        const Lane& to = net.lanes[net.links[k].to_lane];
        if ((to.allow & vclass) != 0) next[e].push_back(to.edge);
      }
    }
    std::sort(next[e].begin(), next[e].end());
    next[e].erase(std::unique(next[e].begin(), next[e].end()), next[e].end());
    max_speed_ = std::max(max_speed_, edge.speed);
  }
  for (std::uint32_t e = 0; e < n; ++e) {
    first_[e + 1] = first_[e] + static_cast<std::uint32_t>(next[e].size());
    targets_.insert(targets_.end(), next[e].begin(), next[e].end());
  }
}

float EdgeGraph::freeTime(std::uint32_t e, float max_speed) const {
  const Edge& edge = net_->edges[e];
  return edge.length / std::max(0.1f, std::min(edge.speed, max_speed));
}

Router::Router(const EdgeGraph& graph) : graph_(&graph) {
  const std::size_t n = graph.network().edges.size();
  cost_.assign(n, kInf);
  parent_.assign(n, kNone);
  stamp_.assign(n, 0);
}

std::optional<std::vector<std::uint32_t>> Router::route(std::uint32_t from, std::uint32_t to,
                                                        float max_speed,
                                                        const std::vector<float>* weights) {
  const Network& net = graph_->network();
  if (!graph_->usable(from) || !graph_->usable(to)) return std::nullopt;
  if (from == to) return std::vector<std::uint32_t>{from};
  ++search_;
  auto weight = [&](std::uint32_t e) {
    return weights ? (*weights)[e] : graph_->freeTime(e, max_speed);
  };
  const geodata::Vec2 goal = net.junctions[net.edges[to].from].position;
  const float bound_speed = std::min(graph_->maxSpeed(), std::max(max_speed, 0.1f)) * 1.0001f;
  auto heuristic = [&](std::uint32_t e) {
    const geodata::Vec2 p = net.junctions[net.edges[e].to].position;
    return static_cast<float>(std::hypot(p.x - goal.x, p.y - goal.y)) / bound_speed;
  };
  using Entry = std::pair<float, std::uint32_t>;  // ties: lower edge index first
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
  auto visit = [&](std::uint32_t e, float g, std::uint32_t parent) {
    if (stamp_[e] != search_) stamp_[e] = search_, cost_[e] = kInf;
    if (g >= cost_[e]) return;
    cost_[e] = g;
    parent_[e] = parent;
    open.emplace(g + heuristic(e), e);
  };
  visit(from, weight(from), kNone);
  while (!open.empty()) {
    const auto [f, e] = open.top();
    open.pop();
    const float g = cost_[e];
    if (f > g + heuristic(e) * 1.0001f + 1e-3f) continue;  // stale entry
    if (e == to) break;
    for (std::uint32_t n : graph_->next(e)) visit(n, g + weight(n), e);
  }
  if (stamp_[to] != search_ || cost_[to] == kInf) return std::nullopt;
  std::vector<std::uint32_t> path;
  for (std::uint32_t e = to; e != kNone; e = parent_[e]) path.push_back(e);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace citytwin::engine::traffic
