#include "osm_reader.hpp"

#include <osmium/area/assembler.hpp>
#include <osmium/area/multipolygon_manager.hpp>
#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/relations/manager_util.hpp>
#include <osmium/visitor.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "citytwin/geodata/error.hpp"
#include "osm_errors.hpp"
#include "osm_rules.hpp"

namespace citytwin::geodata {
namespace {

osm::Tags toTags(const osmium::TagList& list) {
  osm::Tags tags;
  for (const auto& t : list) tags.emplace(t.key(), t.value());
  return tags;
}

struct LonLat {
  double lon = 0, lat = 0;
};

struct RawWay {
  std::int64_t id = 0;
  osm::Tags tags;
  std::vector<std::int64_t> refs;
  std::vector<LonLat> coords;
};

struct RawRestriction {
  std::int64_t id = 0;
  std::string kind;
  std::int64_t from_way = 0, to_way = 0, via_node = 0;
  bool via_is_way = false;
};

// Collects what the model needs from nodes, ways and relations in one pass.
class Collector : public osmium::handler::Handler {
 public:
  explicit Collector(std::string path) : path_(std::move(path)) {}

  void node(const osmium::Node& node) {
    const auto tags = toTags(node.tags());
    if (osm::isTrafficSignal(tags)) signal_nodes.insert(node.id());
    if (node.location().valid()) extent.extend(node.location().lon(), node.location().lat());
  }

  void way(const osmium::Way& way) {
    for (const auto& nr : way.nodes()) {
      if (!nr.location().valid())
        throw InputError(path_, "way " + std::to_string(way.id()),
                         "references node " + std::to_string(nr.ref()) +
                             ", which is not in the file (or has no valid location)",
                         kIncompleteHint);
    }
    auto tags = toTags(way.tags());
    const bool routable = osm::isRoutableHighway(osm::tag(tags, "highway"));
    const bool barrier = osm::isLinearBarrier(tags);
    if (!routable && !barrier) return;
    RawWay raw;
    raw.id = way.id();
    raw.tags = std::move(tags);
    for (const auto& nr : way.nodes()) {
      raw.refs.push_back(nr.ref());
      raw.coords.push_back({nr.location().lon(), nr.location().lat()});
    }
    (routable ? roads : barriers).push_back(std::move(raw));
  }

  void relation(const osmium::Relation& rel) {
    const auto tags = toTags(rel.tags());
    if (osm::tag(tags, "type") != "restriction") return;
    std::string kind{osm::tag(tags, "restriction")};
    if (kind.empty()) return;  // restriction:hgv and the like do not concern this model yet
    RawRestriction r;
    r.id = rel.id();
    r.kind = kind;
    for (const auto& m : rel.members()) {
      const std::string_view role = m.role();
      if (role == "from" && m.type() == osmium::item_type::way)
        r.from_way = m.ref();
      else if (role == "to" && m.type() == osmium::item_type::way)
        r.to_way = m.ref();
      else if (role == "via") {
        r.via_node = m.ref();
        r.via_is_way = m.type() == osmium::item_type::way;
      }
    }
    restrictions.push_back(std::move(r));
  }

  std::vector<RawWay> roads, barriers;
  std::vector<RawRestriction> restrictions;
  std::unordered_set<std::int64_t> signal_nodes;
  LonLatBox extent;

 private:
  std::string path_;
};

// Projects lon/lat into the local frame.
class Projector {
 public:
  explicit Projector(const LocalFrame& frame) : frame_(frame), ct_("EPSG:4326", frame.crs) {}
  Vec2 operator()(LonLat p) const {
    double x = p.lon, y = p.lat, z = 0.0;
    ct_.apply(x, y, z);
    return frame_.toLocal(x, y);
  }

 private:
  const LocalFrame& frame_;
  CrsTransform ct_;
};

// Liang-Barsky: the part [t0, t1] of segment a-b inside the box, or false if none.
bool clipSegment(LonLat a, LonLat b, const LonLatBox& box, double& t0, double& t1) {
  t0 = 0.0;
  t1 = 1.0;
  const double dx = b.lon - a.lon, dy = b.lat - a.lat;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.lon - box.min_lon, box.max_lon - a.lon, a.lat - box.min_lat,
                       box.max_lat - a.lat};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0.0) {
      if (q[i] < 0.0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0.0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

LonLat lerp(LonLat a, LonLat b, double t) {
  return {a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t};
}

// A point of a clipped way: an OSM node, or a point where the box edge cuts the way.
struct RunPoint {
  LonLat ll;
  std::int64_t ref = 0;  // 0 for a cut point
};

// Splits a way into the runs that lie inside the box.
std::vector<std::vector<RunPoint>> clipWay(const RawWay& way, const LonLatBox& box) {
  std::vector<std::vector<RunPoint>> runs;
  std::vector<RunPoint> run;
  for (std::size_t i = 0; i + 1 < way.refs.size(); ++i) {
    const LonLat a = way.coords[i], b = way.coords[i + 1];
    double t0 = 0, t1 = 1;
    if (!clipSegment(a, b, box, t0, t1)) {
      if (!run.empty()) runs.push_back(std::move(run)), run.clear();
      continue;
    }
    if (run.empty()) {
      run.push_back(t0 > 0.0 ? RunPoint{lerp(a, b, t0), 0} : RunPoint{a, way.refs[i]});
    }
    if (t1 < 1.0) {
      run.push_back({lerp(a, b, t1), 0});
      runs.push_back(std::move(run));
      run.clear();
    } else {
      run.push_back({b, way.refs[i + 1]});
    }
  }
  if (run.size() >= 2) runs.push_back(std::move(run));
  std::erase_if(runs, [](const auto& r) { return r.size() < 2; });
  return runs;
}

struct NetworkBuilder {
  const Projector& project;
  const std::unordered_set<std::int64_t>& signals;
  const std::string& country;
  OsmData& out;
  std::unordered_map<std::int64_t, NodeIndex> node_of_ref;
  std::unordered_map<std::int64_t, std::vector<LinkIndex>> links_of_way;

  NodeIndex nodeFor(const RunPoint& p) {
    if (p.ref != 0) {
      auto [it, inserted] =
          node_of_ref.try_emplace(p.ref, static_cast<NodeIndex>(out.nodes.size()));
      if (inserted)
        out.nodes.push_back({p.ref, project(p.ll), signals.contains(p.ref) != 0, false});
      return it->second;
    }
    out.nodes.push_back({0, project(p.ll), false, true});
    return static_cast<NodeIndex>(out.nodes.size() - 1);
  }

  void addEdge(const RawWay& way, const osm::DirectionalModes& modes,
               const std::vector<RunPoint>& pts) {
    std::vector<Vec2> geom;
    geom.reserve(pts.size());
    for (const auto& p : pts) geom.push_back(project(p.ll));
    const double len = length(geom);
    if (len <= 0.0) return;
    const NodeIndex a = nodeFor(pts.front());
    const NodeIndex b = nodeFor(pts.back());
    const bool forward_only = modes.backward == 0 || (modes.backward & bit(Mode::kCar)) == 0;
    const auto lanes = osm::wayLanes(way.tags, forward_only && (modes.forward & bit(Mode::kCar)));
    const auto speed = osm::waySpeedLimits(way.tags, country);
    std::string highway{osm::tag(way.tags, "highway")};
    if (osm::tag(way.tags, "area") == "yes") highway = "pedestrian_area";
    const std::string name{osm::tag(way.tags, "name")};
    auto emit = [&](NodeIndex from, NodeIndex to, ModeMask m, std::uint8_t nlanes, double kmh,
                    std::vector<Vec2> g) {
      Link link;
      link.from = from;
      link.to = to;
      link.osm_way_id = way.id;
      link.modes = m;
      link.lanes = nlanes;
      link.speed_limit_mps = static_cast<float>(kmh / 3.6);
      link.speed_limit_tagged = speed.tagged;
      link.boundary = out.nodes[from].boundary || out.nodes[to].boundary;
      link.highway = highway;
      link.name = name;
      link.length_m = len;
      link.geometry = std::move(g);
      links_of_way[way.id].push_back(static_cast<LinkIndex>(out.links.size()));
      out.links.push_back(std::move(link));
    };
    if (modes.forward) emit(a, b, modes.forward, lanes.forward, speed.forward_kmh, geom);
    if (modes.backward) {
      std::vector<Vec2> rev(geom.rbegin(), geom.rend());
      emit(b, a, modes.backward, lanes.backward, speed.backward_kmh, std::move(rev));
    }
    addWalkable(way, modes, geom);
  }

  void addWalkable(const RawWay& way, const osm::DirectionalModes& modes,
                   const std::vector<Vec2>& geom) {
    const ModeMask any = modes.forward | modes.backward;
    if (osm::tag(way.tags, "area") == "yes") return;  // the area polygon itself is walkable
    if (allows(any, Mode::kFoot)) {
      if (const double w = osm::walkableWidthM(way.tags); w > 0.0)
        out.walkable.strips.push_back({geom, w});
    }
    if (allows(any, Mode::kCar) || allows(any, Mode::kBus)) {
      const auto sw = osm::waySidewalks(way.tags, country);
      if (sw.left || sw.right) {
        double sw_width = 1.8;
        if (auto w = osm::parseLengthM(osm::tag(way.tags, "sidewalk:width"));
            w && *w > 0.5 && *w < 10)
          sw_width = *w;
        out.walkable.sidewalks.push_back(
            {geom, osm::carriagewayWidthM(way.tags), sw_width, sw.left, sw.right});
      }
    }
  }
};

Polygon2 toPolygon(const osmium::Area& area, const osmium::OuterRing& outer,
                   const Projector& project) {
  Polygon2 poly;
  auto ring = [&](const auto& nodes) {
    Ring2 r;
    for (const auto& nr : nodes) r.push_back(project({nr.location().lon(), nr.location().lat()}));
    if (r.size() > 1 && r.front() == r.back()) r.pop_back();
    return r;
  };
  poly.push_back(ring(outer));
  for (const auto& inner : area.inner_rings(outer)) poly.push_back(ring(inner));
  return poly;
}

}  // namespace

LonLatBox osmExtent(const std::string& path) {
  checkReadable(path);
  return withOsmErrors(path, [&] {
    osmium::io::File file{path};
    osmium::io::Reader header_reader{file, osmium::osm_entity_bits::nothing};
    const osmium::Box box = header_reader.header().box();
    header_reader.close();
    if (box.valid())
      return LonLatBox{box.bottom_left().lon(), box.bottom_left().lat(), box.top_right().lon(),
                       box.top_right().lat()};
    Collector nodes_only{path};
    osmium::io::Reader reader{file, osmium::osm_entity_bits::node};
    osmium::apply(reader, nodes_only);
    reader.close();
    if (nodes_only.extent.empty())
      throw InputError(path, "", "contains no nodes", "check that this is an OSM extract");
    return nodes_only.extent;
  });
}

OsmData readOsm(const std::string& path, const LocalFrame& frame, const ImportOptions& options) {
  checkReadable(path);
  const LonLatBox box = osmExtent(path);
  OsmData out;
  const Projector project{frame};
  auto progress = [&](const char* stage, double f) {
    if (options.progress) options.progress(stage, f);
  };

  Collector collector{path};
  withOsmErrors(path, [&] {
    osmium::io::File file{path};
    osmium::area::Assembler::config_type assembler_config;
    osmium::TagsFilter filter{false};
    filter.add_rule(true, osmium::TagMatcher{"building"});
    filter.add_rule(true, osmium::TagMatcher{"place"});
    filter.add_rule(true, osmium::TagMatcher{"highway"});
    filter.add_rule(true, osmium::TagMatcher{"area:highway"});
    osmium::area::MultipolygonManager<osmium::area::Assembler> mp_manager{assembler_config, filter};
    progress("OSM: relations", 0.0);
    osmium::relations::read_relations(file, mp_manager);

    using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
    Index index;
    osmium::handler::NodeLocationsForWays<Index> locations{index};
    locations.ignore_errors();  // the collector reports dangling references with the way id

    auto on_area = [&](const osmium::Area& area) {
      const auto tags = toTags(area.tags());
      const std::string_view building = osm::tag(tags, "building");
      const bool is_building = !building.empty() && building != "no";
      const bool is_walkable = osm::isWalkableArea(tags);
      if (!is_building && !is_walkable) return;
      const osmium::Box env = area.envelope();
      if (!env.valid() || env.top_right().lon() < box.min_lon ||
          env.bottom_left().lon() > box.max_lon || env.top_right().lat() < box.min_lat ||
          env.bottom_left().lat() > box.max_lat)
        return;
      MultiPolygon2 polys;
      for (const auto& outer : area.outer_rings()) polys.push_back(toPolygon(area, outer, project));
      if (is_building) {
        Building b;
        b.id = std::string("osm:") + (area.from_way() ? "way/" : "relation/") +
               std::to_string(area.orig_id());
        b.source = BuildingSource::kOsm;
        b.footprint = polys;
        const auto h = osm::buildingHeight(tags);
        b.height_m = h.height_m;
        b.height_source = h.source;
        out.buildings.push_back(std::move(b));
      }
      if (is_walkable)
        for (auto& p : polys) out.walkable.areas.push_back(std::move(p));
    };
    progress("OSM: nodes and ways", 0.2);
    osmium::io::Reader reader{file, osmium::io::read_meta::no};
    osmium::apply(reader, locations, collector,
                  mp_manager.handler([&](osmium::memory::Buffer&& buffer) {
                    for (const auto& area : buffer.select<osmium::Area>()) on_area(area);
                  }));
    reader.close();
    if (collector.roads.empty() && collector.extent.empty())
      throw InputError(path, "", "contains no nodes or ways", "check that this is an OSM extract");
  });
  progress("OSM: network", 0.6);

  // Nodes where links begin and end: junctions (shared by ways), way ends, signals, and
  // nodes a way passes twice.
  std::unordered_map<std::int64_t, int> uses;
  std::unordered_set<std::int64_t> split;
  for (const auto& w : collector.roads) {
    std::unordered_set<std::int64_t> seen;
    for (auto ref : w.refs) {
      if (!seen.insert(ref).second) split.insert(ref);
      if (++uses[ref] >= 2) split.insert(ref);
    }
    split.insert(w.refs.front());
    split.insert(w.refs.back());
  }
  for (auto ref : collector.signal_nodes)
    if (uses.contains(ref)) split.insert(ref);

  NetworkBuilder builder{project, collector.signal_nodes, options.country, out, {}, {}};
  for (const auto& way : collector.roads) {
    const auto modes = osm::wayModes(way.tags);
    if ((modes.forward | modes.backward) == 0) continue;
    for (const auto& run : clipWay(way, box)) {
      std::size_t start = 0;
      for (std::size_t i = 1; i < run.size(); ++i) {
        if (i + 1 == run.size() || run[i].ref == 0 || split.contains(run[i].ref)) {
          builder.addEdge(way, modes,
                          {run.begin() + static_cast<std::ptrdiff_t>(start),
                           run.begin() + static_cast<std::ptrdiff_t>(i) + 1});
          start = i;
        }
      }
    }
  }

  // Turn restrictions on via nodes; via ways and members outside the extract are reported.
  std::size_t skipped = 0;
  for (const auto& r : collector.restrictions) {
    auto via = builder.node_of_ref.find(r.via_node);
    auto from = builder.links_of_way.find(r.from_way);
    auto to = builder.links_of_way.find(r.to_way);
    if (r.via_is_way || via == builder.node_of_ref.end() || from == builder.links_of_way.end() ||
        to == builder.links_of_way.end()) {
      ++skipped;
      continue;
    }
    bool any = false;
    for (LinkIndex fl : from->second) {
      if (out.links[fl].to != via->second || !allows(out.links[fl].modes, Mode::kCar)) continue;
      for (LinkIndex tl : to->second) {
        if (out.links[tl].from != via->second || !allows(out.links[tl].modes, Mode::kCar)) continue;
        out.turn_restrictions.push_back(
            {fl, via->second, tl, r.kind.starts_with("only_"), r.kind, r.id});
        any = true;
      }
    }
    if (!any) ++skipped;
  }
  if (skipped > 0)
    out.warnings.push_back(path + ": " + std::to_string(skipped) +
                           " turn restriction(s) skipped (via a way, members outside the extract, "
                           "or members closed to cars)");

  for (const auto& b : collector.barriers) {
    std::vector<Vec2> line;
    for (auto ll : b.coords) line.push_back(project({ll.lon, ll.lat}));
    out.walkable.barriers.push_back(std::move(line));
  }

  // The box in the local frame: the bounding box of its projected outline.
  out.bounds = {1e300, 1e300, -1e300, -1e300};
  for (int i = 0; i <= 16; ++i) {
    const double t = i / 16.0;
    for (LonLat ll : {LonLat{box.min_lon + t * (box.max_lon - box.min_lon), box.min_lat},
                      LonLat{box.min_lon + t * (box.max_lon - box.min_lon), box.max_lat},
                      LonLat{box.min_lon, box.min_lat + t * (box.max_lat - box.min_lat)},
                      LonLat{box.max_lon, box.min_lat + t * (box.max_lat - box.min_lat)}}) {
      const Vec2 p = project(ll);
      out.bounds.min_x = std::min(out.bounds.min_x, p.x);
      out.bounds.min_y = std::min(out.bounds.min_y, p.y);
      out.bounds.max_x = std::max(out.bounds.max_x, p.x);
      out.bounds.max_y = std::max(out.bounds.max_y, p.y);
    }
  }
  progress("OSM: done", 1.0);
  return out;
}

}  // namespace citytwin::geodata
