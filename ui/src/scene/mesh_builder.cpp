#include "mesh_builder.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace citytwin::ui::scene {

MeshBuilder::MeshBuilder(bool shaded)
    : shaded_(shaded),
      vertices_(new osg::Vec3Array),
      normals_(new osg::Vec3Array),
      colours_(new osg::Vec4Array) {}

void MeshBuilder::triangle(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c,
                           const osg::Vec4& colour) {
  osg::Vec3 n = (b - a) ^ (c - a);
  if (n.normalize() <= 0.0f) return;
  osg::Vec4 c4 = colour;
  if (shaded_) {
    // Ambient plus a sun from the south-west, high up; both faces of a wall read the same.
    static const osg::Vec3 sun = [] {
      osg::Vec3 v(0.4f, 0.3f, 0.85f);
      v.normalize();
      return v;
    }();
    const float light = 0.58f + 0.42f * std::abs(n * sun);
    c4 = osg::Vec4(colour.r() * light, colour.g() * light, colour.b() * light, colour.a());
  }
  for (const auto& p : {a, b, c}) {
    vertices_->push_back(p);
    normals_->push_back(n);
    colours_->push_back(c4);
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

namespace {
struct VertexKey {
  std::array<float, 10> v;
  bool operator==(const VertexKey&) const = default;
};
struct VertexHash {
  std::size_t operator()(const VertexKey& k) const {
    std::size_t h = 1469598103934665603ull;
    for (float f : k.v) {
      std::uint32_t bits;
      std::memcpy(&bits, &f, sizeof bits);
      h = (h ^ bits) * 1099511628211ull;
    }
    return h;
  }
};
}  // namespace

osg::ref_ptr<osg::Geometry> MeshBuilder::build() {
  // Share vertices (a quad's corners, a roof's ring): software renderers shade per vertex.
  osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array, n = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec4Array> c = new osg::Vec4Array;
  osg::ref_ptr<osg::DrawElementsUInt> indices = new osg::DrawElementsUInt(GL_TRIANGLES);
  indices->reserve(vertices_->size());
  std::unordered_map<VertexKey, unsigned, VertexHash> seen;
  seen.reserve(vertices_->size());
  for (std::size_t i = 0; i < vertices_->size(); ++i) {
    const auto& p = (*vertices_)[i];
    const auto& nn = (*normals_)[i];
    const auto& cc = (*colours_)[i];
    VertexKey key{{p.x(), p.y(), p.z(), shaded_ ? 0.0f : nn.x(), shaded_ ? 0.0f : nn.y(),
                   shaded_ ? 0.0f : nn.z(), cc.r(), cc.g(), cc.b(), cc.a()}};
    auto [it, fresh] = seen.try_emplace(key, static_cast<unsigned>(v->size()));
    if (fresh) {
      v->push_back(p);
      n->push_back(nn);
      c->push_back(cc);
    }
    indices->push_back(it->second);
  }
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  g->setUseDisplayList(false);
  g->setUseVertexBufferObjects(true);
  g->setVertexArray(v);
  if (!shaded_) g->setNormalArray(n, osg::Array::BIND_PER_VERTEX);
  g->setColorArray(c, osg::Array::BIND_PER_VERTEX);
  g->addPrimitiveSet(indices);
  if (shaded_) g->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  return g;
}

}  // namespace citytwin::ui::scene
