#pragma once
// People and vehicles drawn with hardware instancing: one small mesh each, one draw call per
// kind, positions streamed to the GPU as a per-instance attribute every frame. People are
// coloured by their speed (walking blue, standing magenta), vehicles by type.
#include <osg/Array>
#include <osg/Geometry>
#include <osg/Group>
#include <osg/Uniform>
#include <osg/ref_ptr>

#include "citytwin/geodata/geometry.hpp"
#include "citytwin/ui/frame.hpp"

namespace citytwin::ui::scene {

class AgentLayer {
 public:
  /// `observed`: people replayed from measurements, in their own colours (never mistaken for
  /// simulated ones).
  explicit AgentLayer(const geodata::Box2& bounds, bool observed = false);
  osg::Group* people() const { return people_node_.get(); }
  osg::Group* vehicles() const { return vehicle_node_.get(); }
  /// Streams the frame's positions (call on the thread that renders, between frames).
  void update(const Frame& frame);
  /// Tells the layer how big a metre is on screen: `metres_per_pixel` where the camera looks,
  /// and `pixels_per_metre_at_unit_depth` (viewport height / (2 tan(fov / 2))). Far away,
  /// people are drawn as dots of at least 3 pixels (one vertex each: 100,000 stay fluid even
  /// on software OpenGL); close up as small 3D figures.
  void setView(float metres_per_pixel, float pixels_per_metre_at_unit_depth);
  bool drawsFigures() const { return figures_; }

 private:
  osg::ref_ptr<osg::Group> people_node_, vehicle_node_;
  osg::ref_ptr<osg::Geometry> people_geom_, vehicle_geom_;
  osg::ref_ptr<osg::Vec3Array> people_instances_;
  osg::ref_ptr<osg::Vec4Array> vehicle_instances_;
  osg::ref_ptr<osg::DrawArrays> people_draw_, vehicle_draw_;
  osg::ref_ptr<osg::Geometry> people_points_;
  osg::ref_ptr<osg::DrawArrays> points_draw_;
  osg::ref_ptr<osg::Uniform> scale_, pixels_per_metre_;
  bool figures_ = false;
};

}  // namespace citytwin::ui::scene
