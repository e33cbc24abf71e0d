// The crowd engine on a whole city: the same small event on the whole Monaco model and on an
// extract cropped to 2 km round it costs the same routing memory and set-up time (within 30 %),
// because routing is built only where people walk (docs/crowd.md).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "test_support.hpp"

namespace citytwin {
namespace {

namespace fs = std::filesystem;
using engine::crowd::CrowdScenario;
using engine::crowd::CrowdSimulation;

// One ring clipped to the box (Sutherland-Hodgman, one box side at a time).
geodata::Ring2 clipRing(const geodata::Ring2& ring, const geodata::Box2& b) {
  geodata::Ring2 out = ring;
  for (int side = 0; side < 4 && !out.empty(); ++side) {
    auto inside = [&](const geodata::Vec2& p) {
      switch (side) {
        case 0:
          return p.x >= b.min_x;
        case 1:
          return p.x <= b.max_x;
        case 2:
          return p.y >= b.min_y;
        default:
          return p.y <= b.max_y;
      }
    };
    auto cut = [&](const geodata::Vec2& p, const geodata::Vec2& q) {
      const double t = side == 0   ? (b.min_x - p.x) / (q.x - p.x)
                       : side == 1 ? (b.max_x - p.x) / (q.x - p.x)
                       : side == 2 ? (b.min_y - p.y) / (q.y - p.y)
                                   : (b.max_y - p.y) / (q.y - p.y);
      return geodata::Vec2{p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
    };
    geodata::Ring2 next;
    for (std::size_t k = 0; k < out.size(); ++k) {
      const auto& p = out[k];
      const auto& q = out[(k + 1) % out.size()];
      if (inside(p)) {
        next.push_back(p);
        if (!inside(q)) next.push_back(cut(p, q));
      } else if (inside(q)) {
        next.push_back(cut(p, q));
      }
    }
    out = std::move(next);
  }
  return out;
}

geodata::MultiPolygon2 crop(const geodata::MultiPolygon2& space, const geodata::Box2& box) {
  geodata::MultiPolygon2 out;
  for (const auto& polygon : space) {
    geodata::Polygon2 clipped;
    for (const auto& ring : polygon) {
      auto r = clipRing(ring, box);
      if (r.size() >= 3)
        clipped.push_back(std::move(r));
      else if (clipped.empty())
        break;  // the outer ring lies outside: so do its holes
    }
    if (!clipped.empty()) out.push_back(std::move(clipped));
  }
  return out;
}

struct NavigationCost {
  std::size_t bytes = 0;
  double seconds = 1e9;
};

NavigationCost measure(const CrowdScenario& s) {
  NavigationCost out;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    CrowdSimulation sim(s, 2);
    out.seconds = std::min(
        out.seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    out.bytes = sim.routing().bytes();
  }
  return out;
}

TEST(CityScaleCrowd, ASmallEventCostsTheSameOnTheWholeCityAsOnACrop) {
  const auto dir = test::freshTempDir();
  // 100 people walk 150 m along the Port Hercule; points as a web map gives them.
  std::ofstream(dir / "port.yaml")
      << "name: port walk\n"
         "city: "
      << (fs::path(CITYTWIN_ASSETS_DIR) / "osm" / "monaco.osm.pbf").string()
      << "\n"
         "crowd:\n"
         "  navigation_cell: 0.5\n"
         "  stages:\n"
         "    - {name: quay, kind: exit, circle: {center: {lat: 43.7345, lon: 7.4235}, radius: "
         "15}}\n"
         "  journeys:\n"
         "    - {name: walk, stages: [quay]}\n"
         "  sources:\n"
         "    - {name: west, journey: walk, agents: 100, circle: {center: {lat: 43.7338, lon: "
         "7.4220}, radius: 10}}\n";
  const auto file = engine::loadScenarioFile((dir / "port.yaml").string());
  CrowdScenario whole = file.crowd;
  const auto centre = geodata::bounds(whole.stages[0].area);
  const double cx = 0.5 * (centre.min_x + centre.max_x), cy = 0.5 * (centre.min_y + centre.max_y);
  CrowdScenario cropped = whole;
  cropped.walkable = crop(whole.walkable, {cx - 1000, cy - 1000, cx + 1000, cy + 1000});
  const auto b = geodata::bounds(whole.walkable);
  ASSERT_GT(b.max_x - b.min_x, 8000.0) << "the whole model spans the city file's extent";

  const NavigationCost on_crop = measure(cropped), on_city = measure(whole);
  std::printf(
      "routing memory %zu bytes on the crop, %zu on the whole city; set-up %.3f s, %.3f s\n",
      on_crop.bytes, on_city.bytes, on_crop.seconds, on_city.seconds);
  EXPECT_LT(static_cast<double>(on_city.bytes), 1.3 * static_cast<double>(on_crop.bytes));
  EXPECT_LT(on_city.seconds, 1.3 * on_crop.seconds + 0.01);

  // And the event itself runs the same on both: everyone arrives.
  for (const CrowdScenario* s : {&cropped, &whole}) {
    CrowdSimulation sim(*s, 2);
    sim.run();
    EXPECT_EQ(sim.summary().agents_arrived, 100u);
    EXPECT_EQ(sim.summary().agents_stuck, 0u);
  }
}

}  // namespace
}  // namespace citytwin

namespace citytwin {
namespace {

// The shipped Monaco event sets up on the whole city model with routing memory that follows
// the streets people use, and its first two minutes run: every source on walkable ground that
// reaches the entrances, people on their way, nobody stuck.
TEST(CityScaleCrowd, TheMonacoEventSetsUpOnTheWholeCity) {
  const auto file = engine::loadScenarioFile(
      (fs::path(CITYTWIN_SOURCE_DIR) / "scenarios" / "monaco-event" / "base.yaml").string());
  ASSERT_TRUE(file.has_crowd);
  std::uint32_t visitors = 0;
  for (const auto& s : file.crowd.sources) visitors += s.agents;
  EXPECT_GE(visitors, 50000u);
  CrowdScenario s = file.crowd;
  s.duration_s = 120.0;
  const auto t0 = std::chrono::steady_clock::now();
  CrowdSimulation sim(s, 2);
  const double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("Monaco event: set-up %.2f s, routing memory %.1f MB\n", setup,
              static_cast<double>(sim.routing().bytes()) / 1e6);
  EXPECT_LT(sim.routing().bytes(), 400u * 1000 * 1000);
  sim.run();
  EXPECT_GT(sim.summary().agents_spawned, 1500u);
  EXPECT_EQ(sim.summary().agents_stuck, 0u);
}

}  // namespace
}  // namespace citytwin
