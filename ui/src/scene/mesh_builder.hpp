#pragma once
// Collects triangles with colours into one indexed osg::Geometry (one draw call per layer).
#include <osg/Geometry>
#include <osg/ref_ptr>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::ui::scene {

class MeshBuilder {
 public:
  /// `shaded`: light each face from a fixed sun into its colour (drawn without OpenGL
  /// lighting: cheaper, notably on software renderers); else colours are used as given.
  explicit MeshBuilder(bool shaded = false);
  void triangle(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c,
                const osg::Vec4& colour);
  void quad(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c, const osg::Vec3& d,
            const osg::Vec4& colour);
  /// A polygon with holes, flat at height z.
  void flatPolygon(const geodata::Polygon2& polygon, float z, const osg::Vec4& colour);
  /// A strip `width` wide along a line, flat at height z.
  void ribbon(const std::vector<geodata::Vec2>& line, float width, float z,
              const osg::Vec4& colour);
  bool empty() const { return vertices_->empty(); }
  /// One indexed geometry; vertices shared where position and colour are the same.
  osg::ref_ptr<osg::Geometry> build();

 private:
  bool shaded_;
  osg::ref_ptr<osg::Vec3Array> vertices_, normals_;
  osg::ref_ptr<osg::Vec4Array> colours_;
};

}  // namespace citytwin::ui::scene
