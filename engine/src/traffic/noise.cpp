#include "citytwin/engine/traffic/noise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace citytwin::engine::traffic {

namespace {

// Directive (EU) 2015/996, Annex II, Appendix F, Table F-1: coefficients per octave band
// 63 Hz .. 8 kHz for categories 1 (light), 2 (medium heavy), 3 (heavy).
struct Coefficients {
  std::array<double, 8> a_r, b_r, a_p, b_p;
};
constexpr std::array<Coefficients, 3> kCoefficients{{
    {{79.7, 85.7, 84.5, 90.2, 97.3, 93.9, 84.1, 74.3},
     {30.0, 41.5, 38.9, 25.7, 32.5, 37.2, 39.0, 40.0},
     {94.5, 89.2, 88.0, 85.9, 84.2, 86.9, 83.3, 76.1},
     {-1.3, 7.2, 7.7, 8.0, 8.0, 8.0, 8.0, 8.0}},
    {{84.0, 88.7, 91.5, 96.7, 97.4, 90.9, 83.8, 80.5},
     {30.0, 35.8, 32.6, 23.8, 30.1, 36.2, 38.3, 40.1},
     {101.0, 96.5, 98.8, 96.8, 98.6, 95.2, 88.8, 82.7},
     {-1.9, 4.7, 6.4, 6.5, 6.5, 6.5, 6.5, 6.5}},
    {{87.0, 91.7, 94.1, 100.7, 100.8, 94.3, 87.1, 82.5},
     {30.0, 33.5, 31.3, 25.4, 31.8, 37.1, 38.6, 40.6},
     {104.4, 100.6, 101.7, 101.0, 100.1, 95.9, 91.3, 85.3},
     {0.0, 3.0, 4.6, 5.0, 5.0, 5.0, 5.0, 5.0}},
}};
// A-weighting at the octave band centres (IEC 61672-1).
constexpr std::array<double, 8> kAWeighting{-26.2, -16.1, -8.6, -3.2, 0.0, 1.2, 1.0, -1.1};
constexpr double kReferenceSpeed = 70.0;  // km/h
constexpr double kMinimumSpeed = 20.0;    // km/h, the lower bound of the model's validity

}  // namespace

NoiseCategory noiseCategory(ClassMask vclass) {
  if (vclass & kClassTrucks) return NoiseCategory::kHeavy;
  if (vclass & kClassBuses) return NoiseCategory::kMediumHeavy;
  if (vclass & (kClassAllVehicles & ~kClassBicycles)) return NoiseCategory::kLight;
  return NoiseCategory::kNone;
}

double vehicleSoundPowerDbA(NoiseCategory category, double speed_kmh) {
  if (category == NoiseCategory::kNone) return -INFINITY;
  const Coefficients& c = kCoefficients[static_cast<std::size_t>(category) - 1];
  const double v = std::max(speed_kmh, kMinimumSpeed);
  double total = 0.0;
  for (std::size_t i = 0; i < 8; ++i) {
    const double rolling = c.a_r[i] + c.b_r[i] * std::log10(v / kReferenceSpeed);
    const double propulsion = c.a_p[i] + c.b_p[i] * (v - kReferenceSpeed) / kReferenceSpeed;
    total += std::pow(10.0, (rolling + kAWeighting[i]) / 10.0) +
             std::pow(10.0, (propulsion + kAWeighting[i]) / 10.0);
  }
  return 10.0 * std::log10(total);
}

NoiseEmission::NoiseEmission() {
  for (std::size_t c = 1; c < table_.size(); ++c)
    for (int k = 0; k < kSteps; ++k)
      table_[c][static_cast<std::size_t>(k)] =
          std::pow(10.0, vehicleSoundPowerDbA(static_cast<NoiseCategory>(c), 0.5 * k) / 10.0);
}

double NoiseEmission::power(NoiseCategory category, float speed_mps) const {
  const auto k = std::clamp(static_cast<int>(std::lround(speed_mps * 3.6f * 2.0f)), 0, kSteps - 1);
  return table_[static_cast<std::size_t>(category)][static_cast<std::size_t>(k)];
}

double soundPowerPerMetreDbA(double power_seconds, double seconds, double length_m) {
  if (power_seconds <= 0.0 || seconds <= 0.0 || length_m <= 0.0) return 0.0;
  return 10.0 * std::log10(power_seconds / (seconds * length_m));
}

double lineSourceLevelDbA(double lw_per_metre, double distance_m) {
  if (lw_per_metre <= 0.0) return 0.0;
  return lw_per_metre - 10.0 * std::log10(std::numbers::pi * distance_m);
}

}  // namespace citytwin::engine::traffic
