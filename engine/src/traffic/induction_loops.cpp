#include "citytwin/engine/traffic/induction_loops.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/error.hpp"
#include "sumo_lane.hpp"
#include "xml_scan.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

namespace {

bool contains(const std::vector<std::uint32_t>& v, std::uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

InductionLoopsRead readSumoInductionLoops(const std::string& path, const Network& net) {
  InductionLoopsRead read;
  std::map<std::string, std::size_t> other;
  XmlHandlers h;
  h.start = [&](const XmlElement& e) {
    const auto n = e.name();
    if (n == "inductionLoop" || n == "e1Detector") {
      InductionLoop d;
      d.id = requiredAttribute(path, e, "id");
      d.lane = sumoLane(path, e, net, requiredAttribute(path, e, "lane"));
      const float length = net.lanes[d.lane].length;
      float pos = static_cast<float>(numberAttribute(path, e, "pos"));
      if (pos < 0.0f) pos += length;
      const bool friendly = std::string_view(e.get("friendlyPos", "false")) == "true" ||
                            std::string_view(e.get("friendlyPos", "")) == "1";
      if (pos < 0.0f || pos > length) {
        if (!friendly)
          throw InputError(
              path, e.where(),
              "pos is off lane \"" + e.get("lane") + "\" (" + std::to_string(length) + " m long)",
              "give a position on the lane, or friendlyPos=\"true\"");
        pos = std::clamp(pos, 0.0f, length);
      }
      d.pos = pos;
      const auto period = optionalNumber(path, e, "period");
      d.period_s = period ? *period : optionalNumber(path, e, "freq").value_or(86400.0);
      if (!(d.period_s > 0.0)) throw InputError(path, e.where(), "period must be positive");
      d.file = e.get("file", "detectors.out.xml");
      read.loops.push_back(std::move(d));
    } else if (n == "laneAreaDetector" || n == "e2Detector" || n == "entryExitDetector" ||
               n == "e3Detector" || n == "instantInductionLoop") {
      ++other[std::string(n)];
    }
  };
  scanXml(path, h);
  for (const auto& [name, count] : other)
    read.warnings.push_back(path + ": " + std::to_string(count) + " <" + name +
                            "> not supported yet and left out (induction loops are read)");
  return read;
}

InductionLoopRecorder::InductionLoopRecorder(std::vector<InductionLoop> loops, double begin_s)
    : loops_(std::move(loops)),
      intervals_(loops_.size()),
      before_(loops_.size()),
      beyond_(loops_.size()),
      last_time_(begin_s) {
  for (std::size_t k = 0; k < loops_.size(); ++k)
    intervals_[k].push_back({begin_s, begin_s + loops_[k].period_s});
}

void InductionLoopRecorder::observe(const TrafficSimulation& sim) {
  const double now = sim.time();
  const double dt = now - last_time_;
  last_time_ = now;
  const Demand& demand = sim.demand();
  const Network& net = sim.network();
  std::vector<std::uint32_t> before, beyond;
  for (std::size_t k = 0; k < loops_.size(); ++k) {
    const InductionLoop& d = loops_[k];
    auto& series = intervals_[k];
    while (now > series.back().end_s + 1e-9)
      series.push_back({series.back().end_s, series.back().end_s + d.period_s});
    LoopInterval& in = series.back();
    // Nobody on the lane now or at the last step: nothing passed (most loops, most steps).
    if (before_[k].empty() && beyond_[k].empty() && sim.vehicleCountOn(d.lane) == 0) continue;
    before.clear(), beyond.clear();
    // Occupancy: a vehicle fast enough to clear the loop within a step covers it for
    // length / speed when it passes; a slower one for every step it stands over it.
    double occupied = 0.0;
    const auto pass = [&](std::uint32_t trip, float speed) {
      const double length = demand.types[demand.trips[trip].type].length;
      ++in.vehicles;
      in.speed_sum += speed;
      in.inverse_speed_sum += 1.0 / std::max(0.01f, speed);
      in.length_sum += length;
      if (speed * dt >= length) occupied += length / speed;
    };
    sim.forEachVehicleOn(d.lane, [&](const VehicleView& v) {
      const float length = demand.types[demand.trips[v.trip].type].length;
      if (v.pos < d.pos) {
        before.push_back(v.trip);
        return;
      }
      beyond.push_back(v.trip);
      if (v.pos - length < d.pos && v.speed * dt < length) occupied += dt;
      if (!contains(beyond_[k], v.trip)) pass(v.trip, v.speed);  // its front passed this step
    });
    // Vehicles that were short of the loop and are now past the lane passed it too; those that
    // changed to a neighbouring lane of the same road did not.
    for (std::uint32_t trip : before_[k]) {
      if (contains(before, trip) || contains(beyond, trip)) continue;
      const auto where = sim.vehicle(trip);
      if (!where) {
        pass(trip, 0.0f);  // arrived at the lane's end, beyond the loop
        continue;
      }
      if (where->lane < net.lanes.size() && net.lanes[where->lane].edge == net.lanes[d.lane].edge)
        continue;
      pass(trip, where->speed);
    }
    in.occupied_s = std::min(in.occupied_s + occupied, in.end_s - in.begin_s);
    before_[k].swap(before);
    beyond_[k].swap(beyond);
  }
}

void InductionLoopRecorder::finish(double end_s) {
  for (auto& series : intervals_)
    if (!series.empty()) series.back().end_s = std::min(series.back().end_s, end_s);
}

void InductionLoopRecorder::writeSumoXml(std::ostream& out, const std::string& file) const {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!-- CityTwin: induction loop output in SUMO's detector format -->\n"
         "<detector>\n";
  struct Row {
    double begin;
    std::size_t loop, interval;
  };
  std::vector<Row> rows;
  for (std::size_t k = 0; k < loops_.size(); ++k)
    if (loops_[k].file == file)
      for (std::size_t i = 0; i < intervals_[k].size(); ++i)
        rows.push_back({intervals_[k][i].begin_s, k, i});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.begin < b.begin; });
  char line[512];
  for (const Row& r : rows) {
    const LoopInterval& in = intervals_[r.loop][r.interval];
    const double span = std::max(1e-9, in.end_s - in.begin_s);
    const double n = in.vehicles;
    std::snprintf(line, sizeof line,
                  "    <interval begin=\"%.2f\" end=\"%.2f\" id=\"%s\" nVehContrib=\"%u\" "
                  "flow=\"%.2f\" occupancy=\"%.2f\" speed=\"%.2f\" harmonicMeanSpeed=\"%.2f\" "
                  "length=\"%.2f\" nVehEntered=\"%u\"/>\n",
                  in.begin_s, in.end_s, loops_[r.loop].id.c_str(), in.vehicles, n * 3600.0 / span,
                  100.0 * in.occupied_s / span, n > 0 ? in.speed_sum / n : -1.0,
                  n > 0 ? n / in.inverse_speed_sum : -1.0, n > 0 ? in.length_sum / n : -1.0,
                  in.vehicles);
    out << line;
  }
  out << "</detector>\n";
}

}  // namespace citytwin::engine::traffic
