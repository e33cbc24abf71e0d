#include "citytwin/engine/crowd/studies.hpp"

#include <algorithm>
#include <cmath>

#include "../rng.hpp"
#include "citytwin/engine/crowd/crowd_simulation.hpp"

namespace citytwin::engine::crowd {
namespace {
geodata::Polygon2 rect(double x0, double y0, double x1, double y1) {
  return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}};
}
}  // namespace

double weidmannSpeed(double density) {
  return 1.34 * (1.0 - std::exp(-1.913 * (1.0 / density - 1.0 / 5.4)));
}

double periodicCorridorSpeed(double density, const CorridorOptions& o) {
  CrowdScenario s;
  const double L = o.length_m, W = o.width_m;
  s.walkable = {rect(-1, 0, L + 1, W)};
  s.periodic_x_min = 0.0f;
  s.periodic_x_max = static_cast<float>(L);
  Stage never;
  never.name = "unused";
  never.area = {rect(L, 0, L + 1, W)};
  s.stages.push_back(never);
  s.journeys.push_back({"loop", {0}});
  s.model = o.model;
  s.groups = {o.group};
  s.duration_s = o.warmup_s + o.measure_s;
  s.nav_cell_m = 0.25f;
  s.seed = o.seed;
  CrowdSimulation sim(s, o.threads);
  // Hexagonal lattice at the density, rows spanning the width.
  const float r = o.group.radius;
  const auto n = static_cast<int>(std::lround(density * L * W));
  const double a = std::sqrt(2.0 / (std::sqrt(3.0) * density));
  int rows =
      std::max(1, static_cast<int>(std::floor((W - 2 * r - 0.02) / (a * std::sqrt(3.0) / 2))) + 1);
  int per_row = (n + rows - 1) / rows;
  while (L / per_row < 2 * r + 0.01) {
    ++rows;
    per_row = (n + rows - 1) / rows;
  }
  Rng rng(o.seed);
  const double dy = rows > 1 ? (W - 2 * r - 0.02) / (rows - 1) : 0.0;
  int placed = 0;
  for (int row = 0; row < rows && placed < n; ++row)
    for (int c = 0; c < per_row && placed < n; ++c, ++placed) {
      const auto x = static_cast<float>((c + 0.5 * (row % 2)) * (L / per_row));
      const auto y = static_cast<float>(rows == 1 ? W / 2 : r + 0.01 + row * dy);
      const auto& sp = o.group.speed;
      const double v0 = std::clamp(sp.mean + sp.stddev * rng.normal(), static_cast<double>(sp.min),
                                   static_cast<double>(sp.max));
      sim.addAgent({x, y}, 0, static_cast<float>(v0), r);
    }
  double sum = 0.0;
  std::size_t count = 0;
  while (!sim.finished()) {
    sim.step();
    if (sim.time() <= o.warmup_s) continue;
    for (float v : sim.speed()) sum += v, ++count;
  }
  return count ? sum / static_cast<double>(count) : 0.0;
}

double bottleneckFlow(double width_m, std::uint32_t agents, std::uint64_t seed, int threads) {
  CrowdScenario s;
  const double w = width_m, y0 = 4.0 - w / 2, y1 = 4.0 + w / 2;
  // Room x 0-8, bottleneck x 8-12 (4 m long, as in Seyfried et al. 2009), then an open area.
  s.walkable = {{{{0, 0},
                  {8, 0},
                  {8, y0},
                  {12, y0},
                  {12, -2},
                  {20, -2},
                  {20, 10},
                  {12, 10},
                  {12, y1},
                  {8, y1},
                  {8, 8},
                  {0, 8}}}};
  Stage exit;
  exit.name = "away";
  exit.area = {rect(19, -2, 20, 10)};
  s.stages.push_back(exit);
  s.journeys.push_back({"through", {0}});
  Source room;
  room.name = "room";
  room.area = {rect(0.3, 0.3, 7.0, 7.7)};
  room.agents = agents;
  s.sources.push_back(room);
  MeasurementLine line;
  line.name = "bottleneck exit";
  line.a = {12, y1};
  line.b = {12, y0};
  s.lines.push_back(line);
  s.duration_s = 600;
  s.nav_cell_m = 0.1f;
  s.seed = seed;
  CrowdSimulation sim(s, threads);
  // Passage times: when people leave the bottleneck (x crosses 12). Agent ids only grow and
  // removal keeps order, so before and after are merged by id.
  std::vector<double> passages;
  while (!sim.finished()) {
    std::vector<std::pair<std::uint32_t, float>> before;
    for (std::size_t i = 0; i < sim.agentCount(); ++i)
      before.emplace_back(sim.ids()[i], sim.x()[i]);
    sim.step();
    std::size_t k = 0;
    for (std::size_t i = 0; i < sim.agentCount(); ++i) {
      while (k < before.size() && before[k].first < sim.ids()[i]) ++k;
      if (k < before.size() && before[k].first == sim.ids()[i] && before[k].second < 12.0f &&
          sim.x()[i] >= 12.0f)
        passages.push_back(sim.time());
    }
  }
  std::sort(passages.begin(), passages.end());
  if (passages.size() < 10) return 0.0;
  const std::size_t lo = passages.size() / 10, hi = passages.size() - 1 - passages.size() / 10;
  return static_cast<double>(hi - lo) / (passages[hi] - passages[lo]);
}

}  // namespace citytwin::engine::crowd
