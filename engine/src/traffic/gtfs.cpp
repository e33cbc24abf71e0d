#include "citytwin/engine/traffic/gtfs.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <unordered_map>

#include "citytwin/engine/traffic/router.hpp"
#include "citytwin/geodata/error.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

namespace {

/// A GTFS table (RFC 4180 CSV with a header; quoted fields, CRLF and a UTF-8 BOM allowed).
class GtfsTable {
 public:
  GtfsTable(const std::string& dir, const std::string& name) : path_(dir + "/" + name) {
    in_.open(path_);
    if (!in_)
      throw InputError(path_, "", "cannot be opened",
                       "a GTFS feed is a folder with stops.txt, routes.txt, trips.txt and "
                       "stop_times.txt (unzip the feed first)");
    if (!next()) throw InputError(path_, "line 1", "is empty", "the first line names the columns");
    if (!cells_.empty() && cells_[0].starts_with("\xEF\xBB\xBF")) cells_[0].erase(0, 3);
    header_ = cells_;
  }
  /// Index of a column; throws when a required one is missing.
  int column(const std::string& name, bool required = true) const {
    for (std::size_t k = 0; k < header_.size(); ++k)
      if (header_[k] == name) return static_cast<int>(k);
    if (required)
      throw InputError(path_, "line 1", "has no column '" + name + "'",
                       "GTFS requires it (https://gtfs.org/schedule/reference/)");
    return -1;
  }
  bool next() {
    cells_.clear();
    std::string line;
    if (!std::getline(in_, line)) return false;
    ++line_;
    std::string cell;
    bool quoted = false;
    for (std::size_t k = 0;; ++k) {
      if (k == line.size()) {
        if (!quoted) break;
        std::string more;  // a quoted field with a line break in it
        if (!std::getline(in_, more)) break;
        ++line_;
        line += "\n" + more;
      }
      const char c = line[k];
      if (quoted) {
        if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
          cell += '"';
          ++k;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells_.push_back(cell);
        cell.clear();
      } else if (c != '\r') {
        cell += c;
      }
    }
    cells_.push_back(cell);
    return true;
  }
  bool blank() const { return cells_.size() == 1 && cells_[0].empty(); }
  const std::string& get(int column) const {
    static const std::string empty;
    return column >= 0 && static_cast<std::size_t>(column) < cells_.size()
               ? cells_[static_cast<std::size_t>(column)]
               : empty;
  }
  [[noreturn]] void fail(const std::string& what, const std::string& hint) const {
    throw InputError(path_, "line " + std::to_string(line_), what, hint);
  }
  double number(int column, const std::string& name) const {
    const std::string& v = get(column);
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(x))
      fail(name + " '" + v + "' is not a number", "write a decimal number with a point");
    return x;
  }
  /// GTFS time "H:MM:SS" / "HH:MM:SS", hours may pass 24 for trips after midnight.
  double time(int column, const std::string& name) const {
    const std::string& v = get(column);
    int h = 0, m = 0, s = 0;
    char extra = 0;
    if (std::sscanf(v.c_str(), "%d:%d:%d%c", &h, &m, &s, &extra) != 3 || h < 0 || m < 0 || m > 59 ||
        s < 0 || s > 59)
      fail(name + " '" + v + "' is not a GTFS time", "write H:MM:SS, e.g. 7:05:00 or 25:10:00");
    return h * 3600.0 + m * 60.0 + s;
  }

 private:
  std::string path_;
  std::ifstream in_;
  std::vector<std::string> header_, cells_;
  long line_ = 0;
};

bool isBus(int route_type) {
  return route_type == 3 || (route_type >= 700 && route_type <= 799);
}

}  // namespace

GtfsFeed readGtfs(const std::string& dir) {
  GtfsFeed feed;
  feed.dir = dir;
  std::unordered_map<std::string, std::uint32_t> stop_index;
  {
    GtfsTable t(dir, "stops.txt");
    const int id = t.column("stop_id"), name = t.column("stop_name", false),
              lat = t.column("stop_lat"), lon = t.column("stop_lon");
    while (t.next()) {
      if (t.blank()) continue;
      GtfsStop s;
      s.id = t.get(id);
      s.name = t.get(name);
      s.lat = t.number(lat, "stop_lat");
      s.lon = t.number(lon, "stop_lon");
      if (std::abs(s.lat) > 90.0 || std::abs(s.lon) > 180.0)
        t.fail("stop '" + s.id + "' lies outside the globe",
               "stop_lat and stop_lon are WGS 84 degrees");
      if (!stop_index.emplace(s.id, static_cast<std::uint32_t>(feed.stops.size())).second)
        t.fail("stop_id '" + s.id + "' is used twice", "stop ids are unique");
      feed.stops.push_back(std::move(s));
    }
  }
  struct Route {
    std::string name;
    int type = 3;
  };
  std::unordered_map<std::string, Route> routes;
  {
    GtfsTable t(dir, "routes.txt");
    const int id = t.column("route_id"), short_name = t.column("route_short_name", false),
              long_name = t.column("route_long_name", false), type = t.column("route_type");
    while (t.next()) {
      if (t.blank()) continue;
      Route r;
      r.name = t.get(short_name).empty() ? t.get(long_name) : t.get(short_name);
      r.type = static_cast<int>(t.number(type, "route_type"));
      routes[t.get(id)] = r;
    }
  }
  std::unordered_map<std::string, std::uint32_t> trip_index;
  {
    GtfsTable t(dir, "trips.txt");
    const int route = t.column("route_id"), id = t.column("trip_id");
    while (t.next()) {
      if (t.blank()) continue;
      const auto r = routes.find(t.get(route));
      if (r == routes.end())
        t.fail("route_id '" + t.get(route) + "' is not in routes.txt",
               "add the route or correct the id");
      GtfsTrip trip;
      trip.id = t.get(id);
      trip.route_id = r->first;
      trip.route_name = r->second.name.empty() ? r->first : r->second.name;
      trip.route_type = r->second.type;
      if (!trip_index.emplace(trip.id, static_cast<std::uint32_t>(feed.trips.size())).second)
        t.fail("trip_id '" + trip.id + "' is used twice", "trip ids are unique");
      feed.trips.push_back(std::move(trip));
    }
  }
  {
    GtfsTable t(dir, "stop_times.txt");
    const int trip = t.column("trip_id"), arrival = t.column("arrival_time"),
              departure = t.column("departure_time"), stop = t.column("stop_id"),
              sequence = t.column("stop_sequence");
    std::vector<std::vector<std::pair<double, GtfsStopTime>>> times(feed.trips.size());
    while (t.next()) {
      if (t.blank()) continue;
      const auto tr = trip_index.find(t.get(trip));
      if (tr == trip_index.end())
        t.fail("trip_id '" + t.get(trip) + "' is not in trips.txt", "correct the id");
      const auto st = stop_index.find(t.get(stop));
      if (st == stop_index.end())
        t.fail("stop_id '" + t.get(stop) + "' is not in stops.txt", "correct the id");
      GtfsStopTime s;
      s.stop = st->second;
      // Timepoints without times (interpolated stops) take the previous stop's time below.
      s.arrival_s = t.get(arrival).empty() ? -1.0 : t.time(arrival, "arrival_time");
      s.departure_s = t.get(departure).empty() ? s.arrival_s : t.time(departure, "departure_time");
      if (s.departure_s >= 0.0 && s.arrival_s >= 0.0 && s.departure_s < s.arrival_s)
        t.fail("departure_time is before arrival_time", "a bus leaves after it arrives");
      times[tr->second].emplace_back(t.number(sequence, "stop_sequence"), s);
    }
    for (std::size_t k = 0; k < feed.trips.size(); ++k) {
      auto& v = times[k];
      std::stable_sort(v.begin(), v.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      double last = -1.0;
      for (auto& [seq, s] : v) {
        if (s.arrival_s < 0.0) s.arrival_s = last;
        if (s.departure_s < 0.0) s.departure_s = s.arrival_s;
        if (s.arrival_s < 0.0)
          throw InputError(dir + "/stop_times.txt", "trip '" + feed.trips[k].id + "'",
                           "its first stop has no time",
                           "give the first stop of every trip a time");
        last = s.departure_s;
        feed.trips[k].stop_times.push_back(s);
      }
    }
  }
  return feed;
}

namespace {

/// A place where a stop can lie on the network.
struct StopCandidate {
  std::uint32_t edge = 0;
  float pos = 0.0f;
  float cost = 0.0f;  ///< m off the road, plus a penalty for the wrong side
};

std::vector<StopCandidate> candidatesFor(const Network& net, const EdgeGraph& graph,
                                         geodata::Vec2 p, double max_distance) {
  std::vector<StopCandidate> out;
  for (std::uint32_t e = 0; e < net.edges.size(); ++e) {
    if (!graph.usable(e)) continue;
    const Lane& lane = net.lanes[net.edges[e].first_lane];
    double best = std::numeric_limits<double>::max(), along = 0.0, run = 0.0;
    bool right = true;
    for (std::uint32_t k = lane.shape_begin; k + 1 < lane.shape_end; ++k) {
      const geodata::Vec2 a = net.shape_points[k], b = net.shape_points[k + 1];
      const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
      const double u = geodata::segmentFraction(p, a, b);
      const double qx = a.x + u * dx - p.x, qy = a.y + u * dy - p.y;
      const double d = std::sqrt(qx * qx + qy * qy);
      const double seg = std::sqrt(len2);
      if (d < best) {
        best = d;
        along = run + u * seg;
        right = dx * (p.y - a.y) - dy * (p.x - a.x) <= 0.0;  // cross product: right of travel
      }
      run += seg;
    }
    if (best > max_distance) continue;
    const double scale = run > 0.0 ? lane.length / run : 1.0;
    // Stops stand a little into the road, so the bus has room to brake onto them.
    const float lo = std::min(10.0f, 0.5f * lane.length);
    const float pos =
        std::clamp(static_cast<float>(along * scale), lo, std::max(lane.length - 1.0f, lo));
    out.push_back({e, pos, static_cast<float>(best + (right ? 0.0 : 15.0))});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.cost != b.cost ? a.cost < b.cost : a.edge < b.edge;
  });
  if (out.size() > 4) out.resize(4);
  return out;
}

}  // namespace

BusLineReport addGtfsBuses(const Network& net, const GtfsFeed& feed,
                           const std::function<geodata::Vec2(double lon, double lat)>& to_network,
                           const BusLineOptions& options, Demand& demand) {
  BusLineReport report;
  const EdgeGraph graph(net, kClassBus);
  Router router(graph);
  const VehicleType bus = defaultVehicleType(kClassBus);
  std::uint32_t bus_type = 0;
  for (; bus_type < demand.types.size(); ++bus_type)
    if (demand.types[bus_type].vclass == kClassBus) break;
  if (bus_type == demand.types.size()) demand.types.push_back(bus);

  std::vector<std::vector<StopCandidate>> cand(feed.stops.size());
  std::vector<std::uint8_t> placed(feed.stops.size(), 0);
  auto wanted = [&](const GtfsTrip& t) {
    if (!isBus(t.route_type) || t.stop_times.empty()) return false;
    if (!options.routes.empty() &&
        std::find(options.routes.begin(), options.routes.end(), t.route_id) ==
            options.routes.end() &&
        std::find(options.routes.begin(), options.routes.end(), t.route_name) ==
            options.routes.end())
      return false;
    const double first = t.stop_times.front().departure_s;
    return first >= options.begin_s && first < options.end_s;
  };
  for (const auto& t : feed.trips) {
    if (!wanted(t)) continue;
    for (const auto& st : t.stop_times)
      if (!placed[st.stop]) {
        placed[st.stop] = 1;
        const auto& s = feed.stops[st.stop];
        cand[st.stop] =
            candidatesFor(net, graph, to_network(s.lon, s.lat), options.max_stop_distance_m);
      }
  }
  for (std::size_t k = 0; k < placed.size(); ++k) report.stops_served += !cand[k].empty();

  // Trips with the same stops share their route: keyed by the stop sequence.
  struct Placed {
    bool ok = false;
    std::size_t first = 0, last = 0;  ///< the run of stop_times served
    std::vector<std::uint32_t> route;
    std::vector<std::uint32_t> stop_route_index;
    std::vector<float> stop_pos;
  };
  std::map<std::vector<std::uint32_t>, Placed> patterns;
  auto place = [&](const GtfsTrip& t) -> const Placed& {
    std::vector<std::uint32_t> key;
    for (const auto& st : t.stop_times) key.push_back(st.stop);
    auto [it, fresh] = patterns.try_emplace(key);
    Placed& out = it->second;
    if (!fresh) return out;
    // The longest run of consecutive stops that lie on the network.
    std::size_t best_a = 0, best_n = 0;
    for (std::size_t a = 0; a < key.size();) {
      std::size_t b = a;
      while (b < key.size() && !cand[key[b]].empty()) ++b;
      if (b - a > best_n) best_a = a, best_n = b - a;
      a = b + 1;
    }
    if (best_n < 2) return out;
    // Viterbi over the candidates: the cheapest chain of stop positions a bus can drive.
    const std::size_t n = best_n;
    std::vector<std::vector<float>> cost(n);
    std::vector<std::vector<int>> from(n);
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::optional<std::vector<std::uint32_t>>>
        legs;
    auto leg = [&](const StopCandidate& a,
                   const StopCandidate& b) -> const std::optional<std::vector<std::uint32_t>>& {
      auto [l, created] = legs.try_emplace({a.edge, b.edge});
      if (created) l->second = router.route(a.edge, b.edge, bus.max_speed);
      return l->second;
    };
    auto legTime = [&](const StopCandidate& a, const StopCandidate& b) {
      if (a.edge == b.edge) return b.pos >= a.pos ? 0.0f : std::numeric_limits<float>::infinity();
      const auto& r = leg(a, b);
      if (!r) return std::numeric_limits<float>::infinity();
      float s = 0.0f;
      for (auto e : *r) s += graph.freeTime(e, bus.max_speed);
      return s;
    };
    const auto& c0 = cand[key[best_a]];
    for (const auto& c : c0) cost[0].push_back(c.cost), from[0].push_back(-1);
    for (std::size_t i = 1; i < n; ++i) {
      const auto& prev = cand[key[best_a + i - 1]];
      const auto& cur = cand[key[best_a + i]];
      cost[i].assign(cur.size(), std::numeric_limits<float>::infinity());
      from[i].assign(cur.size(), -1);
      for (std::size_t b = 0; b < cur.size(); ++b)
        for (std::size_t a = 0; a < prev.size(); ++a) {
          const float c = cost[i - 1][a] + legTime(prev[a], cur[b]) + cur[b].cost;
          if (c < cost[i][b]) cost[i][b] = c, from[i][b] = static_cast<int>(a);
        }
    }
    const auto end = std::min_element(cost[n - 1].begin(), cost[n - 1].end());
    if (!std::isfinite(*end)) return out;
    std::vector<int> choice(n);
    choice[n - 1] = static_cast<int>(end - cost[n - 1].begin());
    for (std::size_t i = n - 1; i > 0; --i)
      choice[i - 1] = from[i][static_cast<std::size_t>(choice[i])];
    out.first = best_a;
    out.last = best_a + n - 1;
    for (std::size_t i = 0; i < n; ++i) {
      const StopCandidate& c = cand[key[best_a + i]][static_cast<std::size_t>(choice[i])];
      if (i == 0) {
        out.route.push_back(c.edge);
      } else {
        const StopCandidate& p = cand[key[best_a + i - 1]][static_cast<std::size_t>(choice[i - 1])];
        if (p.edge != c.edge) {
          const auto& r = *leg(p, c);
          out.route.insert(out.route.end(), r.begin() + 1, r.end());
        }
      }
      out.stop_route_index.push_back(static_cast<std::uint32_t>(out.route.size() - 1));
      out.stop_pos.push_back(c.pos);
    }
    out.ok = true;
    return out;
  };

  std::size_t off_network = 0;
  for (const auto& t : feed.trips) {
    if (!wanted(t)) continue;
    const Placed& p = place(t);
    if (!p.ok) {
      ++off_network;
      continue;
    }
    Trip trip;
    trip.id = "bus:" + t.id;
    trip.type = bus_type;
    trip.line = t.route_name;
    trip.route = p.route;
    trip.from = p.route.front();
    trip.to = p.route.back();
    for (std::size_t i = p.first; i <= p.last; ++i) {
      const auto& st = t.stop_times[i];
      TripStop s;
      s.route_index = p.stop_route_index[i - p.first];
      s.pos = p.stop_pos[i - p.first];
      s.arrival_s = st.arrival_s;
      s.departure_s = st.departure_s;
      s.min_dwell_s = options.min_dwell_s;
      s.name = feed.stops[st.stop].name.empty() ? feed.stops[st.stop].id : feed.stops[st.stop].name;
      trip.stops.push_back(std::move(s));
    }
    // Enter at the start of the first stop's road in time to reach it by the timetable.
    const float first_speed = net.lanes[net.edges[trip.route.front()].first_lane].speed;
    trip.depart = t.stop_times[p.first].arrival_s - trip.stops.front().pos / first_speed - 5.0;
    demand.trips.push_back(std::move(trip));
    ++report.trips_added;
  }
  if (off_network > 0)
    report.warnings.push_back(std::to_string(off_network) +
                              " bus trips have fewer than two stops on the map's bus roads "
                              "(or no drivable way between them) and were left out");
  std::size_t unplaced = 0;
  for (std::size_t k = 0; k < placed.size(); ++k) unplaced += placed[k] && cand[k].empty();
  if (unplaced > 0)
    report.warnings.push_back(std::to_string(unplaced) + " bus stops lie more than " +
                              std::to_string(static_cast<int>(options.max_stop_distance_m)) +
                              " m from a road open to buses (outside the map?) and are skipped");
  demand.sources.push_back(feed.dir);
  return report;
}

}  // namespace citytwin::engine::traffic
