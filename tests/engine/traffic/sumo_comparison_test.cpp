// CityTwin against SUMO 1.15, both run by scripts/sumo_compare.py: on the traffic issue's
// reference case, a 20 x 20 signalised grid (netgenerate) with an hour of random trips
// (randomTrips.py, 36,000 vehicles); and on a third-party-style configuration of a whole city,
// Monaco, built with SUMO's own tools by scripts/make_monaco_sumo.py and run unchanged with
// --sumo-config. Mean trip duration and route length within 15 % of SUMO's, every vehicle SUMO
// completes completes here too, per-edge counts agree (GEH < 5), no vehicle stuck.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace citytwin {
namespace {

TEST(SumoComparison, SignalisedGridAgreesWithSumo) {
  const auto dir = test::freshTempDir();
  const std::string cmd =
      "python3 " + test::quote(std::string(CITYTWIN_SOURCE_DIR) + "/scripts/sumo_compare.py") +
      " --citytwin " + test::quote(CITYTWIN_CLI_PATH) + " --out " + test::quote(dir / "cmp") +
      " > " + test::quote(dir / "log.txt") + " 2>&1";
  const int rc = std::system(cmd.c_str());
  std::ifstream log(dir / "log.txt");
  const std::string log_text((std::istreambuf_iterator<char>(log)), {});
  ASSERT_EQ(rc, 0) << "SUMO must be installed (scripts/install-deps.sh --sumo):\n" << log_text;
  std::ifstream in(dir / "cmp" / "comparison.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["case"]["vehicles"], 36000);
  EXPECT_LT(std::abs(j["difference"]["mean_trip_duration_s"].get<double>()), 0.15) << log_text;
  EXPECT_LT(std::abs(j["difference"]["mean_route_length_m"].get<double>()), 0.15) << log_text;
  EXPECT_EQ(j["completed_by_sumo_not_citytwin_count"], 0) << log_text;
  EXPECT_EQ(j["citytwin"]["vehicles_stuck"], 0);
  RecordProperty("comparison", log_text);
}

/// Runs a shell command, its output into `log`; returns its exit code.
int runLogged(const std::string& command, const std::filesystem::path& log, std::string& text) {
  const int rc = std::system((command + " > " + test::quote(log) + " 2>&1").c_str());
  std::ifstream in(log);
  text.assign(std::istreambuf_iterator<char>(in), {});
  return rc;
}

TEST(SumoComparison, MonacoConfigurationBuiltWithSumoToolsRunsAsSumoRunsIt) {
  const auto dir = test::freshTempDir();
  const std::string scripts = std::string(CITYTWIN_SOURCE_DIR) + "/scripts/";
  std::string log;
  ASSERT_EQ(runLogged("python3 " + test::quote(scripts + "make_monaco_sumo.py") + " --citytwin " +
                          test::quote(CITYTWIN_CLI_PATH) + " --out " + test::quote(dir / "monaco"),
                      dir / "make.txt", log),
            0)
      << "SUMO must be installed (scripts/install-deps.sh --sumo):\n"
      << log;
  ASSERT_EQ(runLogged("python3 " + test::quote(scripts + "sumo_compare.py") + " --citytwin " +
                          test::quote(CITYTWIN_CLI_PATH) + " --sumo-config " +
                          test::quote(dir / "monaco" / "monaco.sumocfg") + " --out " +
                          test::quote(dir / "cmp") + " --threads 1",
                      dir / "cmp.txt", log),
            0)
      << log;
  std::ifstream in(dir / "cmp" / "comparison.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_GT(j["case"]["vehicles"].get<int>(), 5000) << "a morning of trips and buses";
  EXPECT_LT(std::abs(j["difference"]["mean_trip_duration_s"].get<double>()), 0.15) << log;
  EXPECT_LT(std::abs(j["difference"]["mean_route_length_m"].get<double>()), 0.15) << log;
  EXPECT_EQ(j["completed_by_sumo_not_citytwin_count"], 0) << log;
  EXPECT_GE(j["edges_geh_below_5_share"].get<double>(), 0.85) << log;
  // CityTwin never teleports: a vehicle standing for time-to-teleport counts as stuck.
  EXPECT_EQ(j["citytwin"]["vehicles_stuck"], 0) << log;
  // The configuration's own outputs, in SUMO's formats, beside CityTwin's.
  for (const char* f : {"tripinfo.xml", "summary.xml", "detectors.out.xml", "bus_stops.csv"})
    EXPECT_TRUE(std::filesystem::exists(dir / "cmp" / "citytwin" / f)) << f;
  std::ifstream summary(dir / "cmp" / "citytwin" / "summary.json");
  const auto s = nlohmann::json::parse(summary);
  EXPECT_GT(s["signal_programs_from_additional_files"].get<int>(), 0);
  EXPECT_GT(s["induction_loops"].get<int>(), 50);
  RecordProperty("comparison", log);
}

}  // namespace
}  // namespace citytwin
