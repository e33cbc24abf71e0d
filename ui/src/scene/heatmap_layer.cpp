#include "heatmap_layer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <osg/BlendFunc>
#include <osg/Geometry>
#include <osg/Texture2D>
#include <vector>

#include "city_layers.hpp"

namespace citytwin::ui::scene {

namespace {

struct Stop {
  float at;
  std::array<float, 4> rgba;
};

// The stops live in the caller's initializer list: no allocation per cell (this runs for every
// cell of the map on every frame).
void ramp(std::initializer_list<Stop> list, float v, unsigned char out[4]) {
  const Stop* stops = list.begin();
  const std::size_t n = list.size();
  std::array<float, 4> c = stops[n - 1].rgba;
  if (v <= stops[0].at) {
    c = stops[0].rgba;
  } else {
    for (std::size_t k = 0; k + 1 < n; ++k)
      if (v <= stops[k + 1].at) {
        const float t = (v - stops[k].at) / (stops[k + 1].at - stops[k].at);
        for (int i = 0; i < 4; ++i)
          c[i] = stops[k].rgba[i] + t * (stops[k + 1].rgba[i] - stops[k].rgba[i]);
        break;
      }
  }
  for (int i = 0; i < 4; ++i)
    out[i] = static_cast<unsigned char>(std::clamp(c[i], 0.0f, 1.0f) * 255.0f + 0.5f);
}

}  // namespace

void heatmapColour(HeatmapMode mode, float density, float speed, unsigned char rgba[4]) {
  // Below a tenth of a person per 10 m2 there is no crowd to speak of: leave the city visible.
  if (density < 0.01f) {
    rgba[0] = rgba[1] = rgba[2] = rgba[3] = 0;
    return;
  }
  switch (mode) {
    case HeatmapMode::kDensity:
      ramp({{0.01f, {1.0f, 1.0f, 0.6f, 0.35f}},
            {0.5f, {1.0f, 0.85f, 0.2f, 0.7f}},
            {1.0f, {1.0f, 0.5f, 0.05f, 0.8f}},
            {2.0f, {0.9f, 0.05f, 0.05f, 0.85f}},
            {4.0f, {0.35f, 0.0f, 0.35f, 0.9f}}},
           density, rgba);
      return;
    case HeatmapMode::kLevelOfService: {
      // Fruin's walkway levels A-F (people/m2): 0.31, 0.43, 0.72, 1.08, 2.17.
      static const std::array<std::array<unsigned char, 4>, 6> kLevels{{{40, 160, 60, 120},
                                                                        {140, 200, 60, 160},
                                                                        {250, 230, 50, 190},
                                                                        {250, 150, 30, 200},
                                                                        {230, 40, 30, 215},
                                                                        {110, 0, 100, 230}}};
      const char level = density <= 0.31f   ? 0
                         : density <= 0.43f ? 1
                         : density <= 0.72f ? 2
                         : density <= 1.08f ? 3
                         : density <= 2.17f ? 4
                                            : 5;
      std::copy(kLevels[static_cast<std::size_t>(level)].begin(),
                kLevels[static_cast<std::size_t>(level)].end(), rgba);
      return;
    }
    case HeatmapMode::kSpeed:
      ramp({{0.0f, {0.85f, 0.05f, 0.1f, 0.8f}},
            {0.6f, {1.0f, 0.75f, 0.1f, 0.75f}},
            {1.3f, {0.1f, 0.7f, 0.3f, 0.6f}}},
           speed, rgba);
      return;
    case HeatmapMode::kDifference:
      differenceColour(density, rgba);
      return;
  }
}

void differenceColour(float d, unsigned char rgba[4]) {
  if (std::abs(d) < 0.05f) {
    rgba[0] = rgba[1] = rgba[2] = rgba[3] = 0;
    return;
  }
  if (d > 0.0f)
    ramp({{0.05f, {1.0f, 0.75f, 0.7f, 0.45f}},
          {0.5f, {0.95f, 0.3f, 0.2f, 0.75f}},
          {1.5f, {0.6f, 0.0f, 0.05f, 0.9f}}},
         d, rgba);
  else
    ramp({{0.05f, {0.7f, 0.8f, 1.0f, 0.45f}},
          {0.5f, {0.2f, 0.45f, 0.95f, 0.75f}},
          {1.5f, {0.0f, 0.1f, 0.55f, 0.9f}}},
         -d, rgba);
}

namespace {

// heatmapColour at the middle of each 1/256 person/m2 step up to 8 people/m2 (beyond: the last).
const std::vector<std::array<unsigned char, 4>>& densityColours(HeatmapMode mode) {
  static const auto build = [](HeatmapMode m) {
    std::vector<std::array<unsigned char, 4>> table(8 * 256);
    for (std::size_t i = 0; i < table.size(); ++i) {
      const float d = (static_cast<float>(i) + 0.5f) / 256.0f;
      heatmapColour(m, std::max(d, 0.01f), 0.0f, table[i].data());
    }
    return table;
  };
  static const auto density = build(HeatmapMode::kDensity);
  static const auto service = build(HeatmapMode::kLevelOfService);
  return mode == HeatmapMode::kLevelOfService ? service : density;
}

}  // namespace

HeatmapLayer::HeatmapLayer(const geodata::Box2& bounds, double cell_m)
    : map_(engine::crowd::densityMapOver(bounds, cell_m)),
      reference_map_(map_),
      geode_(new osg::Geode),
      image_(new osg::Image) {
  image_->allocateImage(map_.nx, map_.ny, 1, GL_RGBA, GL_UNSIGNED_BYTE);
  std::fill_n(image_->data(), image_->getTotalSizeInBytes(), 0);
  image_->setDataVariance(osg::Object::DYNAMIC);
  osg::ref_ptr<osg::Texture2D> tex = new osg::Texture2D(image_);
  tex->setResizeNonPowerOfTwoHint(false);
  tex->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
  tex->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
  tex->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
  tex->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
  tex->setDataVariance(osg::Object::DYNAMIC);
  const float x0 = static_cast<float>(map_.x0), y0 = static_cast<float>(map_.y0);
  const float x1 = x0 + static_cast<float>(map_.nx * map_.cell_m),
              y1 = y0 + static_cast<float>(map_.ny * map_.cell_m);
  osg::ref_ptr<osg::Geometry> quad = osg::createTexturedQuadGeometry(
      osg::Vec3(x0, y0, 0.2f), osg::Vec3(x1 - x0, 0, 0), osg::Vec3(0, y1 - y0, 0));
  // The texture's colours are modulated by the quad's: its alpha is the layer's opacity.
  quad_colour_ = new osg::Vec4Array;
  quad_colour_->push_back(osg::Vec4(1, 1, 1, 1));
  quad->setColorArray(quad_colour_, osg::Array::BIND_OVERALL);
  geode_->addDrawable(quad);
  geode_->setName("heatmap");
  auto* ss = geode_->getOrCreateStateSet();
  ss->setTextureAttributeAndModes(0, tex);
  ss->setMode(GL_BLEND, osg::StateAttribute::ON);
  ss->setAttributeAndModes(new osg::BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA));
  drawFlat(*geode_, FlatOrder::kHeatmap);
}

void HeatmapLayer::setOpacity(float opacity) {
  (*quad_colour_)[0].a() = std::clamp(opacity, 0.0f, 1.0f);
  quad_colour_->dirty();
}

void HeatmapLayer::fill(const Frame& frame, engine::crowd::DensityMap& map) {
  const std::size_t n = frame.peopleCount();
  x_.resize(n);
  y_.resize(n);
  speed_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    x_[i] = frame.people[3 * i];
    y_[i] = frame.people[3 * i + 1];
    speed_[i] = frame.people[3 * i + 2];
  }
  // Only the speed view needs the speed channel (smoothing it costs as much as the density).
  const bool need_speed = mode_ == HeatmapMode::kSpeed;
  engine::crowd::fillDensityMap(
      x_, y_, need_speed ? std::span<const float>(speed_) : std::span<const float>(), 1, map);
}

void HeatmapLayer::update(const Frame& frame, const Frame* reference) {
  fill(frame, map_);
  unsigned char* px = image_->data();
  if (mode_ == HeatmapMode::kDifference) {
    if (reference)
      fill(*reference, reference_map_);
    else
      std::fill(reference_map_.density.begin(), reference_map_.density.end(), 0.0f);
    for (std::size_t k = 0; k < map_.size(); ++k)
      differenceColour(map_.density[k] - reference_map_.density[k], px + 4 * k);
  } else if (mode_ == HeatmapMode::kSpeed) {
    for (std::size_t k = 0; k < map_.size(); ++k)
      heatmapColour(mode_, map_.density[k], map_.speed[k], px + 4 * k);
  } else {
    // Density and level of service depend on the density alone: a table of colours in steps
    // of 1/256 person/m2 replaces the ramp per cell (this runs for every cell every frame).
    const auto& table = densityColours(mode_);
    constexpr float kSteps = 256.0f;
    const auto last = static_cast<int>(table.size()) - 1;
    for (std::size_t k = 0; k < map_.size(); ++k) {
      const float d = map_.density[k];
      if (d < 0.01f) {  // no crowd: transparent, as heatmapColour does
        std::memset(px + 4 * k, 0, 4);
        continue;
      }
      const int step = std::min(last, static_cast<int>(d * kSteps));
      std::memcpy(px + 4 * k, table[static_cast<std::size_t>(step)].data(), 4);
    }
  }
  image_->dirty();
}

}  // namespace citytwin::ui::scene
