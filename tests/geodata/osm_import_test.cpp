// The Amsterdam extract against independent readings of the same file by GDAL's OSM driver.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <set>

#include "citytwin/engine/connectivity.hpp"
#include "citytwin/geodata/import.hpp"
#include "citytwin/geodata/model_info.hpp"
#include "test_support.hpp"

namespace citytwin::geodata {
namespace {

// The extract's box, from its <bounds> element.
constexpr double kMinLon = 4.89063, kMinLat = 52.36568, kMaxLon = 4.90368, kMaxLat = 52.37372;

struct GdalOsm {
  GDALDataset* ds = nullptr;
  GdalOsm() {
    GDALAllRegister();
    const std::string path = "/vsigzip/" + test::asset("osm/amsterdam-centrum.osm.gz").string();
    ds = GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                           nullptr);
  }
  ~GdalOsm() { GDALClose(ds); }
  OGRLayer* layer(const char* name) { return ds->GetLayerByName(name); }
};

OGRPolygon boxPolygon() {
  OGRPolygon box;
  auto* ring = new OGRLinearRing();
  ring->addPoint(kMinLon, kMinLat);
  ring->addPoint(kMaxLon, kMinLat);
  ring->addPoint(kMaxLon, kMaxLat);
  ring->addPoint(kMinLon, kMaxLat);
  ring->addPoint(kMinLon, kMinLat);
  box.addRingDirectly(ring);
  return box;
}

TEST(OsmImport, FootNetworkIsConnected) {
  const auto c = engine::linkConnectivity(test::amsterdam(), Mode::kFoot);
  EXPECT_GT(c.links, 3000u);
  EXPECT_GE(c.share, 0.90) << "foot links in the largest SCC: " << c.links_in_largest << " of "
                           << c.links;
}

TEST(OsmImport, LinksCutByTheBoxBecomeBoundaryLinks) {
  const CityModel& m = test::amsterdam();
  std::size_t boundary_nodes = 0, boundary_car_links = 0;
  for (const auto& n : m.nodes) {
    if (!n.boundary) continue;
    ++boundary_nodes;
    EXPECT_EQ(n.osm_id, 0);
    // A cut point lies on the box edge (the box is not axis-aligned in RD: allow its skew).
    const double d = std::min({n.position.x - m.bounds.min_x, m.bounds.max_x - n.position.x,
                               n.position.y - m.bounds.min_y, m.bounds.max_y - n.position.y});
    EXPECT_LT(d, 25.0);
  }
  for (const auto& l : m.links) {
    EXPECT_EQ(l.boundary, m.nodes[l.from].boundary || m.nodes[l.to].boundary);
    if (l.boundary && allows(l.modes, Mode::kCar)) ++boundary_car_links;
  }
  EXPECT_GT(boundary_nodes, 50u);
  EXPECT_GT(boundary_car_links, 10u);
  // Through the outside world, the fragmented car network becomes nearly one component.
  EXPECT_GT(engine::linkConnectivity(m, Mode::kCar, true).share, 0.9);
}

TEST(OsmImport, LinkGeometryMeetsItsNodes) {
  const CityModel& m = test::amsterdam();
  for (const auto& l : m.links) {
    ASSERT_GE(l.geometry.size(), 2u);
    EXPECT_EQ(l.geometry.front(), m.nodes[l.from].position);
    EXPECT_EQ(l.geometry.back(), m.nodes[l.to].position);
    EXPECT_NEAR(l.length_m, length(l.geometry), 1e-9);
    EXPECT_GT(l.speed_limit_mps, 0.0f);
    EXPECT_GE(l.lanes, 1);
    EXPECT_NE(l.modes, 0);
  }
}

TEST(OsmImport, SignalsMatchGdalsReadingOfTheFile) {
  GdalOsm gdal;
  ASSERT_NE(gdal.ds, nullptr);
  OGRLayer* points = gdal.layer("points");
  std::size_t expected = 0;
  for (auto& f : *points) {
    const OGRPoint* p = f->GetGeometryRef()->toPoint();
    if (p->getX() < kMinLon || p->getX() > kMaxLon || p->getY() < kMinLat || p->getY() > kMaxLat)
      continue;
    const std::string highway = f->GetFieldAsString("highway");
    const std::string other = f->GetFieldAsString("other_tags");
    if (highway == "traffic_signals" ||
        other.find("\"crossing\"=>\"traffic_signals\"") != std::string::npos)
      ++expected;
  }
  EXPECT_EQ(countSignals(test::amsterdam()), expected);
  EXPECT_GE(expected, 15u);
}

TEST(OsmImport, BuildingsMatchGdalsReadingOfTheFile) {
  GdalOsm gdal;
  OGRLayer* mp = gdal.layer("multipolygons");
  mp->SetSpatialFilterRect(kMinLon, kMinLat, kMaxLon, kMaxLat);  // envelope test, as the importer
  std::size_t expected = 0;
  for (auto& f : *mp) {
    const std::string b = f->GetFieldAsString("building");
    OGREnvelope env;
    f->GetGeometryRef()->getEnvelope(&env);
    if (!b.empty() && b != "no" && env.MaxX >= kMinLon && env.MinX <= kMaxLon &&
        env.MaxY >= kMinLat && env.MinY <= kMaxLat)
      ++expected;
  }
  EXPECT_EQ(test::amsterdam().buildings.size(), expected);
  EXPECT_GT(expected, 2000u);
  for (const auto& b : test::amsterdam().buildings) {
    EXPECT_GT(b.height_m, 0.0) << b.id;
    EXPECT_GT(area(b.footprint), 0.0) << b.id;
  }
}

TEST(OsmImport, EveryRoutableWayInTheBoxIsInTheNetwork) {
  // GDAL puts open ways in 'lines' and closed area ways (squares, platforms) in 'multipolygons';
  // the importer keeps both (an area's outline is walked) and leaves out ways closed to every mode.
  static const std::set<std::string> kRoutable = {
      "motorway",  "motorway_link",  "trunk",      "trunk_link",    "primary",      "primary_link",
      "secondary", "secondary_link", "tertiary",   "tertiary_link", "unclassified", "residential",
      "road",      "living_street",  "service",    "track",         "busway",       "bus_guideway",
      "cycleway",  "footway",        "pedestrian", "steps",         "corridor",     "platform",
      "path",      "bridleway"};
  // Closed: access=private/no (or foot=private on a footway) with no mode let back in.
  auto closedToAll = [](const std::string& other) {
    bool restricted = false;
    for (const char* key :
         {"\"access\"=>\"private\"", "\"access\"=>\"no\"", "\"foot\"=>\"private\""})
      restricted |= other.find(key) != std::string::npos;
    for (const char* mode :
         {"foot", "bicycle", "bus", "psv", "motor_vehicle", "motorcar", "vehicle"})
      for (const char* value : {"yes", "designated", "permissive", "destination"})
        if (other.find("\"" + std::string(mode) + "\"=>\"" + value + "\"") != std::string::npos)
          return false;
    return restricted;
  };
  GdalOsm gdal;
  const OGRPolygon box = boxPolygon();
  std::set<std::int64_t> expected;
  for (auto& f : *gdal.layer("lines")) {
    if (!kRoutable.contains(f->GetFieldAsString("highway"))) continue;
    if (closedToAll(f->GetFieldAsString("other_tags"))) continue;
    if (!f->GetGeometryRef()->Intersects(&box)) continue;
    expected.insert(std::stoll(f->GetFieldAsString("osm_id")));
  }
  for (auto& f : *gdal.layer("multipolygons")) {
    const std::string other = f->GetFieldAsString("other_tags");
    if (!f->IsFieldSetAndNotNull(f->GetFieldIndex("osm_way_id"))) continue;
    const bool area_highway =
        std::any_of(kRoutable.begin(), kRoutable.end(), [&](const std::string& cls) {
          return other.find("\"highway\"=>\"" + cls + "\"") != std::string::npos;
        });
    if (!area_highway) continue;
    if (closedToAll(other) || !f->GetGeometryRef()->Intersects(&box)) continue;
    expected.insert(std::stoll(f->GetFieldAsString("osm_way_id")));
  }
  std::set<std::int64_t> actual;
  for (const auto& l : test::amsterdam().links) actual.insert(l.osm_way_id);
  std::vector<std::int64_t> missing, extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  EXPECT_TRUE(missing.empty()) << missing.size() << " ways missing, first "
                               << (missing.empty() ? 0 : missing[0]);
  EXPECT_TRUE(extra.empty()) << extra.size() << " ways extra, first "
                             << (extra.empty() ? 0 : extra[0]);
  EXPECT_GT(expected.size(), 700u);
}

TEST(OsmImport, WalkableSpaceCoversFootwaysAndAvoidsBuildings) {
  const CityModel& m = test::amsterdam();
  const double walkable = area(m.walkable);
  const double box = (m.bounds.max_x - m.bounds.min_x) * (m.bounds.max_y - m.bounds.min_y);
  EXPECT_GT(walkable, 0.1 * box);
  EXPECT_LT(walkable, 0.5 * box);
  // The walkable space has no part inside a building: test footprint centroids of the biggest.
  std::size_t inside = 0, tested = 0;
  for (const auto& b : m.buildings) {
    if (area(b.footprint) < 400) continue;
    const auto& ring = b.footprint[0][0];
    Vec2 c{0, 0};
    for (const auto& p : ring)
      c.x += p.x / static_cast<double>(ring.size()), c.y += p.y / static_cast<double>(ring.size());
    ++tested;
    for (const auto& poly : m.walkable) inside += contains(poly, c) ? 1 : 0;
  }
  EXPECT_GT(tested, 50u);
  EXPECT_LE(inside, tested / 20) << "building centroids inside walkable space";
}

TEST(OsmImport, DutchDefaultsApplyToUntaggedRoads) {
  for (const auto& l : test::amsterdam().links) {
    if (l.highway == "residential" && !l.speed_limit_tagged) {
      EXPECT_FLOAT_EQ(l.speed_limit_mps, 30.0f / 3.6f);
    }
    if (l.highway == "busway") {
      EXPECT_EQ(l.modes & bit(Mode::kCar), 0);
    }
  }
}

TEST(OsmImport, ImportIsDeterministic) {
  const CityModel again = importCity({test::asset("osm/amsterdam-centrum.osm.gz").string()});
  EXPECT_TRUE(again == test::amsterdam());
}

}  // namespace
}  // namespace citytwin::geodata
