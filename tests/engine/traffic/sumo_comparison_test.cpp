// CityTwin against SUMO 1.15 on the traffic issue's reference case: a 20 x 20 signalised grid
// (netgenerate) with an hour of random trips (randomTrips.py, 36,000 vehicles), both run by
// scripts/sumo_compare.py. Mean trip duration and route length within 15 % of SUMO's, and
// every vehicle SUMO completes completes here too.
#include <gtest/gtest.h>

#include <cmath>
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

}  // namespace
}  // namespace citytwin
