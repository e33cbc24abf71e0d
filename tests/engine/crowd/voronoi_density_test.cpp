#include "citytwin/engine/crowd/voronoi_density.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace citytwin::engine::crowd {
namespace {

geodata::MultiPolygon2 square(double x0, double y0, double side) {
  return {{{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}}}};
}

TEST(VoronoiDensity, SquareLatticeGivesOneOverCellArea) {
  // People every 0.5 m: 4 per m2; the zone is well inside the crowd.
  std::vector<float> x, y;
  for (int i = 0; i < 60; ++i)
    for (int j = 0; j < 60; ++j)
      x.push_back(0.25f + 0.5f * static_cast<float>(i)),
          y.push_back(0.25f + 0.5f * static_cast<float>(j));
  EXPECT_NEAR(voronoiDensity(x, y, square(10.0, 10.0, 5.0)), 4.0, 0.01);
  EXPECT_NEAR(voronoiDensity(x, y, square(10.1, 9.7, 3.3)), 4.0,
              0.01);  // any placement of the zone
}

TEST(VoronoiDensity, EmptyZoneAndLonePerson) {
  std::vector<float> x{100.0f}, y{100.0f};
  EXPECT_DOUBLE_EQ(voronoiDensity(x, y, square(0, 0, 2)), 0.0);  // nobody near
  // One person in a 2 x 2 m zone: their cell covers the whole frame, so density is small but
  // positive (the share of the cell inside the zone over the zone).
  std::vector<float> x1{1.0f}, y1{1.0f};
  const double d = voronoiDensity(x1, y1, square(0, 0, 2), 5.0);
  EXPECT_NEAR(d, (4.0 / 144.0) / 4.0, 1e-9);  // frame 12 x 12 m
}

}  // namespace
}  // namespace citytwin::engine::crowd
