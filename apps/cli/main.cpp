// citytwin: the headless command-line interface. Builds without Qt or OpenGL.
#include <gdal.h>
#include <proj.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "calibrate_command.hpp"
#include "citytwin/geodata/error.hpp"
#include "citytwin/geodata/gpkg_store.hpp"
#include "citytwin/geodata/import.hpp"
#include "citytwin/geodata/osm_convert.hpp"
#include "citytwin/plugins/gtfs_realtime.hpp"
#include "citytwin/version.hpp"
#include "compare_command.hpp"
#include "expire_command.hpp"
#include "follow_command.hpp"
#include "forecast_command.hpp"
#include "info_report.hpp"
#include "progress_bar.hpp"
#include "replay_command.hpp"
#include "run_command.hpp"
#include "sweep_command.hpp"
#include "traffic_run_command.hpp"
#include "validate_command.hpp"

namespace {

using namespace citytwin;

constexpr int kExitInputError = 2;

std::string versionText() {
  const PJ_INFO pj = proj_info();
  return std::string("citytwin ") + kVersion + " (commit " + kGitCommit + ")\nGDAL " +
         GDALVersionInfo("RELEASE_NAME") + ", PROJ " + pj.version;
}

int runImport(const std::vector<std::string>& inputs, const std::string& out,
              const std::string& crs, bool force, bool quiet) {
  cli::ProgressBar bar(!quiet);
  geodata::ImportOptions opt;
  opt.frame_crs = crs;
  opt.progress = [&](const std::string& stage, double f) { bar.update(stage, f * 0.9); };
  // Refuse before the work, not after it, when the output exists.
  if (std::filesystem::exists(out) && !force)
    throw geodata::InputError(out, "", "already exists; it is left as it is",
                              "choose another --out, or pass --force to replace it");
  geodata::CityModel model = geodata::importCity(inputs, opt);
  bar.update("writing " + std::filesystem::path(out).filename().string(), 0.92);
  geodata::saveGeoPackage(model, out, force);
  bar.update("done", 1.0);
  bar.finish();
  if (!quiet) {
    std::cerr << "wrote " << out << ": " << model.nodes.size() << " nodes, " << model.links.size()
              << " links, " << model.buildings.size() << " buildings, " << model.city_objects.size()
              << " city objects\n";
    for (const auto& w : model.warnings) std::cerr << "warning: " << w << "\n";
  }
  return 0;
}

int runInfo(const std::string& path, bool as_json) {
  const geodata::CityModel model = geodata::loadGeoPackage(path);
  const auto info = cli::modelInfo(model);
  if (as_json)
    std::cout << info.dump(2) << "\n";
  else
    std::cout << cli::modelInfoText(info, path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  plugins::registerGtfsRealtimeFormat();  // "gtfs-rt" trajectories in observation sets
  CLI::App app{"CityTwin: a digital-twin engine for cities (headless)", "citytwin"};
  app.set_version_flag("--version", versionText());
  app.require_subcommand(1);
  app.footer("Run 'citytwin SUBCOMMAND --help' for the options of each subcommand.");

  std::vector<std::string> inputs;
  std::string out, crs;
  bool force = false, quiet = false;
  auto* import = app.add_subcommand(
      "import", "Build a city model from GIS files and write it as a GeoPackage");
  import
      ->add_option(
          "inputs", inputs,
          "OSM (.osm, .osm.gz, .osm.bz2, .osm.pbf), CityJSON (.json, .city.json, .city.jsonl), "
          "vector layers (GeoJSON, GeoPackage, Shapefile, FlatGeobuf) and one terrain GeoTIFF")
      ->required();
  import->add_option("-o,--out", out, "GeoPackage to write (e.g. city.gpkg)")->required();
  import->add_option(
      "--crs", crs,
      "Projected CRS of the model frame (default: EPSG:28992 in the Netherlands, else UTM)");
  import->add_flag("-f,--force", force, "Replace --out if it exists");
  import->add_flag("-q,--quiet", quiet, "No progress or summary on stderr");

  std::string osm_in, osm_out;
  bool osm_force = false;
  auto* osm_convert = app.add_subcommand(
      "osm-convert",
      "Rewrite an OSM file in another OSM format, e.g. a .osm.pbf as the .osm XML that SUMO's "
      "netconvert reads");
  osm_convert->add_option("input", osm_in, "OSM file (.osm, .osm.gz, .osm.bz2, .osm.pbf)")
      ->required();
  osm_convert->add_option("-o,--out", osm_out, "File to write; its name gives the format")
      ->required();
  osm_convert->add_flag("-f,--force", osm_force, "Replace --out if it exists");

  std::string info_path;
  bool as_json = false;
  auto* info = app.add_subcommand(
      "info", "Print counts, extent, CRS, connectivity and warnings of a city model");
  info->add_option("model", info_path, "GeoPackage written by 'citytwin import'")->required();
  info->add_flag("--json", as_json, "Print one JSON object instead of text");

  cli::RunOptions run_opt;
  cli::TrafficRunOptions traffic_opt;
  auto* run = app.add_subcommand(
      "run", "Run a crowd scenario, or a SUMO traffic scenario, headless and write its results");
  run->add_option("scenario", run_opt.scenario, "Scenario file (YAML, see scenarios/README.md)");
  auto* sumo_config = run->add_option("--sumo-config", traffic_opt.sumo_config,
                                      "A SUMO configuration (.sumocfg): its network, route and "
                                      "additional files, times and seed, as SUMO runs it");
  run->add_option("--sumo-net", traffic_opt.sumo_net, "SUMO network (.net.xml) to drive on")
      ->excludes(sumo_config);
  run->add_option("--sumo-routes", traffic_opt.sumo_routes,
                  "SUMO routes, trips or flows (.rou.xml, .trips.xml); repeat for several")
      ->needs("--sumo-net");
  auto* end_option =
      run->add_option("--end", traffic_opt.end_s, "Traffic: stop at this time, s (default a day)");
  auto* step_option =
      run->add_option("--step", traffic_opt.step_s, "Traffic: time step, s")->capture_default_str();
  run->add_flag("--fcd", traffic_opt.fcd, "Traffic: also write fcd.xml (SUMO's FCD format)");
  run->add_option("-o,--out", run_opt.out_dir, "Folder for the results (summary.json and more)")
      ->required();
  run->add_option("-j,--threads", run_opt.threads, "Worker threads (default: all cores)");
  auto* seed_option =
      run->add_option("--seed", run_opt.seed, "Seed (default: the scenario's; 42 for SUMO runs)");
  run->add_option("--replications", run_opt.replications,
                  "Runs with seeds seed, seed + 1, ... (default: the scenario's, or 1); an "
                  "interrupted run resumes when started again");
  run->add_option("--sensors", run_opt.sensors,
                  "Traffic: an observation set whose counting lines count the simulated "
                  "vehicles (sensor_counts.csv; GEH against its observed counts)")
      ->check(CLI::ExistingFile);
  run->add_flag("-f,--force", run_opt.force, "Replace the results of an earlier run in --out");
  run->add_flag("-q,--quiet", run_opt.quiet, "No progress or summary on stderr");

  cli::CompareOptions compare_opt;
  auto* compare = app.add_subcommand(
      "compare", "Run a base scenario and its variants with the same seeds and write a report");
  compare->add_option("scenarios", compare_opt.scenarios, "The base scenario, then the variants")
      ->required();
  compare->add_option("-o,--out", compare_opt.out_dir, "Folder for the report and the runs")
      ->required();
  compare->add_option("--replications", compare_opt.replications,
                      "Runs per scenario (default: the base scenario's, or 1)");
  compare->add_option("-j,--threads", compare_opt.threads, "Worker threads (default: all cores)");
  compare->add_option("--cell", compare_opt.cell_m, "Crowd map cell size, m")
      ->capture_default_str();
  compare->add_flag("-f,--force", compare_opt.force, "Run again instead of reusing finished runs");
  compare->add_flag("-q,--quiet", compare_opt.quiet, "No progress on stderr");

  cli::SweepOptions sweep_opt;
  auto* sweep = app.add_subcommand(
      "sweep", "Run a parameter sweep (a full-factorial design) and write one row per run");
  sweep->add_option("sweep", sweep_opt.sweep_file, "Sweep file (YAML, see scenarios/README.md)")
      ->required();
  sweep->add_option("-o,--out", sweep_opt.out_dir, "Folder for results.csv and the runs")
      ->required();
  sweep->add_option("--parallel", sweep_opt.parallel, "Runs at once (default: the sweep file's)");
  sweep->add_option("-j,--threads", sweep_opt.threads,
                    "Worker threads in all (default: all cores)");
  sweep->add_option("--only", sweep_opt.only,
                    "Run only this design point (1-based), e.g. one task of a cluster job array");
  sweep->add_flag("--list", sweep_opt.list, "Write design.csv and stop");
  sweep->add_flag("-f,--force", sweep_opt.force, "Run again instead of reusing finished runs");
  sweep->add_flag("-q,--quiet", sweep_opt.quiet, "No progress on stderr");

  std::string validate_out = "docs/figures", assets_dir = "assets/data";
  int validate_threads = 0;
  auto* validate = app.add_subcommand(
      "validate", "Run the crowd model's validation studies and write tables and figures");
  validate->add_option("--out", validate_out, "Folder for the CSV tables and SVG figures")
      ->capture_default_str();
  validate->add_option("--assets", assets_dir, "Folder of the bundled data (measured trajectories)")
      ->capture_default_str();
  validate->add_option("-j,--threads", validate_threads, "Worker threads (default: all cores)");

  cli::ExpireOptions expire_opt;
  auto* expire = app.add_subcommand(
      "expire",
      "Delete what replay results hold beyond the retention limits of their data register");
  expire->add_option("folders", expire_opt.folders, "Folders written by `citytwin replay`")
      ->required()
      ->check(CLI::ExistingDirectory);
  expire->add_option("--now", expire_opt.now, "ISO 8601 date-time (default: the clock now)");
  expire->add_flag("--dry-run", expire_opt.dry_run, "Say what would be deleted; delete nothing");
  expire->add_flag("-q,--quiet", expire_opt.quiet, "Nothing on stderr");
  cli::ReplayOptions replay_opt;
  auto* replay = app.add_subcommand(
      "replay",
      "Replay measured counts and trajectories through the privacy stage and the "
      "virtual sensors (an observation set, see scenarios/README.md)");
  replay->add_option("observations", replay_opt.observations, "Observation set (.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  replay->add_option("--out", replay_opt.out_dir, "Folder for the results")->required();
  replay
      ->add_option("--scenario", replay_opt.scenario,
                   "Scenario whose city places the set (GTFS Realtime, sensors in a CRS)")
      ->check(CLI::ExistingFile);
  replay->add_option("--step", replay_opt.step_s, "Replay clock step in seconds")
      ->capture_default_str();
  replay->add_flag("-f,--force", replay_opt.force, "Replace an earlier replay in --out");
  replay->add_flag("-q,--quiet", replay_opt.quiet, "No progress on stderr");

  cli::CalibrateOptions calibrate_opt;
  auto* calibrate = app.add_subcommand(
      "calibrate",
      "Fit a scenario's demand to observed counts: a traffic OD matrix, or a crowd's arrival "
      "profiles (GEH before and after)");
  calibrate
      ->add_option("scenario", calibrate_opt.scenario,
                   "Traffic scenario with an OD matrix, or a crowd scenario")
      ->required()
      ->check(CLI::ExistingFile);
  calibrate
      ->add_option("observations", calibrate_opt.observations,
                   "Observation set: sensors and observed counts (.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  calibrate->add_option("--out", calibrate_opt.out_dir, "Folder for the results")->required();
  calibrate->add_option("--rounds", calibrate_opt.rounds, "Crowd: rounds of simulate and rescale")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  calibrate
      ->add_option("--replications", calibrate_opt.replications, "Simulations per OD entry (seeds)")
      ->capture_default_str()
      ->check(CLI::Range(1, 50));
  calibrate
      ->add_option("--max-factor", calibrate_opt.max_factor, "Largest factor an OD entry may get")
      ->capture_default_str();
  calibrate->add_option("-j,--threads", calibrate_opt.threads,
                        "Worker threads (default: all cores)");
  calibrate->add_flag("-f,--force", calibrate_opt.force, "Replace an earlier calibration in --out");
  calibrate->add_flag("-q,--quiet", calibrate_opt.quiet, "No progress on stderr");

  cli::FollowOptions follow_opt;
  auto* follow = app.add_subcommand(
      "follow",
      "Follow live SensorThings observations and GTFS Realtime vehicle positions on an MQTT "
      "broker into live counts and vehicle positions");
  follow->add_option("--broker", follow_opt.broker, "host:port")->capture_default_str();
  follow->add_option("--topic", follow_opt.topics,
                     "Topic to follow, e.g. 'v1.1/Datastreams(7)/Observations' or 'v1.1/#'; "
                     "repeat for several");
  follow
      ->add_option("--client-id", follow_opt.client_id,
                   "A stable id: the broker keeps what is published while this is away")
      ->required();
  follow->add_option("--gtfs-rt-topic", follow_opt.gtfs_rt_topics,
                     "Topic with GTFS Realtime vehicle positions (repeatable; needs --scenario)");
  follow->add_option("--scenario", follow_opt.scenario, "Scenario whose city places the vehicles")
      ->check(CLI::ExistingFile);
  follow->add_option("--out", follow_opt.out_dir, "Folder for live_counts.csv and follow.log")
      ->required();
  follow->add_option("--duration", follow_opt.duration_s,
                     "Seconds to follow (default: until Ctrl+C)");
  follow->add_option("--write-every", follow_opt.write_every_s, "Seconds between writes")
      ->capture_default_str();
  follow
      ->add_option("--min-group-size", follow_opt.min_group_size,
                   "k: counts of 1 .. k-1 are withheld")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  follow->add_flag("-q,--quiet", follow_opt.quiet, "Log to follow.log only");

  cli::ForecastCommandOptions forecast_opt;
  auto* forecast = app.add_subcommand(
      "forecast", "Forecast the next hours at each sensor from its history, and check alerts");
  forecast
      ->add_option("observations", forecast_opt.observations,
                   "Observation set with dated counts and alert rules (.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  forecast->add_option("--now", forecast_opt.now, "ISO 8601 date-time (default: the clock now)");
  forecast->add_option("--hours", forecast_opt.hours, "Hours ahead")->capture_default_str();
  forecast
      ->add_option("--scenario", forecast_opt.scenario,
                   "Crowd scenario of the area: simulate from the measured present")
      ->check(CLI::ExistingFile);
  forecast
      ->add_option("--warmup", forecast_opt.warmup_minutes,
                   "Minutes simulated before now on the measured arrivals")
      ->capture_default_str();
  forecast->add_option("-j,--threads", forecast_opt.threads, "Threads (0: all cores)");
  forecast->add_option("--out", forecast_opt.out_dir, "Folder for forecast.csv and alerts.json")
      ->required();
  forecast->add_flag("-f,--force", forecast_opt.force, "Replace an earlier forecast in --out");
  forecast->add_flag("-q,--quiet", forecast_opt.quiet, "No alerts on stderr");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitInputError;
  }
  try {
    if (*import) return runImport(inputs, out, crs, force, quiet);
    if (*info) return runInfo(info_path, as_json);
    if (*osm_convert) {
      const auto n = geodata::convertOsm(osm_in, osm_out, osm_force);
      std::cerr << "wrote " << osm_out << ": " << n.nodes << " nodes, " << n.ways << " ways, "
                << n.relations << " relations\n";
      return 0;
    }
    if (*run) {
      if (!traffic_opt.sumo_config.empty() || !traffic_opt.sumo_net.empty()) {
        const bool config = !traffic_opt.sumo_config.empty();
        if (!run_opt.scenario.empty())
          throw geodata::InputError(
              run_opt.scenario, "",
              config ? "was given together with --sumo-config"
                     : "was given together with --sumo-net",
              "run either a scenario file or a SUMO configuration or network");
        traffic_opt.out_dir = run_opt.out_dir;
        traffic_opt.threads = run_opt.threads;
        if (run_opt.seed >= 0) traffic_opt.seed = run_opt.seed;
        traffic_opt.force = run_opt.force;
        traffic_opt.quiet = run_opt.quiet;
        if (!config) return cli::runSumoScenario(traffic_opt);
        return cli::runSumoConfig(traffic_opt, end_option->count() > 0, step_option->count() > 0,
                                  seed_option->count() > 0);
      }
      if (run_opt.scenario.empty())
        throw geodata::InputError("", "", "citytwin run needs a scenario file or --sumo-net",
                                  "e.g. citytwin run scenarios/amsterdam-event/base.yaml --out "
                                  "out/event");
      return cli::runScenario(run_opt);
    }
    if (*compare) return cli::runCompare(compare_opt);
    if (*sweep) return cli::runSweep(sweep_opt);
    if (*replay) return cli::runReplay(replay_opt);
    if (*expire) return cli::runExpire(expire_opt);
    if (*calibrate) return cli::runCalibrate(calibrate_opt);
    if (*follow) return cli::runFollow(follow_opt);
    if (*forecast) return cli::runForecast(forecast_opt);
    if (*validate) return cli::validateCrowd(assets_dir, validate_out, validate_threads);
  } catch (const geodata::InputError& e) {
    std::cerr << "\nerror: " << e.what() << "\n";
    return kExitInputError;
  } catch (const std::invalid_argument& e) {
    std::cerr << "\nerror: the scenario cannot run: " << e.what() << "\n";
    return kExitInputError;
  } catch (const std::exception& e) {
    std::cerr << "\ninternal error: " << e.what()
              << "\nPlease report this with the command you ran.\n";
    return 1;
  }
  return 0;
}
