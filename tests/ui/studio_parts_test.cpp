// The app's parts that need no window: recorded frames, heatmap colours, the variant file.
#include <gtest/gtest.h>

#include <fstream>

#include "citytwin/engine/crowd/density_map.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/ui/frame_history.hpp"
#include "citytwin/ui/variant_document.hpp"
#include "test_support.hpp"

namespace citytwin::test {
namespace {

ui::FramePtr frameAt(double t, std::size_t people) {
  auto f = std::make_shared<ui::Frame>();
  f->elapsed_s = t;
  f->people.assign(3 * people, 1.0f);
  f->kpis.people = people;
  return f;
}

TEST(FrameHistory, KeepsFramesASpacingApartAndFindsTheNearest) {
  ui::FrameHistory h(std::size_t{1} << 30, 1.0);
  for (int k = 0; k <= 40; ++k) h.add(frameAt(k * 0.25, 10));
  EXPECT_EQ(h.size(), 11u);  // 0, 1, ..., 10
  EXPECT_DOUBLE_EQ(h.at(3.4)->elapsed_s, 3.0);
  EXPECT_DOUBLE_EQ(h.at(3.6)->elapsed_s, 4.0);
  EXPECT_DOUBLE_EQ(h.at(99)->elapsed_s, 10.0);
}

TEST(FrameHistory, StaysWithinItsBudgetByThinningOutOldFrames) {
  const std::size_t frame_bytes = frameAt(0, 1000)->bytes();
  ui::FrameHistory h(frame_bytes * 50, 1.0);
  for (int k = 0; k < 1000; ++k) h.add(frameAt(k, 1000));
  EXPECT_LE(h.bytes(), frame_bytes * 50);
  EXPECT_GE(h.size(), 20u);
  EXPECT_DOUBLE_EQ(h.first(), 0.0);
  EXPECT_GT(h.last(), 999.0 - h.spacing()) << "recorded up to the end";
  EXPECT_GE(h.spacing(), 16.0);
}

TEST(DensityMap, CountsPeoplePerSquareMetreOverTheWindow) {
  auto m = engine::crowd::densityMapOver({0, 0, 20, 20}, 2.0);
  EXPECT_EQ(m.nx, 10);
  // 36 people spread evenly over the 6 x 6 m round (5, 5): 1 person/m2 there.
  std::vector<float> x, y, v;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      x.push_back(2.5f + static_cast<float>(i));
      y.push_back(2.5f + static_cast<float>(j));
      v.push_back(1.2f);
    }
  engine::crowd::fillDensityMap(x, y, v, 1, m);
  EXPECT_NEAR(m.densityAt(5, 5), 1.0, 1e-5);
  EXPECT_NEAR(m.speed[2 * 10 + 2], 1.2, 1e-5);
  EXPECT_NEAR(m.densityAt(19, 19), 0.0, 1e-6);
  // People outside the map are left out, not clamped to its edge.
  engine::crowd::fillDensityMap(std::vector<float>{-5.0f}, std::vector<float>{5.0f},
                                std::vector<float>{1.0f}, 0, m);
  EXPECT_NEAR(m.densityAt(0.5, 5), 0.0, 1e-6);
}

TEST(VariantDocument, WritesAVariantTheEngineReadsBackAndSavesNothingHalfWritten) {
  const auto dir = freshTempDir();
  const std::string base =
      std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/amsterdam-traffic/base.yaml";
  geodata::CityModel city;
  engine::loadScenarioFile(base, &city);
  ui::VariantDocument doc;
  doc.startFrom(QString::fromStdString(base), "Amsterdam", city.frame);
  ui::InterventionEdit e;
  e.kind = "close_road";
  e.body = "{name: \"Kloveniersburgwal\", modes: [car]}";
  e.summary = "Close the Kloveniersburgwal to cars";
  doc.add(e);
  EXPECT_TRUE(doc.isModified());
  const QString path = QString::fromStdString((dir / "sub" / "variant.yaml").string());
  QString error;
  EXPECT_FALSE(doc.save(path, &error)) << "the folder does not exist";
  EXPECT_TRUE(error.contains("variant.yaml")) << error.toStdString();
  std::filesystem::create_directories(dir / "sub");
  ASSERT_TRUE(doc.save(path, &error)) << error.toStdString();
  EXPECT_FALSE(doc.isModified());
  const auto loaded = engine::loadScenarioFile(path.toStdString());
  ASSERT_EQ(loaded.interventions.size(), 1u);
  EXPECT_EQ(std::get<engine::CloseRoad>(loaded.interventions[0].what).roads.name,
            "Kloveniersburgwal");
  EXPECT_EQ(loaded.base_path.empty(), false);
}

}  // namespace
}  // namespace citytwin::test
