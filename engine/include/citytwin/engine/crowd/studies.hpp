#pragma once
// Standard studies of the crowd model, shared by the validation tests and the tool that
// writes docs/validation.md: speed-density in a periodic corridor, flow through bottlenecks.
#include <cstdint>
#include <vector>

#include "citytwin/engine/crowd/crowd_scenario.hpp"

namespace citytwin::engine::crowd {

/// Weidmann (1993): v(rho) = 1.34 (1 - exp(-1.913 (1/rho - 1/5.4))).
double weidmannSpeed(double density);

struct CorridorOptions {
  double length_m = 30.0;
  double width_m = 3.0;
  double warmup_s = 30.0;
  double measure_s = 60.0;
  std::uint64_t seed = 1;
  int threads = 1;
  CollisionFreeSpeedParams model{};
  PopulationGroup group{};
};

/// Mean speed of people in a periodic corridor held at `density` (people per m2), placed on a
/// hexagonal lattice, after a warm-up.
double periodicCorridorSpeed(double density, const CorridorOptions& options = {});

/// People per second through a bottleneck of `width_m` (4 m long) fed by a waiting crowd of
/// `agents` in a 8 x 8 m room; measured over the middle 80 % of passages.
double bottleneckFlow(double width_m, std::uint32_t agents = 150, std::uint64_t seed = 1,
                      int threads = 1);

}  // namespace citytwin::engine::crowd
