// Extra vector layers and terrain rasters through GDAL, in other CRSs than the frame.
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <fstream>

#include "citytwin/geodata/error.hpp"
#include "citytwin/geodata/frame.hpp"
#include "citytwin/geodata/import.hpp"
#include "test_support.hpp"

namespace citytwin::geodata {
namespace {

// Event layout drawn in WGS 84 (as GeoJSON always is): a fence on Rembrandtplein and a gate.
void writeEventGeoJson(const std::filesystem::path& path) {
  std::ofstream f(path);
  f << R"({"type":"FeatureCollection","name":"event_layout","features":[
 {"type":"Feature","properties":{"kind":"fence","capacity":null,"height_m":1.1},
  "geometry":{"type":"LineString","coordinates":[[4.8960,52.3662],[4.8972,52.3662],[4.8972,52.3668]]}},
 {"type":"Feature","properties":{"kind":"gate","capacity":1200,"height_m":null},
  "geometry":{"type":"Point","coordinates":[4.8966,52.3662]}},
 {"type":"Feature","properties":{"kind":"stage","capacity":null,"height_m":3.5},
  "geometry":{"type":"Polygon","coordinates":[[[4.8962,52.3664],[4.8965,52.3664],[4.8965,52.3666],[4.8962,52.3666],[4.8962,52.3664]]]}}
]})";
}

// A 20 x 10 terrain raster in RD New (EPSG:28992), 5 m cells, heights rising to the east.
void writeTerrainTiff(const std::filesystem::path& path) {
  std::vector<float> z(200);
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 20; ++c)
      z[static_cast<std::size_t>(r * 20 + c)] = static_cast<float>(c) * 0.5f - 1.0f;
  z[0] = -9999.0f;
  const float nodata = -9999.0f;
  test::writeRdGeoTiff(path, 20, 10, 121500.0, 487000.0, 5.0, z, &nodata);
}

TEST(GdalLayers, GeoJsonLayerIsTransformedIntoTheFrameWithItsAttributes) {
  const auto dir = test::freshTempDir();
  writeEventGeoJson(dir / "event.geojson");
  const CityModel m = importCity(
      {test::asset("osm/amsterdam-centrum.osm.gz").string(), (dir / "event.geojson").string()});
  ASSERT_EQ(m.layers.size(), 1u);
  const ExtraLayer& l = m.layers[0];
  EXPECT_EQ(l.name, "event_layout");
  ASSERT_EQ(l.features.size(), 3u);
  ASSERT_EQ(l.fields.size(), 3u);
  EXPECT_EQ(l.fields[1].name, "capacity");
  EXPECT_EQ(l.fields[1].type, FieldType::kInteger);
  EXPECT_EQ(std::get<std::int64_t>(l.features[1].values[1]), 1200);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(l.features[0].values[1]));
  EXPECT_EQ(l.features[0].geometry.kind, GeometryKind::kLineString);
  EXPECT_EQ(l.features[2].geometry.kind, GeometryKind::kPolygon);
  // The gate, transformed independently, lands on the same spot (sub-millimetre).
  CrsTransform ct("EPSG:4326", "EPSG:28992");
  double x = 4.8966, y = 52.3662, z = 0;
  ct.apply(x, y, z);
  const Vec3 gate = l.features[1].geometry.parts[0][0][0];
  EXPECT_NEAR(gate.x + m.frame.origin.x, x, 1e-3);
  EXPECT_NEAR(gate.y + m.frame.origin.y, y, 1e-3);
}

TEST(GdalLayers, OsmAndRdDataLineUpWithinHalfAMetre) {
  // The same spot from a WGS 84 input (OSM, via the GeoJSON layer's CRS path) and from an RD
  // input must coincide: the frame is one, whatever CRS each input had.
  const auto dir = test::freshTempDir();
  writeEventGeoJson(dir / "event.geojson");
  std::ofstream rd(dir / "gate_rd.geojson");
  CrsTransform ct("EPSG:4326", "EPSG:28992");
  double x = 4.8966, y = 52.3662, z = 0;
  ct.apply(x, y, z);
  rd.precision(12);
  rd << R"({"type":"FeatureCollection","name":"gate_rd","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},)"
     << R"("features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[)"
     << x << "," << y << "]}}]}";
  rd.close();
  const CityModel m =
      importCity({(dir / "event.geojson").string(), (dir / "gate_rd.geojson").string()});
  ASSERT_EQ(m.layers.size(), 2u);
  const Vec3 a = m.layers[0].features[1].geometry.parts[0][0][0];
  const Vec3 b = m.layers[1].features[0].geometry.parts[0][0][0];
  EXPECT_LT(std::hypot(a.x - b.x, a.y - b.y), 0.5);
}

TEST(GdalLayers, TerrainRasterIsReadIntoTheFrame) {
  const auto dir = test::freshTempDir();
  writeTerrainTiff(dir / "terrain.tif");
  const CityModel m = importCity(
      {test::asset("osm/amsterdam-centrum.osm.gz").string(), (dir / "terrain.tif").string()});
  ASSERT_TRUE(m.terrain.has_value());
  const Terrain& t = *m.terrain;
  EXPECT_EQ(t.width, 20);
  EXPECT_EQ(t.height, 10);
  EXPECT_DOUBLE_EQ(t.min_x + m.frame.origin.x, 121500.0);
  EXPECT_DOUBLE_EQ(t.max_y + m.frame.origin.y, 487000.0);
  EXPECT_DOUBLE_EQ(t.pixel_size_x, 5.0);
  ASSERT_TRUE(t.nodata.has_value());
  EXPECT_FLOAT_EQ(*t.nodata, -9999.0f);
  EXPECT_FLOAT_EQ(t.z[19], 8.5f);
}

TEST(GdalLayers, LayerWithoutCrsIsRejectedWithAHint) {
  const auto dir = test::freshTempDir();
  writeTerrainTiff(dir / "terrain.tif");
  GDALDataset* ds =
      GDALDataset::Open((dir / "terrain.tif").c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE);
  ds->SetSpatialRef(nullptr);
  GDALClose(ds);
  std::filesystem::remove(dir / "terrain.tif.aux.xml");
  try {
    importCity({(dir / "terrain.tif").string()});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), (dir / "terrain.tif").string());
    EXPECT_FALSE(e.hint().empty());
  }
}

}  // namespace
}  // namespace citytwin::geodata

#include <gdal_utils.h>
#include <ogrsf_frmts.h>

namespace citytwin::geodata {
namespace {

class EveryVectorFormat : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(EveryVectorFormat, ReadsTheSameLayerAsFromGeoJson) {
  const auto [driver, extension] = GetParam();
  const auto dir = test::freshTempDir();
  writeEventGeoJson(dir / "event.geojson");
  // Convert with GDAL to the format under test, reprojected to RD New on the way.
  GDALAllRegister();
  GDALDatasetH src =
      GDALOpenEx((dir / "event.geojson").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(src, nullptr);
  const char* args[] = {"-f", driver, "-t_srs", "EPSG:28992", "-nln", "event_layout", nullptr};
  GDALVectorTranslateOptions* opts =
      GDALVectorTranslateOptionsNew(const_cast<char**>(args), nullptr);
  const std::string out = (dir / (std::string("event.") + extension)).string();
  GDALDatasetH dst = GDALVectorTranslate(out.c_str(), nullptr, 1, &src, opts, nullptr);
  GDALVectorTranslateOptionsFree(opts);
  ASSERT_NE(dst, nullptr) << driver;
  GDALClose(dst);
  GDALClose(src);
  const CityModel from_json = importCity({(dir / "event.geojson").string()});
  const CityModel converted = importCity({out});
  ASSERT_EQ(converted.layers.size(), 1u);
  const ExtraLayer& a = from_json.layers[0];
  const ExtraLayer& b = converted.layers[0];
  ASSERT_EQ(a.features.size(), b.features.size());
  // FlatGeobuf orders features along its spatial index: match them by their "kind".
  auto byKind = [](const ExtraLayer& l, const std::string& kind) -> const Feature& {
    for (const auto& f : l.features)
      if (std::get<std::string>(f.values[0]) == kind) return f;
    throw std::runtime_error("no feature of kind " + kind);
  };
  for (const char* kind : {"fence", "gate", "stage"}) {
    const Vec3 pa = byKind(a, kind).geometry.parts[0][0][0];
    const Vec3 pb = byKind(b, kind).geometry.parts[0][0][0];
    EXPECT_LT(std::hypot(pa.x + from_json.frame.origin.x - pb.x - converted.frame.origin.x,
                         pa.y + from_json.frame.origin.y - pb.y - converted.frame.origin.y),
              1e-3)
        << driver << " " << kind;
  }
}

INSTANTIATE_TEST_SUITE_P(Gdal, EveryVectorFormat,
                         ::testing::Values(std::pair{"GPKG", "gpkg"},
                                           std::pair{"FlatGeobuf", "fgb"},
                                           std::pair{"GeoJSON", "json"}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.first);
                         });

TEST(GdalLayers, ShapefileLayerIsRead) {
  const auto dir = test::freshTempDir();
  GDALAllRegister();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
  GDALDataset* ds = drv->Create((dir / "gates.shp").c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  OGRSpatialReference rd;
  rd.importFromEPSG(28992);
  OGRLayer* layer = ds->CreateLayer("gates", &rd, wkbPoint, nullptr);
  OGRFieldDefn cap("capacity", OFTInteger);
  layer->CreateField(&cap);
  for (int i = 0; i < 3; ++i) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("capacity", 1000 + i);
    f.SetGeometryDirectly(new OGRPoint(121600.0 + i * 10, 486900.0));
    ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
  }
  GDALClose(ds);
  const CityModel m = importCity({(dir / "gates.shp").string()});
  ASSERT_EQ(m.layers.size(), 1u);
  ASSERT_EQ(m.layers[0].features.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(m.layers[0].features[2].values[0]), 1002);
  EXPECT_DOUBLE_EQ(m.layers[0].features[1].geometry.parts[0][0][0].x + m.frame.origin.x, 121610.0);
}

}  // namespace
}  // namespace citytwin::geodata
