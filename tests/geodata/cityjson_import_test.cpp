// Every bundled CityJSON model against an independent reading of the raw JSON.
#include <gtest/gtest.h>
#include <proj.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "citytwin/geodata/import.hpp"
#include "citytwin/geodata/model_info.hpp"
#include "test_support.hpp"

namespace citytwin::geodata {
namespace {

using nlohmann::json;

json rawJson(const std::string& name) {
  std::ifstream in(test::asset("cityjson/" + name));
  return json::parse(in);
}

class EveryCityJsonModel : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryCityJsonModel, KeepsEveryObjectWithItsTypeAttributesAndBestLod) {
  const json raw = rawJson(GetParam());
  const CityModel m = importCity({test::asset("cityjson/" + GetParam()).string()});
  std::map<std::string, std::size_t> expected_types;
  for (const auto& [id, o] : raw["CityObjects"].items())
    ++expected_types[o["type"].get<std::string>()];
  EXPECT_EQ(countCityObjectsByType(m), expected_types);
  ASSERT_EQ(m.city_objects.size(), raw["CityObjects"].size());
  for (const auto& o : m.city_objects) {
    const json& r = raw["CityObjects"][o.id];
    EXPECT_EQ(json::parse(o.attributes_json), r.value("attributes", json::object())) << o.id;
    double best = -1;
    std::size_t surfaces = 0;
    for (const auto& g : r.value("geometry", json::array())) {
      const double lod =
          g["lod"].is_string() ? std::stod(g["lod"].get<std::string>()) : g["lod"].get<double>();
      best = std::max(best, lod);
    }
    for (const auto& g : r.value("geometry", json::array())) {
      const double lod =
          g["lod"].is_string() ? std::stod(g["lod"].get<std::string>()) : g["lod"].get<double>();
      if (lod != best) continue;
      const std::string t = g["type"];
      if (t == "Solid")
        for (const auto& shell : g["boundaries"]) surfaces += shell.size();
      else if (t == "MultiSurface" || t == "CompositeSurface")
        surfaces += g["boundaries"].size();
    }
    if (best >= 0) {
      EXPECT_DOUBLE_EQ(std::stod(o.lod), best) << o.id;
    }
    EXPECT_EQ(o.surfaces.size(), surfaces) << o.id;
  }
  // Every top-level Building becomes a footprint with a height.
  std::size_t top_buildings = 0;
  for (const auto& [id, o] : raw["CityObjects"].items())
    if (o["type"] == "Building" && !o.contains("parents")) ++top_buildings;
  EXPECT_EQ(m.buildings.size(), top_buildings);
  for (const auto& b : m.buildings) {
    EXPECT_EQ(b.source, BuildingSource::kCityJson);
    EXPECT_GT(area(b.footprint), 1.0) << b.id;
    EXPECT_GT(b.height_m, 0.5) << b.id;  // Delft has sheds and shelters under a metre in LoD1
  }
  EXPECT_EQ(m.frame.crs, "EPSG:28992");
}

INSTANTIATE_TEST_SUITE_P(Bundled, EveryCityJsonModel,
                         ::testing::Values("delft.json", "multi_lod.json", "rotterdam_subset.json",
                                           "DH_01_subs.city.json"),
                         [](const auto& param_info) {
                           std::string n = param_info.param.substr(0, param_info.param.find('.'));
                           for (auto& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(CityJsonImport, DelftExtentInWgs84MatchesTheReference) {
  const CityModel m = importCity({test::asset("cityjson/delft.json").string()});
  const Box2 e = modelExtent(m);
  const Vec2 sw = m.frame.toProjected({e.min_x, e.min_y}),
             ne = m.frame.toProjected({e.max_x, e.max_y});
  // The file's published extent in RD.
  EXPECT_NEAR(sw.x, 84616.5, 0.05);
  EXPECT_NEAR(sw.y, 447423.0, 0.05);
  EXPECT_NEAR(ne.x, 85140.8, 0.05);
  EXPECT_NEAR(ne.y, 447750.6, 0.05);
  // Independent conversion of the corners with PROJ's C API (not the importer's path).
  PJ_CONTEXT* ctx = proj_context_create();
  PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:28992", "EPSG:4326", nullptr);
  PJ* pj = proj_normalize_for_visualization(ctx, raw);
  auto toLonLat = [&](Vec2 p) { return proj_trans(pj, PJ_FWD, proj_coord(p.x, p.y, 0, 0)).lp; };
  const auto a = toLonLat(sw), b = toLonLat(ne);
  proj_destroy(pj);
  proj_destroy(raw);
  proj_context_destroy(ctx);
  const ExtentWgs84 w = toWgs84(m.frame, Box2{e.min_x, e.min_y, e.min_x, e.min_y});
  const ExtentWgs84 w2 = toWgs84(m.frame, Box2{e.max_x, e.max_y, e.max_x, e.max_y});
  constexpr double kMetrePerDegLat = 111200.0, kMetrePerDegLon = 111200.0 * 0.6157;  // cos(52.01)
  EXPECT_NEAR((w.min_lat - a.phi) * kMetrePerDegLat, 0.0, 1.0);
  EXPECT_NEAR((w.min_lon - a.lam) * kMetrePerDegLon, 0.0, 1.0);
  EXPECT_NEAR((w2.max_lat - b.phi) * kMetrePerDegLat, 0.0, 1.0);
  EXPECT_NEAR((w2.max_lon - b.lam) * kMetrePerDegLon, 0.0, 1.0);
  // The published figures (lat 52.0107 - 52.0137, lon 4.3620 - 4.3696) are rounded to four
  // decimals: they hold to within that rounding (half a unit: 5.6 m north, 3.4 m east).
  EXPECT_NEAR(w.min_lat, 52.0107, 0.00005);
  EXPECT_NEAR(w2.max_lat, 52.0137, 0.00005);
  EXPECT_NEAR(w.min_lon, 4.3620, 0.00005);
  EXPECT_NEAR(w2.max_lon, 4.3696, 0.00005);
}

TEST(CityJsonImport, MultiLodKeepsLod22WithRoofAndWallSemantics) {
  const CityModel m = importCity({test::asset("cityjson/multi_lod.json").string()});
  std::map<std::string, std::size_t> semantics;
  for (const auto& o : m.city_objects) {
    EXPECT_EQ(o.lod, "2.2");
    for (const auto& s : o.surfaces) ++semantics[s.semantic];
  }
  EXPECT_GT(semantics["RoofSurface"], 0u);
  EXPECT_GT(semantics["WallSurface"], 0u);
  EXPECT_GT(semantics["GroundSurface"], 0u);
  for (const auto& b : m.buildings) EXPECT_EQ(b.lod, "2.2");
  // 3D BAG attributes survive.
  EXPECT_NE(m.city_objects[0].attributes_json.find("identificatie"), std::string::npos);
  // A warning says which CRS was assumed for a file that names none.
  ASSERT_FALSE(m.warnings.empty());
  EXPECT_NE(m.warnings[0].find("EPSG:7415"), std::string::npos);
}

TEST(CityJsonImport, TexturesAreKeptAsReferencesWithUvs) {
  const CityModel m = importCity({test::asset("cityjson/rotterdam_subset.json").string()});
  std::size_t textured = 0, with_bundled_image = 0;
  for (const auto& o : m.city_objects)
    for (const auto& s : o.surfaces) {
      if (s.texture.empty()) continue;
      ++textured;
      ASSERT_EQ(s.uv.size(), s.rings.size());
      ASSERT_EQ(s.uv[0].size(), s.rings[0].size());
      for (const auto& uv : s.uv[0]) {
        EXPECT_GE(uv[0], -0.01);
        EXPECT_LE(uv[0], 1.01);
      }
      if (s.texture.ends_with("appearances/0320_4_15.jpg")) {
        ++with_bundled_image;
        EXPECT_TRUE(std::filesystem::exists(s.texture)) << s.texture;
      }
    }
  EXPECT_GT(textured, 50u);
  EXPECT_GT(with_bundled_image, 0u);
}

TEST(CityJsonImport, BuildingPartsFormTheirBuildingsFootprint) {
  const CityModel m = importCity({test::asset("cityjson/DH_01_subs.city.json").string()});
  EXPECT_EQ(m.buildings.size(), 4u);
  for (const auto& b : m.buildings) {
    EXPECT_EQ(b.lod, "2");
    EXPECT_GT(b.height_m, 3.0);
    EXPECT_LT(b.height_m, 100.0);
  }
}

TEST(CityJsonImport, CityJsonBuildingsReplaceOsmBuildingsTheyCover) {
  // An OSM building and a CityJSON building on the same spot: only the CityJSON one stays.
  const auto dir = test::freshTempDir();
  const CityModel cj = importCity({test::asset("cityjson/multi_lod.json").string()});
  const Building& first = cj.buildings.front();
  // Project the first footprint vertex to lon/lat with PROJ and write a tiny OSM file around it.
  PJ_CONTEXT* ctx = proj_context_create();
  PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:28992", "EPSG:4326", nullptr);
  PJ* pj = proj_normalize_for_visualization(ctx, raw);
  std::vector<PJ_COORD> ll;
  const auto& ring = first.footprint[0][0];
  for (const auto& v : ring) {
    const Vec2 p = cj.frame.toProjected(v);
    ll.push_back(proj_trans(pj, PJ_FWD, proj_coord(p.x, p.y, 0, 0)));
  }
  proj_destroy(pj);
  proj_destroy(raw);
  proj_context_destroy(ctx);
  std::ofstream osm(dir / "one.osm");
  osm.precision(10);
  osm << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n";
  for (std::size_t i = 0; i < ll.size(); ++i)
    osm << "<node id='" << i + 1 << "' lat='" << ll[i].lp.phi << "' lon='" << ll[i].lp.lam
        << "'/>\n";
  osm << "<way id='1'>";
  for (std::size_t i = 0; i <= ll.size(); ++i) osm << "<nd ref='" << (i % ll.size()) + 1 << "'/>";
  osm << "<tag k='building' v='yes'/></way>\n</osm>\n";
  osm.close();
  const CityModel both =
      importCity({(dir / "one.osm").string(), test::asset("cityjson/multi_lod.json").string()});
  std::size_t osm_buildings = 0;
  for (const auto& b : both.buildings) osm_buildings += b.source == BuildingSource::kOsm ? 1 : 0;
  EXPECT_EQ(osm_buildings, 0u);
  EXPECT_EQ(both.buildings.size(), cj.buildings.size());
}

}  // namespace
}  // namespace citytwin::geodata

namespace citytwin::geodata {
namespace {

// Re-indexes the vertex references of a boundary array into a feature's own vertex list.
json reindex(const json& boundaries, const json& all_vertices, json& vertices,
             std::map<std::int64_t, std::int64_t>& map) {
  if (boundaries.is_number_integer()) {
    const auto global = boundaries.get<std::int64_t>();
    auto [it, inserted] = map.try_emplace(global, static_cast<std::int64_t>(vertices.size()));
    if (inserted) vertices.push_back(all_vertices[static_cast<std::size_t>(global)]);
    return it->second;
  }
  json out = json::array();
  for (const auto& b : boundaries) out.push_back(reindex(b, all_vertices, vertices, map));
  return out;
}

TEST(CityJsonImport, CityJsonSeqGivesTheSameObjectsAsCityJson) {
  // Write multi_lod.json as a CityJSONSeq stream: a header line, then one feature per building.
  const json raw = rawJson("multi_lod.json");
  const auto dir = test::freshTempDir();
  std::ofstream seq(dir / "multi_lod.city.jsonl");
  json header = {{"type", "CityJSON"},
                 {"version", raw["version"]},
                 {"transform", raw["transform"]},
                 {"metadata", {{"referenceSystem", "https://www.opengis.net/def/crs/EPSG/0/7415"}}},
                 {"CityObjects", json::object()},
                 {"vertices", json::array()}};
  seq << header.dump() << "\n";
  for (const auto& [id, obj] : raw["CityObjects"].items()) {
    json vertices = json::array();
    std::map<std::int64_t, std::int64_t> map;
    json o = obj;
    for (auto& g : o["geometry"])
      g["boundaries"] = reindex(g["boundaries"], raw["vertices"], vertices, map);
    seq << json{{"type", "CityJSONFeature"},
                {"id", id},
                {"CityObjects", {{id, o}}},
                {"vertices", vertices}}
               .dump()
        << "\n";
  }
  seq.close();
  const CityModel a = importCity({test::asset("cityjson/multi_lod.json").string()});
  const CityModel b = importCity({(dir / "multi_lod.city.jsonl").string()});
  EXPECT_TRUE(a.city_objects == b.city_objects);
  EXPECT_TRUE(a.buildings == b.buildings);
  EXPECT_EQ(b.sources.at(0).kind, "cityjsonseq");
}

TEST(CityJsonImport, AGivenUtmFrameHoldsTheSameGeometry) {
  ImportOptions utm;
  utm.frame_crs = "EPSG:32631";
  const CityModel rd = importCity({test::asset("cityjson/multi_lod.json").string()});
  const CityModel u = importCity({test::asset("cityjson/multi_lod.json").string()}, utm);
  EXPECT_EQ(u.frame.crs, "EPSG:32631");
  ASSERT_EQ(rd.buildings.size(), u.buildings.size());
  // Areas agree within the scale difference of the two projections (well under 1 %).
  for (std::size_t i = 0; i < rd.buildings.size(); ++i)
    EXPECT_NEAR(area(u.buildings[i].footprint) / area(rd.buildings[i].footprint), 1.0, 0.01)
        << rd.buildings[i].id;
}

}  // namespace
}  // namespace citytwin::geodata
