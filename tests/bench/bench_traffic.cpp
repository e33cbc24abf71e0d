// Traffic throughput: vehicle updates per second for a whole run on a signalised grid like the
// SUMO reference case (20 x 20 junctions 200 m apart, two lanes each way, signals at every
// junction with three or more approaches, random trips), junction control, lane changes and
// trip records included. The side-by-side figure with SUMO comes from scripts/sumo_compare.py.
// Run: build/release/tests/bench/citytwin_bench --benchmark_filter=Traffic
#include <benchmark/benchmark.h>

#include <random>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network_builder.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"

namespace {

using namespace citytwin::engine::traffic;

Network grid(int n, double spacing) {
  NetworkBuilder b;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      b.addJunction(std::to_string(x) + "/" + std::to_string(y), {x * spacing, y * spacing});
  auto id = [&](int x, int y) { return static_cast<std::uint32_t>(y * n + x); };
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      if (x + 1 < n) {
        b.addEdge("h" + std::to_string(id(x, y)) + "+", id(x, y), id(x + 1, y), 2, 13.89f);
        b.addEdge("h" + std::to_string(id(x, y)) + "-", id(x + 1, y), id(x, y), 2, 13.89f);
      }
      if (y + 1 < n) {
        b.addEdge("v" + std::to_string(id(x, y)) + "+", id(x, y), id(x, y + 1), 2, 13.89f);
        b.addEdge("v" + std::to_string(id(x, y)) + "-", id(x, y + 1), id(x, y), 2, 13.89f);
      }
    }
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      const int approaches = (x > 0) + (x + 1 < n) + (y > 0) + (y + 1 < n);
      if (approaches >= 3) b.addTwoPhaseSignal(id(x, y), 42.0f);
    }
  b.connectAll();
  return b.build();
}

Demand randomTrips(const Network& net, int vehicles, double period) {
  Demand d;
  d.types.push_back(defaultVehicleType(kClassCar));
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::uint32_t> edge(
      0, static_cast<std::uint32_t>(net.edges.size() - 1));
  for (int k = 0; k < vehicles; ++k) {
    Trip t;
    t.id = std::to_string(k);
    t.depart = k * period;
    t.from = edge(rng);
    t.to = edge(rng);
    d.trips.push_back(t);
  }
  finishDemand(net, d);
  return d;
}

void BM_TrafficGrid(benchmark::State& state) {
  static const Network net = grid(20, 200.0);
  static const Demand demand = randomTrips(net, static_cast<int>(state.range(0)), 0.1);
  std::uint64_t updates = 0;
  for (auto _ : state) {
    TrafficConfig c;
    c.end_s = 7200.0;
    TrafficSimulation sim(net, demand, c, static_cast<int>(state.range(1)));
    while (!sim.finished()) sim.step();
    updates += sim.summary().vehicle_updates;
    benchmark::DoNotOptimize(sim.stateHash());
  }
  state.counters["vehicle_updates_per_s"] =
      benchmark::Counter(static_cast<double>(updates), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_TrafficGrid)
    ->ArgNames({"vehicles", "threads"})
    ->Args({36000, 1})
    ->Args({36000, 2})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
