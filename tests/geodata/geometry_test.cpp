#include "citytwin/geodata/geometry.hpp"

#include <gtest/gtest.h>

namespace citytwin::geodata {
namespace {

TEST(Geometry, ShoelaceAreaWithHolesAndOrientation) {
  const Ring2 square{{0, 0}, {10, 0}, {10, 10}, {0, 10}};
  EXPECT_DOUBLE_EQ(signedArea(square), 100.0);
  const Ring2 clockwise(square.rbegin(), square.rend());
  EXPECT_DOUBLE_EQ(signedArea(clockwise), -100.0);
  const Polygon2 with_hole{square, Ring2{{2, 2}, {2, 4}, {4, 4}, {4, 2}}};
  EXPECT_DOUBLE_EQ(area(with_hole), 96.0);
  EXPECT_DOUBLE_EQ(area(MultiPolygon2{with_hole, Polygon2{square}}), 196.0);
}

TEST(Geometry, AreaKeepsPrecisionFarFromTheOrigin) {
  const Ring2 far{
      {121000.1, 486000.1}, {121000.6, 486000.1}, {121000.6, 486000.6}, {121000.1, 486000.6}};
  EXPECT_NEAR(signedArea(far), 0.25, 1e-9);
}

TEST(Geometry, PolylineLength) {
  EXPECT_DOUBLE_EQ(length({{0, 0}, {3, 4}, {3, 10}}), 11.0);
  EXPECT_DOUBLE_EQ(length({}), 0.0);
}

}  // namespace
}  // namespace citytwin::geodata
