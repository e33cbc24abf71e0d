// `citytwin replay`: measured data through the privacy stage to files. Acceptance 3 of the
// mobility-data issue: no raw identifier in any output or log, no count below k in an export.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using citytwin::test::freshTempDir;
using citytwin::test::quote;
using citytwin::test::runCli;

namespace {

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Every count cell of an exported count table.
std::vector<std::string> countCells(const fs::path& csv) {
  std::vector<std::string> cells;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) cells.push_back(line.substr(line.rfind(',') + 1));
  return cells;
}

void expectNoCountBelowK(const fs::path& csv, int k) {
  for (const auto& cell : countCells(csv)) {
    if (cell.empty()) continue;
    const double c = std::stod(cell);
    EXPECT_TRUE(c == 0 || c >= k) << csv << " exports a count of " << cell;
  }
}

}  // namespace

TEST(ReplayCommand, TheBottleneckTrajectoriesAndTheCameraCountsAgreeAndSmallCountsAreWithheld) {
  const fs::path out = freshTempDir() / "replay";
  const auto r = runCli(
      "replay " +
      quote(fs::path(CITYTWIN_SOURCE_DIR) / "scenarios/observations/juelich-bottleneck.yaml") +
      " --out " + quote(out));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto summary = nlohmann::json::parse(readAll(out / "summary.json"));
  EXPECT_EQ(summary["agreement"]["share_geh_below_5"], 1.0) << summary.dump(2);
  EXPECT_EQ(summary["agreement"]["rmse"], 0.0);
  EXPECT_EQ(summary["sources"][0]["tracks"], 75);
  EXPECT_EQ(summary["provenance"]["data_register"].size(), 2u);
  EXPECT_EQ(summary["provenance"]["data_register"][1]["retention_s"], 365 * 86400.0);
  EXPECT_EQ(summary["provenance"]["inputs"].size(), 3u);
  // Both tables hold the same cells, withheld where the fixture has 1 - 4 people.
  const auto observed = countCells(out / "observed_counts.csv");
  const auto replayed = countCells(out / "sensor_counts.csv");
  std::ifstream fixture(fs::path(CITYTWIN_ASSETS_DIR) / "counts/bottleneck-040-gap.csv");
  std::string line;
  std::getline(fixture, line);
  std::size_t i = 0, withheld = 0;
  while (std::getline(fixture, line) && line.find(",out,") != std::string::npos) {
    const int n = std::stoi(line.substr(line.rfind(',') + 1));
    ASSERT_LT(i, observed.size());
    const std::string expected = n > 0 && n < 5 ? "" : std::to_string(n);
    EXPECT_EQ(observed[i], expected) << "interval " << i;
    EXPECT_EQ(replayed[i], expected) << "interval " << i;
    withheld += expected.empty();
    ++i;
  }
  EXPECT_GT(withheld, 0u) << "the test must see small counts withheld";
  expectNoCountBelowK(out / "observed_counts.csv", 5);
  expectNoCountBelowK(out / "sensor_counts.csv", 5);
}

TEST(ReplayCommand, NoRawIdentifierReachesAnyOutputOrLog) {
  const fs::path dir = freshTempDir();
  // Wifi-sensor data: 40 devices walking east past a counting line at x = 10, and a count table
  // of a camera whose rows carry a device id column (as some exports do).
  std::vector<std::string> macs;
  {
    std::ofstream tracks(dir / "wifi.csv");
    tracks << "device_mac;seen_at;x_rd;y_rd\n";
    for (int d = 0; d < 40; ++d) {
      char mac[32];
      std::snprintf(mac, sizeof mac, "3C:22:FB:%02X:%02X:%02X", 0x10 + d, 0xA0 ^ d, 0x5D + d);
      macs.push_back(mac);
      for (int s = 0; s < 12; ++s) {
        tracks << mac << ";2026-11-30T12:" << (10 + s) << ":" << (d % 50 + 10) << "+01:00;"
               << (s * 2.0 - 0.5 + d % 3 * 0.1) << ";" << d * 0.5 << "\n";
      }
    }
    std::ofstream counts(dir / "camera.csv");
    counts << "start,camera,dir,n,operator_device\n";
    for (int m = 0; m < 20; ++m) {
      counts << "2026-11-30T12:" << (10 + m) << ":00+01:00,cam-1,east," << (m % 7) << ","
             << macs[static_cast<std::size_t>(m)] << "\n";
    }
  }
  std::ofstream(dir / "set.yaml") << R"(name: privacy check
privacy: {key_period: 1h, min_group_size: 5, time_resolution: 2, space_resolution: 0.5}
interval: 60
export_tracks: true
sensors:
  - {id: cam-1, line: [[10, -5], [10, 30]], forward: east, backward: west}
sources:
  - name: wifi
    kind: trajectories
    file: wifi.csv
    columns: {id: device_mac, time: seen_at, x: x_rd, y: y_rd}
    register: {controller: Gemeente Test, purpose: crowd levels, legal_basis: public task, retention: 5000d}
  - name: camera
    kind: counts
    file: camera.csv
    columns: {time: start, sensor: camera, direction: dir, count: n}
    register: {controller: Gemeente Test, purpose: crowd levels, legal_basis: public task}
)";
  const fs::path out = dir / "out";
  const auto r = runCli("replay " + quote(dir / "set.yaml") + " --out " + quote(out));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_TRUE(fs::exists(out / "tracks.csv"));

  // Every output file and the console, searched for each identifier in the usual spellings.
  std::vector<std::string> haystacks{lower(r.out)};
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    haystacks.push_back(lower(readAll(entry.path())));
  }
  std::size_t searched = 0;
  for (const auto& mac : macs) {
    std::string bare = lower(mac);
    bare.erase(std::remove(bare.begin(), bare.end(), ':'), bare.end());
    std::string dashed = lower(mac);
    std::replace(dashed.begin(), dashed.end(), ':', '-');
    for (const std::string& needle : {lower(mac), bare, dashed}) {
      for (const auto& text : haystacks) {
        EXPECT_EQ(text.find(needle), std::string::npos) << "found " << needle;
        ++searched;
      }
    }
  }
  EXPECT_GE(searched, 40u * 3 * 6);  // console, 4 files (+ tracks.csv)
  // 40 devices crossed the line eastwards; the camera's counts of 1 - 4 are withheld.
  const auto summary = nlohmann::json::parse(readAll(out / "summary.json"));
  EXPECT_EQ(summary["sources"][0]["tracks"], 40);
  double east = 0;
  for (const auto& cell : countCells(out / "sensor_counts.csv"))
    east += cell.empty() ? 0 : std::stod(cell);
  EXPECT_LE(east, 40);
  expectNoCountBelowK(out / "observed_counts.csv", 5);
  expectNoCountBelowK(out / "sensor_counts.csv", 5);
  for (const auto& s : summary["observed_counts"]) {
    if (!s["total"].is_null()) {
      EXPECT_GE(s["total"].get<double>(), 5);
    }
  }
}

TEST(ReplayCommand, AnObservationSetWithMistakesIsRefusedWithTheLineAndAFix) {
  const fs::path dir = freshTempDir();
  std::ofstream(dir / "c.csv") << "time,sensor,direction,count\n0,a,in,5\n60,a,in,6\n";
  std::ofstream(dir / "typo.yaml") << "name: t\nintervall: 60\nsources:\n"
                                      "  - {name: c, kind: counts, file: c.csv}\n";
  auto r = runCli("replay " + quote(dir / "typo.yaml") + " --out " + quote(dir / "o1"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("line 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did you mean 'interval'"), std::string::npos) << r.out;

  std::ofstream(dir / "noregister.yaml") << "name: t\nsources:\n"
                                            "  - {name: c, kind: counts, file: c.csv}\n";
  r = runCli("replay " + quote(dir / "noregister.yaml") + " --out " + quote(dir / "o2"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("register"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("legal_basis"), std::string::npos) << r.out;

  std::ofstream(dir / "badrow.csv") << "time,sensor,direction,count\n0,a,in,5\n60,a,in,five\n";
  std::ofstream(dir / "badrow.yaml")
      << "name: t\nsources:\n  - name: c\n    kind: counts\n    file: badrow.csv\n"
         "    register: {controller: x, purpose: y, legal_basis: z}\n";
  r = runCli("replay " + quote(dir / "badrow.yaml") + " --out " + quote(dir / "o3"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("badrow.csv:3: column 'count'"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "o3" / "summary.json"));
}

TEST(CalibrateCommand, FitsTheMorningPeakToTheCamerasAndTheResultRunsAsAScenario) {
  const fs::path source(CITYTWIN_SOURCE_DIR);
  const fs::path example = source / "scenarios/amsterdam-traffic/calibration";
  const fs::path out = freshTempDir() / "calibration";
  auto r = runCli("calibrate " + quote(source / "scenarios/amsterdam-traffic/base.yaml") + " " +
                  quote(example / "observations.yaml") + " --out " + quote(out) + " -j 2");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto summary = nlohmann::json::parse(readAll(out / "summary.json"));
  EXPECT_FALSE(summary["fit_before"]["meets_target"]) << summary["fit_before"].dump();
  EXPECT_TRUE(summary["fit_after"]["meets_target"]) << summary["fit_after"].dump();
  EXPECT_GE(summary["fit_after"]["share_geh_below_5"].get<double>(), 0.85);
  EXPECT_EQ(summary["od_entries"].size(), 18u);
  EXPECT_EQ(summary["provenance"]["data_register"][0]["personal_data"], false);
  EXPECT_NE(r.out.find("GEH < 5 in"), std::string::npos) << r.out;

  // The calibrated matrix is an OD matrix a scenario can use: the same scenario with it
  // reproduces the cameras' counts when run with the sensors.
  std::string yaml = readAll(example / "true-demand.yaml");
  const auto at = yaml.find("od_matrix: true-od.csv");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, std::string("od_matrix: true-od.csv").size(),
               "od_matrix: " + (out / "calibrated_od.csv").string());
  const auto city = yaml.find("city: ../../../assets");
  ASSERT_NE(city, std::string::npos);
  yaml.replace(city, std::string("city: ../../../assets").size(),
               "city: " + (source / "assets").string());
  std::ofstream(out.parent_path() / "calibrated.yaml") << yaml;
  r = runCli("run " + quote(out.parent_path() / "calibrated.yaml") + " --sensors " +
             quote(example / "observations.yaml") + " --out " + quote(out.parent_path() / "run") +
             " -j 2 -q");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto run = nlohmann::json::parse(readAll(out.parent_path() / "run" / "summary.json"));
  EXPECT_TRUE(run["sensors"]["fit"]["meets_target"]) << run["sensors"].dump(2);
  EXPECT_NEAR(run["sensors"]["fit"]["share_geh_below_5"].get<double>(),
              summary["fit_after"]["share_geh_below_5"].get<double>(), 1e-9)
      << "the run with the calibrated matrix is the calibration's own last simulation";
}

TEST(ForecastCommand, ABusySaturdayAfternoonRaisesAdviceWithItsBasis) {
  const fs::path dir = freshTempDir();
  // Six weeks of 15-minute counts from Monday 2026-10-19, local time +01:00: quiet weekdays,
  // Saturdays with a peak of about 400 at 15:00. Up to the sixth Saturday, 12:00.
  {
    std::ofstream csv(dir / "history.csv");
    csv << "start;camera;dir;n\n";
    for (int day = 0; day < 40; ++day) {
      for (int slot = 0; slot < 96; ++slot) {
        if (day == 40 - 1 && slot >= 48) break;
        const double hour = slot / 4.0;
        const bool saturday = day % 7 == 5;
        const double peak =
            saturday && hour >= 13 && hour < 17 ? 320 * std::sin(M_PI * (hour - 13) / 4) : 0;
        const int n = static_cast<int>((saturday ? 80 : 40) + peak + (day * 7 + slot) % 9);
        char time[64];
        const int date = 19 + day;  // October has 31 days
        std::snprintf(time, sizeof time, "2026-%02d-%02dT%02d:%02d:00+01:00", date <= 31 ? 10 : 11,
                      date <= 31 ? date : date - 31, slot / 4, slot % 4 * 15);
        csv << time << ";dam-north;in;" << n << "\n";
      }
    }
  }
  std::ofstream(dir / "set.yaml") << R"(name: Dam counting camera
utc_offset: 1h
alerts:
  - {sensor: dam-north, direction: in, from: "13:00", to: "17:00", above: 350,
     advice: open the second entrance at the Dam}
sources:
  - name: camera
    kind: counts
    file: history.csv
    columns: {time: start, sensor: camera, direction: dir, count: n}
    register: {controller: Gemeente Test, purpose: crowd levels, legal_basis: public task}
)";
  // 2026-11-28 is the sixth Saturday.
  const auto r = runCli("forecast " + quote(dir / "set.yaml") +
                        " --now 2026-11-28T12:00:00+01:00 --hours 6 --out " + quote(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(readAll(dir / "out" / "alerts.json"));
  ASSERT_FALSE(j["alerts"].empty()) << j.dump(2);
  for (const auto& a : j["alerts"]) {
    const std::string at = a["interval_start"];
    EXPECT_GE(at.substr(11), "13:00") << at;
    EXPECT_LT(at.substr(11), "17:00") << at;
    EXPECT_EQ(a["advice"], "open the second entrance at the Dam");
    EXPECT_NE(a["basis"].get<std::string>().find("5 earlier weeks"), std::string::npos);
  }
  EXPECT_NE(r.out.find("Advice: open the second entrance"), std::string::npos) << r.out;
  EXPECT_NE(j["note"].get<std::string>().find("acts on none"), std::string::npos);
  const std::string csv = readAll(dir / "out" / "forecast.csv");
  EXPECT_NE(csv.find("dam-north,in,"), std::string::npos);
  EXPECT_NE(csv.find("2026-11-28 15:00"), std::string::npos) << csv.substr(0, 400);
}

TEST(ExpireCommand, RowsPastTheirRetentionLeaveTheWrittenFilesAndTheLogSaysSo) {
  const fs::path dir = freshTempDir();
  // Two walks past a counting line: one 20 days ago, one 2 days ago (Unix seconds); a camera's
  // counts 5 days ago. Trajectories may be kept 30 days, the camera's counts 10.
  const long long now = static_cast<long long>(std::time(nullptr));
  const long long day = 86400;
  {
    std::ofstream tracks(dir / "walks.csv");
    tracks << "id,time,x,y\n";
    for (const auto& [id, start] :
         {std::pair{"old", now - 20 * day}, std::pair{"new", now - 2 * day}})
      for (int s = 0; s < 6; ++s) tracks << id << "," << start + s << "," << s * 2.0 << ",1\n";
    std::ofstream counts(dir / "camera.csv");
    counts << "time,sensor,direction,count\n";
    for (int m = 0; m < 3; ++m) counts << now - 5 * day + 60 * m << ",line,east,7\n";
  }
  std::ofstream(dir / "set.yaml") << R"(name: retention check
privacy: {key_period: 1h, min_group_size: 1}
interval: 60
export_tracks: true
sensors:
  - {id: line, line: [[5, -5], [5, 5]], forward: east, backward: west}
sources:
  - name: walks
    kind: trajectories
    file: walks.csv
    register: {controller: Gemeente Test, purpose: crowd levels, legal_basis: public task, retention: 30d}
  - name: camera
    kind: counts
    file: camera.csv
    register: {controller: Gemeente Test, purpose: crowd levels, legal_basis: public task, retention: 10d}
)";
  const fs::path out = dir / "out";
  ASSERT_EQ(runCli("replay " + quote(dir / "set.yaml") + " --out " + quote(out) + " -q").exit_code,
            0);
  const auto rows = [&](const char* file) {
    std::ifstream in(out / file);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.empty() ? 0 : 1;
    return n - 1;  // without the header
  };
  ASSERT_EQ(rows("tracks.csv"), 12u) << "both walks are within 30 days now";
  ASSERT_EQ(rows("observed_counts.csv"), 3u);
  const std::string tracks_before = readAll(out / "tracks.csv");

  // A dry run 15 days from now says what would go and deletes nothing.
  const std::string later = std::to_string(now + 15 * day);
  auto r = runCli("expire " + quote(out) + " --now " + later + " --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("tracks.csv: 6 of 12 rows would be deleted"), std::string::npos) << r.out;
  EXPECT_EQ(readAll(out / "tracks.csv"), tracks_before);
  EXPECT_FALSE(fs::exists(out / "retention.log"));

  // For real: the walk of 35 days ago goes, the one of 17 days stays; the camera's counts
  // (20 days old by then, 10 allowed) go; the log says what went.
  r = runCli("expire " + quote(out) + " --now " + later);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(rows("tracks.csv"), 6u);
  EXPECT_EQ(rows("observed_counts.csv"), 0u);
  std::ifstream tracks(out / "tracks.csv");
  std::string line;
  std::getline(tracks, line);
  while (std::getline(tracks, line)) {
    const double t = std::stod(line.substr(line.find(',') + 1));
    EXPECT_GE(t, static_cast<double>(now - 3 * day)) << line;
  }
  const std::string log = readAll(out / "retention.log");
  EXPECT_NE(log.find("tracks.csv: 6 of 12 rows deleted as older than 30 d"), std::string::npos)
      << log;
  EXPECT_NE(log.find("observed_counts.csv: 3 of 3 rows deleted as older than 10 d"),
            std::string::npos)
      << log;
  EXPECT_FALSE(fs::exists(out / "tracks.csv.partial"));

  // A folder that is not a replay's is refused with what to give.
  r = runCli("expire " + quote(dir));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("no summary.json here"), std::string::npos) << r.out;
}

TEST(CalibrateCommand, FitsACrowdsArrivalProfileToACameraAndTheResultRunsAsAScenario) {
  const fs::path dir = freshTempDir();
  // The truth: people come into the Muntplein at 0.5 a second, 2 a second from minute 4 to 10,
  // then 0.5 again, and walk to the Dam; a camera across the Rokin and the Kalverstraat north
  // of the Muntplein counts them per two minutes.
  const auto scenario = [&](const std::string& name, const std::string& profile, int agents,
                            int seed) {
    std::ofstream(dir / name)
        << "name: Muntplein to Dam\ncity: " << citytwin::test::amsterdamGpkg().string()
        << "\ncrs: EPSG:28992\ncrowd:\n  duration: 1200\n  seed: " << seed
        << "\n  time_step: 0.1\n  stages:\n"
        << "    - {name: dam, kind: exit, circle: {center: [121301, 487357], radius: 15}}\n"
        << "  journeys:\n    - {name: to-dam, stages: [dam]}\n  sources:\n"
        << "    - {name: muntplein, journey: to-dam, agents: " << agents << ", profile: " << profile
        << ", circle: {center: [121361, 486683], radius: 12}}\n"
        << "outputs:\n  trajectory_every: 0\n";
  };
  scenario("truth.yaml", "[[0, 0.5], [240, 2], [600, 0.5], [840, 0]]", 960, 5);
  const std::string sensors =
      "crs: EPSG:28992\ninterval: 120\nsensors:\n"
      "  - {id: rokin-kalverstraat, line: [[121480, 486760], [121230, 486760]], forward: north, "
      "backward: south}\n";
  std::ofstream(dir / "sensors.yaml") << "name: camera\n" << sensors;
  auto r = runCli("run " + quote(dir / "truth.yaml") + " --sensors " + quote(dir / "sensors.yaml") +
                  " --out " + quote(dir / "truth") + " -j 2 -q");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_TRUE(fs::exists(dir / "truth" / "sensor_counts.csv"));
  std::ofstream(dir / "camera.yaml")
      << "name: camera at the Muntplein\n"
      << sensors
      << "sources:\n  - name: camera\n    kind: counts\n    file: truth/sensor_counts.csv\n"
         "    register: {controller: Gemeente Test, purpose: calibration, legal_basis: public "
         "task, personal_data: false}\n";

  // The first guess: a flat 0.75 a second for 14 minutes.
  scenario("guess.yaml", "[[0, 0.75], [840, 0]]", 630, 8);
  const fs::path out = dir / "calibration";
  r = runCli("calibrate " + quote(dir / "guess.yaml") + " " + quote(dir / "camera.yaml") +
             " --out " + quote(out) + " -j 2");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto summary = nlohmann::json::parse(readAll(out / "summary.json"));
  EXPECT_FALSE(summary["fit_before"]["meets_target"]) << summary["fit_before"].dump();
  EXPECT_TRUE(summary["fit_after"]["meets_target"]) << summary["fit_after"].dump();
  EXPECT_EQ(summary["sources"][0]["sensor"], "rokin-kalverstraat");
  EXPECT_EQ(summary["sources"][0]["direction"], "north");
  EXPECT_NEAR(summary["sources"][0]["people_after"].get<double>(), 960.0, 50.0);
  EXPECT_NE(r.out.find("GEH < 5 in"), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(out / "profiles.csv"));

  // The calibrated scenario runs as it is and meets the target against the camera.
  r = runCli("run " + quote(out / "calibrated.yaml") + " --sensors " + quote(dir / "camera.yaml") +
             " --out " + quote(dir / "run") + " -j 2 -q");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto run = nlohmann::json::parse(readAll(dir / "run" / "summary.json"));
  EXPECT_TRUE(run["sensors"]["fit"]["meets_target"]) << run["sensors"].dump(2);
}

TEST(ForecastCommand, AScenarioOfTheAreaIsSimulatedFromTheMeasuredPresent) {
  const fs::path dir = freshTempDir();
  // A camera north of the Muntplein: four earlier Sundays of 5-minute counts (about 60 people
  // each) and today 90, up to Sunday 2026-11-29 15:00 UTC.
  const long long now = 1795964400, week = 7 * 86400;
  {
    std::ofstream csv(dir / "camera.csv");
    csv << "time,sensor,direction,count\n";
    for (long long t = now - 4 * week - 86400; t < now; t += 300) {
      const long long back = (now - t + week - 1) / week;
      csv << t << ",rokin-kalverstraat,north," << (now - t <= 86400 ? 90 : 50 + 5 * back) << "\n";
    }
  }
  std::ofstream(dir / "set.yaml")
      << "name: Muntplein camera\ncrs: EPSG:28992\nutc_offset: 1h\ninterval: 300\n"
         "sensors:\n  - {id: rokin-kalverstraat, line: [[121480, 486760], [121230, 486760]], "
         "forward: north, backward: south}\n"
         "alerts:\n  - {zone: muntplein, above: 0.001, advice: send a steward to the Muntplein}\n"
         "sources:\n  - name: camera\n    kind: counts\n    file: camera.csv\n"
         "    register: {controller: Gemeente Test, purpose: crowd levels, legal_basis: public "
         "task}\n";
  std::ofstream(dir / "area.yaml")
      << "name: Muntplein to Dam\ncity: " << citytwin::test::amsterdamGpkg().string()
      << "\ncrs: EPSG:28992\ncrowd:\n  duration: 3600\n  seed: 3\n  time_step: 0.1\n  stages:\n"
      << "    - {name: dam, kind: exit, circle: {center: [121301, 487357], radius: 15}}\n"
      << "  journeys:\n    - {name: to-dam, stages: [dam]}\n  sources:\n"
      << "    - {name: muntplein, journey: to-dam, agents: 1, circle: {center: [121361, 486683], "
         "radius: 12}}\n"
      << "  zones:\n    - {name: muntplein, circle: {center: [121361, 486700], radius: 40}}\n";
  const auto r = runCli("forecast " + quote(dir / "set.yaml") + " --now " + std::to_string(now) +
                        " --hours 0.25 --warmup 10 -j 2 --scenario " + quote(dir / "area.yaml") +
                        " --out " + quote(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(readAll(dir / "out" / "alerts.json"));
  ASSERT_TRUE(j["simulation"].is_object()) << j.dump(2);
  EXPECT_GT(j["simulation"]["people_walking_at_now"].get<int>(), 20) << "the warm-up filled the "
                                                                        "streets";
  EXPECT_EQ(j["simulation"]["sources_fed_by"][0]["sensor"], "rokin-kalverstraat");
  bool zone_alert = false;
  for (const auto& a : j["alerts"]) {
    if (a["zone"].is_null()) continue;
    zone_alert = true;
    EXPECT_EQ(a["zone"], "muntplein");
    EXPECT_NE(a["basis"].get<std::string>().find("simulated"), std::string::npos);
  }
  EXPECT_TRUE(zone_alert) << j["alerts"].dump(2);
  const std::string zones = readAll(dir / "out" / "forecast_zones.csv");
  EXPECT_EQ(zones.rfind("zone,time,local_time,expected,low,high\nmuntplein,1795964400,", 0), 0u)
      << zones;
  const std::string sensors = readAll(dir / "out" / "forecast_sensors.csv");
  EXPECT_NE(sensors.find("rokin-kalverstraat north,1795964700,"), std::string::npos) << sensors;
}
