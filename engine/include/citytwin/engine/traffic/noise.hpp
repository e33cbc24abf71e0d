#pragma once
// Road traffic noise emission with the CNOSSOS-EU road source model (Commission Directive
// (EU) 2015/996, Annex II.2.2, the EU's common method for strategic noise maps): per vehicle,
// rolling noise A_R + B_R lg(v/70) and propulsion noise A_P + B_P (v-70)/70 in eight octave
// bands, A-weighted and summed. On a road, the sound power per metre of everything that drove
// there is the source line that noise mapping (and the municipality's noise maps) starts from.
#include <array>
#include <cstdint>

#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

/// CNOSSOS-EU vehicle categories (Table 2.2.a); bicycles make no engine or tyre noise to speak of.
enum class NoiseCategory : std::uint8_t {
  kNone = 0,
  kLight = 1,        ///< cars, vans up to 3.5 t
  kMediumHeavy = 2,  ///< two-axle lorries and buses
  kHeavy = 3,        ///< lorries and coaches with three or more axles
};

/// Category of a vehicle class: car 1, bus 2, truck 3, bicycle and pedestrian none.
NoiseCategory noiseCategory(ClassMask vclass);

/// A-weighted sound power level of one vehicle, dB(A) re 1 pW, at `speed_kmh` on the reference
/// surface at 20 degrees C. Below 20 km/h the model's lower bound of 20 km/h applies.
double vehicleSoundPowerDbA(NoiseCategory category, double speed_kmh);

/// The same as a power ratio 10^(L/10), tabulated every 0.5 km/h for the per-step hot loop.
class NoiseEmission {
 public:
  NoiseEmission();
  double power(NoiseCategory category, float speed_mps) const;

 private:
  static constexpr int kSteps = 2 * 200 + 1;  ///< 0 .. 200 km/h
  std::array<std::array<double, kSteps>, 4> table_{};
};

/// Sound power level per metre of road, dB(A)/m, from the emitted energy `power_seconds` (sum
/// over vehicles and steps of power ratio times seconds) over `seconds` on `length_m` of road.
/// Returns 0 for no traffic.
double soundPowerPerMetreDbA(double power_seconds, double seconds, double length_m);

/// Equivalent sound pressure level at `distance_m` beside a long straight road emitting
/// `lw_per_metre` dB(A)/m: an incoherent line source over hard ground, no screening
/// (L_W' - 10 lg(pi d)): an upper estimate for a facade without buildings in between.
double lineSourceLevelDbA(double lw_per_metre, double distance_m);

}  // namespace citytwin::engine::traffic
