#include "citytwin/engine/scenario_run.hpp"

#include <algorithm>
#include <filesystem>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/traffic/city_network.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/gpkg_store.hpp"
#include "citytwin/geodata/import.hpp"

namespace citytwin::engine {

TrafficSetup prepareTraffic(geodata::CityModel& city, const ScenarioFile& file, int threads) {
  applyToCityRoads(city, file.interventions);
  TrafficSetup s;
  s.net = traffic::buildCityNetwork(city, file.traffic.network);
  const auto& tc = file.traffic.config;
  applyToNetwork(s.net, file.interventions, tc.begin_s, tc.end_s);
  ClosureSchedule closures(s.net, file.interventions, tc.begin_s, tc.end_s);
  if (!closures.empty()) s.closures = std::move(closures);
  s.demand = traffic::scenarioDemand(s.net, file.traffic, city.frame, threads);
  return s;
}

ScenarioRun::ScenarioRun(const std::string& path, int threads, const Progress& progress) {
  auto report = [&](const std::string& stage, double f) {
    if (progress) progress(stage, f);
  };
  if (!path.ends_with(".yaml") && !path.ends_with(".yml")) {
    // A city model alone (an OSM extract, CityJSON, a GeoPackage from `citytwin import`): to
    // look at, pick in and start scenarios from; nothing moves.
    file_.path = path;
    file_.name = std::filesystem::path(path).filename().string();
    file_.city_path = std::filesystem::absolute(path).lexically_normal().string();
    file_.inputs = {file_.city_path};
    if (path.ends_with(".gpkg")) {
      report("reading the city model", 0.0);
      city_ = geodata::loadGeoPackage(path);
    } else {
      geodata::ImportOptions options;
      options.progress = [&](const std::string& stage, double f) { report(stage, 0.95 * f); };
      city_ = geodata::importCity({path}, options);
    }
    report("ready", 1.0);
    return;
  }
  report("reading the scenario and its city", 0.0);
  file_ = loadScenarioFile(path, &city_);
  if (file_.has_crowd) {
    report("building the walking routes", 0.4);
    crowd_ = std::make_unique<crowd::CrowdSimulation>(file_.crowd, threads);
  }
  if (file_.has_traffic) {
    report("building the road network and routing trips", 0.7);
    setup_ = std::make_unique<TrafficSetup>(prepareTraffic(city_, file_, threads));
    traffic_ = std::make_unique<traffic::TrafficSimulation>(setup_->net, setup_->demand,
                                                            file_.traffic.config, threads);
  }
  report("ready", 1.0);
}

ScenarioRun::~ScenarioRun() = default;

double ScenarioRun::clockStart() const {
  return traffic_ ? file_.traffic.config.begin_s : 0.0;
}

double ScenarioRun::elapsed() const {
  double t = 0.0;
  if (crowd_) t = crowd_->time();
  if (traffic_) t = std::max(t, traffic_->time() - file_.traffic.config.begin_s);
  return t;
}

double ScenarioRun::duration() const {
  double d = 0.0;
  if (crowd_) d = file_.crowd.duration_s;
  if (traffic_) d = std::max(d, file_.traffic.config.end_s - file_.traffic.config.begin_s);
  return d;
}

void ScenarioRun::advanceTo(double elapsed_s) {
  // Half a step of slack, so that asking for a whole second does not take one step too many.
  if (crowd_) {
    const double half = 0.5 * file_.crowd.time_step_s;
    while (!crowd_->finished() && crowd_->time() + half < elapsed_s) crowd_->step();
  }
  if (traffic_) {
    const double half = 0.5 * file_.traffic.config.time_step_s;
    const double target = file_.traffic.config.begin_s + elapsed_s;
    while (!traffic_->finished() && traffic_->time() + half < target) {
      if (setup_->closures) setup_->closures->update(*traffic_);
      traffic_->step();
    }
  }
}

bool ScenarioRun::finished() const {
  return (!crowd_ || crowd_->finished()) && (!traffic_ || traffic_->finished());
}

}  // namespace citytwin::engine
