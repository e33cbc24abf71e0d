#include "compare_report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "csv_table.hpp"
#include "provenance.hpp"
#include "svg_plot.hpp"

namespace citytwin::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kColours[] = {"#222222", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"};

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<')
      o += "&lt;";
    else if (c == '>')
      o += "&gt;";
    else if (c == '&')
      o += "&amp;";
    else if (c == '"')
      o += "&quot;";
    else
      o += c;
  }
  return o;
}

std::string num(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  const double a = std::abs(v);
  std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  return buf;
}

std::string withCi(const MeanCi& m) {
  if (m.n == 0) return "-";
  if (m.n < 2) return num(m.mean);
  return num(m.mean) + " <span class=\"ci\">[" + num(m.low) + ", " + num(m.high) + "]</span>";
}

/// Columns of a CSV file by header name.
std::map<std::string, std::vector<double>> readColumns(const fs::path& file) {
  const CsvTable t = readCsv(file);
  std::map<std::string, std::vector<double>> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    for (std::size_t c = 0; c < t.header.size(); ++c)
      out[t.header[c]].push_back(t.number(r, static_cast<int>(c)));
  return out;
}

/// One plot per crowd zone: its density over time, a line per scenario (replication 1).
std::string crowdPlots(const std::vector<ComparedScenario>& scenarios) {
  std::ostringstream s;
  std::vector<std::map<std::string, std::vector<double>>> series;
  for (const auto& sc : scenarios) series.push_back(readColumns(sc.runs[0] / "timeseries.csv"));
  if (series[0].empty()) return "";
  for (const auto& [col, values] : series[0]) {
    const bool density = col.starts_with("density:");
    if (!density && col != "arrived") continue;
    Plot p;
    p.title = density ? "Density in zone " + col.substr(8) : "People arrived";
    p.x_label = "time (min)";
    p.y_label = density ? "people per m2" : "people";
    double x_max = 1, y_max = density ? 1.0 : 1.0;
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
      auto t = series[k].find("time_s");
      auto v = series[k].find(col);
      if (t == series[k].end() || v == series[k].end()) continue;
      Series ser;
      ser.label = scenarios[k].name;
      ser.colour = kColours[k % 6];
      for (std::size_t i = 0; i < t->second.size() && i < v->second.size(); ++i) {
        ser.points.emplace_back(t->second[i] / 60.0, v->second[i]);
        x_max = std::max(x_max, t->second[i] / 60.0);
        y_max = std::max(y_max, v->second[i]);
      }
      p.series.push_back(std::move(ser));
    }
    p.x_max = std::ceil(x_max / 10.0) * 10.0;  // round ticks: 5 divisions of tens of minutes
    p.y_max = y_max * 1.1;
    s << "<figure>" << renderSvg(p, 560, 300) << "</figure>\n";
  }
  return s.str();
}

/// Vehicles on the road over time (vehicle-seconds per interval over its length).
std::string trafficPlot(const std::vector<ComparedScenario>& scenarios) {
  Plot p;
  p.title = "Vehicles on the road";
  p.x_label = "time of day (h)";
  p.y_label = "vehicles";
  double x0 = 1e300, x1 = -1e300, y1 = 1;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const CsvTable t = readCsv(scenarios[k].runs[0] / "edge_aggregates.csv");
    const int begin = t.column("begin_s"), entered = t.column("entered");
    std::map<double, double> per_interval;  // begin -> vehicles entering roads
    if (begin >= 0 && entered >= 0)
      for (std::size_t r = 0; r < t.rows.size(); ++r)
        per_interval[t.number(r, begin)] += t.number(r, entered);
    Series ser;
    ser.label = scenarios[k].name + " (entering roads per interval)";
    ser.colour = kColours[k % 6];
    for (const auto& [b, n] : per_interval) {
      ser.points.emplace_back(b / 3600.0, n);
      x0 = std::min(x0, b / 3600.0), x1 = std::max(x1, b / 3600.0), y1 = std::max(y1, n);
    }
    p.series.push_back(std::move(ser));
  }
  if (x0 > x1) return "";
  p.y_label = "vehicles entering roads";
  p.x_min = x0;
  p.x_max = std::max(x1, x0 + 0.25);
  p.y_max = y1 * 1.1;
  return "<figure>" + renderSvg(p, 560, 300) + "</figure>\n";
}

std::string rd(const geodata::LocalFrame& f, double x, double y) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f, %.0f", x + f.origin.x, y + f.origin.y);
  return buf;
}

/// Where the variant differs most from the base: cells and roads, with places.
std::string biggestChanges(const Maps& maps, std::size_t k, const std::string& name) {
  std::ostringstream s;
  if (!maps.crowd.empty()) {
    std::vector<std::pair<double, std::size_t>> cells;
    for (std::size_t c = 0; c < maps.grid.size(); ++c) {
      const double d = maps.crowd[k].peak_density[c] - maps.crowd[0].peak_density[c];
      if (std::abs(d) > 0.05) cells.emplace_back(-std::abs(d), c);
    }
    std::sort(cells.begin(), cells.end());
    s << "<p>Grid cells (" << num(maps.grid.cell)
      << " m) where the highest density changes most in <b>" << esc(name) << "</b> (coordinates in "
      << esc(maps.frame.crs) << "): </p><table><tr><th>cell centre</th><th>base</th><th>"
      << esc(name) << "</th><th>change</th></tr>";
    for (std::size_t i = 0; i < std::min<std::size_t>(10, cells.size()); ++i) {
      const std::size_t c = cells[i].second;
      const double cx =
          maps.grid.x0 +
          (static_cast<double>(c % static_cast<std::size_t>(maps.grid.nx)) + 0.5) * maps.grid.cell;
      const double cy =
          maps.grid.y0 +
          (static_cast<double>(c / static_cast<std::size_t>(maps.grid.nx)) + 0.5) * maps.grid.cell;
      const double d = maps.crowd[k].peak_density[c] - maps.crowd[0].peak_density[c];
      s << "<tr><td>" << rd(maps.frame, cx, cy) << "</td><td>" << num(maps.crowd[0].peak_density[c])
        << "</td><td>" << num(maps.crowd[k].peak_density[c]) << "</td><td class=\""
        << (d > 0 ? "worse" : "better") << "\">" << (d > 0 ? "+" : "") << num(d)
        << " /m2</td></tr>";
    }
    s << "</table>";
  }
  if (!maps.roads.empty()) {
    std::vector<std::pair<double, std::size_t>> roads;
    for (std::size_t r = 0; r < maps.road_ids.size(); ++r) {
      const auto a = maps.roads[0].find(maps.road_ids[r]);
      const auto b = maps.roads[k].find(maps.road_ids[r]);
      const double d = (b == maps.roads[k].end() ? 0.0 : b->second.vehicles) -
                       (a == maps.roads[0].end() ? 0.0 : a->second.vehicles);
      if (std::abs(d) >= 1.0) roads.emplace_back(-std::abs(d), r);
    }
    std::sort(roads.begin(), roads.end());
    s << "<p>Roads whose traffic changes most in <b>" << esc(name)
      << "</b> (vehicles over the whole period):</p><table><tr><th>road</th><th>at ("
      << esc(maps.frame.crs) << ")</th><th>base</th><th>" << esc(name)
      << "</th><th>change</th></tr>";
    for (std::size_t i = 0; i < std::min<std::size_t>(12, roads.size()); ++i) {
      const std::size_t r = roads[i].second;
      const auto a = maps.roads[0].find(maps.road_ids[r]);
      const auto b = maps.roads[k].find(maps.road_ids[r]);
      const double va = a == maps.roads[0].end() ? 0.0 : a->second.vehicles;
      const double vb = b == maps.roads[k].end() ? 0.0 : b->second.vehicles;
      const auto& line = maps.road_lines[r];
      const auto mid = line.empty() ? geodata::Vec2{} : line[line.size() / 2];
      s << "<tr><td>" << esc(maps.road_names[r].empty() ? maps.road_ids[r] : maps.road_names[r])
        << "</td><td>" << rd(maps.frame, mid.x, mid.y) << "</td><td>" << num(va) << "</td><td>"
        << num(vb) << "</td><td>" << (vb > va ? "+" : "") << num(vb - va) << "</td></tr>";
    }
    s << "</table>";
  }
  return s.str();
}

/// "How this was computed", in plain words, from the provenance record.
std::string howComputed(const std::vector<ComparedScenario>& scenarios, const json& prov) {
  std::ostringstream s;
  const auto& base = scenarios[0];
  const int reps = prov.value("replications", 1);
  s << "<p>Each scenario was simulated " << reps << (reps == 1 ? " time" : " times")
    << " on the same computer model of the city. ";
  if (reps > 1)
    s << "Every scenario used the same series of random seeds (the numbers that decide, for "
         "example, how fast each person walks), so the differences come from the changes, not "
         "from chance. The numbers in the tables are averages over these runs; the ranges in "
         "brackets are 95 % confidence intervals: if a range for a difference includes zero, "
         "the difference may be chance. ";
  else
    s << "With one run per scenario, the tables show no ranges: run with --replications 5 or "
         "more to see how much of a difference could be chance. ";
  s << "</p><p>The city comes from <code>" << esc(base.scenario.city_path) << "</code> ("
    << esc(licenceOf(base.scenario.city_path)) << "). ";
  const json& sc = prov["scenarios"][0];
  if (sc.contains("model") && sc["model"].contains("name"))
    s << "Pedestrians are simulated one by one with the "
      << esc(sc["model"]["name"].get<std::string>())
      << " model: everyone walks towards their next goal along the quickest route and keeps a "
         "safe distance from the people in front; the model is checked against measurements "
         "(RiMEA tests, the Weidmann fundamental diagram, laboratory trajectories; see "
         "docs/validation.md). ";
  if (sc.contains("traffic_model"))
    s << "Vehicles follow the car in front with the Intelligent Driver Model and change lanes "
         "with MOBIL, obey signals and right of way, and take the quickest route; exhaust "
         "emissions come from the PHEMlight model and noise from the EU's CNOSSOS-EU method. ";
  s << "</p><p>Every input file is listed with its SHA-256 fingerprint and licence in "
       "<code>provenance.json</code>, so anyone can check that these results came from exactly "
       "those files. This report was made with CityTwin "
    << esc(prov["citytwin"].value("version", "")) << " (commit "
    << esc(prov["citytwin"].value("commit", "")) << ") on " << esc(prov.value("written_at", ""))
    << ".</p>";
  return s.str();
}

}  // namespace

std::string renderReport(const std::vector<ComparedScenario>& scenarios,
                         const std::vector<KpiRow>& rows, const Maps& maps, const json& prov) {
  std::ostringstream h;
  const auto& base = scenarios[0];
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Comparison: "
    << esc(base.scenario.name) << "</title>\n<style>"
    << "body{font-family:sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222;"
       "line-height:1.45}h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}"
       "table{border-collapse:collapse;margin:0.6em 0}td,th{border:1px solid #ccc;padding:4px "
       "8px;text-align:right;vertical-align:top}th{background:#f2f2f2}td:first-child,th:first-"
       "child{text-align:left}.ci{color:#666;font-size:0.85em}.better{background:#e3f4e3}.worse{"
       "background:#fbe3e3}.unclear{background:#fff}figure{display:inline-block;margin:0.5em;"
       "vertical-align:top}figcaption{font-size:0.9em;color:#444;max-width:560px}code{font-size:"
       "0.9em}"
    << "</style></head><body>\n";
  h << "<h1>Scenario comparison: " << esc(base.scenario.name) << "</h1>\n";
  h << "<h2>What was compared</h2><ul>";
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const auto& s = scenarios[k];
    h << "<li><b>" << esc(s.name) << "</b>" << (k == 0 ? " (base)" : "") << ": "
      << esc(s.scenario.name);
    if (!s.scenario.description.empty()) h << ". " << esc(s.scenario.description);
    if (k > 0 && !s.scenario.interventions.empty()) {
      h << "<br>Changes to the base:<ul>";
      for (const auto& i : s.scenario.interventions) h << "<li>" << esc(i.description) << "</li>";
      h << "</ul>";
    }
    h << "</li>";
  }
  const std::size_t runs = scenarios[0].runs.size();
  h << "</ul>\n<h2>Key figures</h2>\n<p>Green: the variant is better than the base and the "
       "difference is larger than chance explains; red: worse. Ranges are 95 % confidence "
       "intervals over the replications.";
  if (runs < 2)
    h << " <b>With one run per scenario no difference can be told from chance, so none is "
         "coloured: compare with <code>--replications 5</code> or more before deciding.</b>";
  h << "</p><table><tr><th>indicator</th><th>unit</th>";
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    h << "<th>" << esc(scenarios[k].name) << "</th>";
    if (k > 0) h << "<th>change</th>";
  }
  h << "</tr>\n";
  for (const auto& row : rows) {
    h << "<tr><td>" << esc(row.kpi.label) << "</td><td>" << esc(row.kpi.unit) << "</td>";
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
      h << "<td>" << withCi(row.per_scenario[k]) << "</td>";
      if (k == 0) continue;
      const auto& d = row.diff[k];
      std::string cls = "unclear";
      // One run per scenario cannot tell a difference from chance: no colour then.
      const bool sure = d.n >= 2 && (d.low > 0 || d.high < 0);
      if (sure && d.n > 0) cls = ((d.mean < 0) == row.kpi.lower_is_better) ? "better" : "worse";
      h << "<td class=\"" << cls << "\">" << (d.mean > 0 ? "+" : "") << withCi(d) << "</td>";
    }
    h << "</tr>\n";
  }
  h << "</table>\n";
  if (!maps.crowd.empty()) {
    h << "<h2>Over time</h2>\n" << crowdPlots(scenarios);
    h << "<h2>Maps: where it gets crowded</h2>\n<p>Highest density reached in each "
      << num(maps.grid.cell)
      << " m cell (people per m2; averaged over the replications), and "
         "how each variant changes it: red where it gets more crowded, blue where less. Changes "
         "far from the intervention show crowding moving into surrounding streets.</p>\n";
    h << renderMapSvg("Highest density, " + base.name, "people/m2", maps.context, &maps.grid,
                      &maps.crowd[0].peak_density, nullptr, nullptr, false);
    for (std::size_t k = 1; k < scenarios.size(); ++k) {
      std::vector<double> d(maps.grid.size()), ds(maps.grid.size());
      for (std::size_t c = 0; c < d.size(); ++c) {
        d[c] = maps.crowd[k].peak_density[c] - maps.crowd[0].peak_density[c];
        ds[c] = maps.crowd[k].mean_speed[c] - maps.crowd[0].mean_speed[c];
      }
      h << renderMapSvg("Change in highest density, " + scenarios[k].name + " minus " + base.name,
                        "people/m2", maps.context, &maps.grid, &d, nullptr, nullptr, true);
      h << renderMapSvg("Change in walking speed, " + scenarios[k].name + " minus " + base.name,
                        "m/s", maps.context, &maps.grid, &ds, nullptr, nullptr, true);
    }
  }
  if (!maps.roads.empty()) {
    h << "<h2>Traffic over time</h2>\n" << trafficPlot(scenarios);
    h << "<h2>Maps: where traffic goes</h2>\n<p>Vehicles per road over the whole period, and "
         "how each variant changes it (red: more, blue: fewer). Traffic moved off a closed road "
         "shows up on the roads round it.</p>\n";
    std::vector<double> v;
    for (const auto& id : maps.road_ids) {
      const auto it = maps.roads[0].find(id);
      v.push_back(it == maps.roads[0].end() ? 0.0 : it->second.vehicles);
    }
    h << renderMapSvg("Vehicles per road, " + base.name, "vehicles", maps.context, nullptr, nullptr,
                      &maps.road_lines, &v, false);
    for (std::size_t k = 1; k < scenarios.size(); ++k) {
      std::vector<double> d;
      for (std::size_t r = 0; r < maps.road_ids.size(); ++r) {
        const auto a = maps.roads[0].find(maps.road_ids[r]);
        const auto b = maps.roads[k].find(maps.road_ids[r]);
        d.push_back((b == maps.roads[k].end() ? 0.0 : b->second.vehicles) -
                    (a == maps.roads[0].end() ? 0.0 : a->second.vehicles));
      }
      h << renderMapSvg("Change in vehicles per road, " + scenarios[k].name + " minus " + base.name,
                        "vehicles", maps.context, nullptr, nullptr, &maps.road_lines, &d, true);
    }
  }
  h << "<h2>Where the changes reach</h2>\n";
  for (std::size_t k = 1; k < scenarios.size(); ++k)
    h << biggestChanges(maps, k, scenarios[k].name);
  h << "<h2>How this was computed</h2>\n" << howComputed(scenarios, prov);
  h << "<h2>Files</h2><ul><li><code>kpis.csv</code>, <code>kpis.json</code>: every figure in "
       "the tables</li><li><code>layers.gpkg</code>: the maps as layers for QGIS (crowd cells, "
       "roads)</li><li><code>*.tif</code>: density rasters</li><li><code>provenance.json</code>: "
       "inputs with fingerprints and licences, models, parameters, seeds, software and "
       "machine</li><li><code>runs/</code>: every run's own results</li></ul>\n";
  h << "</body></html>\n";
  return h.str();
}

}  // namespace citytwin::cli
