// Crowd step throughput: agent-steps per second with routing (distance-field lookups),
// neighbour search, walls and measurement included.
// Run: build/release/tests/bench/citytwin_bench --benchmark_filter=CrowdStep
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>

#include "citytwin/engine/crowd/crowd_simulation.hpp"

namespace {

using namespace citytwin::engine::crowd;
using citytwin::geodata::Polygon2;

Polygon2 rect(double x0, double y0, double x1, double y1) {
  return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}};
}

// `agents` people at `density` on a square lattice in an open square, walking to an exit
// along its far side; one measurement zone and line, as a scenario would have.
std::unique_ptr<CrowdSimulation> makeCrowd(std::int64_t agents, double density, int threads) {
  const double side = std::sqrt(static_cast<double>(agents) / density);
  CrowdScenario s;
  s.walkable = {rect(0, 0, side * 1.5 + 10, side + 2)};
  Stage exit;
  exit.name = "exit";
  exit.area = {rect(side * 1.5 + 9, 0, side * 1.5 + 10, side + 2)};
  s.stages.push_back(exit);
  s.journeys.push_back({"go", {0}});
  s.zones.push_back({"all", {rect(0, 0, side * 1.5 + 10, side + 2)}});
  s.lines.push_back({"middle", {side * 0.75, 0}, {side * 0.75, side + 2}});
  s.nav_cell_m = side > 200 ? 1.0f : 0.5f;
  s.duration_s = 1e9;
  auto sim = std::make_unique<CrowdSimulation>(s, threads);
  const double spacing = 1.0 / std::sqrt(density);
  const auto per_row = static_cast<std::int64_t>(std::floor(side / spacing));
  for (std::int64_t k = 0; k < agents; ++k) {
    const double x = 1.0 + static_cast<double>(k % per_row) * spacing,
                 y = 1.0 + static_cast<double>(k / per_row) * spacing;
    sim->addAgent({static_cast<float>(x), static_cast<float>(y)}, 0,
                  1.2f + 0.3f * static_cast<float>((k * 7919) % 100) / 100.0f);
  }
  sim->step();  // settle the first step outside the timing
  return sim;
}

void BM_CrowdStep(benchmark::State& state) {
  const auto agents = state.range(0);
  const double density = static_cast<double>(state.range(1));
  const auto threads = static_cast<int>(state.range(2));
  auto sim = makeCrowd(agents, density, threads);
  for (auto _ : state) sim->step();
  state.counters["agent_steps_per_s"] =
      benchmark::Counter(static_cast<double>(agents) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

BENCHMARK(BM_CrowdStep)
    ->ArgNames({"agents", "density", "threads"})
    ->ArgsProduct({{10000, 100000, 1000000}, {1, 4}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace
