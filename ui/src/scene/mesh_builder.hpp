#pragma once
// Collects triangles with normals and colours into one osg::Geometry (one draw call per layer).
#include <osg/Geometry>
#include <osg/ref_ptr>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::ui::scene {

class MeshBuilder {
 public:
  MeshBuilder();
  void triangle(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c, const osg::Vec4& colour);
  void quad(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c, const osg::Vec3& d,
            const osg::Vec4& colour);
  /// A polygon with holes, flat at height z.
  void flatPolygon(const geodata::Polygon2& polygon, float z, const osg::Vec4& colour);
  /// A strip `width` wide along a line, flat at height z.
  void ribbon(const std::vector<geodata::Vec2>& line, float width, float z, const osg::Vec4& colour);
  bool empty() const { return vertices_->empty(); }
  osg::ref_ptr<osg::Geometry> build();

 private:
  osg::ref_ptr<osg::Vec3Array> vertices_, normals_;
  osg::ref_ptr<osg::Vec4Array> colours_;
};

}  // namespace citytwin::ui::scene
