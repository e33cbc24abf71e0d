#include "info_report.hpp"

#include <cstdio>
#include <sstream>

#include "citytwin/engine/connectivity.hpp"
#include "citytwin/geodata/model_info.hpp"

namespace citytwin::cli {

using nlohmann::json;
using namespace citytwin::geodata;

json modelInfo(const CityModel& m) {
  json j;
  j["crs"] = m.frame.crs;
  j["frame_origin"] = {m.frame.origin.x, m.frame.origin.y, m.frame.origin.z};
  const Box2 e = modelExtent(m);
  const Vec2 lo = m.frame.toProjected({e.min_x, e.min_y}),
             hi = m.frame.toProjected({e.max_x, e.max_y});
  const ExtentWgs84 w = toWgs84(m.frame, e);
  j["extent"] = {{"min_x", lo.x},        {"min_y", lo.y},        {"max_x", hi.x},
                 {"max_y", hi.y},        {"min_lon", w.min_lon}, {"min_lat", w.min_lat},
                 {"max_lon", w.max_lon}, {"max_lat", w.max_lat}};
  j["nodes"] = m.nodes.size();
  j["links"]["total"] = m.links.size();
  for (Mode mode : kAllModes) {
    j["links"][modeName(mode)] = countLinks(m, mode);
    const auto strict = engine::linkConnectivity(m, mode, false);
    const auto outside = engine::linkConnectivity(m, mode, true);
    j["scc_share"][modeName(mode)] = strict.share;
    j["scc_share_through_outside"][modeName(mode)] = outside.share;
  }
  std::size_t boundary_nodes = 0, boundary_links = 0;
  for (const auto& n : m.nodes) boundary_nodes += n.boundary ? 1 : 0;
  for (const auto& l : m.links) boundary_links += l.boundary ? 1 : 0;
  j["boundary_nodes"] = boundary_nodes;
  j["boundary_links"] = boundary_links;
  j["signals"] = countSignals(m);
  j["turn_restrictions"] = m.turn_restrictions.size();
  j["buildings"] = m.buildings.size();
  std::size_t osm = 0;
  for (const auto& b : m.buildings) osm += b.source == BuildingSource::kOsm ? 1 : 0;
  j["buildings_by_source"] = {{"osm", osm}, {"cityjson", m.buildings.size() - osm}};
  j["city_objects"] = countCityObjectsByType(m);
  j["walkable_area_m2"] = area(m.walkable);
  j["walkable_polygons"] = m.walkable.size();
  j["layers"] = json::array();
  for (const auto& l : m.layers)
    j["layers"].push_back({{"name", l.name}, {"features", l.features.size()}});
  if (m.terrain)
    j["terrain"] = {{"width", m.terrain->width},
                    {"height", m.terrain->height},
                    {"pixel_size_m", m.terrain->pixel_size_x},
                    {"source", m.terrain->source}};
  else
    j["terrain"] = nullptr;
  j["sources"] = json::array();
  for (const auto& s : m.sources)
    j["sources"].push_back(
        {{"path", s.path}, {"kind", s.kind}, {"crs", s.crs}, {"sha256", s.sha256}});
  j["warnings"] = m.warnings;
  return j;
}

std::string modelInfoText(const json& j, const std::string& path) {
  std::ostringstream o;
  char buf[256];
  o << "City model " << path << "\n";
  const auto& e = j["extent"];
  std::snprintf(buf, sizeof buf, "  frame      %s, origin (%.0f, %.0f)\n",
                j["crs"].get<std::string>().c_str(), j["frame_origin"][0].get<double>(),
                j["frame_origin"][1].get<double>());
  o << buf;
  std::snprintf(buf, sizeof buf, "  extent     x %.1f - %.1f, y %.1f - %.1f\n",
                e["min_x"].get<double>(), e["max_x"].get<double>(), e["min_y"].get<double>(),
                e["max_y"].get<double>());
  o << buf;
  std::snprintf(buf, sizeof buf, "             lat %.5f - %.5f, lon %.5f - %.5f\n",
                e["min_lat"].get<double>(), e["max_lat"].get<double>(), e["min_lon"].get<double>(),
                e["max_lon"].get<double>());
  o << buf;
  o << "  network    " << j["nodes"] << " nodes, " << j["links"]["total"] << " links ("
    << j["boundary_links"] << " at the extract's edge), " << j["signals"] << " signals, "
    << j["turn_restrictions"] << " turn restrictions\n";
  for (const char* mode : {"car", "bike", "foot", "bus"}) {
    std::snprintf(
        buf, sizeof buf,
        "    %-5s %6zu links, %5.1f %% in the largest SCC (%5.1f %% through the outside)\n", mode,
        j["links"][mode].get<std::size_t>(), 100 * j["scc_share"][mode].get<double>(),
        100 * j["scc_share_through_outside"][mode].get<double>());
    o << buf;
  }
  std::snprintf(buf, sizeof buf, "  walkable   %.0f m2 in %zu polygons\n",
                j["walkable_area_m2"].get<double>(), j["walkable_polygons"].get<std::size_t>());
  o << buf;
  o << "  buildings  " << j["buildings"] << " (" << j["buildings_by_source"]["osm"] << " OSM, "
    << j["buildings_by_source"]["cityjson"] << " CityJSON)\n";
  if (!j["city_objects"].empty()) {
    o << "  CityJSON  ";
    for (const auto& [type, n] : j["city_objects"].items()) o << " " << type << " " << n << ";";
    o << "\n";
  }
  for (const auto& l : j["layers"])
    o << "  layer      " << l["name"].get<std::string>() << ": " << l["features"] << " features\n";
  if (!j["terrain"].is_null())
    o << "  terrain    " << j["terrain"]["width"] << " x " << j["terrain"]["height"] << " cells of "
      << j["terrain"]["pixel_size_m"] << " m\n";
  for (const auto& s : j["sources"])
    o << "  source     " << s["path"].get<std::string>() << " (" << s["kind"].get<std::string>()
      << ", " << s["crs"].get<std::string>() << ")\n";
  for (const auto& w : j["warnings"]) o << "  warning    " << w.get<std::string>() << "\n";
  return o.str();
}

}  // namespace citytwin::cli
