// `citytwin run` on the real city: outputs, their keys, refusing to overwrite, bad scenarios.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace citytwin {
namespace {

namespace fs = std::filesystem;

// 300 people walk from Muntplein to the Dam (coordinates in RD New).
std::string smallScenario(const fs::path& dir, const std::string& extra_crowd_key = "") {
  const fs::path p = dir / "walk.yaml";
  std::ofstream(p)
      << "name: Muntplein to Dam\n"
      << "city: " << test::amsterdamGpkg().string() << "\n"
      << "crs: EPSG:28992\n"
      << "crowd:\n"
      << "  duration: 1800\n"
      << "  seed: 7\n"
      << "  time_step: 0.1\n"
      << extra_crowd_key << "  stages:\n"
      << "    - {name: dam, kind: exit, circle: {center: [121301, 487357], radius: 15}}\n"
      << "  journeys:\n"
      << "    - {name: to-dam, stages: [dam]}\n"
      << "  sources:\n"
      << "    - {name: muntplein, journey: to-dam, agents: 300, profile: [[0, 5]], circle: "
         "{center: [121361, 486683], radius: 20}}\n"
      << "  zones:\n"
      << "    - {name: dam, circle: {center: [121301, 487357], radius: 45}}\n"
      << "  lines:\n"
      << "    - {name: across, from: [121200, 487000], to: [121500, 487000]}\n"
      << "outputs:\n"
      << "  trajectory_every: 50\n";
  return p.string();
}

TEST(CliRun, WritesSummaryTimeSeriesAndTrajectories) {
  const auto dir = test::freshTempDir();
  const auto r = test::runCli("run -q " + smallScenario(dir) + " --out " +
                              test::quote(dir / "out") + " --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(dir / "out" / "summary.json");
  const auto j = nlohmann::json::parse(in);
  for (const char* key : {"agents_spawned", "agents_arrived", "agents_stuck",
                          "max_density_per_zone", "evacuation_time_s", "mean_travel_time_s",
                          "steps", "wall_time_s", "agent_steps_per_second", "threads", "seed"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["agents_spawned"], 300);
  EXPECT_EQ(j["agents_arrived"], 300);
  EXPECT_EQ(j["agents_stuck"], 0);
  EXPECT_EQ(j["threads"], 2);
  EXPECT_EQ(j["seed"], 7);
  // About 750 m at 1.34 m/s: ten minutes, give or take the route and the crowd.
  EXPECT_GT(j["mean_travel_time_s"].get<double>(), 400.0);
  EXPECT_LT(j["mean_travel_time_s"].get<double>(), 900.0);
  EXPECT_TRUE(fs::exists(dir / "out" / "timeseries.csv"));
  EXPECT_TRUE(fs::exists(dir / "out" / "travel_times.csv"));
  std::ifstream traj(dir / "out" / "trajectories.txt");
  std::string line;
  std::getline(traj, line);
  EXPECT_EQ(line.rfind("# description", 0), 0u);
  std::size_t data = 0;
  while (std::getline(traj, line))
    if (!line.empty() && line[0] != '#') ++data;
  EXPECT_GT(data, 300u);
  // Every person crossed the line y = 487000 on the way north.
  std::ifstream ts(dir / "out" / "timeseries.csv");
  std::getline(ts, line);
  EXPECT_NE(line.find("flow:across"), std::string::npos) << line;
  EXPECT_NE(line.find("voronoi:dam"), std::string::npos) << line;
  EXPECT_TRUE(j["max_voronoi_density_per_zone"].contains("dam"));
  EXPECT_GT(j["max_voronoi_density_per_zone"]["dam"].get<double>(), 0.0);
  for (const auto& e : fs::directory_iterator(dir / "out"))
    EXPECT_NE(e.path().extension(), ".partial");
}

TEST(CliRun, SameSeedSameResultOnOneAndTwoThreads) {
  const auto dir = test::freshTempDir();
  const auto scenario = smallScenario(dir);
  ASSERT_EQ(
      test::runCli("run -q " + scenario + " --out " + test::quote(dir / "a") + " -j 1").exit_code,
      0);
  ASSERT_EQ(
      test::runCli("run -q " + scenario + " --out " + test::quote(dir / "b") + " -j 2").exit_code,
      0);
  auto read = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  };
  EXPECT_EQ(read(dir / "a" / "trajectories.txt"), read(dir / "b" / "trajectories.txt"));
  EXPECT_EQ(read(dir / "a" / "timeseries.csv"), read(dir / "b" / "timeseries.csv"));
}

TEST(CliRun, RefusesToOverwriteAFinishedRun) {
  const auto dir = test::freshTempDir();
  const auto scenario = smallScenario(dir);
  ASSERT_EQ(test::runCli("run -q " + scenario + " --out " + test::quote(dir / "out")).exit_code, 0);
  const auto again = test::runCli("run -q " + scenario + " --out " + test::quote(dir / "out"));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.out.find("--force"), std::string::npos) << again.out;
}

TEST(CliRun, UnknownKeyNamesTheLineAndTheNearestKey) {
  const auto dir = test::freshTempDir();
  const auto r = test::runCli("run -q " + smallScenario(dir, "  durration: 5\n") + " --out " +
                              test::quote(dir / "out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("line 8"), std::string::npos) << r.out;  // the line of the typo
  EXPECT_NE(r.out.find("unknown key 'durration'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did you mean 'duration'"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "out" / "summary.json"));
}

TEST(CliRun, UnreachableSourceIsAClearError) {
  const auto dir = test::freshTempDir();
  std::string s = smallScenario(dir);
  // A source in a canal (no walkable space there): the run must refuse before starting.
  std::ifstream in(s);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  in.close();
  const std::string from = "center: [121361, 486683], radius: 20";
  text.replace(text.find(from), from.size(), "center: [121717, 486959], radius: 1");
  std::ofstream(s) << text;
  const auto r = test::runCli("run -q " + s + " --out " + test::quote(dir / "out"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("muntplein"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace citytwin
