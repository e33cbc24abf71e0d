#pragma once
// One moment of a running scenario as the desktop app shows it: where every person and
// vehicle is, and the key figures. A copy, so that the view and the charts never touch the
// simulation while the worker thread steps it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace citytwin::ui {

enum class VehicleKind : std::uint8_t { kCar, kBus, kTruck, kBicycle };

struct Kpis {
  double elapsed_s = 0.0;
  std::size_t people = 0;  ///< walking now
  std::size_t people_arrived = 0;
  double people_mean_speed = 0.0;     ///< m/s, of those walking
  double peak_zone_density = 0.0;     ///< people/m2, the densest measurement zone now
  std::size_t vehicles = 0;           ///< driving now
  std::size_t vehicles_arrived = 0;   ///< trips finished
  double vehicles_mean_speed = 0.0;   ///< m/s, of those driving
  double mean_trip_duration_s = 0.0;  ///< of the trips finished
};

struct Frame {
  double elapsed_s = 0.0;  ///< since the scenario's start
  double clock_s = 0.0;    ///< time of day
  bool finished = false;
  /// People: x, y (local frame), speed (m/s) per person.
  std::vector<float> people;
  /// Vehicles: x, y, heading (radians from +x), kind per vehicle.
  std::vector<float> vehicles;
  std::vector<std::uint32_t> person_ids;
  Kpis kpis;
  /// Density per measurement zone now (people/m2), in scenario order.
  std::vector<double> zone_density;

  std::size_t peopleCount() const { return people.size() / 3; }
  std::size_t vehicleCount() const { return vehicles.size() / 4; }
  std::size_t bytes() const {
    return sizeof(Frame) + people.size() * sizeof(float) + vehicles.size() * sizeof(float) +
           person_ids.size() * sizeof(std::uint32_t) + zone_density.size() * sizeof(double);
  }
};

using FramePtr = std::shared_ptr<const Frame>;

}  // namespace citytwin::ui
