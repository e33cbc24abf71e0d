#include "citytwin/engine/traffic/sumo_outputs.hpp"

#include <cstdio>
#include <ostream>

#include "citytwin/engine/traffic/traffic_simulation.hpp"

namespace citytwin::engine::traffic {

void writeSumoTripinfo(std::ostream& out, const TrafficSimulation& sim) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!-- CityTwin: trip information in SUMO's tripinfo-output format -->\n"
         "<tripinfos>\n";
  const Demand& d = sim.demand();
  char line[512];
  for (const TripRecord& r : sim.trips()) {
    const Trip& t = d.trips[r.trip];
    const int n = std::snprintf(
        line, sizeof line,
        "    <tripinfo id=\"%s\" depart=\"%.2f\" departDelay=\"%.2f\" arrival=\"%.2f\" "
        "duration=\"%.2f\" routeLength=\"%.2f\" waitingTime=\"%.2f\" timeLoss=\"%.2f\" "
        "vType=\"%s\"/>\n",
        t.id.c_str(), r.depart_s, r.depart_delay_s, r.arrival_s, r.arrival_s - r.depart_s,
        r.route_length_m, r.waiting_time_s, r.time_loss_s, d.types[t.type].id.c_str());
    if (n > 0) out.write(line, std::min<int>(n, static_cast<int>(sizeof line) - 1));
  }
  out << "</tripinfos>\n";
}

void SumoSummaryRecorder::observe(const TrafficSimulation& sim) {
  const auto& trips = sim.trips();
  for (; trips_seen_ < trips.size(); ++trips_seen_)
    duration_sum_ += trips[trips_seen_].arrival_s - trips[trips_seen_].depart_s;
  const std::size_t running = sim.runningCount();
  steps_.push_back({sim.time(), trips.size() + running, running, trips.size(),
                    trips.empty() ? -1.0 : duration_sum_ / static_cast<double>(trips.size())});
}

void SumoSummaryRecorder::write(std::ostream& out) const {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!-- CityTwin: network summary in SUMO's summary-output format -->\n"
         "<summary>\n";
  char line[256];
  for (const Step& s : steps_) {
    const int n =
        std::snprintf(line, sizeof line,
                      "    <step time=\"%.2f\" inserted=\"%zu\" running=\"%zu\" "
                      "ended=\"%zu\" arrived=\"%zu\" meanTravelTime=\"%.2f\"/>\n",
                      s.time, s.inserted, s.running, s.arrived, s.arrived, s.mean_travel_time_s);
    out.write(line, n);
  }
  out << "</summary>\n";
}

}  // namespace citytwin::engine::traffic
