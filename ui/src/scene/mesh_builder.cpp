#include "mesh_builder.hpp"

#include <cmath>

namespace citytwin::ui::scene {

MeshBuilder::MeshBuilder()
    : vertices_(new osg::Vec3Array), normals_(new osg::Vec3Array), colours_(new osg::Vec4Array) {}

void MeshBuilder::triangle(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c,
                           const osg::Vec4& colour) {
  osg::Vec3 n = (b - a) ^ (c - a);
  if (n.normalize() <= 0.0f) return;
  for (const auto& p : {a, b, c}) {
    vertices_->push_back(p);
    normals_->push_back(n);
    colours_->push_back(colour);
  }
}

void MeshBuilder::quad(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c,
                       const osg::Vec3& d, const osg::Vec4& colour) {
  triangle(a, b, c, colour);
  triangle(a, c, d, colour);
}

void MeshBuilder::flatPolygon(const geodata::Polygon2& polygon, float z, const osg::Vec4& colour) {
  for (const auto& t : geodata::triangulate(polygon))
    triangle(osg::Vec3(static_cast<float>(t[0].x), static_cast<float>(t[0].y), z),
             osg::Vec3(static_cast<float>(t[1].x), static_cast<float>(t[1].y), z),
             osg::Vec3(static_cast<float>(t[2].x), static_cast<float>(t[2].y), z), colour);
}

void MeshBuilder::ribbon(const std::vector<geodata::Vec2>& line, float width, float z,
                         const osg::Vec4& colour) {
  const float h = width / 2;
  for (std::size_t k = 0; k + 1 < line.size(); ++k) {
    const osg::Vec3 a(static_cast<float>(line[k].x), static_cast<float>(line[k].y), z);
    const osg::Vec3 b(static_cast<float>(line[k + 1].x), static_cast<float>(line[k + 1].y), z);
    osg::Vec3 d = b - a;
    if (d.normalize() <= 0.0f) continue;
    const osg::Vec3 side(-d.y() * h, d.x() * h, 0.0f);
    // Reach half a width past each end, so that segments and streets join without gaps.
    const osg::Vec3 ext = d * h;
    quad(a - side - ext, b - side + ext, b + side + ext, a + side - ext, colour);
  }
}

osg::ref_ptr<osg::Geometry> MeshBuilder::build() {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  g->setUseDisplayList(false);
  g->setUseVertexBufferObjects(true);
  g->setVertexArray(vertices_);
  g->setNormalArray(normals_, osg::Array::BIND_PER_VERTEX);
  g->setColorArray(colours_, osg::Array::BIND_PER_VERTEX);
  g->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices_->size())));
  return g;
}

}  // namespace citytwin::ui::scene
