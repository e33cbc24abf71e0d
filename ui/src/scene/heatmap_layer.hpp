#pragma once
// A translucent map over the ground, coloured per cell by crowd density, Fruin's level of
// service or walking speed, from the people of a frame (engine::crowd::DensityMap).
#include <osg/Geode>
#include <osg/Image>
#include <osg/ref_ptr>

#include "citytwin/engine/crowd/density_map.hpp"
#include "citytwin/geodata/geometry.hpp"
#include "citytwin/ui/frame.hpp"

namespace citytwin::ui::scene {

/// kDifference: this frame's density minus a reference frame's (a variant against its base).
enum class HeatmapMode { kDensity, kLevelOfService, kSpeed, kDifference };

/// The colour of a cell (RGBA, 0-255); fully transparent where nobody is.
void heatmapColour(HeatmapMode mode, float density, float speed, unsigned char rgba[4]);
/// The colour of a density difference (people/m2): red where more people, blue where fewer,
/// transparent where the two differ by less than 0.05.
void differenceColour(float difference, unsigned char rgba[4]);

class HeatmapLayer {
 public:
  /// Cells of `cell_m` metres over the city, each averaged over the 3 x 3 cells around it.
  HeatmapLayer(const geodata::Box2& bounds, double cell_m = 2.0);
  osg::Node* node() const { return geode_.get(); }
  void setMode(HeatmapMode mode) { mode_ = mode; }
  /// Scales every cell's alpha (1: as the colour scale says).
  void setOpacity(float opacity);
  HeatmapMode mode() const { return mode_; }
  /// `reference`: the frame to subtract in the difference mode (ignored by the others; without
  /// one the difference mode shows this frame's density against an empty city).
  void update(const Frame& frame, const Frame* reference = nullptr);
  const engine::crowd::DensityMap& map() const { return map_; }
  /// The colours drawn: RGBA per cell, rows from the south-west (as map()).
  const osg::Image& image() const { return *image_; }

 private:
  void fill(const Frame& frame, engine::crowd::DensityMap& map);

  engine::crowd::DensityMap map_, reference_map_;
  HeatmapMode mode_ = HeatmapMode::kDensity;
  osg::ref_ptr<osg::Geode> geode_;
  osg::ref_ptr<osg::Image> image_;
  osg::ref_ptr<osg::Vec4Array> quad_colour_;
  std::vector<float> x_, y_, speed_;
};

}  // namespace citytwin::ui::scene
