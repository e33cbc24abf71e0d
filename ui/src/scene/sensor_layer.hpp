#pragma once
// Sensors in the 3D view: each counting line as a bright bar across the street with two posts,
// and a label that always faces the viewer with the observed count of the time on screen.
#include <osg/Group>
#include <osg/ref_ptr>
#include <osgText/Text>
#include <vector>

#include "citytwin/ui/sensor_marker.hpp"

namespace citytwin::ui::scene {

class SensorLayer {
 public:
  explicit SensorLayer(std::vector<SensorMarker> markers);
  osg::Node* node() { return group_.get(); }
  /// Labels for the time of day `clock_s` (or, `on_data_clock`, a replay's data time).
  void update(double clock_s, bool on_data_clock = false);
  const std::vector<std::string>& labels() const { return labels_; }
  const std::vector<SensorMarker>& markers() const { return markers_; }

 private:
  std::vector<SensorMarker> markers_;
  osg::ref_ptr<osg::Group> group_;
  std::vector<osg::ref_ptr<osgText::Text>> texts_;
  std::vector<std::string> labels_;
};

}  // namespace citytwin::ui::scene
