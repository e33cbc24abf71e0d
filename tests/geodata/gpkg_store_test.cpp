// The GeoPackage store: identical round trip, atomic writes, no silent overwrite.
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <fstream>

#include "citytwin/geodata/error.hpp"
#include "citytwin/geodata/gpkg_store.hpp"
#include "citytwin/geodata/import.hpp"
#include "test_support.hpp"

namespace citytwin::geodata {
namespace {

namespace fs = std::filesystem;

void writeTinyTerrain(const fs::path& path) {
  std::vector<float> z(35);
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = 0.125f * static_cast<float>(i) - 2.0f;
  test::writeRdGeoTiff(path, 7, 5, 121400.0, 487100.0, 10.0, z);
}

void expectSameModel(const CityModel& a, const CityModel& b) {
  // Field by field first, so a failure says where.
  EXPECT_EQ(a.frame, b.frame);
  EXPECT_EQ(a.bounds, b.bounds);
  EXPECT_TRUE(a.nodes == b.nodes);
  EXPECT_TRUE(a.links == b.links);
  EXPECT_TRUE(a.turn_restrictions == b.turn_restrictions);
  EXPECT_TRUE(a.walkable == b.walkable);
  EXPECT_TRUE(a.buildings == b.buildings);
  EXPECT_TRUE(a.city_objects == b.city_objects);
  EXPECT_TRUE(a.layers == b.layers);
  EXPECT_TRUE(a.terrain == b.terrain);
  EXPECT_TRUE(a.sources == b.sources);
  EXPECT_TRUE(a.warnings == b.warnings);
  EXPECT_TRUE(a == b);
}

TEST(GpkgStore, AmsterdamReloadsToAnIdenticalModel) {
  const CityModel& m = test::amsterdam();
  const CityModel back = loadGeoPackage(test::amsterdamGpkg().string());
  expectSameModel(m, back);
}

TEST(GpkgStore, EveryKindOfContentRoundTrips) {
  const auto dir = test::freshTempDir();
  writeTinyTerrain(dir / "terrain.tif");
  std::ofstream(dir / "zones.geojson") << R"({"type":"FeatureCollection","name":"zones","features":[
 {"type":"Feature","properties":{"name":"Rembrandtplein","max_density":2.5,"id":7},
  "geometry":{"type":"Polygon","coordinates":[[[4.8960,52.3660],[4.8975,52.3660],[4.8975,52.3670],[4.8960,52.3660]]]}},
 {"type":"Feature","properties":{"name":"sensor A","max_density":null,"id":8},
  "geometry":{"type":"MultiPoint","coordinates":[[4.8961,52.3661],[4.8962,52.3662]]}}]})";
  const CityModel m =
      importCity({test::asset("osm/amsterdam-centrum.osm.gz").string(),
                  test::asset("cityjson/rotterdam_subset.json").string(),
                  test::asset("cityjson/DH_01_subs.city.json").string(),
                  (dir / "zones.geojson").string(), (dir / "terrain.tif").string()});
  ASSERT_TRUE(m.terrain.has_value());
  ASSERT_EQ(m.layers.size(), 1u);
  ASSERT_FALSE(m.city_objects.empty());
  saveGeoPackage(m, (dir / "all.gpkg").string());
  expectSameModel(m, loadGeoPackage((dir / "all.gpkg").string()));
}

TEST(GpkgStore, OgrinfoOpensEveryLayer) {
  const auto r = test::runCommand("ogrinfo -ro -so " + test::quote(test::amsterdamGpkg()));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* layer :
       {"nodes (Point)", "links (Line String)", "walkable (Polygon)", "buildings (Multi Polygon)",
        "city_surfaces (3D Polygon)", "turn_restrictions (None)", "citytwin_meta (None)"})
    EXPECT_NE(r.out.find(layer), std::string::npos) << layer << "\n" << r.out;
}

TEST(GpkgStore, RefusesToReplaceAnExistingFileUnlessAsked) {
  const auto dir = test::freshTempDir();
  const fs::path target = dir / "city.gpkg";
  std::ofstream(target) << "precious";
  EXPECT_THROW(saveGeoPackage(test::amsterdam(), target.string()), InputError);
  std::ifstream in(target);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  saveGeoPackage(test::amsterdam(), target.string(), true);
  EXPECT_TRUE(loadGeoPackage(target.string()) == test::amsterdam());
}

TEST(GpkgStore, LeavesNoTemporaryFilesBehind) {
  const auto dir = test::freshTempDir();
  saveGeoPackage(test::amsterdam(), (dir / "a.gpkg").string());
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++files;
    EXPECT_EQ(e.path().filename(), "a.gpkg");
  }
  EXPECT_EQ(files, 1u);
  // A folder that does not exist: a clear error and nothing written.
  EXPECT_THROW(saveGeoPackage(test::amsterdam(), (dir / "missing" / "b.gpkg").string()),
               InputError);
}

TEST(GpkgStore, LoadingSomethingElseIsAClearError) {
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "not.gpkg") << "this is not a GeoPackage";
  try {
    loadGeoPackage((dir / "not.gpkg").string());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not.gpkg"), std::string::npos);
  }
  EXPECT_THROW(loadGeoPackage((dir / "absent.gpkg").string()), InputError);
}

}  // namespace
}  // namespace citytwin::geodata
