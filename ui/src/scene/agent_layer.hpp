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
  explicit AgentLayer(const geodata::Box2& bounds);
  osg::Group* people() const { return people_node_.get(); }
  osg::Group* vehicles() const { return vehicle_node_.get(); }
  /// Streams the frame's positions (call on the thread that renders, between frames).
  void update(const Frame& frame);
  /// People are drawn at least this many times their real size (so that they stay visible
  /// when the camera is far); the view sets it from the size of a pixel on the ground.
  void setMinimumScale(float scale);

 private:
  osg::ref_ptr<osg::Group> people_node_, vehicle_node_;
  osg::ref_ptr<osg::Geometry> people_geom_, vehicle_geom_;
  osg::ref_ptr<osg::Vec3Array> people_instances_;
  osg::ref_ptr<osg::Vec4Array> vehicle_instances_;
  osg::ref_ptr<osg::DrawArrays> people_draw_, vehicle_draw_;
  osg::ref_ptr<osg::Uniform> scale_;
};

}  // namespace citytwin::ui::scene
