#pragma once
// Exhaust emissions per vehicle and step with PHEMlight (Hausberger et al., TU Graz; the
// model behind SUMO's PHEMlight classes): the engine power a vehicle needs for its speed and
// acceleration (rolling resistance, air drag, inertia) looked up in measured emission and fuel
// curves over normalised power. Data: the PHEMlight sample vehicles SUMO ships (EPL-2.0),
// bundled in assets/data/emissions/PHEMlight/.
#include <string>
#include <vector>

namespace citytwin::engine::traffic {

/// Grams per second.
struct EmissionRates {
  double co2 = 0.0;
  double nox = 0.0;
  double pm10 = 0.0;  ///< exhaust particles (PHEMlight's PM)
  double fuel = 0.0;
};

class EmissionModel {
 public:
  /// Reads NAME.PHEMLight.veh, NAME.csv and NAME_FC.csv from `dir`. Throws geodata::InputError
  /// naming the file and line on missing or malformed data.
  static EmissionModel readPhemlight(const std::string& dir, const std::string& name);

  /// Rates at `speed` (m/s) and `accel` (m/s2) on a flat road.
  EmissionRates rates(double speed, double accel) const;
  /// Engine power demand (kW) at the wheels' side of the gearbox, as PHEMlight computes it.
  double power(double speed, double accel) const;
  const std::string& name() const { return name_; }

 private:
  struct Curve {
    std::vector<double> power;  ///< kW, ascending
    std::vector<double> value;  ///< g/h
    double idle = 0.0;
    double at(double p) const;
  };
  std::string name_;
  double mass_ = 0, loading_ = 0, cd_ = 0, area_ = 0, mass_rot_ = 0, rated_power_ = 0;
  double f0_ = 0, f1_ = 0, f4_ = 0;
  double co2_per_fuel_ = 3.17;  ///< g CO2 per g fuel (petrol 3.17, diesel 3.16)
  Curve fuel_, nox_, pm_;
};

/// Where the bundled data lives: $CITYTWIN_DATA, else the source tree's assets/data.
std::string defaultDataDir();

}  // namespace citytwin::engine::traffic
