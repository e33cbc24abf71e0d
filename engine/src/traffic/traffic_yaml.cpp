#include "traffic_yaml.hpp"

#include <cstdio>
#include <filesystem>

namespace citytwin::engine::traffic {

void readTrafficSection(const Reader& r, const YAML::Node& t, const std::string& scenario_dir,
                        TrafficScenario& out) {
  r.keys(t, "traffic",
         {"begin", "end", "time_step", "seed", "stuck_after", "aggregate_interval", "signal_green",
          "bicycles", "zones", "od_matrix", "truck_share", "reroute_interval", "bus_lines"});
  auto& c = out.config;
  c.begin_s = r.timeOfDay(t, "begin", 0.0);
  c.end_s = r.timeOfDay(t, "end", c.begin_s + 3600.0);
  c.time_step_s = r.get<double>(t, "time_step", 1.0);
  c.seed = r.get<std::uint64_t>(t, "seed", 42);
  c.stuck_after_s = r.get<double>(t, "stuck_after", 300.0);
  c.aggregate_interval_s = r.get<double>(t, "aggregate_interval", 900.0);
  c.reroute_interval_s = r.get<double>(t, "reroute_interval", 0.0);
  if (c.reroute_interval_s < 0.0)
    r.fail(t["reroute_interval"], "traffic.reroute_interval is negative");
  if (c.end_s <= c.begin_s) r.fail(t["end"] ? t["end"] : t, "traffic.end must be after begin");
  if (c.time_step_s <= 0.0 || c.time_step_s > 2.0)
    r.fail(t["time_step"], "traffic.time_step must be in (0, 2] seconds");
  out.network.signal_green_s = r.get<float>(t, "signal_green", 30.0f);
  out.network.bicycles = r.get<bool>(t, "bicycles", true);
  out.truck_share = r.get<double>(t, "truck_share", 0.0);
  if (out.truck_share < 0.0 || out.truck_share > 1.0)
    r.fail(t["truck_share"], "traffic.truck_share is a fraction between 0 and 1");
  for (const auto& z : t["zones"]) {
    r.keys(z, "a traffic zone", {"name", "polygon", "circle", "polygons", "circles", "boundary"});
    TrafficZone zone;
    zone.name = r.require<std::string>(z, "name", "a traffic zone");
    zone.boundary = r.get<bool>(z, "boundary", false);
    if (!zone.boundary) zone.area = r.area(z, "zone '" + zone.name + "'");
    for (const auto& other : out.zones)
      if (other.name == zone.name) r.fail(z["name"], "zone '" + zone.name + "' is defined twice");
    out.zones.push_back(std::move(zone));
  }
  if (const YAML::Node b = t["bus_lines"]) {
    r.keys(b, "traffic.bus_lines", {"gtfs", "routes", "min_dwell", "max_stop_distance"});
    const auto dir = r.require<std::string>(b, "gtfs", "traffic.bus_lines");
    out.gtfs_dir = (std::filesystem::path(scenario_dir) / dir).lexically_normal().string();
    if (!std::filesystem::is_directory(out.gtfs_dir))
      r.fail(b["gtfs"], "traffic.bus_lines.gtfs '" + dir + "' is not a folder",
             "unzip the GTFS feed and name its folder, relative to the scenario file");
    out.bus_lines.routes = r.get<std::vector<std::string>>(b, "routes", {});
    out.bus_lines.min_dwell_s = r.get<float>(b, "min_dwell", 15.0f);
    out.bus_lines.max_stop_distance_m = r.get<double>(b, "max_stop_distance", 40.0);
    if (out.bus_lines.min_dwell_s < 0.0f)
      r.fail(b["min_dwell"], "traffic.bus_lines.min_dwell is negative");
    if (out.bus_lines.max_stop_distance_m <= 0.0)
      r.fail(b["max_stop_distance"], "traffic.bus_lines.max_stop_distance must be positive");
  }
  if (!t["od_matrix"] && !out.gtfs_dir.empty()) return;  // buses only
  const auto od = r.require<std::string>(t, "od_matrix", "traffic");
  out.od_path = (std::filesystem::path(scenario_dir) / od).lexically_normal().string();
  out.od = readOdMatrix(out.od_path, out.zones);
}

}  // namespace citytwin::engine::traffic
