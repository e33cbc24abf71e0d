// Re-routing: when a road closes (an intervention) and, if asked, periodically on the travel
// times observed since the last time. New routes are searched in parallel, one router per
// worker, each from a snapshot of the weights, so the result is the same on any number of
// threads.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "traffic_state.hpp"

namespace citytwin::engine::traffic {

namespace {
// A closed road weighs this much: a route uses one only where nothing else leads to the
// destination, and is then cut short before it.
constexpr float kClosed = 1e7f;
}  // namespace

std::vector<float> TrafficSimulation::Impl::currentWeights(bool observed) const {
  const double now = time();
  std::vector<float> w(net->edges.size());
  for (std::uint32_t e = 0; e < net->edges.size(); ++e) {
    const Edge& edge = net->edges[e];
    double t = edge.length / std::max(0.1f, edge.speed);
    if (observed) {
      if (edge_time_count[e] > 0) t = std::max(t, edge_time_sum[e] / edge_time_count[e]);
      // Vehicles still on the road count with the time they have spent so far (a jam whose
      // vehicles never leave must not look free).
      for (std::uint32_t l = edge.first_lane; l < edge.first_lane + edge.lane_count; ++l)
        for (std::uint32_t v : occupants[l]) t = std::max(t, now - edge_enter_time[v]);
    }
    w[e] = static_cast<float>(t);
  }
  return w;
}

void TrafficSimulation::Impl::reroute(const std::vector<std::uint32_t>& vehicles,
                                      const std::vector<float>& weights) {
  std::vector<std::optional<std::vector<std::uint32_t>>> found(vehicles.size());
  std::vector<std::vector<std::uint32_t>> found_stops(vehicles.size());
  std::vector<std::uint8_t> cut(vehicles.size(), 0);
  // The weights each vehicle class sees: +inf on roads closed to it.
  std::vector<std::vector<float>> by_class(graphs.size(), weights);
  for (std::size_t g = 0; g < graphs.size(); ++g)
    for (std::size_t e = 0; e < weights.size(); ++e)
      if (closed[e] & graph_classes[g]) by_class[g][e] = kClosed;
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, vehicles.size(), 64),
        [&](const tbb::blocked_range<std::size_t>& r) {
          std::vector<std::optional<Router>> routers(graphs.size());
          std::vector<std::vector<float>> w = by_class;  // this worker's copy
          for (std::size_t i = r.begin(); i != r.end(); ++i) {
            const std::uint32_t v = vehicles[i];
            const DriverParams& p = params(v);
            const auto g = static_cast<std::size_t>(
                std::find(graph_classes.begin(), graph_classes.end(), p.vclass) -
                graph_classes.begin());
            if (g >= graphs.size()) continue;
            if (!routers[g]) routers[g].emplace(*graphs[g]);
            const auto& route = routes[v];
            auto isClosed = [&](std::uint32_t e) { return (closed[e] & p.vclass) != 0; };
            // From the road it is on (or the next, between two roads), to the same destination.
            std::uint32_t from_index = state[v] == VehicleState::kPending ? 0 : route_pos[v];
            if (state[v] == VehicleState::kRunning && isInternal(lane[v])) ++from_index;
            // Not on the road yet and its first roads are closed: it starts where its route
            // leaves them (the car stood round the corner), on a road long enough to stand on.
            if (state[v] == VehicleState::kPending && isClosed(route[0])) {
              auto tooShort = [&](std::uint32_t e) {
                return net->edges[e].length < p.length + p.min_gap + 0.5f;
              };
              while (from_index + 1 < route.size() &&
                     (isClosed(route[from_index]) || tooShort(route[from_index])))
                ++from_index;
            }
            if (from_index >= route.size()) continue;
            const std::uint32_t from = route[from_index];
            const float closed_weight = w[g][from];
            if (isClosed(from) &&
                !(state[v] == VehicleState::kRunning && from_index == route_pos[v]))
              continue;  // between two roads, onto a closed one: nothing to choose
            // It is on it already: it may drive off.
            w[g][from] = std::min(closed_weight, weights[from]);
            // A bus keeps to its stops still ahead, except those on closed roads.
            std::vector<std::uint32_t> via;
            const auto& stops = trip(v).stops;
            auto& stop_at = found_stops[i];
            stop_at = stop_route_index[v];
            for (std::size_t k = next_stop[v]; k < stops.size(); ++k) {
              if (stop_at[k] == kNoLink) continue;
              // Behind it already, or on a closed road (the one it is on counts as open).
              if (stop_at[k] < from_index || isClosed(route[stop_at[k]])) {
                stop_at[k] = kNoLink;
                continue;
              }
              via.push_back(static_cast<std::uint32_t>(k));
            }
            // The roads behind it stay in its route (a pending vehicle has none behind).
            const std::size_t kept = state[v] == VehicleState::kPending ? 0 : from_index;
            std::vector<std::uint32_t> path(route.begin(), route.begin() + kept);
            std::uint32_t at = from;
            bool ok = true;
            for (const auto k : via) {
              const std::uint32_t e = route[stop_at[k]];
              // Legs after the first start where the last one ended: skip that edge.
              if (path.size() == kept || e != at) {
                auto leg = routers[g]->route(at, e, p.max_speed, &w[g]);
                if (!leg) {
                  ok = false;
                  break;
                }
                path.insert(path.end(), leg->begin() + (path.size() > kept ? 1 : 0), leg->end());
              }
              stop_at[k] = static_cast<std::uint32_t>(path.size() - 1);
              at = e;
            }
            if (ok) {
              auto leg = routers[g]->route(at, route.back(), p.max_speed, &w[g]);
              if (leg) {
                path.insert(path.end(), leg->begin() + (path.size() > kept ? 1 : 0), leg->end());
                // Where the only way on crosses a closed road, the trip ends at the last open
                // road before it.
                for (std::size_t k = kept + 1; k < path.size(); ++k)
                  if (isClosed(path[k])) {
                    path.resize(k);
                    cut[i] = 1;
                    break;
                  }
                for (auto& at_stop : stop_at)
                  if (at_stop != kNoLink && at_stop >= path.size()) at_stop = kNoLink;
                found[i] = std::move(path);
              }
            }
            w[g][from] = closed_weight;
          }
        });
  });
  for (std::size_t i = 0; i < vehicles.size(); ++i) {
    const std::uint32_t v = vehicles[i];
    if (!found[i]) {
      ++reroute_failures;
      continue;
    }
    if (!trip(v).stops.empty()) stop_route_index[v] = std::move(found_stops[i]);
    if (*found[i] == routes[v]) continue;
    if (cut[i] && !cut_short[v]) cut_short[v] = 1, ++trips_cut_short;
    routes[v] = std::move(*found[i]);
    serve_rp[v] = kNoLink;
    ++reroutes;
    if (state[v] == VehicleState::kRunning && !isInternal(lane[v]))
      next_link[v] = chooseLink(v, lane[v]);
  }
}

void TrafficSimulation::Impl::periodicReroute() {
  const auto weights = currentWeights(true);
  std::vector<std::uint32_t> who;
  for (std::uint32_t v = 0; v < state.size(); ++v)  // buses keep to their line
    if (state[v] == VehicleState::kRunning && trip(v).stops.empty()) who.push_back(v);
  reroute(who, weights);
  last_weights = weights;
  std::fill(edge_time_sum.begin(), edge_time_sum.end(), 0.0);
  std::fill(edge_time_count.begin(), edge_time_count.end(), 0);
  last_reroute = time();
}

void TrafficSimulation::closeEdge(std::uint32_t edge, ClassMask classes) {
  Impl& s = *impl_;
  s.closed.at(edge) |= classes;  // vehicles already on it drive off
  std::vector<std::uint32_t> who;
  for (std::uint32_t v = 0; v < s.state.size(); ++v) {
    if (s.state[v] == VehicleState::kArrived || (s.params(v).vclass & classes) == 0) continue;
    const auto& route = s.routes[v];
    const std::uint32_t from = s.state[v] == VehicleState::kPending ? 0 : s.route_pos[v] + 1;
    if (std::find(route.begin() + std::min<std::size_t>(from, route.size()), route.end(), edge) !=
        route.end())
      who.push_back(v);
  }
  s.reroute(who, s.currentWeights(s.config.reroute_interval_s > 0.0));
}

void TrafficSimulation::reopenEdge(std::uint32_t edge) {
  impl_->closed.at(edge) = 0;
}

}  // namespace citytwin::engine::traffic
