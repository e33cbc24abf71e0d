#include "compare_command.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/engine/traffic/city_network.hpp"
#include "citytwin/geodata/error.hpp"
#include "compare_maps.hpp"
#include "compare_report.hpp"
#include "kpis.hpp"
#include "output_file.hpp"
#include "provenance.hpp"
#include "run_command.hpp"

namespace citytwin::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// A name usable as a folder and a GeoPackage field: the file's stem, letters, digits, _.
std::string safeName(const std::string& path) {
  std::string s = fs::path(path).stem().string();
  for (auto& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

json readJson(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

}  // namespace

int runCompare(const CompareOptions& o) {
  if (o.scenarios.size() < 2)
    throw geodata::InputError("citytwin compare", "",
                              "needs a base scenario and at least one variant",
                              "citytwin compare BASE.yaml VARIANT.yaml ... --out DIR");
  const fs::path out = o.out_dir;
  fs::create_directories(out / "runs");
  // Load every scenario first: a mistake in any of them stops before hours of running.
  std::vector<ComparedScenario> scenarios;
  geodata::CityModel city;
  for (std::size_t k = 0; k < o.scenarios.size(); ++k) {
    ComparedScenario s;
    s.file = fs::absolute(o.scenarios[k]).lexically_normal().string();
    s.scenario = engine::loadScenarioFile(s.file, k == 0 ? &city : nullptr);
    s.name = safeName(s.file);
    for (const auto& other : scenarios)
      if (other.name == s.name) s.name += "_" + std::to_string(k + 1);
    scenarios.push_back(std::move(s));
  }
  const int reps = o.replications > 0 ? o.replications : scenarios[0].scenario.replications;
  // Run (or reuse) the replications, the same seeds for every scenario.
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    auto& s = scenarios[k];
    if (!o.quiet)
      std::cerr << "scenario " << k + 1 << "/" << scenarios.size() << ": " << s.scenario.name
                << "\n";
    RunOptions r;
    r.scenario = s.file;
    r.out_dir = (out / "runs" / s.name).string();
    r.threads = o.threads;
    r.force = o.force;
    r.quiet = o.quiet;
    s.runs = runReplications(r, reps, false);
    for (const auto& d : s.runs) {
      s.summaries.push_back(readJson(d / "summary.json"));
      s.kpis.push_back(readKpis(s.summaries.back(), d));
    }
  }
  if (!o.quiet) std::cerr << "comparing\n";
  // KPIs: mean and 95 % interval per scenario; differences to the base paired by seed.
  const auto& base = scenarios[0];
  std::vector<KpiRow> rows;
  for (std::size_t i = 0; i < base.kpis[0].size(); ++i) {
    const Kpi& def = base.kpis[0][i];
    KpiRow row;
    row.kpi = def;
    for (const auto& s : scenarios) {
      std::vector<double> v;
      for (const auto& run : s.kpis)
        for (const auto& k : run)
          if (k.key == def.key) v.push_back(k.value);
      row.per_scenario.push_back(meanCi(v));
      std::vector<double> d;
      if (v.size() == base.kpis.size() && &s != &base)
        for (std::size_t r = 0; r < v.size(); ++r)
          for (const auto& k : base.kpis[r])
            if (k.key == def.key) d.push_back(v[r] - k.value);
      row.diff.push_back(meanCi(d));
    }
    rows.push_back(std::move(row));
  }
  {
    OutputFile f(out / "kpis.csv");
    f.stream() << "scenario,kpi,label,unit,lower_is_better,mean,ci95_low,ci95_high,n,diff_vs_base,"
                  "diff_ci95_low,diff_ci95_high\n";
    for (const auto& row : rows)
      for (std::size_t k = 0; k < scenarios.size(); ++k) {
        const auto& m = row.per_scenario[k];
        const auto& d = row.diff[k];
        f.stream() << scenarios[k].name << "," << row.kpi.key << ",\"" << row.kpi.label << "\","
                   << row.kpi.unit << "," << (row.kpi.lower_is_better ? 1 : 0) << "," << m.mean
                   << "," << m.low << "," << m.high << "," << m.n << ",";
        if (k > 0 && d.n > 0)
          f.stream() << d.mean << "," << d.low << "," << d.high << "\n";
        else
          f.stream() << ",,\n";
      }
    f.commit();
  }
  json kj;
  kj["base"] = base.name;
  kj["replications"] = reps;
  kj["kpis"] = json::array();
  for (const auto& row : rows) {
    json r = {{"key", row.kpi.key},
              {"label", row.kpi.label},
              {"unit", row.kpi.unit},
              {"lower_is_better", row.kpi.lower_is_better},
              {"scenarios", json::object()}};
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
      const auto& m = row.per_scenario[k];
      json e = {{"mean", m.mean}, {"ci95", {m.low, m.high}}, {"n", m.n}};
      if (k > 0 && row.diff[k].n > 0)
        e["diff_vs_base"] = {{"mean", row.diff[k].mean},
                             {"ci95", {row.diff[k].low, row.diff[k].high}}};
      r["scenarios"][scenarios[k].name] = e;
    }
    kj["kpis"].push_back(r);
  }
  {
    OutputFile f(out / "kpis.json");
    f.stream() << kj.dump(2) << "\n";
    f.commit();
  }
  // Maps: crowd density and speed per cell, traffic flow and speed per road.
  Maps maps;
  maps.frame = city.frame;
  maps.grid = gridOver(city.bounds, o.cell_m);
  for (const auto& l : city.links) maps.context.push_back(l.geometry);
  const bool crowd = base.scenario.has_crowd && base.scenario.trajectory_every > 0;
  const bool traffic = base.scenario.has_traffic;
  if (crowd)
    for (const auto& s : scenarios) {
      std::vector<CrowdMap> per_run;
      for (const auto& d : s.runs)
        per_run.push_back(crowdMapFromTrajectories(d / "trajectories.txt", maps.grid));
      maps.crowd.push_back(meanMap(per_run));
    }
  if (traffic) {
    const auto net = engine::traffic::buildCityNetwork(city, base.scenario.traffic.network);
    for (const auto& e : net.edges) {
      std::vector<geodata::Vec2> line;
      const auto& lane = net.lanes[e.first_lane];
      for (auto p = lane.shape_begin; p < lane.shape_end; ++p) line.push_back(net.shape_points[p]);
      maps.road_lines.push_back(line);
      maps.road_ids.push_back(e.id);
      maps.road_names.push_back(e.name);
    }
    for (const auto& s : scenarios) {
      std::vector<RoadMap> per_run;
      for (const auto& d : s.runs)
        per_run.push_back(roadMapFromAggregates(d / "edge_aggregates.csv"));
      maps.roads.push_back(meanRoadMap(per_run));
    }
  }
  std::vector<MapLayer> cell_layers, road_layers;
  for (std::size_t k = 0; k < scenarios.size() && crowd; ++k) {
    cell_layers.push_back({"peak_density_" + scenarios[k].name, maps.crowd[k].peak_density});
    cell_layers.push_back({"speed_" + scenarios[k].name, maps.crowd[k].mean_speed});
    if (k == 0) continue;
    MapLayer dd{"diff_peak_density_" + scenarios[k].name, {}},
        ds{"diff_speed_" + scenarios[k].name, {}};
    for (std::size_t c = 0; c < maps.grid.size(); ++c) {
      dd.values.push_back(maps.crowd[k].peak_density[c] - maps.crowd[0].peak_density[c]);
      ds.values.push_back(maps.crowd[k].mean_speed[c] - maps.crowd[0].mean_speed[c]);
    }
    cell_layers.push_back(dd);
    cell_layers.push_back(ds);
  }
  for (std::size_t k = 0; k < scenarios.size() && traffic; ++k) {
    MapLayer flow{"vehicles_" + scenarios[k].name, {}}, speed{"speed_" + scenarios[k].name, {}},
        diff{"diff_vehicles_" + scenarios[k].name, {}};
    for (const auto& id : maps.road_ids) {
      const auto it = maps.roads[k].find(id);
      const auto b = maps.roads[0].find(id);
      const double v = it == maps.roads[k].end() ? 0.0 : it->second.vehicles;
      const double bv = b == maps.roads[0].end() ? 0.0 : b->second.vehicles;
      flow.values.push_back(v);
      speed.values.push_back(it == maps.roads[k].end() ? NAN : it->second.speed);
      diff.values.push_back(v - bv);
    }
    road_layers.push_back(flow);
    road_layers.push_back(speed);
    if (k > 0) road_layers.push_back(diff);
  }
  maps.cell_layers = cell_layers;
  maps.road_layers = road_layers;
  writeLayers(out / "layers.gpkg", city.frame, maps.grid, cell_layers, maps.road_lines,
              maps.road_ids, maps.road_names, road_layers);
  for (const auto& l : cell_layers)
    if (l.name.starts_with("peak_density_") || l.name.starts_with("diff_peak_density_"))
      writeGeoTiff(out / (l.name + ".tif"), city.frame, maps.grid, l.values);
  // Provenance.
  json prov = softwareAndMachine();
  prov["replications"] = reps;
  prov["seeds"] =
      "replication k runs with the scenario's seeds + (k - 1); every scenario uses "
      "the same seeds";
  prov["scenarios"] = json::array();
  for (const auto& s : scenarios) {
    json e = {{"name", s.name},
              {"title", s.scenario.name},
              {"file", s.file},
              {"base", s.scenario.base_path},
              {"description", s.scenario.description},
              {"interventions", json::array()},
              {"inputs", s.summaries[0].value("inputs", json::array())},
              {"runs", json::array()}};
    for (const auto& i : s.scenario.interventions) e["interventions"].push_back(i.description);
    for (std::size_t r = 0; r < s.runs.size(); ++r) {
      const json& j = s.summaries[r];
      e["runs"].push_back({{"folder", fs::relative(s.runs[r], out).string()},
                           {"seeds", j.value("seeds", json())},
                           {"threads", j.value("threads", 0)},
                           {"wall_time_s", j.value("wall_time_s", 0.0)},
                           {"citytwin", j.value("citytwin", json())}});
    }
    const json& j0 = s.summaries[0];
    for (const char* key :
         {"model", "traffic_model", "vehicle_types", "emission_model", "noise_model"})
      if (j0.contains(key)) e[key] = j0[key];
    prov["scenarios"].push_back(e);
  }
  {
    OutputFile f(out / "provenance.json");
    f.stream() << prov.dump(2) << "\n";
    f.commit();
  }
  {
    OutputFile f(out / "report.html");
    f.stream() << renderReport(scenarios, rows, maps, prov);
    f.commit();
  }
  if (!o.quiet) std::cerr << "wrote " << (out / "report.html").string() << "\n";
  return 0;
}

}  // namespace citytwin::cli
