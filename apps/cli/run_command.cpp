#include "run_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/engine/traffic/city_network.hpp"
#include "citytwin/geodata/error.hpp"
#include "citytwin/version.hpp"
#include "kpis.hpp"
#include "output_file.hpp"
#include "progress_bar.hpp"
#include "provenance.hpp"
#include "traffic_run_command.hpp"
#include "virtual_sensors.hpp"

namespace citytwin::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace citytwin::engine::crowd;
using citytwin::engine::loadScenarioFile;
using citytwin::engine::ScenarioFile;

/// The sweep values a run was made with, as its summary records them (and resuming compares).
json overridesJson(const RunOptions& o) {
  json j = json::object();
  for (const auto& ov : o.overrides) j[ov.key] = ov.value;
  return j;
}

}  // namespace

namespace {

void runCrowd(const ScenarioFile& file, const geodata::CityModel& city, const RunOptions& o,
              ProgressBar& bar, json& j, VirtualSensors* sensors) {
  const fs::path out = o.out_dir;
  bar.update("building routes", 0.0);
  const auto t0 = std::chrono::steady_clock::now();
  CrowdSimulation sim(file.crowd, o.threads);
  const auto& s = sim.scenario();

  OutputFile traj(out / "trajectories.txt");
  const double fps =
      file.trajectory_every > 0 ? 1.0 / (s.time_step_s * file.trajectory_every) : 0.0;
  traj.stream() << "# description: CityTwin crowd simulation of " << file.name << "\n"
                << "# framerate: " << fps << "\n"
                << "# geometry: walkable space of " << file.city_path << " (local frame, "
                << city.frame.crs << " minus origin " << city.frame.origin.x << " "
                << city.frame.origin.y << ")\n"
                << "# ID: the agent ID\n# FR: the current frame\n# X,Y,Z: the agents coordinates "
                   "(in metres)\n"
                << "#ID\tFR\tX\tY\tZ\n";
  std::size_t frame = 0, agent_steps = 0;
  auto writeFrame = [&] {
    char line[96];
    for (std::size_t i = 0; i < sim.agentCount(); ++i) {
      const int n = std::snprintf(line, sizeof line, "%u\t%zu\t%.3f\t%.3f\t0\n", sim.ids()[i],
                                  frame, sim.x()[i], sim.y()[i]);
      traj.stream().write(line, n);
    }
    ++frame;
  };
  const auto t1 = std::chrono::steady_clock::now();
  if (sensors) sensors->observe(sim);
  while (!sim.finished()) {
    sim.step();
    if (sensors) sensors->observe(sim);
    agent_steps += sim.agentCount();
    if (file.trajectory_every > 0 &&
        sim.steps() % static_cast<std::size_t>(file.trajectory_every) == 0)
      writeFrame();
    if (sim.steps() % 20 == 0)
      bar.update("t = " + std::to_string(static_cast<int>(sim.time())) + " s, " +
                     std::to_string(sim.agentCount()) + " people",
                 sim.time() / s.duration_s);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const double setup = std::chrono::duration<double>(t1 - t0).count();
  bar.update("done", 1.0);
  bar.finish();
  traj.commit();

  const CrowdSummary sum = sim.summary();
  {
    OutputFile ts(out / "timeseries.csv");
    auto& f = ts.stream();
    f << "time_s,agents,arrived";
    for (const auto& z : s.zones)
      f << ",density:" << z.name << ",voronoi:" << z.name << ",fruin:" << z.name;
    for (const auto& l : s.lines) f << ",flow:" << l.name << ",speed:" << l.name;
    f << "\n";
    for (const auto& row : sim.samples()) {
      f << row.time_s << "," << row.agents << "," << row.arrived;
      for (std::size_t z = 0; z < s.zones.size(); ++z)
        f << "," << row.zone_density[z] << "," << row.zone_voronoi[z] << ","
          << fruinLevel(row.zone_density[z]);
      for (std::size_t l = 0; l < s.lines.size(); ++l)
        f << "," << row.line_flow[l] << "," << row.line_speed[l];
      f << "\n";
    }
    ts.commit();
  }
  {
    OutputFile tt(out / "travel_times.csv");
    tt.stream() << "id,travel_time_s,waiting_time_s\n";
    for (std::size_t k = 0; k < sim.travelTimes().size(); ++k)
      tt.stream() << sim.arrivedIds()[k] << "," << sim.travelTimes()[k] << ","
                  << sim.waitingTimes()[k] << "\n";
    tt.commit();
  }
  j["agents_spawned"] = sum.agents_spawned;
  j["agents_arrived"] = sum.agents_arrived;
  j["agents_stuck"] = sum.agents_stuck;
  j["agents_remaining"] = sum.agents_remaining;
  j["max_density_per_zone"] = json::object();
  for (std::size_t z = 0; z < s.zones.size(); ++z)
    j["max_density_per_zone"][s.zones[z].name] = sum.max_density_per_zone[z];
  j["max_voronoi_density_per_zone"] = json::object();
  for (std::size_t z = 0; z < s.zones.size(); ++z)
    j["max_voronoi_density_per_zone"][s.zones[z].name] = sum.max_voronoi_density_per_zone[z];
  j["max_queue_per_gate"] = json::object();
  for (std::size_t k = 0; k < s.stages.size(); ++k)
    if (s.stages[k].kind == engine::crowd::StageKind::kGate)
      j["max_queue_per_gate"][s.stages[k].name] = sum.max_queue_per_stage[k];
  j["evacuation_time_s"] = sum.evacuation_time_s >= 0 ? json(sum.evacuation_time_s) : json(nullptr);
  j["mean_travel_time_s"] = sum.mean_travel_time_s;
  j["mean_waiting_time_s"] = sum.mean_waiting_time_s;
  j["exits"] = json::object();
  for (std::size_t k = 0; k < s.stages.size(); ++k)
    if (sim.exitCounts()[k] > 0) j["exits"][s.stages[k].name] = sim.exitCounts()[k];
  j["steps"] = sum.steps;
  j["simulated_time_s"] = sum.simulated_time_s;
  j["wall_time_s"] = wall;
  j["setup_time_s"] = setup;
  j["agent_steps_per_second"] = wall > 0 ? static_cast<double>(agent_steps) / wall : 0.0;
  j["routing_memory_bytes"] = sim.routing().bytes();  // grid and distance fields (bounded memory)
  j["threads"] = sim.threads();
  j["seed"] = s.seed;
  j["model"] = {{"name", "collision-free speed (Tordeux et al. 2016) with overtaking"},
                {"time_gap_s", s.model.time_gap_s},
                {"neighbour_strength", s.model.neighbour_strength},
                {"neighbour_range_m", s.model.neighbour_range_m},
                {"wall_strength", s.model.wall_strength},
                {"wall_range_m", s.model.wall_range_m},
                {"overtaking", s.model.overtaking},
                {"time_step_s", s.time_step_s},
                {"navigation_cell_m", s.nav_cell_m}};
  if (!o.quiet)
    std::cerr << "crowd: " << sum.agents_spawned << " spawned, " << sum.agents_arrived
              << " arrived, " << sum.agents_stuck << " stuck, " << sum.agents_remaining
              << " still walking\n";
}

}  // namespace

int runOnce(const RunOptions& o) {
  geodata::CityModel city;
  ScenarioFile file = loadScenarioFile(o.scenario, &city, o.overrides);
  if (o.seed >= 0) {
    file.crowd.seed = static_cast<std::uint64_t>(o.seed);
    file.traffic.config.seed = static_cast<std::uint64_t>(o.seed);
  }
  file.crowd.seed += static_cast<std::uint64_t>(o.seed_offset);
  file.traffic.config.seed += static_cast<std::uint64_t>(o.seed_offset);
  const fs::path out = o.out_dir;
  prepareOutputFolder(out, o.force);
  ProgressBar bar(!o.quiet);
  json j;
  j["scenario"] = file.name;
  j["inputs"] = inputRecords(file.inputs);
  j["seeds"] = {{"crowd", file.has_crowd ? json(file.crowd.seed) : json(nullptr)},
                {"traffic", file.has_traffic ? json(file.traffic.config.seed) : json(nullptr)}};
  j["overrides"] = overridesJson(o);
  j["seed_offset"] = o.seed_offset;  // with the inputs: tells a finished run of the same
  j["seed_override"] = o.seed;       // scenario from another's, to resume replications
  j["frame"] = {{"crs", city.frame.crs},
                {"origin_x", city.frame.origin.x},
                {"origin_y", city.frame.origin.y}};
  j["scenario_file"] = fs::absolute(o.scenario).string();
  j["city"] = file.city_path;
  if (!file.base_path.empty()) j["base_scenario"] = fs::absolute(file.base_path).string();
  if (!file.description.empty()) j["description"] = file.description;
  j["interventions"] = nlohmann::json::array();
  for (const auto& i : file.interventions) j["interventions"].push_back(i.description);
  // The observation set's sensors count people and vehicles alike, on the traffic's clock
  // (time of day) where there is traffic, else from the scenario's start.
  const double clock_start = file.has_traffic ? file.traffic.config.begin_s : 0.0;
  std::unique_ptr<VirtualSensors> sensors;
  if (!o.sensors.empty())
    sensors = std::make_unique<VirtualSensors>(o.sensors, city.frame, clock_start);
  if (file.has_crowd) runCrowd(file, city, o, bar, j, sensors.get());
  if (file.has_traffic) {
    bar.update("building the road network and routing trips", 0.0);
    auto setup = engine::prepareTraffic(city, file, o.threads);
    const auto& net = setup.net;
    const auto& demand = setup.demand;
    TrafficRunOptions t;
    t.out_dir = o.out_dir;
    t.threads = o.threads;
    t.quiet = o.quiet;
    t.report_crs = city.frame.crs;
    t.report_offset_x = city.frame.origin.x;
    t.report_offset_y = city.frame.origin.y;
    if (setup.closures)
      t.before_step = [&](engine::traffic::TrafficSimulation& sim) { setup.closures->update(sim); };
    if (!file.traffic.od_path.empty()) j["od_matrix"] = file.traffic.od_path;
    if (!file.traffic.gtfs_dir.empty()) j["gtfs"] = file.traffic.gtfs_dir;
    if (sensors) {
      sensors->attachTraffic(demand.trips.size());
      t.after_step = [&](const engine::traffic::TrafficSimulation& sim) { sensors->observe(sim); };
    }
    runTraffic(net, demand, file.traffic.config, t, bar, j);
    if (!o.quiet) {
      std::cerr << "traffic: " << j["vehicles_inserted"] << " inserted, " << j["vehicles_arrived"]
                << " arrived, " << j["vehicles_stuck"] << " stuck over "
                << file.traffic.config.stuck_after_s << " s, " << j["vehicles_running"]
                << " still driving\n";
      for (const auto& w : demand.warnings) std::cerr << "warning: " << w << "\n";
    }
  }
  if (sensors) {
    double end = file.has_traffic ? file.traffic.config.end_s : 0.0;
    if (file.has_crowd) end = std::max(end, clock_start + file.crowd.duration_s);
    j["sensors"] = sensors->write(out, end);
  }
  j["citytwin"] = {{"version", kVersion}, {"commit", kGitCommit}};
  OutputFile summary(out / "summary.json");
  summary.stream() << j.dump(2) << "\n";
  summary.commit();
  if (!o.quiet) std::cerr << "wrote " << out.string() << "\n";
  return 0;
}

namespace {

/// True when `dir` holds a finished run of the same inputs with the same seeds.
bool finishedSame(const fs::path& dir, const json& inputs, long long seed_offset,
                  const RunOptions& o) {
  std::ifstream in(dir / "summary.json");
  if (!in) return false;
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || j.value("inputs", json()) != inputs) return false;
  if (j.value("overrides", json::object()) != overridesJson(o)) return false;
  return j.value("seed_offset", -1LL) == seed_offset && j.value("seed_override", -1LL) == o.seed;
}

}  // namespace

std::vector<fs::path> runReplications(const RunOptions& o, int count, bool quiet_each) {
  const ScenarioFile file = loadScenarioFile(o.scenario, nullptr, o.overrides);
  const json inputs = inputRecords(file.inputs);
  std::vector<fs::path> dirs;
  for (int k = 0; k < count; ++k) {
    char name[16];
    std::snprintf(name, sizeof name, "rep-%03d", k + 1);
    const fs::path dir = fs::path(o.out_dir) / name;
    dirs.push_back(dir);
    const long long offset = o.seed_offset + k;
    if (!o.force && finishedSame(dir, inputs, offset, o)) {
      if (!o.quiet) std::cerr << "replication " << k + 1 << "/" << count << ": done before\n";
      continue;
    }
    if (!o.quiet) std::cerr << "replication " << k + 1 << "/" << count << "\n";
    if (!o.force && fs::exists(dir / "summary.json"))
      throw geodata::InputError((dir / "summary.json").string(), "",
                                "holds the results of another scenario, input or seed",
                                "use another --out, or --force to replace them");
    RunOptions one = o;
    one.out_dir = dir.string();
    one.seed_offset = offset;
    one.force = true;  // an unfinished replication's partial files are replaced
    one.quiet = o.quiet || quiet_each;
    runOnce(one);
  }
  return dirs;
}

int runScenario(const RunOptions& o) {
  const int count = o.replications > 0 ? o.replications : loadScenarioFile(o.scenario).replications;
  if (count <= 1) return runOnce(o);
  const fs::path out = o.out_dir;
  prepareOutputFolder(out, o.force);
  const auto dirs = runReplications(o, count, false);
  // Each KPI over the replications.
  std::map<std::string, std::vector<double>> values;
  std::map<std::string, Kpi> meta;
  OutputFile table(out / "replications.csv");
  table.stream() << "replication,kpi,unit,value\n";
  for (std::size_t k = 0; k < dirs.size(); ++k)
    for (const auto& kpi : readKpis(dirs[k])) {
      values[kpi.key].push_back(kpi.value);
      meta[kpi.key] = kpi;
      table.stream() << k + 1 << "," << kpi.key << "," << kpi.unit << "," << kpi.value << "\n";
    }
  table.commit();
  json j;
  j["scenario_file"] = fs::absolute(o.scenario).string();
  j["replications"] = count;
  j["replication_folders"] = json::array();
  for (const auto& d : dirs) j["replication_folders"].push_back(d.filename().string());
  j["kpis"] = json::object();
  for (const auto& [key, v] : values) {
    const MeanCi m = meanCi(v);
    j["kpis"][key] = {{"label", meta[key].label}, {"unit", meta[key].unit}, {"mean", m.mean},
                      {"ci95_low", m.low},        {"ci95_high", m.high},    {"n", m.n}};
  }
  j["provenance"] = softwareAndMachine();
  OutputFile summary(out / "summary.json");
  summary.stream() << j.dump(2) << "\n";
  summary.commit();
  if (!o.quiet) std::cerr << "wrote " << out.string() << " (" << count << " replications)\n";
  return 0;
}

}  // namespace citytwin::cli
