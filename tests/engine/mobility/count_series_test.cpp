// Count tables in and out, and the GEH / RMSE fit between simulated and observed counts.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/fit_statistics.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"

namespace mobility = citytwin::engine::mobility;
namespace fs = std::filesystem;

namespace {

fs::path writeFile(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / "citytwin-count-tests";
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string errorOf(const fs::path& path, const mobility::CountCsvColumns& columns = {}) {
  try {
    mobility::readCountCsv(path.string(), columns);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(CountTimes, SecondsTimesOfDayAndIsoDateTimes) {
  EXPECT_DOUBLE_EQ(mobility::parseTimeCell("125.5"), 125.5);
  EXPECT_DOUBLE_EQ(mobility::parseTimeCell("07:15"), 7 * 3600 + 15 * 60);
  EXPECT_DOUBLE_EQ(mobility::parseTimeCell("07:15:30"), 7 * 3600 + 15 * 60 + 30);
  // 2024-06-01T00:00:00Z is 1717200000 Unix seconds.
  EXPECT_DOUBLE_EQ(mobility::parseTimeCell("2024-06-01T00:00:00Z"), 1717200000.0);
  EXPECT_DOUBLE_EQ(mobility::parseTimeCell("2024-06-01 14:00:00"), 1717200000.0 + 14 * 3600);
  EXPECT_DOUBLE_EQ(mobility::parseTimeCell("2024-06-01T14:00:00+02:00"), 1717200000.0 + 12 * 3600);
  EXPECT_DOUBLE_EQ(mobility::parseTimeCell("2024-06-01T14:00+0200"), 1717200000.0 + 12 * 3600);
  EXPECT_THROW(mobility::parseTimeCell("2024-02-30T10:00:00"), std::invalid_argument);
  EXPECT_THROW(mobility::parseTimeCell("yesterday"), std::invalid_argument);
  EXPECT_THROW(mobility::parseTimeCell("25:99"), std::invalid_argument);
}

TEST(CountCsv, ReadsAMappedSemicolonTableWithGapsAsMissing) {
  const auto path = writeFile("gemeente.csv",
                              "\xEF\xBB\xBFtijdstip;locatie;richting;aantal\n"
                              "2024-06-01T14:00:00+02:00;Dam-Noord;in;120\n"
                              "2024-06-01T14:00:00+02:00;Dam-Noord;uit;80\n"
                              "2024-06-01T14:15:00+02:00;Dam-Noord;in;131\n"
                              "2024-06-01T14:45:00+02:00;Dam-Noord;in;\n"
                              "2024-06-01T14:30:00+02:00;Dam-Noord;in;3\n");
  mobility::CountCsvColumns columns{"tijdstip", "locatie", "richting", "aantal", 900};
  const auto series = mobility::readCountCsv(path.string(), columns);
  ASSERT_EQ(series.size(), 2u);
  const auto& in = series[0];
  EXPECT_EQ(in.sensor, "Dam-Noord");
  EXPECT_EQ(in.direction, "in");
  EXPECT_DOUBLE_EQ(in.begin_s, 1717200000.0 + 12 * 3600);
  EXPECT_DOUBLE_EQ(in.interval_s, 900);
  ASSERT_EQ(in.counts.size(), 4u);
  EXPECT_EQ(in.counts[0], 120);
  EXPECT_EQ(in.counts[1], 131);
  EXPECT_EQ(in.counts[2], 3);
  EXPECT_TRUE(std::isnan(in.counts[3])) << "an empty cell is a missing count, not zero";
  EXPECT_DOUBLE_EQ(in.total(), 254);
  EXPECT_EQ(in.countAt(in.begin_s + 1000), 131);
  EXPECT_EQ(series[1].direction, "uit");
}

TEST(CountCsv, ErrorsNameTheFileLineColumnAndWhatToDo) {
  const auto missing = writeFile("missing.csv", "time,sensor,count\n0,a,1\n");
  const std::string e1 = errorOf(missing);
  EXPECT_NE(e1.find("missing.csv"), std::string::npos) << e1;
  EXPECT_NE(e1.find("'direction'"), std::string::npos) << e1;
  EXPECT_NE(e1.find("columns: time, sensor, count"), std::string::npos) << e1;

  const auto bad_number =
      writeFile("comma.csv", "time,sensor,direction,count\n0,a,in,12,5\n60,a,in,1\n");
  // More cells than columns is fine; a decimal comma in a ';' file is not:
  const auto decimal_comma =
      writeFile("decimal.csv", "time;sensor;direction;count\n0;a;in;1\n60;a;in;12,5\n");
  EXPECT_EQ(errorOf(bad_number), "(no error)");
  const std::string e2 = errorOf(decimal_comma);
  EXPECT_NE(e2.find("decimal.csv:3:"), std::string::npos) << e2;
  EXPECT_NE(e2.find("decimal separator"), std::string::npos) << e2;

  const auto twice = writeFile("twice.csv", "time,sensor,direction,count\n0,a,in,1\n0,a,in,2\n");
  const std::string e3 = errorOf(twice);
  EXPECT_NE(e3.find("twice.csv:3:"), std::string::npos) << e3;
  EXPECT_NE(e3.find("line 2"), std::string::npos) << e3;

  const auto off_grid =
      writeFile("grid.csv", "time,sensor,direction,count\n0,a,in,1\n60,a,in,2\n90,a,in,2\n");
  mobility::CountCsvColumns per_minute;
  per_minute.interval_s = 60;
  const std::string e4 = errorOf(off_grid, per_minute);
  EXPECT_NE(e4.find("grid.csv:4:"), std::string::npos) << e4;

  const auto negative = writeFile("negative.csv", "time,sensor,direction,count\n0,a,in,-3\n");
  EXPECT_NE(errorOf(negative).find("negative"), std::string::npos);
  const auto bad_time = writeFile("time.csv", "time,sensor,direction,count\n14u,a,in,3\n");
  EXPECT_NE(errorOf(bad_time).find("time.csv:2: column 'time'"), std::string::npos)
      << errorOf(bad_time);
  EXPECT_NE(errorOf(writeFile("empty.csv", "")).find("empty"), std::string::npos);
  EXPECT_NE(errorOf("/nonexistent/counts.csv").find("cannot open"), std::string::npos);
}

TEST(CountCsv, ExportWithholdsCountsBelowTheMinimumGroupSize) {
  mobility::CountSeries s{"gate-3", "in", 0.0, 60.0, {0, 1, 4, 5, 17, std::nan("")}};
  mobility::PrivacyGate gate;  // k = 5
  const auto path = writeFile("export.csv", "");
  mobility::writeCountCsv(path.string(), {s}, gate);
  EXPECT_EQ(readAll(path),
            "time,sensor,direction,count\n"
            "0,gate-3,in,0\n60,gate-3,in,\n120,gate-3,in,\n180,gate-3,in,5\n"
            "240,gate-3,in,17\n300,gate-3,in,\n");
  // It reads back with the withheld intervals missing.
  const auto back = mobility::readCountCsv(path.string());
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(std::isnan(back[0].counts[1]));
  EXPECT_EQ(back[0].counts[4], 17);
}

TEST(CountCsv, AFailedExportLeavesTheEarlierFileWhole) {
  const auto path = writeFile("kept.csv", "time,sensor,direction,count\n0,a,in,9\n");
  mobility::PrivacyGate gate;
  EXPECT_THROW(mobility::writeCountCsv("/nonexistent-dir/x.csv", {}, gate), std::runtime_error);
  EXPECT_EQ(readAll(path), "time,sensor,direction,count\n0,a,in,9\n");
}

TEST(Geh, KnownValuesAndTheUsualTarget) {
  EXPECT_DOUBLE_EQ(mobility::geh(100, 100), 0.0);
  EXPECT_NEAR(mobility::geh(150, 100), std::sqrt(20.0), 1e-12);  // 4.47: within target
  EXPECT_NEAR(mobility::geh(1000, 1200), std::sqrt(2.0 * 200 * 200 / 2200), 1e-12);
  EXPECT_DOUBLE_EQ(mobility::geh(0, 0), 0.0);
}

TEST(Geh, ComparesAlignedIntervalsAsHourlyFlowsAndSkipsMissingOnes) {
  // 15-minute counts: 25 and 25 -> 100/h each; 50 vs 25 -> 200/h vs 100/h: GEH 8.2.
  mobility::CountSeries observed{"s", "in", 900.0, 900.0, {25, 25, std::nan(""), 25}};
  mobility::CountSeries simulated{"s", "in", 0.0, 900.0, {7, 25, 50, 99, 26}};
  const auto fit = mobility::compareCounts(simulated, observed);
  EXPECT_EQ(fit.intervals, 3u);  // 900, 1800, 3600; 2700 has no observation
  EXPECT_EQ(fit.geh_below_5, 2u);
  EXPECT_NEAR(fit.max_geh, mobility::geh(200, 100), 1e-12);
  EXPECT_NEAR(fit.rmse, std::sqrt((0.0 + 625 + 1) / 3), 1e-12);
  EXPECT_FALSE(fit.meetsTarget());

  mobility::CountSeries shifted = simulated;
  shifted.begin_s = 450;
  EXPECT_THROW(mobility::compareCounts(shifted, observed), std::invalid_argument);
  shifted = simulated;
  shifted.interval_s = 300;
  EXPECT_THROW(mobility::compareCounts(shifted, observed), std::invalid_argument);
  try {
    mobility::compareCounts(std::vector<mobility::CountSeries>{simulated},
                            {observed, mobility::CountSeries{"other", "out", 0, 900, {1}}});
    FAIL() << "an observed sensor without a twin was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'other'"), std::string::npos) << e.what();
  }
}
