#include "citytwin/engine/scenario_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "citytwin/geodata/error.hpp"
#include "citytwin/geodata/frame.hpp"
#include "citytwin/geodata/gpkg_store.hpp"
#include "citytwin/geodata/import.hpp"
#include "intervention_yaml.hpp"
#include "scenario_yaml_reader.hpp"
#include "traffic/traffic_yaml.hpp"

namespace citytwin::engine {
namespace {

namespace fs = std::filesystem;
using geodata::InputError;
using namespace crowd;

/// Road interventions need traffic, crowd ones a crowd.
void checkFits(const Reader& r, const YAML::Node& list, const std::vector<Intervention>& all,
               bool has_crowd, bool has_traffic) {
  for (std::size_t k = 0; k < all.size(); ++k) {
    const Intervention& i = all[k];
    const YAML::Node at = k < list.size() ? list[k] : list;
    if (i.onRoads() && !has_traffic)
      r.fail(at, "'" + i.description + "' changes roads, but the scenario has no traffic",
             "add a traffic section, or use a crowd intervention");
    if (i.onCrowd() && !has_crowd && !std::holds_alternative<ScaleDemand>(i.what))
      r.fail(at, "'" + i.description + "' changes the crowd, but the scenario has no crowd",
             "add a crowd section, or use a road intervention");
  }
}

/// Checks that the interventions fit the scenario's parts and applies those that change it as
/// it is read (crowd space, gates, demand); road ones are applied when the network is built.
void applyOnLoad(const Reader& r, const YAML::Node& list, const std::vector<Intervention>& all,
                 const geodata::CityModel& model, ScenarioFile& out) {
  checkFits(r, list, all, out.has_crowd, out.has_traffic);
  if (out.has_crowd) {
    applyToWalkable(out.crowd, model, all);
    applyToCrowd(out.crowd, all);
  }
  if (out.has_traffic) applyToTrafficDemand(out.traffic, all);
}

StageKind stageKind(const Reader& r, const YAML::Node& n) {
  const auto k = n.as<std::string>();
  if (k == "exit") return StageKind::kExit;
  if (k == "waypoint") return StageKind::kWaypoint;
  if (k == "gate") return StageKind::kGate;
  if (k == "waiting") return StageKind::kWaitingArea;
  r.fail(n, "unknown stage kind '" + k + "'", "use exit, waypoint, gate or waiting");
}

}  // namespace

namespace {
ScenarioFile loadScenario(const std::string& path, geodata::CityModel* city_out, int depth,
                          const std::vector<ScenarioOverride>& overrides);

/// Sets each override in the parsed file (the last key may be new; everything before it must
/// exist), before the file is read, so it is checked like anything written in it.
void applyOverrides(const std::string& path, YAML::Node& root,
                    const std::vector<ScenarioOverride>& overrides) {
  for (const auto& o : overrides) {
    std::vector<std::string> parts;
    for (std::size_t a = 0, b; a <= o.key.size(); a = b + 1) {
      b = o.key.find('.', a);
      if (b == std::string::npos) b = o.key.size();
      parts.push_back(o.key.substr(a, b - a));
    }
    YAML::Node node = root;
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
      const std::string& p = parts[k];
      const bool index = !p.empty() && std::all_of(p.begin(), p.end(), ::isdigit);
      YAML::Node next = index && node.IsSequence() ? node[std::stoul(p)] : node[p];
      if (!next || next.IsNull() || next.IsScalar())
        throw InputError(path, "parameter '" + o.key + "'",
                         "'" + p + "' does not exist in the scenario",
                         "a parameter is a path of keys (and list positions) the scenario has, "
                         "e.g. traffic.truck_share or crowd.sources.0.agents");
      node.reset(next);
    }
    try {
      node[parts.back()] = YAML::Load(o.value);
    } catch (const YAML::Exception& e) {
      throw InputError(path, "parameter '" + o.key + "'", "value '" + o.value + "' is not YAML",
                       "write a number, a word, or [a, b]");
    }
  }
}

ScenarioFile loadScenario(const std::string& path, geodata::CityModel* city_out, int depth,
                          const std::vector<ScenarioOverride>& overrides) {
  YAML::Node root;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "", "file not found", "check the path");
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    throw InputError(path, "line " + std::to_string(e.mark.line + 1), "YAML syntax error: " + e.msg,
                     "fix the indentation or quoting there");
  }
  Reader pre(path, nullptr);
  if (!root["base"]) applyOverrides(path, root, overrides);
  if (root["base"]) {
    pre.keys(root, "a variant",
             {"name", "description", "base", "crs", "interventions", "replications"});
    const auto base = pre.require<std::string>(root, "base", "a variant");
    const std::string base_path =
        (fs::absolute(path).parent_path() / base).lexically_normal().string();
    if (depth > 8 || fs::absolute(path).lexically_normal() == fs::path(base_path))
      pre.fail(root["base"], "variants refer back to themselves", "point base: at a base scenario");
    if (!fs::exists(base_path))
      pre.fail(root["base"], "base scenario '" + base + "' not found",
               "give its path relative to this file");
    geodata::CityModel model;
    ScenarioFile out = loadScenario(base_path, &model, depth + 1, overrides);
    out.path = path;
    out.base_path = base_path;
    out.name = pre.get<std::string>(root, "name", fs::path(path).stem().string());
    out.description = pre.get<std::string>(root, "description", "");
    out.replications = pre.get<int>(root, "replications", out.replications);
    if (out.replications < 1 || out.replications > 1000)
      pre.fail(root["replications"], "replications must be 1 - 1000");
    out.inputs.insert(out.inputs.begin(), path);
    Reader r(path, &model.frame);
    const std::string crs = pre.get<std::string>(root, "crs", out.crs);
    r.setCrs(crs);
    r.setBounds(model.bounds);
    if (!root["interventions"])
      pre.fail(root, "a variant needs 'interventions': the changes it makes to its base");
    std::vector<Intervention> added;
    readInterventions(r, root["interventions"], model, added);
    applyOnLoad(pre, root["interventions"], added, model, out);
    out.interventions.insert(out.interventions.end(), added.begin(), added.end());
    if (city_out) *city_out = std::move(model);
    return out;
  }
  ScenarioFile out;
  out.path = path;
  pre.keys(root, "the scenario",
           {"name", "description", "city", "crs", "crowd", "traffic", "outputs", "interventions",
            "replications"});
  out.description = pre.get<std::string>(root, "description", "");
  out.replications = pre.get<int>(root, "replications", 1);
  if (out.replications < 1 || out.replications > 1000)
    pre.fail(root["replications"], "replications must be 1 - 1000");
  out.name = pre.get<std::string>(root, "name", fs::path(path).stem().string());
  const auto city = pre.require<std::string>(root, "city", "the scenario");
  out.city_path = (fs::absolute(path).parent_path() / city).lexically_normal().string();
  if (!root["crowd"] && !root["traffic"])
    pre.fail(root, "the scenario needs a 'crowd' or a 'traffic' section (or both)");
  geodata::CityModel model = out.city_path.ends_with(".gpkg")
                                 ? geodata::loadGeoPackage(out.city_path)
                                 : geodata::importCity({out.city_path});
  out.inputs.push_back(path);
  out.inputs.push_back(out.city_path);
  Reader r(path, &model.frame);
  out.crs = r.get<std::string>(root, "crs", "local");
  r.setCrs(out.crs);
  r.setBounds(model.bounds);
  if (const YAML::Node i = root["interventions"]) readInterventions(r, i, model, out.interventions);
  if (const YAML::Node t = root["traffic"]) {
    traffic::readTrafficSection(r, t, fs::absolute(path).parent_path().string(), out.traffic);
    out.has_traffic = true;
    if (!out.traffic.od_path.empty()) out.inputs.push_back(out.traffic.od_path);
    if (!out.traffic.gtfs_dir.empty())
      for (const char* f : {"stops.txt", "routes.txt", "trips.txt", "stop_times.txt"})
        out.inputs.push_back(out.traffic.gtfs_dir + "/" + f);
  }
  const YAML::Node c = root["crowd"];
  if (!c) {
    if (const YAML::Node i = root["interventions"]) {
      applyOnLoad(r, i, out.interventions, model, out);
    }
    if (city_out) *city_out = std::move(model);
    return out;
  }
  out.has_crowd = true;
  r.keys(c, "crowd",
         {"time_step", "duration", "seed", "navigation_cell", "model", "groups", "stages",
          "journeys", "sources", "zones", "lines", "evacuation", "stuck_after", "measure_interval",
          "reroute_interval", "congestion_weight", "wall_clearance", "barriers"});
  CrowdScenario& s = out.crowd;
  s.walkable = model.walkable;
  s.time_step_s = r.get<double>(c, "time_step", 0.05);
  s.duration_s = r.get<double>(c, "duration", 3600);
  s.seed = r.get<std::uint64_t>(c, "seed", 1);
  s.nav_cell_m = r.get<float>(c, "navigation_cell", 0.5f);
  s.stuck_after_s = r.get<double>(c, "stuck_after", 60);
  s.measure_interval_s = r.get<double>(c, "measure_interval", 10);
  s.reroute_interval_s = r.get<double>(c, "reroute_interval", 0);
  s.congestion_weight = r.get<float>(c, "congestion_weight", 1.0f);
  s.wall_clearance_m = r.get<float>(c, "wall_clearance", s.wall_clearance_m);
  if (s.time_step_s <= 0 || s.time_step_s > 0.5)
    r.fail(c["time_step"], "time_step must be in (0, 0.5] s");
  if (s.nav_cell_m < 0.05f || s.nav_cell_m > 2.0f)
    r.fail(c["navigation_cell"], "navigation_cell must be 0.05 - 2 m");
  if (const auto m = c["model"]) {
    r.keys(m, "crowd.model",
           {"name", "time_gap", "neighbour_strength", "neighbour_range", "wall_strength",
            "wall_range", "overtaking", "relaxation_time", "body_stiffness"});
    const auto name = r.get<std::string>(m, "name", "collision_free_speed");
    if (name == "social_force")
      s.operational_model = OperationalModel::kSocialForce;
    else if (name != "collision_free_speed")
      r.fail(m["name"], "unknown model '" + name + "'", "use collision_free_speed or social_force");
    auto& sf = s.social_force;
    sf.relaxation_time_s = r.get<float>(m, "relaxation_time", sf.relaxation_time_s);
    sf.body_stiffness = r.get<float>(m, "body_stiffness", sf.body_stiffness);
    if (s.operational_model == OperationalModel::kSocialForce) {
      sf.neighbour_strength = r.get<float>(m, "neighbour_strength", sf.neighbour_strength);
      sf.neighbour_range_m = r.get<float>(m, "neighbour_range", sf.neighbour_range_m);
      sf.wall_strength = r.get<float>(m, "wall_strength", sf.wall_strength);
      sf.wall_range_m = r.get<float>(m, "wall_range", sf.wall_range_m);
    }
    s.model.time_gap_s = r.get<float>(m, "time_gap", s.model.time_gap_s);
    s.model.neighbour_strength = r.get<float>(m, "neighbour_strength", s.model.neighbour_strength);
    s.model.neighbour_range_m = r.get<float>(m, "neighbour_range", s.model.neighbour_range_m);
    s.model.wall_strength = r.get<float>(m, "wall_strength", s.model.wall_strength);
    s.model.wall_range_m = r.get<float>(m, "wall_range", s.model.wall_range_m);
    s.model.overtaking = r.get<float>(m, "overtaking", s.model.overtaking);
  }
  std::map<std::string, std::size_t> group_index, stage_index, journey_index, source_index;
  if (const auto gs = c["groups"]) {
    s.groups.clear();
    for (const auto& g : gs) {
      r.keys(g, "a group", {"name", "radius", "speed"});
      PopulationGroup pg;
      pg.name = r.require<std::string>(g, "name", "a group");
      pg.radius = r.get<float>(g, "radius", pg.radius);
      if (const auto sp = g["speed"]) {
        r.keys(sp, "a group's speed", {"mean", "sd", "min", "max"});
        pg.speed = {r.get<float>(sp, "mean", 1.34f), r.get<float>(sp, "sd", 0.26f),
                    r.get<float>(sp, "min", 0.3f), r.get<float>(sp, "max", 2.5f)};
      }
      group_index[pg.name] = s.groups.size();
      s.groups.push_back(pg);
    }
  }
  for (const auto& st : c["stages"]) {
    r.keys(st, "a stage",
           {"name", "kind", "service_rate", "wait", "polygon", "circle", "polygons", "circles"});
    Stage stage;
    stage.name = r.require<std::string>(st, "name", "a stage");
    if (stage_index.contains(stage.name)) r.fail(st, "stage '" + stage.name + "' is defined twice");
    stage.kind = st["kind"] ? stageKind(r, st["kind"]) : StageKind::kExit;
    stage.service_rate = r.get<float>(st, "service_rate", 0.0f);
    stage.wait_s = r.get<float>(st, "wait", 0.0f);
    if (stage.kind == StageKind::kGate && stage.service_rate <= 0)
      r.fail(st, "gate '" + stage.name + "' needs a service_rate > 0 (people per second)");
    stage.area = r.area(st, "stage '" + stage.name + "'");
    stage_index[stage.name] = s.stages.size();
    s.stages.push_back(std::move(stage));
  }
  auto stageRef = [&](const YAML::Node& n) {
    const auto name = n.as<std::string>();
    auto it = stage_index.find(name);
    if (it == stage_index.end())
      r.fail(n, "no stage named '" + name + "'", "define it under crowd.stages");
    return static_cast<std::uint32_t>(it->second);
  };
  for (const auto& j : c["journeys"]) {
    r.keys(j, "a journey", {"name", "stages"});
    Journey journey;
    journey.name = r.require<std::string>(j, "name", "a journey");
    for (const auto& st : j["stages"]) journey.stages.push_back(stageRef(st));
    if (journey.stages.empty()) r.fail(j, "journey '" + journey.name + "' has no stages");
    journey_index[journey.name] = s.journeys.size();
    s.journeys.push_back(std::move(journey));
  }
  for (const auto& src : c["sources"]) {
    r.keys(src, "a source",
           {"name", "journey", "agents", "profile", "groups", "polygon", "circle", "polygons",
            "circles"});
    Source source;
    source.name = r.require<std::string>(src, "name", "a source");
    const auto jname = r.require<std::string>(src, "journey", "source '" + source.name + "'");
    auto jt = journey_index.find(jname);
    if (jt == journey_index.end()) r.fail(src["journey"], "no journey named '" + jname + "'");
    source.journey = static_cast<std::uint32_t>(jt->second);
    source.agents = r.require<std::uint32_t>(src, "agents", "source '" + source.name + "'");
    for (const auto& step : src["profile"]) {
      if (!step.IsSequence() || step.size() != 2)
        r.fail(step, "a profile step is [from_s, people_per_s]");
      source.profile.push_back({step[0].as<double>(), step[1].as<double>()});
    }
    if (const auto shares = src["groups"]) {
      source.group_shares.assign(s.groups.size(), 0.0f);
      for (const auto& kv : shares) {
        const auto gname = kv.first.as<std::string>();
        auto gt = group_index.find(gname);
        if (gt == group_index.end()) r.fail(kv.first, "no group named '" + gname + "'");
        source.group_shares[gt->second] = kv.second.as<float>();
      }
    }
    source.area = r.area(src, "source '" + source.name + "'");
    source_index[source.name] = s.sources.size();
    s.sources.push_back(std::move(source));
  }
  for (const auto& z : c["zones"]) {
    r.keys(z, "a zone", {"name", "polygon", "circle", "polygons", "circles"});
    MeasurementZone zone;
    zone.name = r.require<std::string>(z, "name", "a zone");
    zone.area = r.area(z, "zone '" + zone.name + "'");
    s.zones.push_back(std::move(zone));
  }
  for (const auto& l : c["lines"]) {
    r.keys(l, "a line", {"name", "from", "to"});
    MeasurementLine line;
    line.name = r.require<std::string>(l, "name", "a line");
    line.a = r.point(l["from"]);
    line.b = r.point(l["to"]);
    s.lines.push_back(std::move(line));
  }
  if (const auto e = c["evacuation"]) {
    r.keys(e, "crowd.evacuation", {"at", "exits", "assigned"});
    s.evacuation.start_s = r.require<double>(e, "at", "crowd.evacuation");
    for (const auto& x : e["exits"]) s.evacuation.exits.push_back(stageRef(x));
    if (s.evacuation.exits.empty()) r.fail(e, "an evacuation needs at least one exit");
    if (const auto a = e["assigned"]) {
      s.evacuation.assigned_exit_per_source.assign(s.sources.size(), -1);
      for (const auto& kv : a) {
        auto st = source_index.find(kv.first.as<std::string>());
        if (st == source_index.end())
          r.fail(kv.first, "no source named '" + kv.first.as<std::string>() + "'");
        const auto stage = stageRef(kv.second);
        auto pos = std::find(s.evacuation.exits.begin(), s.evacuation.exits.end(), stage);
        if (pos == s.evacuation.exits.end())
          r.fail(kv.second, "the assigned exit is not in the evacuation's exits");
        s.evacuation.assigned_exit_per_source[st->second] =
            static_cast<std::int32_t>(pos - s.evacuation.exits.begin());
      }
    }
  }
  for (const auto& b : c["barriers"]) {
    r.keys(b, "a barrier", {"name", "line", "polygon", "circle", "polygons", "circles", "file"});
    const auto name = r.get<std::string>(b, "name", "");
    for (auto& line : barrierLines(r, b, "barrier '" + name + "'")) {
      s.barriers.push_back(std::move(line));
      s.barrier_names.push_back(name);
    }
  }
  if (s.sources.empty()) r.fail(c, "crowd.sources is empty: nobody would walk");
  if (const YAML::Node i = root["interventions"]) {
    applyOnLoad(r, i, out.interventions, model, out);
  }
  if (const auto o = root["outputs"]) {
    r.keys(o, "outputs", {"trajectory_every"});
    out.trajectory_every = r.get<int>(o, "trajectory_every", 10);
  }
  if (city_out) *city_out = std::move(model);
  return out;
}

}  // namespace

ScenarioFile loadScenarioFile(const std::string& path, geodata::CityModel* city_out,
                              const std::vector<ScenarioOverride>& overrides) {
  return loadScenario(path, city_out, 0, overrides);
}

}  // namespace citytwin::engine
