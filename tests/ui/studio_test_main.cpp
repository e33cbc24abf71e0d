// The UI tests' main: a QApplication for the tests to drive (under Xvfb where there is no
// display, as in CI). Listing the tests needs no display.
#include <gtest/gtest.h>

#include <QApplication>
#include <QSurfaceFormat>
#include <cstring>

#include "citytwin/plugins/gtfs_realtime.hpp"
#include "display.hpp"

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i) listing |= std::strcmp(argv[i], "--gtest_list_tests") == 0;
  citytwin::test::ensureDisplay(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  if (listing) return RUN_ALL_TESTS();
  citytwin::plugins::registerGtfsRealtimeFormat();  // as citytwin-studio does at startup
  QSurfaceFormat format;
  format.setDepthBufferSize(24);
  QSurfaceFormat::setDefaultFormat(format);
  QApplication::setOrganizationName("CityTwinTests");  // keeps the tests' settings apart
  QApplication app(argc, argv);
  return RUN_ALL_TESTS();
}
