// The bundled event scenario on the real Amsterdam centre, run as a user runs it (about five
// minutes on two cores): 50,000 visitors, everyone through the entrances, nobody stuck.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace citytwin {
namespace {

TEST(AmsterdamEvent, FiftyThousandVisitorsArriveAndNobodyIsStuck) {
  const auto dir = test::freshTempDir();
  const std::string scenario =
      std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/amsterdam-event/base.yaml";
  const auto r =
      test::runCli("run -q " + test::quote(scenario) + " --out " + test::quote(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(dir / "out" / "summary.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_GE(j["agents_spawned"].get<int>(), 50000);
  EXPECT_EQ(j["agents_arrived"], j["agents_spawned"]);
  EXPECT_EQ(j["agents_stuck"], 0) << "people without 0.5 m of progress for 60 s";
  EXPECT_EQ(j["agents_remaining"], 0);
  // The walk from the edge of the centre to the Dam is 0.5 to 1.2 km: several minutes.
  EXPECT_GT(j["mean_travel_time_s"].get<double>(), 300.0);
  EXPECT_LT(j["mean_travel_time_s"].get<double>(), 1500.0);
}

}  // namespace
}  // namespace citytwin
