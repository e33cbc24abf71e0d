#include "citytwin/ui/frame_capture.hpp"

#include <algorithm>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"

namespace citytwin::ui {

namespace {

VehicleKind kindOf(engine::traffic::ClassMask vclass) {
  using namespace engine::traffic;
  if (vclass & kClassBuses) return VehicleKind::kBus;
  if (vclass & kClassTrucks) return VehicleKind::kTruck;
  if (vclass & kClassBicycles) return VehicleKind::kBicycle;
  return VehicleKind::kCar;
}

void capturePeople(const engine::crowd::CrowdSimulation& sim, Frame& f) {
  const std::size_t n = sim.agentCount();
  f.people.resize(3 * n);
  f.person_ids.assign(sim.ids().begin(), sim.ids().end());
  double speed_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    f.people[3 * i] = sim.x()[i];
    f.people[3 * i + 1] = sim.y()[i];
    f.people[3 * i + 2] = sim.speed()[i];
    speed_sum += sim.speed()[i];
  }
  f.kpis.people = n;
  f.kpis.people_mean_speed = n > 0 ? speed_sum / static_cast<double>(n) : 0.0;
  const auto summary = sim.summary();
  f.kpis.people_arrived = summary.agents_arrived;
  // Zone densities: heads in each zone now over its area.
  const auto& zones = sim.scenario().zones;
  f.zone_density.assign(zones.size(), 0.0);
  for (std::size_t z = 0; z < zones.size(); ++z) {
    const double area = geodata::area(zones[z].area);
    if (area <= 0.0) continue;
    const auto box = geodata::bounds(zones[z].area);
    std::size_t inside = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = sim.x()[i], y = sim.y()[i];
      if (x < box.min_x || x > box.max_x || y < box.min_y || y > box.max_y) continue;
      if (geodata::contains(zones[z].area, {x, y})) ++inside;
    }
    f.zone_density[z] = static_cast<double>(inside) / area;
  }
  f.kpis.peak_zone_density = f.zone_density.empty()
                                 ? 0.0
                                 : *std::max_element(f.zone_density.begin(), f.zone_density.end());
}

void captureVehicles(const engine::traffic::TrafficSimulation& sim, Frame& f) {
  const auto& demand = sim.demand();
  f.vehicles.clear();
  double speed_sum = 0.0;
  sim.forEachVehicle([&](const engine::traffic::VehicleView& v) {
    double heading = 0.0;
    const auto p = sim.position(v, &heading);
    const auto& trip = demand.trips[v.trip];
    const auto kind = kindOf(demand.types[trip.type].vclass);
    f.vehicles.insert(f.vehicles.end(), {static_cast<float>(p.x), static_cast<float>(p.y),
                                         static_cast<float>(heading), static_cast<float>(kind)});
    speed_sum += v.speed;
  });
  const std::size_t n = f.vehicleCount();
  f.kpis.vehicles = n;
  f.kpis.vehicles_mean_speed = n > 0 ? speed_sum / static_cast<double>(n) : 0.0;
  const auto& trips = sim.trips();
  f.kpis.vehicles_arrived = trips.size();
  double duration = 0.0;
  for (const auto& t : trips) duration += t.arrival_s - t.depart_s;
  f.kpis.mean_trip_duration_s = trips.empty() ? 0.0 : duration / static_cast<double>(trips.size());
}

}  // namespace

Frame captureFrame(const engine::ScenarioRun& run) {
  Frame f;
  f.elapsed_s = run.elapsed();
  f.clock_s = run.clockStart() + f.elapsed_s;
  f.finished = run.finished();
  f.kpis.elapsed_s = f.elapsed_s;
  if (run.crowd()) capturePeople(*run.crowd(), f);
  if (run.traffic()) captureVehicles(*run.traffic(), f);
  return f;
}

}  // namespace citytwin::ui
