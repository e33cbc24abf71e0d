#include "citytwin/engine/traffic/demand.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "../rng.hpp"
#include "citytwin/engine/traffic/router.hpp"
#include "citytwin/engine/traffic/sumo_net.hpp"
#include "citytwin/geodata/error.hpp"
#include "sumo_stops.hpp"
#include "xml_scan.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

VehicleType defaultVehicleType(ClassMask vclass) {
  // SUMO's defaults per class (length, speed, acceleration) where they differ from a car's.
  VehicleType t;
  t.vclass = vclass;
  if (vclass == kClassBicycle || vclass == kClassScooter) {
    t.id = vclass == kClassBicycle ? "bicycle" : "scooter", t.length = 1.6f, t.min_gap = 0.5f;
    t.max_speed = 5.56f, t.accel = 1.2f, t.decel = 1.5f, t.emergency_decel = 7.0f;
    t.time_headway = 1.0f, t.emission_class = "";
  } else if (vclass == kClassBus || vclass == kClassCoach || vclass == kClassTram) {
    t.id = vclass == kClassBus ? "bus" : vclass == kClassCoach ? "coach" : "tram";
    t.length = vclass == kClassTram ? 22.0f : vclass == kClassCoach ? 14.0f : 12.0f;
    t.max_speed = vclass == kClassTram ? 22.22f : 27.78f;
    t.accel = 1.2f, t.decel = 1.5f, t.emergency_decel = 7.0f, t.time_headway = 1.5f;
    t.speed_factor_dev = 0.05f, t.emission_class = "";  // no bus data bundled
  } else if (vclass == kClassTruck || vclass == kClassTrailer) {
    t.id = vclass == kClassTruck ? "truck" : "trailer";
    t.length = vclass == kClassTruck ? 7.1f : 16.5f, t.max_speed = 36.11f;
    t.accel = 1.3f, t.decel = 1.5f, t.emergency_decel = 7.0f, t.time_headway = 1.5f;
    t.speed_factor_dev = 0.05f, t.emission_class = "";  // no truck data bundled
  } else if (vclass == kClassDelivery) {
    t.id = "delivery", t.length = 6.5f;
  } else if (vclass == kClassMotorcycle || vclass == kClassMoped) {
    t.id = vclass == kClassMotorcycle ? "motorcycle" : "moped", t.length = 2.2f;
    t.min_gap = 1.5f, t.max_speed = vclass == kClassMotorcycle ? 55.56f : 12.5f;
    t.accel = vclass == kClassMotorcycle ? 6.0f : 1.1f, t.emission_class = "";
  }
  return t;
}

namespace {

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

/// Elements of additional files that their own readers take: signal programs
/// (readSumoSignalPrograms) and detectors (readSumoInductionLoops).
bool isSignalElement(std::string_view n) {
  return n == "tlLogic" || n == "phase" || n == "WAUT" || n == "wautSwitch" ||
         n == "wautJunction" || n == "condition" || n == "assignment" || n == "inductionLoop" ||
         n == "e1Detector" || n == "laneAreaDetector" || n == "e2Detector" ||
         n == "entryExitDetector" || n == "e3Detector" || n == "instantInductionLoop" ||
         n == "detEntry" || n == "detExit";
}

class RoutesReader {
 public:
  RoutesReader(std::string path, const Network& net, Demand& demand, std::uint64_t seed)
      : path_(std::move(path)), net_(net), demand_(demand), rng_(seed) {
    for (std::uint32_t t = 0; t < demand_.types.size(); ++t) type_by_id_[demand_.types[t].id] = t;
    for (std::size_t d = 0; d < demand_.type_distributions.size(); ++d)
      distributions_[demand_.type_distributions[d].id] = d;
    for (std::size_t k = 0; k < demand_.stopping_places.size(); ++k)
      places_[demand_.stopping_places[k].id] = k;
    // SUMO's names for its built-in types.
    addBuiltin("DEFAULT_VEHTYPE", kClassCar);
    addBuiltin("DEFAULT_BIKETYPE", kClassBicycle);
    addBuiltin("DEFAULT_PEDTYPE", kClassPedestrian);
  }

  void read() {
    XmlHandlers h;
    h.start = [this](const XmlElement& e) { start(e); };
    h.end = [this](std::string_view name) { end(name); };
    scanXml(path_, h);
    for (const auto& [vclass, n] : left_out_)
      demand_.warnings.push_back(path_ + ": " + std::to_string(n) + " vehicles of vClass " +
                                 vclass + " left out (rail, ships and aircraft are not simulated)");
    for (const auto& [what, n] : approximated_)
      demand_.warnings.push_back(path_ + ": " + std::to_string(n) + " x " + what);
    if (!not_read_.empty()) {
      std::string list;
      for (const auto& [name, n] : not_read_)
        list += (list.empty() ? "" : ", ") + std::to_string(n) + " <" + name + ">";
      demand_.warnings.push_back(path_ + ": not supported yet and left out: " + list);
    }
    if (skipped_persons_ > 0)
      demand_.warnings.push_back(path_ + ": " + std::to_string(skipped_persons_) +
                                 " persons/containers skipped (pedestrians come from the crowd "
                                 "scenario)");
    demand_.sources.push_back(path_);
  }

 private:
  void addBuiltin(const std::string& id, ClassMask c) {
    if (type_by_id_.count(id)) return;
    VehicleType t = defaultVehicleType(c == kClassPedestrian ? ClassMask{kClassCar} : c);
    t.id = id;
    type_by_id_[id] = static_cast<std::uint32_t>(demand_.types.size());
    demand_.types.push_back(t);
  }

  std::uint32_t edge(const XmlElement& e, const std::string& id) const {
    if (auto k = net_.findEdge(id)) return *k;
    throw InputError(path_, e.where(), "edge \"" + id + "\" is not in the network",
                     "check that the routes belong to network " + net_.source);
  }

  std::vector<std::uint32_t> routeEdges(const XmlElement& e) const {
    const std::string list = requiredAttribute(path_, e, "edges");
    std::vector<std::uint32_t> r;
    for (const auto& w : words(list)) r.push_back(edge(e, w));
    if (r.empty()) throw InputError(path_, e.where(), "route has no edges");
    for (std::size_t k = 1; k < r.size(); ++k)
      if (!net_.edgesConnected(r[k - 1], r[k]))
        throw InputError(path_, e.where(),
                         "edge \"" + net_.edges[r[k - 1]].id + "\" does not lead to edge \"" +
                             net_.edges[r[k]].id + "\"",
                         "the route does not fit this network; re-route the trips (duarouter) "
                         "or give from/to instead");
    return r;
  }

  /// The type a vehicle names: a vType, or one drawn from a vTypeDistribution.
  std::uint32_t type(const XmlElement& e, const std::string& id) {
    if (const auto d = distributions_.find(id); d != distributions_.end())
      return draw(demand_.type_distributions[d->second]);
    const auto it = type_by_id_.find(id);
    if (it == type_by_id_.end())
      throw InputError(
          path_, e.where(), "vehicle type \"" + id + "\" is not defined",
          "define it with <vType id=\"" + id + "\"> or <vTypeDistribution> before its first use");
    return it->second;
  }
  std::uint32_t type(const XmlElement& e) { return type(e, e.get("type", "DEFAULT_VEHTYPE")); }

  std::uint32_t draw(const TypeDistribution& d) {
    double total = 0.0;
    for (double w : d.weights) total += w;
    double u = rng_.uniform() * total;
    for (std::size_t k = 0; k < d.types.size(); ++k)
      if ((u -= d.weights[k]) < 0.0) return d.types[k];
    return d.types.back();
  }

  /// <vTypeDistribution vTypes="a b" probabilities="0.7 0.3"/>, or vTypes nested in it with
  /// their own probability (default 1).
  void startDistribution(const XmlElement& e) {
    const std::string id = requiredAttribute(path_, e, "id");
    if (type_by_id_.count(id) || distributions_.count(id))
      throw InputError(path_, e.where(), "type \"" + id + "\" is defined twice");
    TypeDistribution d;
    d.id = id;
    if (const char* list = e.find("vTypes")) {
      for (const auto& t : words(list)) {
        const auto it = type_by_id_.find(t);
        if (it == type_by_id_.end())
          throw InputError(path_, e.where(), "vehicle type \"" + t + "\" is not defined",
                           "define the vTypes of a distribution before it");
        d.types.push_back(it->second);
        d.weights.push_back(demand_.types[it->second].probability);
      }
      if (const char* probs = e.find("probabilities")) {
        const auto ws = words(probs);
        if (ws.size() != d.types.size())
          throw InputError(path_, e.where(),
                           "probabilities has " + std::to_string(ws.size()) + " values for " +
                               std::to_string(d.types.size()) + " vTypes");
        for (std::size_t k = 0; k < ws.size(); ++k) d.weights[k] = probability(e, ws[k]);
      }
    }
    distribution_id_ = id;
    distribution_where_ = e.where();
    distributions_[id] = demand_.type_distributions.size();
    demand_.type_distributions.push_back(std::move(d));
  }
  double probability(const XmlElement& e, const std::string& text) const {
    char* end = nullptr;
    const double p = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(p) || p < 0.0)
      throw InputError(path_, e.where(), "probability \"" + text + "\" is not a number >= 0");
    return p;
  }
  void endDistribution() {
    const auto& d = demand_.type_distributions[distributions_[distribution_id_]];
    double total = 0.0;
    for (double w : d.weights) total += w;
    if (d.types.empty() || total <= 0.0)
      throw InputError(path_, distribution_where_,
                       "vTypeDistribution \"" + distribution_id_ + "\" has no vType to draw from",
                       "give vTypes=\"...\" or nested <vType> elements with probability > 0");
    distribution_id_.clear();
  }

  double time(const XmlElement& e, std::string_view key) const {
    const char* v = e.find(key);
    if (v && (std::string_view(v) == "triggered" || std::string_view(v) == "containerTriggered"))
      throw InputError(path_, e.where(), std::string(key) + "=\"" + v + "\" is not supported",
                       "give the departure time in seconds");
    const double t = numberAttribute(path_, e, key);
    if (t < 0.0) throw InputError(path_, e.where(), std::string(key) + " is negative");
    return t;
  }

  void fillTrip(const XmlElement& e, Trip& t) {
    t.id = requiredAttribute(path_, e, "id");
    t.type = type(e);
    t.line = e.get("line", "");
    if (const char* dl = e.find("departLane")) {
      const std::string_view v(dl);
      if (v != "best" && v != "free" && v != "random" && v != "allowed" && v != "first")
        t.depart_lane = static_cast<int>(numberAttribute(path_, e, "departLane"));
      else if (v == "first")
        t.depart_lane = 0;
      else if (v != "best")
        ++approximated_["departLane=\"" + std::string(v) + "\" (departs on the best lane)"];
    }
    if (const char* ds = e.find("departSpeed")) {
      const std::string_view v(ds);
      if (v == "max" || v == "desired" || v == "speedLimit")
        t.depart_speed = -1.0f;
      else if (v != "random" && v != "avg" && v != "last")
        t.depart_speed = static_cast<float>(numberAttribute(path_, e, "departSpeed"));
      else
        ++approximated_["departSpeed=\"" + std::string(v) + "\" (departs standing)"];
    }
    // Named, never dropped silently: where a vehicle departs on and arrives at its roads.
    for (const char* key : {"departPos", "arrivalPos", "arrivalLane", "arrivalSpeed"})
      if (const char* v = e.find(key))
        if (std::string_view(v) != "base" && std::string_view(v) != "current")
          ++approximated_[std::string(key) +
                          " (ignored: vehicles depart at the start of their first road and "
                          "arrive at the end of their last)"];
  }

  void start(const XmlElement& e) {
    const auto n = e.name();
    if (n == "vType") {
      VehicleType t = defaultVehicleType(classFromSumo(e.get("vClass", "passenger")));
      t.id = requiredAttribute(path_, e, "id");
      bool unsimulated = false;
      if (const char* c = e.find("vClass")) {
        t.vclass = classFromSumo(c);
        unsimulated = isUnsimulatedSumoClass(c);
        if (unsimulated) t.vclass = kClassCar;  // kept as a type; its vehicles are left out
        if (t.vclass == 0)
          throw InputError(path_, e.where(), std::string("vClass \"") + c + "\" is not known",
                           "use one of SUMO's classes: passenger, taxi, bus, truck, delivery, "
                           "bicycle, emergency, ignoring, ...");
      }
      auto num = [&](const char* key, float& out) {
        if (auto v = optionalNumber(path_, e, key)) out = static_cast<float>(*v);
      };
      num("length", t.length);
      num("minGap", t.min_gap);
      num("maxSpeed", t.max_speed);
      num("accel", t.accel);
      num("decel", t.decel);
      num("emergencyDecel", t.emergency_decel);
      num("tau", t.time_headway);
      num("delta", t.delta);
      num("speedDev", t.speed_factor_dev);
      if (const char* sf = e.find("speedFactor")) {
        const std::string v(sf);
        if (v.rfind("normc(", 0) == 0 || v.rfind("norm(", 0) == 0) {
          double mean = 1.0, dev = 0.0;
          if (std::sscanf(v.c_str() + v.find('(') + 1, "%lf,%lf", &mean, &dev) >= 1)
            t.speed_factor = static_cast<float>(mean), t.speed_factor_dev = static_cast<float>(dev);
        } else {
          t.speed_factor = static_cast<float>(numberAttribute(path_, e, "speedFactor"));
          t.speed_factor_dev = 0.0f;
        }
      }
      if (const char* ec = e.find("emissionClass")) {
        std::string c = ec;
        if (c.rfind("PHEMlight/", 0) == 0) c = c.substr(10);  // SUMO's prefix
        t.emission_class = c;
      }
      if (t.length <= 0.0f || t.accel <= 0.0f || t.decel <= 0.0f || t.max_speed <= 0.0f)
        throw InputError(path_, e.where(), "length, accel, decel and maxSpeed must be positive");
      const double p = probability(e, e.get("probability", "1"));
      const auto it = type_by_id_.find(t.id);
      std::uint32_t index = 0;
      if (it != type_by_id_.end()) {
        index = it->second;
        demand_.types[index] = t;  // redefines a built-in default
      } else {
        index = static_cast<std::uint32_t>(demand_.types.size());
        type_by_id_[t.id] = index;
        demand_.types.push_back(t);
      }
      demand_.types[index].probability = p;
      demand_.types[index].unsimulated_class = unsimulated ? e.get("vClass", "") : std::string();
      if (!distribution_id_.empty()) {
        auto& d = demand_.type_distributions[distributions_[distribution_id_]];
        d.types.push_back(index);
        d.weights.push_back(p);
      }
    } else if (n == "vTypeDistribution") {
      startDistribution(e);
    } else if (n == "route") {
      if (in_vehicle_ || in_flow_) {
        if (in_distribution_ && ++distribution_index_ != distribution_pick_) return;
        (in_vehicle_ ? current_ : flow_proto_).route = routeEdges(e);
      } else {
        const std::string id = requiredAttribute(path_, e, "id");
        named_routes_[id] = {routeEdges(e), {}};
        open_route_ = &named_routes_[id];
      }
    } else if (isStoppingPlace(n)) {
      StoppingPlace place = readStoppingPlace(path_, e, net_);
      if (places_.count(place.id))
        throw InputError(path_, e.where(),
                         std::string(n) + " \"" + place.id + "\" is defined twice");
      places_[place.id] = demand_.stopping_places.size();
      demand_.stopping_places.push_back(std::move(place));
    } else if (n == "stop") {
      StopSpec stop = readStop(path_, e, net_, places_, demand_);
      if (in_vehicle_)
        current_stops_.push_back(std::move(stop));
      else if (in_flow_)
        flow_stops_.push_back(std::move(stop));
      else if (open_route_)
        open_route_->stops.push_back(std::move(stop));
      else
        ++not_read_["stop (outside a route, vehicle or flow)"];
    } else if (n == "routeDistribution" && in_vehicle_) {
      in_distribution_ = true;
      distribution_index_ = -1;
      distribution_pick_ = static_cast<int>(optionalNumber(path_, e, "last").value_or(0));
    } else if (n == "vehicle" || n == "trip") {
      current_ = Trip{};
      fillTrip(e, current_);
      current_.depart = time(e, "depart");
      current_stops_.clear();
      if (const char* r = e.find("route")) {
        const auto it = named_routes_.find(r);
        if (it == named_routes_.end())
          throw InputError(path_, e.where(), std::string("route \"") + r + "\" is not defined",
                           "define <route id=\"...\"> before the vehicles that use it");
        current_.route = it->second.edges;
        current_stops_ = it->second.stops;
      }
      if (const char* f = e.find("from")) current_.from = edge(e, f);
      if (const char* t = e.find("to")) current_.to = edge(e, t);
      has_from_to_ = e.find("from") && e.find("to");
      if (e.find("via"))
        demand_.warnings.push_back(path_ + ": via edges of " + current_.id + " are ignored");
      in_vehicle_ = true;
      vehicle_where_ = e.where();
    } else if (n == "flow") {
      flow_proto_ = Trip{};
      fillTrip(e, flow_proto_);
      flow_stops_.clear();
      flow_route_stops_.clear();
      const double begin = optionalNumber(path_, e, "begin").value_or(0.0);
      const double end = optionalNumber(path_, e, "end").value_or(86400.0);
      if (const char* r = e.find("route")) {
        const auto it = named_routes_.find(r);
        if (it == named_routes_.end())
          throw InputError(path_, e.where(), std::string("route \"") + r + "\" is not defined");
        flow_proto_.route = it->second.edges;
        flow_route_stops_ = it->second.stops;
      }
      if (const char* f = e.find("from")) flow_proto_.from = edge(e, f);
      if (const char* t = e.find("to")) flow_proto_.to = edge(e, t);
      flow_has_from_to_ = e.find("from") && e.find("to");
      flow_departs_.clear();
      if (auto period = optionalNumber(path_, e, "period")) {
        if (*period <= 0.0) throw InputError(path_, e.where(), "period must be positive");
        for (double t = begin; t < end; t += *period) flow_departs_.push_back(t);
      } else if (auto vph = optionalNumber(path_, e, "vehsPerHour")) {
        if (*vph <= 0.0) throw InputError(path_, e.where(), "vehsPerHour must be positive");
        for (double t = begin; t < end; t += 3600.0 / *vph) flow_departs_.push_back(t);
      } else if (auto number = optionalNumber(path_, e, "number")) {
        const auto count = static_cast<std::size_t>(*number);
        for (std::size_t k = 0; k < count; ++k)
          flow_departs_.push_back(begin + (end - begin) * static_cast<double>(k) /
                                              static_cast<double>(std::max<std::size_t>(count, 1)));
      } else if (auto p = optionalNumber(path_, e, "probability")) {
        for (double t = begin; t < end; t += 1.0)
          if (rng_.uniform() < *p) flow_departs_.push_back(t);
      } else {
        throw InputError(path_, e.where(), "flow needs period, vehsPerHour, number or probability");
      }
      flow_type_id_ = e.get("type", "DEFAULT_VEHTYPE");
      flow_where_ = e.where();
      in_flow_ = true;
    } else if (n == "person" || n == "personFlow" || n == "container") {
      ++skipped_persons_;
      ++in_person_;
    } else if (in_person_ == 0 && n != "routes" && n != "additional" && n != "param" &&
               n != "space" && !isSignalElement(n)) {
      ++not_read_[std::string(n)];  // named in a warning: never dropped silently
    }
  }

  /// Keeps a trip, or counts it out when its class is not simulated.
  void add(Trip t) {
    if (const std::string& c = demand_.types[t.type].unsimulated_class; !c.empty()) {
      ++left_out_[c];
      return;
    }
    demand_.trips.push_back(std::move(t));
  }

  void end(std::string_view name) {
    if ((name == "person" || name == "personFlow" || name == "container") && in_person_ > 0)
      --in_person_;
    if (name == "routeDistribution") in_distribution_ = false;
    if (name == "vTypeDistribution" && !distribution_id_.empty()) endDistribution();
    if (name == "route") open_route_ = nullptr;
    if ((name == "vehicle" || name == "trip") && in_vehicle_) {
      in_vehicle_ = false;
      if (current_.route.empty() && !has_from_to_)
        throw InputError(path_, vehicle_where_, "has no route and no from/to edges",
                         "give a <route edges=\"...\"/>, route=\"id\", or from and to");
      withStops(current_, current_stops_, 0.0);
      add(std::move(current_));
    }
    if (name == "flow" && in_flow_) endFlow();
  }

  /// A flow's vehicles, once its route and stops are known. Stops of a named route keep
  /// times relative to each vehicle's departure (as SUMO runs public-transport lines).
  void endFlow() {
    in_flow_ = false;
    if (flow_proto_.route.empty() && !flow_has_from_to_)
      throw InputError(path_, flow_where_, "flow has neither a route nor from and to");
    const bool drawn = distributions_.count(flow_type_id_) > 0;
    for (std::size_t k = 0; k < flow_departs_.size(); ++k) {
      Trip t = flow_proto_;
      t.id = flow_proto_.id + "." + std::to_string(k);
      t.depart = flow_departs_[k];
      if (drawn && k > 0) t.type = draw(demand_.type_distributions[distributions_[flow_type_id_]]);
      withStops(t, flow_route_stops_, t.depart);
      withStops(t, flow_stops_, 0.0);
      add(std::move(t));
    }
  }

  void withStops(Trip& t, const std::vector<StopSpec>& stops, double time_offset_s) {
    if (stops.empty()) return;
    if (t.route.empty())
      throw InputError(path_, stops.front().where,
                       "stops of " + t.id + ", which has no route, are not supported",
                       "route the trips first (duarouter) so that stops lie on their routes");
    placeStops(path_, stops, time_offset_s, net_, t);
  }

  std::string path_;
  const Network& net_;
  Demand& demand_;
  Rng rng_;
  std::unordered_map<std::string, std::uint32_t> type_by_id_;
  std::unordered_map<std::string, std::size_t> distributions_;  ///< into demand_'s
  std::map<std::string, std::size_t> left_out_, not_read_, approximated_;
  int in_person_ = 0;
  std::string distribution_id_, distribution_where_;
  struct NamedRoute {
    std::vector<std::uint32_t> edges;
    std::vector<StopSpec> stops;
  };
  std::unordered_map<std::string, NamedRoute> named_routes_;
  NamedRoute* open_route_ = nullptr;
  std::unordered_map<std::string, std::size_t> places_;  ///< into demand_.stopping_places
  std::vector<StopSpec> current_stops_, flow_stops_, flow_route_stops_;
  Trip flow_proto_;
  std::vector<double> flow_departs_;
  std::string flow_type_id_, flow_where_;
  bool in_flow_ = false, flow_has_from_to_ = false;
  Trip current_;
  bool in_vehicle_ = false, in_distribution_ = false, has_from_to_ = false;
  int distribution_index_ = -1, distribution_pick_ = 0;
  std::string vehicle_where_;
  std::size_t skipped_persons_ = 0;
};

}  // namespace

void readSumoRoutes(const std::string& path, const Network& net, Demand& demand,
                    std::uint64_t seed) {
  RoutesReader(path, net, demand, seed).read();
}

void finishDemand(const Network& net, Demand& demand, int threads) {
  if (demand.types.empty()) demand.types.push_back(defaultVehicleType(kClassCar));
  std::stable_sort(demand.trips.begin(), demand.trips.end(),
                   [](const Trip& a, const Trip& b) { return a.depart < b.depart; });
  // Route the trips that have none: one router per worker, results land in trip order.
  std::vector<std::size_t> todo;
  for (std::size_t k = 0; k < demand.trips.size(); ++k)
    if (demand.trips[k].route.empty()) todo.push_back(k);
  if (!todo.empty()) {
    std::vector<ClassMask> classes;
    for (const auto& t : demand.types)
      if (std::find(classes.begin(), classes.end(), t.vclass) == classes.end())
        classes.push_back(t.vclass);
    std::vector<EdgeGraph> graphs;
    for (ClassMask c : classes) graphs.emplace_back(net, c);
    tbb::task_arena arena(
        threads > 0 ? threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, todo.size(), 256),
          [&](const tbb::blocked_range<std::size_t>& r) {
            std::vector<std::optional<Router>> routers(graphs.size());
            for (std::size_t i = r.begin(); i != r.end(); ++i) {
              Trip& t = demand.trips[todo[i]];
              const VehicleType& vt = demand.types[t.type];
              const auto g = static_cast<std::size_t>(
                  std::find(classes.begin(), classes.end(), vt.vclass) - classes.begin());
              if (!routers[g]) routers[g].emplace(graphs[g]);
              if (auto path = routers[g]->route(t.from, t.to, vt.max_speed))
                t.route = std::move(*path);
            }
          });
    });
  }
  const auto before = demand.trips.size();
  std::vector<std::string> dropped;
  std::erase_if(demand.trips, [&](const Trip& t) {
    if (!t.route.empty()) return false;
    if (dropped.size() < 5) dropped.push_back(t.id);
    return true;
  });
  demand.unroutable += before - demand.trips.size();
  if (before != demand.trips.size()) {
    std::string ids;
    for (const auto& d : dropped) ids += (ids.empty() ? "" : ", ") + d;
    demand.warnings.push_back(std::to_string(before - demand.trips.size()) +
                              " trips have no route from their origin to their destination and "
                              "were left out (first: " +
                              ids + ")");
  }
}

}  // namespace citytwin::engine::traffic
