// `citytwin compare` and replications: a comparison of the Amsterdam traffic variants writes
// the report, tables, layers and provenance, and its HTML renders in headless Chromium; an
// interrupted multi-replication run resumes to exactly the results of an uninterrupted one.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.hpp"

namespace citytwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string scenario(const std::string& name) {
  return test::quote(fs::path(CITYTWIN_SOURCE_DIR) / "scenarios" / name);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Renders a page in headless Chromium and returns the fraction of non-white pixels of the
/// screenshot (-1 when Chromium is missing or fails).
double renderedInk(const fs::path& html, const fs::path& png) {
  const auto r = test::runCommand(
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
      "--window-size=1280,2400 --screenshot=" +
      test::quote(png) + " " + test::quote("file://" + fs::absolute(html).string()));
  if (!fs::exists(png)) {
    ADD_FAILURE() << "chromium wrote no screenshot: " << r.out;
    return -1.0;
  }
  EXPECT_EQ(r.out.find("Uncaught"), std::string::npos) << r.out;
  GDALAllRegister();
  std::unique_ptr<GDALDataset> ds(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER));
  if (!ds) return -1.0;
  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  std::vector<std::uint8_t> red(static_cast<std::size_t>(w) * h);
  if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w, h, red.data(), w, h, GDT_Byte, 0, 0) !=
      CE_None)
    return -1.0;
  std::size_t ink = 0;
  for (auto v : red) ink += v < 200;
  return static_cast<double>(ink) / static_cast<double>(red.size());
}

TEST(Compare, TrafficVariantsGiveReportTablesLayersAndProvenance) {
  const auto dir = test::freshTempDir() / "cmp";
  const auto r = test::runCli("compare -q " + scenario("amsterdam-traffic/base.yaml") + " " +
                              scenario("amsterdam-traffic/closed-street.yaml") +
                              " --replications 2 --out " + test::quote(dir));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* f : {"report.html", "kpis.csv", "kpis.json", "layers.gpkg", "provenance.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  // KPIs: both scenarios, means with intervals over 2 replications, differences to the base.
  const json k = json::parse(slurp(dir / "kpis.json"));
  EXPECT_EQ(k["replications"], 2);
  bool cut = false;
  for (const auto& row : k["kpis"]) {
    ASSERT_TRUE(row["scenarios"].contains("base"));
    ASSERT_TRUE(row["scenarios"].contains("closed_street"));
    EXPECT_EQ(row["scenarios"]["base"]["n"], 2);
    if (row["key"] == "trips_cut_short") {
      cut = true;
      EXPECT_GT(row["scenarios"]["closed_street"]["diff_vs_base"]["mean"].get<double>(), 0.0);
    }
  }
  EXPECT_TRUE(cut);
  EXPECT_NE(slurp(dir / "kpis.csv").find("closed_street,mean_trip_duration_s"), std::string::npos);
  // Layers open in GDAL with the roads and their per-scenario values, in RD New.
  GDALAllRegister();
  std::unique_ptr<GDALDataset> gpkg(
      GDALDataset::Open((dir / "layers.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* roads = gpkg->GetLayerByName("traffic_roads");
  ASSERT_NE(roads, nullptr);
  EXPECT_GT(roads->GetFeatureCount(), 500);
  EXPECT_GE(roads->GetLayerDefn()->GetFieldIndex("diff_vehicles_closed_street"), 0);
  EXPECT_STREQ(roads->GetSpatialRef()->GetAuthorityCode(nullptr), "28992");
  // Provenance: inputs with fingerprints and licences, seeds per run, software and machine.
  const json p = json::parse(slurp(dir / "provenance.json"));
  ASSERT_EQ(p["scenarios"].size(), 2u);
  const auto& inputs = p["scenarios"][1]["inputs"];
  ASSERT_GE(inputs.size(), 4u) << "variant, base, city, OD matrix, GTFS";
  bool osm = false;
  for (const auto& in : inputs) {
    EXPECT_EQ(in["sha256"].get<std::string>().size(), 64u) << in["path"];
    osm |= in["licence"].get<std::string>().find("ODbL") != std::string::npos;
  }
  EXPECT_TRUE(osm);
  EXPECT_EQ(p["scenarios"][1]["runs"].size(), 2u);
  EXPECT_EQ(p["scenarios"][1]["interventions"][0],
            "close Kloveniersburgwal to car, truck from 07:30 until 09:00");
  EXPECT_TRUE(p["machine"].contains("hardware_threads"));
  // The report: self-contained (no scripts, nothing fetched), with its sections, and it renders.
  const std::string html = slurp(dir / "report.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  for (const char* section : {"Key figures", "Maps: where traffic goes", "Where the changes reach",
                              "How this was computed", "Kloveniersburgwal"})
    EXPECT_NE(html.find(section), std::string::npos) << section;
  const double ink = renderedInk(dir / "report.html", dir / "report.png");
  EXPECT_GT(ink, 0.02) << "text, tables and maps drawn";
  EXPECT_LT(ink, 0.8);
  // Run again: every run is reused, the report is the same.
  const auto again = test::runCli("compare " + scenario("amsterdam-traffic/base.yaml") + " " +
                                  scenario("amsterdam-traffic/closed-street.yaml") +
                                  " --replications 2 --out " + test::quote(dir));
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("done before"), std::string::npos) << again.out;
  EXPECT_EQ(json::parse(slurp(dir / "kpis.json")), k);
}

TEST(Replications, AnInterruptedRunResumesToTheSameResults) {
  const auto dir = test::freshTempDir();
  const std::string run = std::string(CITYTWIN_CLI_PATH) + " run -q " +
                          scenario("amsterdam-traffic/base.yaml") + " --replications 3 -j 1 --out ";
  ASSERT_EQ(test::runCommand(run + test::quote(dir / "whole")).exit_code, 0);
  // Stop it during the second replication (as a killed job or a shut-down machine would),
  // then start the same command again.
  const fs::path cut = dir / "cut";
  const auto killed = test::runCommand(
      "( " + run + test::quote(cut) + " & pid=$!; while [ ! -f " +
      test::quote(cut / "rep-001" / "summary.json") +
      " ]; do sleep 0.1; done; sleep 1; kill -TERM $pid; wait $pid; echo exit=$? )");
  EXPECT_NE(killed.out.find("exit=143"), std::string::npos) << killed.out;
  ASSERT_TRUE(fs::exists(cut / "rep-001" / "summary.json"));
  ASSERT_FALSE(fs::exists(cut / "summary.json")) << "not finished";
  const auto first_time = fs::last_write_time(cut / "rep-001" / "summary.json");
  const auto resumed = test::runCommand(std::string(CITYTWIN_CLI_PATH) + " run " +
                                        scenario("amsterdam-traffic/base.yaml") +
                                        " --replications 3 -j 1 --out " + test::quote(cut));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_NE(resumed.out.find("replication 1/3: done before"), std::string::npos) << resumed.out;
  EXPECT_EQ(fs::last_write_time(cut / "rep-001" / "summary.json"), first_time)
      << "a finished replication is never written again";
  for (const char* rep : {"rep-001", "rep-002", "rep-003"})
    for (const char* f : {"tripinfo.csv", "edge_aggregates.csv", "bus_stops.csv"})
      EXPECT_EQ(slurp(cut / rep / f), slurp(dir / "whole" / rep / f)) << rep << "/" << f;
  EXPECT_EQ(slurp(cut / "replications.csv"), slurp(dir / "whole" / "replications.csv"));
  // Replications differ from each other (their seeds do).
  EXPECT_NE(slurp(cut / "rep-001" / "tripinfo.csv"), slurp(cut / "rep-002" / "tripinfo.csv"));
}

/// Rows of a CSV file as column -> value maps.
std::vector<std::map<std::string, std::string>> csvRows(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> head;
  for (std::stringstream ss(line); std::getline(ss, line, ',');) head.push_back(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::size_t k = 0;
    for (std::stringstream ss(line); std::getline(ss, line, ',') && k < head.size(); ++k)
      row[head[k]] = line;
    rows.push_back(row);
  }
  return rows;
}

TEST(Sweep, AFullFactorialDesignGivesOneRowPerRun) {
  const auto dir = test::freshTempDir();
  const fs::path traffic = fs::path(CITYTWIN_SOURCE_DIR) / "scenarios" / "amsterdam-traffic";
  std::ofstream(dir / "sweep.yaml") << "scenarios: [" << (traffic / "base.yaml").string() << ", "
                                    << (traffic / "closed-street.yaml").string()
                                    << "]\nparameters:\n  traffic.truck_share: [0.0, 0.2]\n"
                                       "replications: 1\nparallel: 2\n";
  const auto r = test::runCli("sweep -q " + test::quote(dir / "sweep.yaml") + " --out " +
                              test::quote(dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto rows = csvRows(dir / "out" / "results.csv");
  ASSERT_EQ(rows.size(), 4u) << "2 scenarios x 2 truck shares x 1 replication";
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("status"), "done");
    const double cut = std::stod(row.at("trips_cut_short"));
    if (row.at("scenario") == "base.yaml")
      EXPECT_EQ(cut, 0.0);
    else
      EXPECT_GT(cut, 0.0) << "the closure cuts trips short at every truck share";
  }
  EXPECT_EQ(rows[0].at("traffic.truck_share"), "0.0");
  EXPECT_EQ(rows[1].at("traffic.truck_share"), "0.2");
  // The truck share reached the runs: it is in their summaries' vehicle mix.
  std::ifstream s(dir / "out" / "runs" / "point-0002" / "rep-001" / "summary.json");
  const json j = json::parse(s);
  EXPECT_EQ(j["overrides"]["traffic.truck_share"], "0.2");
  // A parameter the scenario does not have: the nearest key, before anything runs.
  std::ofstream(dir / "bad.yaml") << "scenarios: [" << (traffic / "base.yaml").string()
                                  << "]\nparameters:\n  traffic.truck_shar: [0.1]\n";
  const auto bad = test::runCli("sweep -q " + test::quote(dir / "bad.yaml") + " --out " +
                                test::quote(dir / "bad"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("did you mean 'truck_share'"), std::string::npos) << bad.out;
  EXPECT_FALSE(fs::exists(dir / "bad" / "runs" / "point-0001"));
}

}  // namespace
}  // namespace citytwin
