#pragma once
// The key performance indicators a comparison reports, read from a run's results, and their
// statistics over replications (mean and 95 % confidence interval, Student's t).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace citytwin::cli {

struct Kpi {
  std::string key;    ///< stable identifier, e.g. "max_density:dam-square"
  std::string label;  ///< for people, e.g. "Highest density, dam-square"
  std::string unit;
  bool lower_is_better = true;
  double value = 0.0;
};

/// The KPIs of one finished run folder (summary.json, timeseries.csv). Crowd: arrivals, people
/// stuck, travel and waiting time, evacuation time, highest density and minutes above 2 people
/// per m2 per zone, people over each line; traffic: arrivals, vehicles stuck, trip duration,
/// time loss, route length, trips cut short, CO2, NOx, PM10, bus delay.
std::vector<Kpi> readKpis(const std::filesystem::path& run_dir);
/// The same from a summary already read (`summary` is the folder's summary.json).
std::vector<Kpi> readKpis(const nlohmann::json& summary, const std::filesystem::path& run_dir);

struct MeanCi {
  double mean = 0.0;
  double low = 0.0, high = 0.0;  ///< 95 % confidence interval; equal to the mean for one value
  std::size_t n = 0;
};

/// Mean and the 95 % confidence interval of the mean (Student's t with n - 1 degrees of freedom).
MeanCi meanCi(const std::vector<double>& values);

/// The density above which a zone counts as crowded in the minutes-above KPI: Fruin's level of
/// service E for walkways starts at about 1.1 /m2; 2 /m2 is where free walking stops and crowd
/// management guidance in the Netherlands asks for action.
constexpr double kCrowdedDensity = 2.0;

}  // namespace citytwin::cli
