#include "citytwin/engine/traffic/sumo_net.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include "citytwin/geodata/error.hpp"
#include "sumo_signal_phase.hpp"
#include "xml_scan.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

ClassMask classFromSumo(std::string_view v) {
  static constexpr std::pair<std::string_view, ClassMask> kClasses[] = {
      {"passenger", kClassCar},
      {"private", kClassPrivate},
      {"taxi", kClassTaxi},
      {"emergency", kClassEmergency},
      {"authority", kClassAuthority},
      {"army", kClassArmy},
      {"vip", kClassVip},
      {"evehicle", kClassEVehicle},
      {"delivery", kClassDelivery},
      {"custom1", kClassCustom1},
      {"custom2", kClassCustom2},
      {"motorcycle", kClassMotorcycle},
      {"moped", kClassMoped},
      {"hov", kClassHov},
      {"bicycle", kClassBicycle},
      {"scooter", kClassScooter},
      {"bus", kClassBus},
      {"coach", kClassCoach},
      {"tram", kClassTram},
      {"truck", kClassTruck},
      {"trailer", kClassTrailer},
      {"pedestrian", kClassPedestrian},
  };
  for (const auto& [name, bit] : kClasses)
    if (v == name) return bit;
  // SUMO's "ignoring" drives wherever any vehicle may.
  if (v == "ignoring") return kClassAllVehicles;
  if (v == "all") return kClassAllVehicles | kClassPedestrian;
  return 0;
}

bool isUnsimulatedSumoClass(std::string_view v) {
  return v == "rail_urban" || v == "rail" || v == "rail_electric" || v == "rail_fast" ||
         v == "subway" || v == "ship" || v == "aircraft" || v == "drone" || v == "container" ||
         v == "cable_car" || v == "wheelchair";
}

namespace {

constexpr ClassMask kEverything = kClassAllVehicles | kClassPedestrian;

ClassMask parseClasses(std::string_view list) {
  ClassMask m = 0;
  std::size_t p = 0;
  while (p < list.size()) {
    const std::size_t q = std::min(list.find(' ', p), list.size());
    if (q > p) m |= classFromSumo(list.substr(p, q - p));
    p = q + 1;
  }
  return m;
}

std::vector<geodata::Vec2> parseShape(const std::string& file, const XmlElement& e) {
  std::vector<geodata::Vec2> pts;
  const char* s = e.find("shape");
  if (!s) return pts;
  std::string_view v(s);
  std::size_t p = 0;
  while (p < v.size()) {
    while (p < v.size() && v[p] == ' ') ++p;
    if (p >= v.size()) break;
    const std::size_t q = std::min(v.find(' ', p), v.size());
    const std::string_view point = v.substr(p, q - p);
    const std::size_t c1 = point.find(',');
    geodata::Vec2 xy;
    bool ok = c1 != std::string_view::npos;
    if (ok) {
      const std::size_t c2 = point.find(',', c1 + 1);  // a z coordinate is ignored
      const auto ys = point.substr(c1 + 1, c2 == std::string_view::npos ? c2 : c2 - c1 - 1);
      ok = std::from_chars(point.data(), point.data() + c1, xy.x).ec == std::errc() &&
           std::from_chars(ys.data(), ys.data() + ys.size(), xy.y).ec == std::errc();
    }
    if (!ok)
      throw InputError(file, e.where(), "shape point \"" + std::string(point) + "\" is not x,y",
                       "shapes are space-separated x,y pairs");
    pts.push_back(xy);
    p = q + 1;
  }
  return pts;
}

std::vector<std::string> splitSpaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

JunctionKind junctionKind(const std::string& type) {
  if (type.rfind("traffic_light", 0) == 0) return JunctionKind::kTrafficLight;
  if (type == "right_before_left" || type == "left_before_right")
    return JunctionKind::kRightBeforeLeft;
  if (type == "allway_stop") return JunctionKind::kAllWayStop;
  if (type == "dead_end") return JunctionKind::kDeadEnd;
  if (type == "unregulated") return JunctionKind::kUnregulated;
  return JunctionKind::kPriority;
}

struct RawLane {
  std::string id;
  std::uint32_t index = 0;
  float speed = 0.0f, length = 0.0f;
  ClassMask allow = kEverything;
  std::vector<geodata::Vec2> shape;
};

struct RawEdge {
  Edge edge;
  std::vector<RawLane> lanes;
};

struct RawJunction {
  Junction junction;
  std::vector<std::string> internal_lanes, incoming_lanes;
  struct Request {
    std::uint32_t index;
    std::string response, foes;
  };
  std::vector<Request> requests;
};

struct RawConnection {
  std::string from, to, via, tl;
  std::uint32_t from_lane = 0, to_lane = 0, link_index = 0;
  char dir = 's', state = 'M';
  long line = 0;
};

class NetReader {
 public:
  explicit NetReader(std::string path) : path_(std::move(path)) {}

  Network read() {
    XmlHandlers h;
    h.start = [this](const XmlElement& e) { start(e); };
    h.end = [this](std::string_view name) {
      if (name == "edge") edge_ = -1, internal_edge_ = false;
      if (name == "tlLogic") program_ = -1;
      if (name == "junction") junction_ = -1;
    };
    scanXml(path_, h);
    if (!saw_net_)
      throw InputError(path_, "", "is not a SUMO network (no <net> element)",
                       "pass a .net.xml written by netconvert or netgenerate");
    return build();
  }

 private:
  void start(const XmlElement& e) {
    const auto n = e.name();
    if (n == "net") {
      saw_net_ = true;
    } else if (n == "location") {
      const std::string proj = e.get("projParameter", "!");
      if (proj != "!") net_.crs = proj;
    } else if (n == "edge") {
      const std::string fn = e.get("function");
      internal_edge_ = fn == "internal";
      edge_ = -1;
      if (fn == "internal" || fn == "crossing" || fn == "walkingarea") {
        internal_edge_ = fn == "internal";
        return;
      }
      RawEdge re;
      re.edge.id = requiredAttribute(path_, e, "id");
      re.edge.name = e.get("name");
      from_to_.emplace_back(requiredAttribute(path_, e, "from"), requiredAttribute(path_, e, "to"));
      re.edge.priority = static_cast<int>(optionalNumber(path_, e, "priority").value_or(0));
      edge_lines_.push_back(e.line());
      edges_.push_back(std::move(re));
      edge_ = static_cast<int>(edges_.size()) - 1;
    } else if (n == "lane") {
      RawLane l;
      l.id = requiredAttribute(path_, e, "id");
      l.index = static_cast<std::uint32_t>(numberAttribute(path_, e, "index"));
      l.speed = static_cast<float>(numberAttribute(path_, e, "speed"));
      l.length = static_cast<float>(numberAttribute(path_, e, "length"));
      if (const char* a = e.find("allow"))
        l.allow = parseClasses(a);
      else if (const char* d = e.find("disallow"))
        l.allow = kEverything & static_cast<ClassMask>(~parseClasses(d));
      l.shape = parseShape(path_, e);
      if (l.length < 0.0f || l.speed < 0.0f)
        throw InputError(path_, e.where(), "lane length or speed is negative",
                         "re-create the network with netconvert");
      if (internal_edge_)
        internal_.emplace(l.id, std::move(l));
      else if (edge_ >= 0)
        edges_[static_cast<std::size_t>(edge_)].lanes.push_back(std::move(l));
    } else if (n == "tlLogic") {
      const std::string id = requiredAttribute(path_, e, "id");
      if (program_by_id_.count(id)) {  // a second program for the same signal: keep the first
        program_ = -2;
        return;
      }
      SignalProgram p;
      p.id = id;
      p.program_id = e.get("programID");
      p.offset = static_cast<float>(optionalNumber(path_, e, "offset").value_or(0.0));
      program_by_id_.emplace(id, static_cast<std::uint32_t>(net_.signals.size()));
      net_.signals.push_back(std::move(p));
      program_ = static_cast<int>(net_.signals.size()) - 1;
    } else if (n == "phase" && program_ >= 0) {
      net_.signals[static_cast<std::size_t>(program_)].phases.push_back(readSumoPhase(path_, e));
    } else if (n == "junction") {
      const std::string type = e.get("type");
      junction_ = -1;
      if (type == "internal" || type == "district") return;
      RawJunction rj;
      rj.junction.id = requiredAttribute(path_, e, "id");
      rj.junction.kind = junctionKind(type);
      rj.junction.position = {numberAttribute(path_, e, "x"), numberAttribute(path_, e, "y")};
      rj.internal_lanes = splitSpaces(e.get("intLanes"));
      rj.incoming_lanes = splitSpaces(e.get("incLanes"));
      junctions_.push_back(std::move(rj));
      junction_ = static_cast<int>(junctions_.size()) - 1;
    } else if (n == "request" && junction_ >= 0) {
      junctions_[static_cast<std::size_t>(junction_)].requests.push_back(
          {static_cast<std::uint32_t>(numberAttribute(path_, e, "index")),
           requiredAttribute(path_, e, "response"), requiredAttribute(path_, e, "foes")});
    } else if (n == "connection") {
      RawConnection c;
      c.from = requiredAttribute(path_, e, "from");
      c.to = requiredAttribute(path_, e, "to");
      c.from_lane = static_cast<std::uint32_t>(numberAttribute(path_, e, "fromLane"));
      c.to_lane = static_cast<std::uint32_t>(numberAttribute(path_, e, "toLane"));
      c.via = e.get("via");
      c.tl = e.get("tl");
      c.link_index = static_cast<std::uint32_t>(optionalNumber(path_, e, "linkIndex").value_or(0));
      const std::string dir = e.get("dir", "s"), state = e.get("state", "M");
      c.dir = dir.empty() ? 's' : dir[0];
      c.state = state.empty() ? 'M' : state[0];
      c.line = e.line();
      if (!c.from.empty() && c.from[0] == ':') {
        // Inside a junction: the internal lane continues into `via` (left turns wait halfway).
        if (!c.via.empty()) continuation_[c.from + "_" + std::to_string(c.from_lane)] = c.via;
      } else {
        connections_.push_back(std::move(c));
      }
    }
  }

  Network build() {
    std::unordered_map<std::string, std::uint32_t> junction_index;
    for (std::uint32_t j = 0; j < junctions_.size(); ++j)
      junction_index.emplace(junctions_[j].junction.id, j);
    // Edges and lanes.
    std::unordered_map<std::string, std::uint32_t> edge_index;
    for (std::size_t k = 0; k < edges_.size(); ++k) {
      RawEdge& re = edges_[k];
      auto& [from, to] = from_to_[k];
      const auto fj = junction_index.find(from), tj = junction_index.find(to);
      if (fj == junction_index.end() || tj == junction_index.end())
        throw InputError(
            path_, "line " + std::to_string(edge_lines_[k]) + ", <edge id=\"" + re.edge.id + "\">",
            "names junction \"" + (fj == junction_index.end() ? from : to) +
                "\" that the network does not define",
            "the network is incomplete; re-create it with netconvert");
      if (re.lanes.empty())
        throw InputError(
            path_, "line " + std::to_string(edge_lines_[k]) + ", <edge id=\"" + re.edge.id + "\">",
            "has no lanes", "re-create the network with netconvert");
      std::sort(re.lanes.begin(), re.lanes.end(),
                [](const RawLane& a, const RawLane& b) { return a.index < b.index; });
      Edge edge = re.edge;
      edge.from = fj->second;
      edge.to = tj->second;
      edge.first_lane = static_cast<std::uint32_t>(net_.lanes.size());
      edge.lane_count = static_cast<std::uint32_t>(re.lanes.size());
      edge.length = re.lanes[0].length;
      const auto e_index = static_cast<std::uint32_t>(net_.edges.size());
      for (std::uint32_t li = 0; li < re.lanes.size(); ++li) {
        const RawLane& rl = re.lanes[li];
        Lane lane;
        lane.edge = e_index;
        lane.index = li;
        lane.length = std::max(rl.length, 0.1f);
        lane.speed = rl.speed;
        lane.allow = rl.allow;
        lane.shape_begin = static_cast<std::uint32_t>(net_.shape_points.size());
        net_.shape_points.insert(net_.shape_points.end(), rl.shape.begin(), rl.shape.end());
        lane.shape_end = static_cast<std::uint32_t>(net_.shape_points.size());
        edge.speed = std::max(edge.speed, rl.speed);
        lane_index_.emplace(rl.id, static_cast<std::uint32_t>(net_.lanes.size()));
        net_.lanes.push_back(lane);
      }
      edge_index.emplace(edge.id, e_index);
      net_.edges.push_back(std::move(edge));
    }
    // Links, from connections between normal edges.
    struct Pending {
      Link link;
      std::vector<std::string> chain;  // internal lanes, entry first
    };
    std::vector<Pending> pending;
    for (const RawConnection& c : connections_) {
      const auto fe = edge_index.find(c.from), te = edge_index.find(c.to);
      if (fe == edge_index.end() || te == edge_index.end()) {
        // Connections onto sidewalks and crossings (pedestrian areas) are not vehicle links.
        if ((fe == edge_index.end() && !c.from.empty() && c.from[0] != ':' &&
             !skipped_edge(c.from)) ||
            (te == edge_index.end() && !c.to.empty() && c.to[0] != ':' && !skipped_edge(c.to)))
          throw InputError(path_, "line " + std::to_string(c.line) + ", <connection>",
                           "names edge \"" + (fe == edge_index.end() ? c.from : c.to) +
                               "\" that the network does not define",
                           "re-create the network with netconvert");
        continue;
      }
      const Edge& from = net_.edges[fe->second];
      const Edge& to = net_.edges[te->second];
      if (c.from_lane >= from.lane_count || c.to_lane >= to.lane_count)
        throw InputError(
            path_, "line " + std::to_string(c.line) + ", <connection>",
            "lane index out of range (edge \"" +
                (c.from_lane >= from.lane_count ? from.id : to.id) + "\" has " +
                std::to_string(c.from_lane >= from.lane_count ? from.lane_count : to.lane_count) +
                " lanes)",
            "re-create the network with netconvert");
      Pending p;
      p.link.from_lane = from.first_lane + c.from_lane;
      p.link.to_lane = to.first_lane + c.to_lane;
      p.link.junction = from.to;
      p.link.direction = c.dir;
      p.link.major = c.state == 'M' || c.state == 'O';
      p.link.speed = net_.lanes[p.link.to_lane].speed;
      if (!c.tl.empty()) {
        const auto t = program_by_id_.find(c.tl);
        if (t == program_by_id_.end())
          throw InputError(path_, "line " + std::to_string(c.line) + ", <connection>",
                           "names signal \"" + c.tl + "\" that has no <tlLogic>",
                           "re-create the network with netconvert");
        p.link.signal = static_cast<int>(t->second);
        p.link.signal_index = c.link_index;
        const auto& prog = net_.signals[t->second];
        for (const auto& ph : prog.phases)
          if (c.link_index >= ph.states.size())
            throw InputError(path_, "line " + std::to_string(c.line) + ", <connection>",
                             "linkIndex " + std::to_string(c.link_index) +
                                 " is beyond the states of signal \"" + c.tl + "\"",
                             "re-create the network with netconvert");
      }
      // The path through the junction: internal lanes in a chain.
      std::string via = c.via;
      float length = 0.0f, speed = p.link.speed;
      std::vector<geodata::Vec2> shape;
      for (int guard = 0; !via.empty() && guard < 8; ++guard) {
        const auto it = internal_.find(via);
        if (it == internal_.end()) break;
        p.chain.push_back(via);
        length += it->second.length;
        speed = std::min(speed, it->second.speed);
        shape.insert(shape.end(), it->second.shape.begin(), it->second.shape.end());
        const auto next = continuation_.find(via);
        via = next == continuation_.end() ? std::string() : next->second;
      }
      p.link.length = length;
      if (length > 0.0f) p.link.speed = speed;
      p.link.internal_begin = static_cast<std::uint32_t>(net_.shape_points.size());
      net_.shape_points.insert(net_.shape_points.end(), shape.begin(), shape.end());
      p.link.internal_end = static_cast<std::uint32_t>(net_.shape_points.size());
      pending.push_back(std::move(p));
    }
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
      return a.link.from_lane < b.link.from_lane;
    });
    for (auto& p : pending) net_.links.push_back(p.link);
    for (std::uint32_t k = 0; k < net_.links.size(); ++k) {
      Lane& l = net_.lanes[net_.links[k].from_lane];
      if (l.link_count == 0) l.first_link = k;
      ++l.link_count;
    }
    // Junctions and their right-of-way matrices.
    for (auto& rj : junctions_) net_.junctions.push_back(rj.junction);
    std::vector<std::vector<std::uint32_t>> by_request(junctions_.size());
    for (std::uint32_t j = 0; j < junctions_.size(); ++j) {
      const RawJunction& rj = junctions_[j];
      auto& order = by_request[j];
      if (!rj.internal_lanes.empty()) {
        std::unordered_map<std::string, std::uint32_t> request_of;
        for (std::uint32_t r = 0; r < rj.internal_lanes.size(); ++r)
          request_of.emplace(rj.internal_lanes[r], r);
        order.assign(rj.internal_lanes.size(), UINT32_MAX);
        for (std::uint32_t k = 0; k < pending.size(); ++k) {
          if (net_.links[k].junction != j) continue;
          for (const auto& lane_id : pending[k].chain)
            if (auto it = request_of.find(lane_id); it != request_of.end()) {
              order[it->second] = k;
              break;
            }
        }
      } else {
        // No internal lanes: requests follow the incoming lanes, then connection order.
        for (const auto& in : rj.incoming_lanes) {
          const auto li = lane_index_.find(in);
          if (li == lane_index_.end()) continue;
          const Lane& lane = net_.lanes[li->second];
          for (std::uint32_t k = lane.first_link; k < lane.first_link + lane.link_count; ++k)
            order.push_back(k);
        }
      }
      for (std::uint32_t k : order)
        if (k != UINT32_MAX) net_.junctions[j].links.push_back(k);
    }
    std::vector<std::vector<std::uint32_t>> foes(net_.links.size()), yields(net_.links.size());
    for (std::uint32_t j = 0; j < junctions_.size(); ++j) {
      const auto& order = by_request[j];
      for (const auto& rq : junctions_[j].requests) {
        if (rq.index >= order.size() || order[rq.index] == UINT32_MAX) continue;
        const std::uint32_t k = order[rq.index];
        auto bits = [&](const std::string& s, std::vector<std::uint32_t>& out) {
          const std::size_t n = s.size();
          for (std::size_t b = 0; b < n && b < order.size(); ++b)
            if (s[n - 1 - b] == '1' && order[b] != UINT32_MAX && order[b] != k)
              out.push_back(order[b]);
        };
        bits(rq.foes, foes[k]);
        bits(rq.response, yields[k]);
      }
    }
    net_.setConflicts(foes, yields);
    net_.source = path_;
    net_.index();
    return std::move(net_);
  }

  bool skipped_edge(const std::string& id) const { return id.empty() || id[0] == ':'; }

  std::string path_;
  Network net_;
  bool saw_net_ = false;
  int edge_ = -1, program_ = -1, junction_ = -1;
  bool internal_edge_ = false;
  std::vector<RawEdge> edges_;
  std::vector<std::pair<std::string, std::string>> from_to_;
  std::vector<long> edge_lines_;
  std::vector<RawJunction> junctions_;
  std::vector<RawConnection> connections_;
  std::unordered_map<std::string, RawLane> internal_;
  std::unordered_map<std::string, std::string> continuation_;
  std::unordered_map<std::string, std::uint32_t> program_by_id_, lane_index_;
};

}  // namespace

Network readSumoNetwork(const std::string& path) {
  return NetReader(path).read();
}

}  // namespace citytwin::engine::traffic
