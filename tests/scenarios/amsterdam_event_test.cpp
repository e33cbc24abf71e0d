// The bundled event scenario on the real Amsterdam centre and its two variants, run as a
// planner runs them: `citytwin compare` (about five minutes per scenario on two cores). The
// base: 50,000 visitors, everyone through the entrances, nobody stuck. The comparison: report,
// tables, GeoPackage and GeoTIFF layers, provenance; the HTML renders in headless Chromium;
// the closed street carries nobody in its variant.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace citytwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json summary(const fs::path& dir, const std::string& scenario) {
  std::ifstream in(dir / "runs" / scenario / "rep-001" / "summary.json");
  return json::parse(in);
}

void baseArrivesWithNobodyStuck(const fs::path& dir) {
  const json j = summary(dir, "base");
  EXPECT_GE(j["agents_spawned"].get<int>(), 50000);
  EXPECT_EQ(j["agents_arrived"], j["agents_spawned"]);
  EXPECT_EQ(j["agents_stuck"], 0) << "people without 0.5 m of progress for 60 s";
  EXPECT_EQ(j["agents_remaining"], 0);
  // The walk from the edge of the centre to the Dam is 0.5 to 1.2 km: several minutes.
  EXPECT_GT(j["mean_travel_time_s"].get<double>(), 300.0);
  EXPECT_LT(j["mean_travel_time_s"].get<double>(), 1500.0);
  for (const char* variant : {"extra_entrance", "one_way"}) {
    const json v = summary(dir, variant);
    EXPECT_EQ(v["agents_arrived"], v["agents_spawned"]) << variant;
    EXPECT_EQ(v["agents_remaining"], 0) << variant;
    EXPECT_EQ(v["seeds"], j["seeds"]) << "the same seeds as the base";
  }
}

void reportLayersAndProvenance(const fs::path& d) {
  for (const char* f : {"report.html", "kpis.csv", "kpis.json", "layers.gpkg", "provenance.json",
                        "peak_density_base.tif", "diff_peak_density_one_way.tif"})
    EXPECT_TRUE(fs::exists(d / f)) << f;
  std::ifstream in(d / "report.html");
  const std::string html((std::istreambuf_iterator<char>(in)), {});
  for (const char* s :
       {"Key figures", "Maps: where it gets crowded", "Where the changes reach",
        "How this was computed", "Kalverstraat south of the Dam", "extra entrance for 'entrances'"})
    EXPECT_NE(html.find(s), std::string::npos) << s;
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Headless Chromium renders it: a screenshot with text, tables and maps on it.
  const fs::path png = d / "report.png";
  const auto r = test::runCommand(
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
      "--window-size=1280,3000 --screenshot=" +
      test::quote(png) + " " + test::quote("file://" + (d / "report.html").string()));
  ASSERT_TRUE(fs::exists(png)) << r.out;
  GDALAllRegister();
  std::unique_ptr<GDALDataset> shot(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(shot);
  const int w = shot->GetRasterXSize(), h = shot->GetRasterYSize();
  std::vector<std::uint8_t> red(static_cast<std::size_t>(w) * h), blue(red.size());
  ASSERT_EQ(shot->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w, h, red.data(), w, h, GDT_Byte, 0, 0),
            CE_None);
  ASSERT_EQ(
      shot->GetRasterBand(3)->RasterIO(GF_Read, 0, 0, w, h, blue.data(), w, h, GDT_Byte, 0, 0),
      CE_None);
  std::size_t ink = 0, reddish = 0;
  for (std::size_t i = 0; i < red.size(); ++i) {
    ink += red[i] < 200;
    reddish += red[i] > 150 && blue[i] < 120;  // the density maps' warm colours
  }
  EXPECT_GT(static_cast<double>(ink) / red.size(), 0.02);
  EXPECT_GT(reddish, 500u) << "density maps drawn";
  // The layers open in GDAL: crowd cells with every scenario's values, in RD New.
  std::unique_ptr<GDALDataset> gpkg(GDALDataset::Open((d / "layers.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* cells = gpkg->GetLayerByName("crowd_cells");
  ASSERT_NE(cells, nullptr);
  EXPECT_GT(cells->GetFeatureCount(), 1000);
  EXPECT_GE(cells->GetLayerDefn()->GetFieldIndex("diff_peak_density_one_way"), 0);
  // The closed part of the Kalverstraat carries nobody in the one-way variant, people in the
  // base (cells whose centre lies well inside the closed area).
  double base_inside = 0.0, variant_inside = 0.0;
  cells->ResetReading();
  while (auto* f = cells->GetNextFeature()) {
    OGREnvelope e;
    f->GetGeometryRef()->getEnvelope(&e);
    const double cx = 0.5 * (e.MinX + e.MaxX), cy = 0.5 * (e.MinY + e.MaxY);
    if (cx > 121266 && cx < 121290 && cy > 487235 && cy < 487243) {
      base_inside += f->GetFieldAsDouble("peak_density_base");
      variant_inside += f->GetFieldAsDouble("peak_density_one_way");
    }
    OGRFeature::DestroyFeature(f);
  }
  EXPECT_GT(base_inside, 0.0) << "visitors walk the Kalverstraat in the base";
  EXPECT_EQ(variant_inside, 0.0) << "nobody inside the closed part";
  // Provenance names the OSM data with its licence and fingerprint.
  std::ifstream p(d / "provenance.json");
  const json prov = json::parse(p);
  bool odbl = false;
  for (const auto& i : prov["scenarios"][0]["inputs"])
    odbl |= i["licence"].get<std::string>().find("ODbL") != std::string::npos &&
            i["sha256"].get<std::string>().size() == 64;
  EXPECT_TRUE(odbl);
  EXPECT_TRUE(prov["scenarios"][0].contains("model"));
}

// One test, one comparison run (three scenarios, about a quarter of an hour on two cores).
TEST(AmsterdamEvent, BaseAndVariantsCompareWithNobodyStuckAndAReportThatRenders) {
  const fs::path dir = test::freshTempDir() / "compare";
  const fs::path s = fs::path(CITYTWIN_SOURCE_DIR) / "scenarios" / "amsterdam-event";
  const auto r = test::runCli("compare -q " + test::quote(s / "base.yaml") + " " +
                              test::quote(s / "extra-entrance.yaml") + " " +
                              test::quote(s / "one-way.yaml") + " --out " + test::quote(dir));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  {
    SCOPED_TRACE("the base: 50,000 visitors");
    baseArrivesWithNobodyStuck(dir);
  }
  {
    SCOPED_TRACE("the comparison's report and layers");
    reportLayersAndProvenance(dir);
  }
}

}  // namespace
}  // namespace citytwin
