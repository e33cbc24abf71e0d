// The app's parts that need no window: recorded frames, heatmap colours, the variant file.
#include <gtest/gtest.h>

#include <array>
#include <fstream>

#include "citytwin/engine/crowd/density_map.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/ui/frame_history.hpp"
#include "citytwin/ui/variant_document.hpp"
#include "scene/heatmap_layer.hpp"
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

/// `n` people spread evenly over the 6 x 6 m round (cx, cy): n / 36 people/m2.
void crowdAround(ui::Frame& f, float cx, float cy, int per_side) {
  for (int i = 0; i < per_side; ++i)
    for (int j = 0; j < per_side; ++j) {
      const float step = 6.0f / static_cast<float>(per_side);
      f.people.insert(f.people.end(), {cx - 3.0f + (static_cast<float>(i) + 0.5f) * step,
                                       cy - 3.0f + (static_cast<float>(j) + 0.5f) * step, 1.0f});
    }
}

TEST(HeatmapLayer, DifferenceIsRedWhereTheVariantHasMorePeopleBlueWhereFewerClearWhereTheSame) {
  ui::Frame base, variant;
  crowdAround(base, 21, 21, 6);  // the same in both: 1 person/m2
  crowdAround(variant, 21, 21, 6);
  crowdAround(base, 61, 61, 6);     // 1 in the base, 2 in the variant
  crowdAround(variant, 61, 61, 9);  // (81 people over 36 m2 = 2.25)
  crowdAround(base, 81, 21, 6);     // only in the base
  ui::scene::HeatmapLayer layer({0, 0, 100, 100}, 2.0);
  layer.setMode(ui::scene::HeatmapMode::kDifference);
  layer.update(variant, &base);
  const auto& map = layer.map();
  auto rgba = [&](double x, double y) {
    const int i = static_cast<int>((x - map.x0) / map.cell_m),
              j = static_cast<int>((y - map.y0) / map.cell_m);
    const unsigned char* p = layer.image().data() + 4 * (static_cast<std::size_t>(j) * map.nx + i);
    return std::array<int, 4>{p[0], p[1], p[2], p[3]};
  };
  EXPECT_EQ(rgba(21, 21)[3], 0) << "the same crowd in both: nothing drawn";
  const auto more = rgba(61, 61), fewer = rgba(81, 21);
  EXPECT_GT(more[3], 100);
  EXPECT_GT(more[0], more[2] + 100) << "more people: red";
  EXPECT_GT(fewer[3], 100);
  EXPECT_GT(fewer[2], fewer[0] + 100) << "fewer people: blue";
  EXPECT_EQ(rgba(40, 80)[3], 0) << "nobody in either";

  // The other modes ignore the reference: the density of the variant alone.
  layer.setMode(ui::scene::HeatmapMode::kDensity);
  layer.update(variant, &base);
  EXPECT_GT(rgba(21, 21)[3], 100);
  EXPECT_EQ(rgba(81, 21)[3], 0);
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
