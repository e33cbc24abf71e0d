// The navigation building blocks on their own: the sparse walkable raster, the bounded distance
// field that marches on when asked, and routing memory that follows the used area.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "citytwin/engine/crowd/crowd_simulation.hpp"
#include "citytwin/engine/crowd/distance_field.hpp"
#include "citytwin/engine/crowd/nav_grid.hpp"
#include "crowd_fixtures.hpp"

namespace citytwin::engine::crowd {
namespace {

// A square with a diamond hole and a notch: edges at every angle.
geodata::MultiPolygon2 squareWithHole() {
  return {{{{0, 0}, {60, 0}, {60, 25}, {41.3, 31.7}, {60, 40}, {60, 60}, {0, 60}},
           {{20, 30}, {30, 20.2}, {40, 30}, {30, 39.7}}}};
}

TEST(NavGrid, RasterIsTheEvenOddInsideTestAtCellCentres) {
  const auto space = squareWithHole();
  NavGrid grid(space, 0.37f);
  EXPECT_EQ(grid.tilesBuilt(), 0u) << "nothing is rasterised before it is asked for";
  std::size_t walkable = 0;
  for (int cy = 0; cy < grid.height(); ++cy)
    for (int cx = 0; cx < grid.width(); ++cx) {
      ASSERT_TRUE(grid.ensure(cx, cy));
      const Vec2f c = grid.cellCentre(cx, cy);
      EXPECT_EQ(grid.walkable(cx, cy), geodata::contains(space, {c.x, c.y}))
          << "cell " << cx << ", " << cy;
      walkable += grid.walkable(cx, cy) ? 1 : 0;
    }
  EXPECT_GT(walkable, 20000u);
  EXPECT_FALSE(grid.ensure(-1, 0));
  EXPECT_FALSE(grid.walkable(grid.width(), 0));
}

TEST(NavGrid, WallDistanceIsExactWithinItsReach) {
  const auto space = squareWithHole();
  const float reach = 1.2f, h = 0.5f;
  NavGrid grid(space, h, nullptr, reach);
  for (int cy = 0; cy < grid.height(); ++cy)
    for (int cx = 0; cx < grid.width(); ++cx) grid.ensure(cx, cy);
  for (int cy = 0; cy < grid.height(); ++cy)
    for (int cx = 0; cx < grid.width(); ++cx) {
      if (!grid.walkable(cx, cy)) {
        EXPECT_EQ(grid.wallDistance(cx, cy), 0.0f);
        continue;
      }
      float best = 1e9f;  // brute force over the whole grid
      for (int y = 0; y < grid.height(); ++y)
        for (int x = 0; x < grid.width(); ++x)
          if (!grid.walkable(x, y))
            best = std::min(best,
                            std::hypot(static_cast<float>(x - cx), static_cast<float>(y - cy)) * h);
      if (best <= reach + h)
        EXPECT_FLOAT_EQ(grid.wallDistance(cx, cy), best) << "cell " << cx << ", " << cy;
      else
        EXPECT_GT(grid.wallDistance(cx, cy), reach);
    }
}

TEST(NavGrid, ThinWallsCutTheLinksTheyCross) {
  const geodata::MultiPolygon2 space = {test::rect(0, 0, 10, 10)};
  WallSet walls(space, {{{5.1, 0.0}, {5.1, 8.0}}});
  NavGrid grid(space, 0.5f, &walls);
  const int y = grid.cellY(4.0f), x = grid.cellX(4.9f);
  grid.ensure(x, y);
  EXPECT_FALSE(grid.linked(x, y, 1, 0)) << "the barrier at x = 5.1 lies between";
  EXPECT_FALSE(grid.linked(x + 1, y, -1, 0));
  EXPECT_TRUE(grid.linked(x, y, 0, 1));
  const int above = grid.cellY(9.0f);
  grid.ensure(x, above);
  EXPECT_TRUE(grid.linked(x, above, 1, 0)) << "the barrier ends at y = 8";
}

TEST(NavGrid, NearestWalkableCellIsFoundWithinTheSearchRadius) {
  const geodata::MultiPolygon2 space = {test::rect(0, 0, 10, 10), test::rect(100, 0, 110, 10)};
  NavGrid grid(space, 0.5f);
  int cx = 0, cy = 0;
  ASSERT_TRUE(grid.nearestWalkable({30.0f, 5.0f}, 100.0f, cx, cy));
  EXPECT_NEAR(grid.cellCentre(cx, cy).x, 9.75f, 1e-4f);
  EXPECT_FALSE(grid.nearestWalkable({50.0f, 5.0f}, 20.0f, cx, cy));
}

// A 3 km street, 10 m wide: the target at its west end, people 200 m along it.
struct LongStreet {
  geodata::MultiPolygon2 space = {test::rect(0, 0, 3000, 10)};
  geodata::MultiPolygon2 target = {test::rect(0, 0, 2, 10)};
  std::vector<geodata::MultiPolygon2> from = {{test::rect(198, 2, 202, 8)}};
};

TEST(DistanceField, MarchesOnlyAsFarAsThePeopleItServesAndAMargin) {
  LongStreet street;
  NavGrid grid(street.space, 0.5f);
  DistanceField field(grid, street.target, {}, street.from);
  EXPECT_FALSE(field.completed());
  const float at_source = field.costAt({200.0f, 5.0f});
  EXPECT_NEAR(at_source, 199.0f, 2.0f);
  // 1.3 x 200 m + 100 m: reached at 340 m, not at 400 m.
  EXPECT_TRUE(std::isfinite(field.costAt({340.0f, 5.0f})));
  EXPECT_FALSE(std::isfinite(field.costAt({400.0f, 5.0f})));
  EXPECT_FALSE(field.covers({2500.0f, 5.0f}));
  EXPECT_LT(grid.tilesBuilt(), 40u) << "the street's far end is never rasterised";
}

TEST(DistanceField, MarchingOnGivesTheCostsOfTheCompleteField) {
  LongStreet street;
  NavGrid grid(street.space, 0.5f);
  DistanceField bounded(grid, street.target, {}, street.from);
  DistanceField whole(grid, street.target, {}, street.from);
  whole.complete();
  EXPECT_TRUE(whole.completed());
  for (float x : {1.5f, 50.0f, 199.0f, 333.3f})
    EXPECT_EQ(bounded.costAt({x, 3.3f}), whole.costAt({x, 3.3f})) << "x = " << x;
  const Vec2f far{2500.0f, 5.0f};
  bounded.extendTo(far);
  EXPECT_TRUE(bounded.covers(far));
  EXPECT_EQ(bounded.costAt(far), whole.costAt(far));
  EXPECT_EQ(bounded.directionAt(far), whole.directionAt(far));
  EXPECT_LT(bounded.directionAt(far).x, -0.99f) << "west, towards the target";
}

TEST(DistanceField, AnAreaOnAnIslandDoesNotHoldTheMarchForever) {
  // The island (a courtyard 50 m away, not connected) can never be reached: the march floods
  // the target's connected space once and then knows it.
  const geodata::MultiPolygon2 space = {test::rect(0, 0, 40, 10), test::rect(90, 0, 100, 10)};
  NavGrid grid(space, 0.5f);
  DistanceField field(grid, {test::rect(0, 0, 2, 10)}, {}, {{test::rect(92, 2, 98, 8)}});
  EXPECT_TRUE(field.completed());
  EXPECT_FALSE(field.reachable({95.0f, 5.0f}));
  EXPECT_TRUE(field.reachable({39.0f, 5.0f}));
}

// A city of streets, 6 km x 6 km (a grid every 50 m joined to a 200 m square), or the same
// cropped to 1.2 km round the square; the same small event on the square in both.
CrowdScenario smallEventIn(bool whole_city) {
  CrowdScenario s;
  const double east = whole_city ? 6200 : 1200, south = whole_city ? -3000 : -600,
               north = whole_city ? 3200 : 800;
  s.walkable = {
      {{{0, 0}, {200, 0}, {200, 95}, {east, 95}, {east, 105}, {200, 105}, {200, 200}, {0, 200}}}};
  for (double x = 250; x + 5 <= east; x += 50) {
    s.walkable.push_back(test::rect(x - 5, south, x + 5, 95));
    s.walkable.push_back(test::rect(x - 5, 105, x + 5, north));
  }
  s.stages.push_back(test::exitStage("gate", 180, 90, 190, 110));
  s.journeys.push_back({"in", {0}});
  s.sources.push_back(test::source("west", test::rect(10, 10, 30, 190), 200));
  s.nav_cell_m = 0.5f;
  return s;
}

TEST(CrowdNavigation, MemoryAndSetUpFollowTheUsedAreaNotTheCity) {
  std::size_t bytes[2] = {0, 0};
  double seconds[2] = {1e9, 1e9};
  for (int whole = 0; whole < 2; ++whole)
    for (int run = 0; run < 3; ++run) {
      const CrowdScenario s = smallEventIn(whole == 1);
      const auto t0 = std::chrono::steady_clock::now();
      CrowdSimulation sim(s, 1);
      seconds[whole] =
          std::min(seconds[whole],
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      bytes[whole] = sim.routing().bytes();
    }
  std::printf(
      "routing memory: %zu bytes alone, %zu in the city; set-up %.4f s alone, %.4f s in "
      "the city\n",
      bytes[0], bytes[1], seconds[0], seconds[1]);
  EXPECT_LT(static_cast<double>(bytes[1]), 1.3 * static_cast<double>(bytes[0]));
  EXPECT_LT(seconds[1], 1.3 * seconds[0] + 0.005);
}

TEST(Congestion, BoxSumsOfHeadsPerCellAsPeoplePerSquareMetre) {
  const geodata::MultiPolygon2 space = {test::rect(0, 0, 60, 40)};
  NavGrid grid(space, 0.5f);
  std::vector<float> x, y;
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>((state >> 33) % 100000) / 100000.0f;
  };
  for (int k = 0; k < 3000; ++k) {
    // Dense in one corner, so that the sums cross tile borders (16 m at 0.5 m cells).
    x.push_back(10.0f + 12.0f * next());
    y.push_back(10.0f + 12.0f * next());
  }
  const float weight = 1.5f;
  const CongestionMap map = congestionFrom(grid, x, y, weight, 1.5f);
  const int r = 3;  // 1.5 m at 0.5 m cells
  std::vector<int> count(static_cast<std::size_t>(grid.width() * grid.height()), 0);
  for (std::size_t k = 0; k < x.size(); ++k)
    ++count[static_cast<std::size_t>(grid.cellY(y[k]) * grid.width() + grid.cellX(x[k]))];
  int nonzero = 0;
  for (int cy = 0; cy < grid.height(); ++cy)
    for (int cx = 0; cx < grid.width(); ++cx) {
      int sum = 0;
      for (int oy = -r; oy <= r; ++oy)
        for (int ox = -r; ox <= r; ++ox) {
          const int xx = cx + ox, yy = cy + oy;
          if (xx >= 0 && yy >= 0 && xx < grid.width() && yy < grid.height())
            sum += count[static_cast<std::size_t>(yy * grid.width() + xx)];
        }
      const float area = static_cast<float>((2 * r + 1) * (2 * r + 1)) * 0.25f;
      const float expected = weight * std::max(0.0f, static_cast<float>(sum) / area - 0.5f);
      ASSERT_FLOAT_EQ(map.at(cx, cy), expected) << cx << ", " << cy;
      nonzero += expected > 0.0f;
    }
  EXPECT_GT(nonzero, 500);
}

// What the simulation says when it refuses a scenario ("" when it takes it).
std::string refusal(const CrowdScenario& s) {
  try {
    CrowdSimulation sim(s, 1);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// A source placed off the walkable space is refused with where the walkable space is.
TEST(CrowdNavigation, ASourceOffTheWalkableSpaceIsToldWhereTheSpaceIs) {
  CrowdScenario s;
  s.walkable = {test::rect(0, 0, 20, 20)};
  s.stages.push_back(test::exitStage("exit", 0, 0, 2, 20));
  s.journeys.push_back({"out", {0}});
  s.sources.push_back(test::source("lost", test::rect(30, 8, 34, 12), 10));  // 12 m east
  const std::string lost = refusal(s);
  EXPECT_NE(lost.find("source 'lost' covers no walkable space"), std::string::npos) << lost;
  EXPECT_NE(lost.find("12 m to the west"), std::string::npos) << lost;
  // A stage far from any walkable space is named too.
  s.sources[0] = test::source("fine", test::rect(10, 8, 14, 12), 10);
  s.stages[0] = test::exitStage("far away", 900, 0, 902, 2);
  const std::string far = refusal(s);
  EXPECT_NE(far.find("stage 'far away' lies off the walkable space"), std::string::npos) << far;
  EXPECT_NE(far.find("no walkable space within 500 m"), std::string::npos) << far;
}

}  // namespace
}  // namespace citytwin::engine::crowd
