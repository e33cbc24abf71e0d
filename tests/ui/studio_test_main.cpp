// The UI tests' main: a QApplication for the tests to drive (under Xvfb in CI; see
// tests/support/with-display.sh). Listing the tests needs no display.
#include <gtest/gtest.h>

#include <QApplication>
#include <QSurfaceFormat>
#include <cstring>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--gtest_list_tests") == 0) return RUN_ALL_TESTS();
  QSurfaceFormat format;
  format.setDepthBufferSize(24);
  QSurfaceFormat::setDefaultFormat(format);
  QApplication::setOrganizationName("CityTwinTests");  // keeps the tests' settings apart
  QApplication app(argc, argv);
  return RUN_ALL_TESTS();
}
