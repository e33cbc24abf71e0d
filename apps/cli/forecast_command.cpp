#include "forecast_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "citytwin/engine/mobility/forecast.hpp"
#include "citytwin/geodata/error.hpp"
#include "observation_input.hpp"
#include "output_file.hpp"
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
  const auto alerts = mobility::evaluateAlerts(forecasts, set.alerts, options);

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
    list.push_back({{"sensor", a.sensor},
                    {"direction", a.direction},
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
      {"provenance", {{"inputs", inputRecords(files)}, {"software", softwareAndMachine()}}}};
  OutputFile json_file(out / "alerts.json");
  json_file.stream() << summary.dump(2) << "\n";
  json_file.commit();
  if (!o.quiet) {
    for (const auto& a : alerts) {
      std::cerr << (a.likely ? "likely" : "possible") << ": " << a.sensor << " " << a.direction
                << " at " << localTime(a.begin_s, set.utc_offset_s) << ": "
                << std::round(a.expected) << " expected (up to " << std::round(a.high)
                << "), threshold " << a.threshold << ". Advice: " << a.advice << "\n";
    }
    std::cerr << alerts.size() << " alert(s); wrote " << out.string()
              << "/forecast.csv and alerts.json\n";
  }
  return 0;
}

}  // namespace citytwin::cli
