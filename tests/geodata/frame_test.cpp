#include "citytwin/geodata/frame.hpp"

#include <gtest/gtest.h>

#include "citytwin/geodata/error.hpp"

namespace citytwin::geodata {
namespace {

TEST(Frame, ChoosesRdNewInsideTheNetherlandsElseUtm) {
  EXPECT_EQ(chooseFrameCrs(4.9, 52.37), "EPSG:28992");    // Amsterdam
  EXPECT_EQ(chooseFrameCrs(6.9, 53.2), "EPSG:28992");     // Groningen
  EXPECT_EQ(chooseFrameCrs(2.35, 48.86), "EPSG:32631");   // Paris
  EXPECT_EQ(chooseFrameCrs(13.4, 52.5), "EPSG:32633");    // Berlin
  EXPECT_EQ(chooseFrameCrs(151.2, -33.9), "EPSG:32756");  // Sydney
}

TEST(Frame, NormalisesOgcSpellings) {
  EXPECT_EQ(normaliseCrs("https://www.opengis.net/def/crs/EPSG/0/7415"), "EPSG:7415");
  EXPECT_EQ(normaliseCrs("urn:ogc:def:crs:EPSG::28992"), "EPSG:28992");
  EXPECT_EQ(normaliseCrs("EPSG:4326"), "EPSG:4326");
}

TEST(Frame, LocalCoordinatesRoundTripExactlyWithAWholeMetreOrigin) {
  const LocalFrame f{"EPSG:28992", {121625, 486982, 0}};
  const double x = 121123.456789012345, y = 487488.123456789;
  const Vec2 local = f.toLocal(x, y);
  const Vec2 back = f.toProjected(local);
  EXPECT_EQ(back.x, x);
  EXPECT_EQ(back.y, y);
}

TEST(Frame, TransformsWgs84ToRdNewAtTheAmersfoortReferencePoint) {
  // The origin of the RD grid, Onze Lieve Vrouwetoren in Amersfoort: (155000, 463000) is
  // 52.15517440 N, 5.38720621 E (Kadaster).
  CrsTransform ct("EPSG:4326", "EPSG:28992");
  double x = 5.38720621, y = 52.15517440, z = 0;
  ASSERT_TRUE(ct.apply(x, y, z));
  EXPECT_NEAR(x, 155000.0, 1.0);
  EXPECT_NEAR(y, 463000.0, 1.0);
}

TEST(Frame, CompoundRdNapToRdNewKeepsCoordinatesAndHeight) {
  CrsTransform ct("EPSG:7415", "EPSG:28992");
  EXPECT_TRUE(ct.identity());
  double x = 85000.25, y = 447500.5, z = 3.25;
  ASSERT_TRUE(ct.apply(x, y, z));
  EXPECT_EQ(x, 85000.25);
  EXPECT_EQ(z, 3.25);
}

TEST(Frame, UnknownCrsIsAClearInputError) {
  EXPECT_FALSE(isKnownCrs("EPSG:999999"));
  try {
    CrsTransform ct("EPSG:999999", "EPSG:28992");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown coordinate reference system"), std::string::npos);
    EXPECT_FALSE(e.hint().empty());
  }
}

}  // namespace
}  // namespace citytwin::geodata
