#include "kpis.hpp"

#include <cmath>
#include <fstream>

#include "citytwin/geodata/error.hpp"
#include "csv_table.hpp"

namespace citytwin::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void add(std::vector<Kpi>& out, const json& j, const char* key, const std::string& label,
         const std::string& unit, bool lower_is_better) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return;
  out.push_back({key, label, unit, lower_is_better, it->get<double>()});
}

/// Minutes each zone's density was above kCrowdedDensity, and people over each line, from the
/// crowd time series.
void fromTimeseries(const fs::path& file, std::vector<Kpi>& out) {
  const CsvTable t = readCsv(file);
  const auto& columns = t.header;
  if (columns.empty()) return;
  std::vector<double> minutes(columns.size(), 0.0), flow(columns.size(), 0.0);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const double dt = r == 0 ? 0.0 : t.number(r, 0) - t.number(r - 1, 0);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double v = t.number(r, static_cast<int>(c));
      if (columns[c].starts_with("density:") && v > kCrowdedDensity) minutes[c] += dt / 60.0;
      if (columns[c].starts_with("flow:")) flow[c] += v * dt;
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].starts_with("density:")) {
      const std::string zone = columns[c].substr(8);
      out.push_back({"minutes_crowded:" + zone, "Minutes above 2 people/m2, " + zone, "min", true,
                     minutes[c]});
    }
    if (columns[c].starts_with("flow:")) {
      const std::string name = columns[c].substr(5);
      out.push_back({"line_count:" + name, "People across line " + name, "people", false, flow[c]});
    }
  }
}

/// Two-sided 97.5 % quantile of Student's t for 1 .. 30 degrees of freedom (then ~normal).
double tQuantile(std::size_t dof) {
  static constexpr double kT[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                  2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                  2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                  2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof == 0) return 0.0;
  return dof <= 30 ? kT[dof - 1] : 1.960;
}

}  // namespace

std::vector<Kpi> readKpis(const fs::path& run_dir) {
  std::ifstream in(run_dir / "summary.json");
  if (!in)
    throw geodata::InputError((run_dir / "summary.json").string(), "", "cannot be read",
                              "run the scenario first");
  return readKpis(json::parse(in), run_dir);
}

std::vector<Kpi> readKpis(const json& j, const fs::path& run_dir) {
  std::vector<Kpi> out;
  if (j.contains("agents_spawned")) {
    add(out, j, "agents_arrived", "People who arrived", "people", false);
    add(out, j, "agents_stuck", "People stuck (no progress for a minute)", "people", true);
    add(out, j, "agents_remaining", "People still walking at the end", "people", true);
    add(out, j, "mean_travel_time_s", "Mean travel time (walkers)", "s", true);
    add(out, j, "mean_waiting_time_s", "Mean time queueing or waiting", "s", true);
    add(out, j, "evacuation_time_s", "Evacuation time", "s", true);
    if (j.contains("max_density_per_zone"))
      for (const auto& [zone, v] : j["max_density_per_zone"].items())
        out.push_back({"max_density:" + zone, "Highest density, " + zone, "people/m2", true,
                       v.get<double>()});
    if (j.contains("max_queue_per_gate"))
      for (const auto& [gate, v] : j["max_queue_per_gate"].items())
        out.push_back({"max_queue:" + gate, "Longest queue at gate " + gate, "people", true,
                       v.get<double>()});
    fromTimeseries(run_dir / "timeseries.csv", out);
  }
  if (j.contains("vehicles_inserted")) {
    add(out, j, "vehicles_arrived", "Vehicles that arrived", "vehicles", false);
    add(out, j, "vehicles_stuck", "Vehicles stuck (standing 5 minutes)", "vehicles", true);
    add(out, j, "mean_trip_duration_s", "Mean trip duration (vehicles)", "s", true);
    add(out, j, "mean_time_loss_s", "Mean time lost in traffic", "s", true);
    add(out, j, "mean_route_length_m", "Mean route length", "m", true);
    add(out, j, "trips_cut_short", "Trips ended early at a closed road", "trips", true);
    add(out, j, "co2_kg", "CO2 emitted", "kg", true);
    add(out, j, "nox_g", "NOx emitted", "g", true);
    add(out, j, "pm10_g", "PM10 emitted (exhaust)", "g", true);
    add(out, j, "mean_bus_delay_s", "Mean bus delay at stops", "s", true);
    add(out, j, "bus_on_time_share", "Bus stop calls at most 3 min late", "share", false);
  }
  return out;
}

MeanCi meanCi(const std::vector<double>& values) {
  MeanCi r;
  r.n = values.size();
  if (values.empty()) return r;
  double sum = 0.0;
  for (double v : values) sum += v;
  r.mean = sum / static_cast<double>(r.n);
  r.low = r.high = r.mean;
  if (r.n < 2) return r;
  double ss = 0.0;
  for (double v : values) ss += (v - r.mean) * (v - r.mean);
  const double sd = std::sqrt(ss / static_cast<double>(r.n - 1));
  const double half = tQuantile(r.n - 1) * sd / std::sqrt(static_cast<double>(r.n));
  r.low = r.mean - half;
  r.high = r.mean + half;
  return r;
}

}  // namespace citytwin::cli
