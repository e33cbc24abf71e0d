#include "forecast_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "citytwin/engine/mobility/crowd_forecast.hpp"
#include "citytwin/engine/mobility/forecast.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/geodata/error.hpp"
#include "observation_input.hpp"
#include "output_file.hpp"
#include "progress_bar.hpp"
#include "provenance.hpp"

namespace citytwin::cli {
namespace {

namespace fs = std::filesystem;
namespace mobility = engine::mobility;
using json = nlohmann::json;

// Local date and time, e.g. 2026-11-28 15:00 (+01:00).
std::string localTime(double unix_s, double offset_s) {
  const auto t = static_cast<long long>(std::floor(unix_s + offset_s));
  const auto days =
      std::chrono::sys_days{std::chrono::days{t >= 0 ? t / 86400 : (t - 86399) / 86400}};
  const std::chrono::year_month_day date{days};
  const long long s = t - static_cast<long long>(days.time_since_epoch().count()) * 86400;
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02lld:%02lld", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), s / 3600,
                s / 60 % 60);
  return text;
}

}  // namespace

int runForecast(const ForecastCommandOptions& o) {
  const mobility::ObservationSet set = mobility::loadObservationSet(o.observations);
  double now_s = 0.0;
  if (o.now.empty()) {
    now_s =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  } else {
    try {
      now_s = mobility::parseTimeCell(o.now);
    } catch (const std::invalid_argument& e) {
      throw geodata::InputError("", "--now " + o.now, e.what(), "e.g. 2026-11-28T12:00:00+01:00");
    }
  }
  if (!(o.hours > 0.0)) throw geodata::InputError("", "--hours", "must be more than zero");
  const fs::path out(o.out_dir);
  prepareOutputFolder(out, o.force);

  mobility::PrivacyGate gate(set.privacy);
  const auto observed = readObservations(set, gate, 1.0);
  std::vector<std::string> files_used;  // the scenario's, where one is simulated
  mobility::ForecastOptions options;
  options.horizon_s = o.hours * 3600.0;
  options.utc_offset_s = set.utc_offset_s;
  std::vector<mobility::SensorForecast> forecasts;
  for (const auto& s : observed.observed_counts) {
    try {
      forecasts.push_back(mobility::forecastFromHistory(s, now_s, options));
    } catch (const std::invalid_argument& e) {
      throw geodata::InputError(set.path, "", e.what(), "forecasts need dated counts");
    }
  }
  auto alerts = mobility::evaluateAlerts(forecasts, set.alerts, options);

  // The simulation from the measured present, where a scenario of the area is given.
  json simulation = nullptr;
  if (!o.scenario.empty()) {
    geodata::CityModel city;
    const engine::ScenarioFile file = engine::loadScenarioFile(o.scenario, &city);
    if (!file.has_crowd) {
      throw geodata::InputError(o.scenario, "", "has no crowd to simulate the forecast with",
                                "give a crowd scenario of the area the cameras count");
    }
    mobility::ObservationSet placed = set;
    mobility::sensorsToLocalFrame(placed, city.frame);
    mobility::CrowdForecastOptions co;
    co.warmup_s = o.warmup_minutes * 60.0;
    co.horizon_s = options.horizon_s;
    co.threads = o.threads;
    ProgressBar bar(!o.quiet);
    mobility::CrowdForecast crowd;
    try {
      crowd = mobility::forecastCrowd(
          file.crowd, placed.sensors, observed.observed_counts, forecasts, now_s, co,
          [&](const std::string& stage, double f) { bar.update(stage, f); });
    } catch (const std::invalid_argument& e) {
      throw geodata::InputError(o.observations, "", e.what());
    }
    bar.finish();
    const auto writeBands = [&](const fs::path& path, const char* what,
                                const std::vector<std::string>& names,
                                const std::vector<std::vector<mobility::BandPoint>>& values,
                                const char* format) {
      OutputFile csv(path);
      csv.stream() << what << ",time,local_time,expected,low,high\n";
      char row[200];
      for (std::size_t k = 0; k < names.size(); ++k) {
        for (const auto& p : values[k]) {
          std::snprintf(row, sizeof row, format, p.begin_s,
                        localTime(p.begin_s, set.utc_offset_s).c_str(), p.expected, p.low, p.high);
          csv.stream() << names[k] << ',' << row << '\n';
        }
      }
      csv.commit();
    };
    writeBands(out / "forecast_zones.csv", "zone", crowd.zones, crowd.zone_density,
               "%.0f,%s,%.4f,%.4f,%.4f");
    writeBands(out / "forecast_sensors.csv", "sensor", crowd.sensors, crowd.sensor_counts,
               "%.0f,%s,%.0f,%.0f,%.0f");
    const auto zone_alerts = mobility::evaluateZoneAlerts(crowd, set.alerts, options);
    alerts.insert(alerts.end(), zone_alerts.begin(), zone_alerts.end());
    json feeds = json::array();
    for (const auto& m : crowd.matches) {
      feeds.push_back({{"source", file.crowd.sources[m.source].name},
                       {"sensor", observed.observed_counts[m.observed].sensor},
                       {"direction", observed.observed_counts[m.observed].direction},
                       {"walk_s", std::round(m.lag_s)}});
    }
    simulation = {
        {"scenario", file.name},
        {"method", "the scenario simulated from " +
                       std::to_string(static_cast<int>(o.warmup_minutes)) +
                       " minutes before now on the arrivals the cameras measured (so that the "
                       "streets hold the people on their way at now), then on the cameras' "
                       "history forecast: one run on the expected counts, one on the band's "
                       "low and one on its high end"},
        {"sources_fed_by", feeds},
        {"people_walking_at_now", crowd.people_at_now},
        {"seed", file.crowd.seed},
        {"files", {"forecast_zones.csv", "forecast_sensors.csv"}}};
    for (const auto& f : file.inputs) files_used.push_back(f);
  }

  {
    OutputFile csv(out / "forecast.csv");
    csv.stream() << "sensor,direction,time,local_time,expected,low,high,weeks\n";
    char row[160];
    for (const auto& f : forecasts) {
      for (const auto& p : f.points) {
        if (std::isnan(p.expected)) {
          std::snprintf(row, sizeof row, "%.0f,%s,,,,%zu", p.begin_s,
                        localTime(p.begin_s, set.utc_offset_s).c_str(), p.weeks);
        } else {
          std::snprintf(row, sizeof row, "%.0f,%s,%.1f,%.1f,%.1f,%zu", p.begin_s,
                        localTime(p.begin_s, set.utc_offset_s).c_str(), p.expected, p.low, p.high,
                        p.weeks);
        }
        csv.stream() << f.sensor << ',' << f.direction << ',' << row << '\n';
      }
    }
    csv.commit();
  }
  json list = json::array();
  for (const auto& a : alerts) {
    list.push_back({{"sensor", a.zone.empty() ? json(a.sensor) : json(nullptr)},
                    {"direction", a.zone.empty() ? json(a.direction) : json(nullptr)},
                    {"zone", a.zone.empty() ? json(nullptr) : json(a.zone)},
                    {"interval_start", localTime(a.begin_s, set.utc_offset_s)},
                    {"expected", std::round(a.expected)},
                    {"band_high", std::round(a.high)},
                    {"threshold", a.threshold},
                    {"likelihood", a.likely ? "likely" : "possible"},
                    {"advice", a.advice},
                    {"basis", a.basis}});
  }
  json levels = json::array();
  for (const auto& f : forecasts) {
    levels.push_back({{"sensor", f.sensor},
                      {"direction", f.direction},
                      {"today_against_usual", f.level},
                      {"weeks_of_history", f.history_weeks}});
  }
  std::vector<std::string> files{set.path};
  for (const auto& s : set.sources) files.push_back(s.path);
  files.insert(files.end(), files_used.begin(), files_used.end());
  const json summary{
      {"now", localTime(now_s, set.utc_offset_s)},
      {"hours", o.hours},
      {"alerts", list},
      {"note", "alerts are advice to a person; CityTwin acts on none of them"},
      {"sensors", levels},
      {"model",
       {{"method",
         "mean of the same weekday and time of day in earlier weeks, times today's "
         "counts of the last hours against those weeks"},
        {"band", {options.band_low, options.band_high}},
        {"min_weeks", options.min_weeks},
        {"nowcast_window_s", options.nowcast_window_s}}},
      {"simulation", simulation},
      {"provenance", {{"inputs", inputRecords(files)}, {"software", softwareAndMachine()}}}};
  OutputFile json_file(out / "alerts.json");
  json_file.stream() << summary.dump(2) << "\n";
  json_file.commit();
  if (!o.quiet) {
    for (const auto& a : alerts) {
      std::cerr << (a.likely ? "likely" : "possible") << ": "
                << (a.zone.empty() ? a.sensor + " " + a.direction : "zone " + a.zone) << " at "
                << localTime(a.begin_s, set.utc_offset_s) << ": " << std::round(a.expected)
                << " expected (up to " << std::round(a.high) << "), threshold " << a.threshold
                << ". Advice: " << a.advice << "\n";
    }
    std::cerr << alerts.size() << " alert(s); wrote " << out.string() << "/forecast.csv"
              << (o.scenario.empty() ? "" : ", forecast_zones.csv, forecast_sensors.csv")
              << " and alerts.json\n";
  }
  return 0;
}

}  // namespace citytwin::cli
