#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/network.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"

namespace citytwin::cli {

struct TrafficRunOptions {
  std::string sumo_config;  ///< a .sumocfg: net, routes, additional files, times, seed
  std::string sumo_net;
  std::vector<std::string> sumo_routes;
  std::string out_dir;
  int threads = 0;
  long long seed = 42;
  double begin_s = 0.0;
  double end_s = 86400.0;
  double step_s = 1.0;
  double stuck_after_s = 300.0;  ///< SUMO's time-to-teleport: standing this long is stuck
  double aggregate_s = 900.0;
  bool fcd = false;
  std::string fcd_file = "fcd.xml";  ///< its name in the output folder
  /// SUMO-format outputs a configuration names (file names in the output folder; "": none).
  std::string sumo_tripinfo_file, sumo_summary_file;
  /// Coordinates reported in summary.json: network coordinates plus this offset, in this CRS
  /// (a city model's local frame back to its projected CRS).
  std::string report_crs;
  double report_offset_x = 0.0, report_offset_y = 0.0;
  bool force = false;
  bool quiet = false;
  /// Called before every step (interventions with a time window).
  std::function<void(engine::traffic::TrafficSimulation&)> before_step;
  /// Called after every step (virtual sensors).
  std::function<void(const engine::traffic::TrafficSimulation&)> after_step;
};

/// `citytwin run --sumo-net NET --sumo-routes ROU`: a SUMO scenario headless, writing
/// summary.json, tripinfo.csv, edge_aggregates.csv and (with --fcd) fcd.xml.
int runSumoScenario(const TrafficRunOptions& options);
/// Runs a SUMO configuration (.sumocfg) as SUMO would: its files, times and seed; options given
/// on the command line (`end_given` etc.) win over the file's.
int runSumoConfig(TrafficRunOptions options, bool end_given, bool step_given, bool seed_given);

class ProgressBar;

/// Runs traffic on `net` with `demand`, writes tripinfo.csv, edge_aggregates.csv (and fcd.xml)
/// into the output folder, and adds the traffic KPIs to `summary`; `write_more` writes further
/// outputs from the finished simulation.
void runTraffic(
    const engine::traffic::Network& net, const engine::traffic::Demand& demand,
    const engine::traffic::TrafficConfig& config, const TrafficRunOptions& options,
    ProgressBar& bar, nlohmann::json& summary,
    const std::function<void(const engine::traffic::TrafficSimulation&)>& write_more = {});

}  // namespace citytwin::cli
