#include "agent_layer.hpp"

#include <cmath>
#include <osg/Program>
#include <osg/Shader>
#include <osg/VertexAttribDivisor>

#include "palette.hpp"

namespace citytwin::ui::scene {

namespace {

constexpr unsigned kInstanceAttribute = 6;

// GLSL 1.20 with the compatibility built-ins: runs on Mesa's software renderer under Xvfb.
const char* kPeopleVertex = R"(#version 120
attribute vec3 a_instance;  // x, y, speed
uniform float u_scale;
uniform vec4 u_walking;
uniform vec4 u_stopped;
varying vec4 v_colour;
void main() {
  vec3 p = vec3(gl_Vertex.xy * u_scale, gl_Vertex.z * max(1.0, 0.6 * u_scale));
  gl_Position = gl_ModelViewProjectionMatrix * vec4(p + vec3(a_instance.xy, 0.0), 1.0);
  float moving = clamp(a_instance.z / 0.6, 0.0, 1.0);
  float light = 0.6 + 0.4 * max(dot(gl_Normal, normalize(vec3(0.4, 0.3, 0.85))), 0.0);
  v_colour = vec4(mix(u_stopped, u_walking, moving).rgb * light, 1.0);
}
)";

// People as dots: the instance array is the vertex array (x, y, speed).
const char* kPeoplePointsVertex = R"(#version 120
uniform float u_ppm;
uniform vec4 u_walking;
uniform vec4 u_stopped;
varying vec4 v_colour;
void main() {
  vec4 p = gl_ModelViewProjectionMatrix * vec4(gl_Vertex.xy, 0.9, 1.0);
  gl_Position = p;
  gl_PointSize = max(3.0, 0.5 * u_ppm / p.w);
  float moving = clamp(gl_Vertex.z / 0.6, 0.0, 1.0);
  v_colour = vec4(mix(u_stopped, u_walking, moving).rgb, 1.0);
}
)";

const char* kVehicleVertex = R"(#version 120
attribute vec4 a_instance;  // x, y, heading, kind
uniform vec4 u_kinds[4];
uniform float u_scale;
varying vec4 v_colour;
void main() {
  float c = cos(a_instance.z), s = sin(a_instance.z);
  int kind = int(a_instance.w + 0.5);
  // Buses 12 m, trucks 9 m, cars 4.5 m, bicycles 1.8 m long.
  float len = kind == 1 ? 12.0 : (kind == 2 ? 9.0 : (kind == 3 ? 1.8 : 4.5));
  float wid = kind == 3 ? 0.6 : (kind == 0 ? 1.8 : 2.5);
  float hgt = kind == 1 ? 3.0 : (kind == 2 ? 3.2 : 1.5);
  float grow = max(1.0, u_scale / 3.0);
  vec3 v = vec3(gl_Vertex.x * len * grow, gl_Vertex.y * wid * grow, gl_Vertex.z * hgt);
  vec2 r = vec2(c * v.x - s * v.y, s * v.x + c * v.y);
  gl_Position = gl_ModelViewProjectionMatrix * vec4(a_instance.xy + r, v.z, 1.0);
  vec3 n = vec3(c * gl_Normal.x - s * gl_Normal.y, s * gl_Normal.x + c * gl_Normal.y, gl_Normal.z);
  float light = 0.6 + 0.4 * max(dot(n, normalize(vec3(0.4, 0.3, 0.85))), 0.0);
  v_colour = vec4(u_kinds[kind].rgb * light, 1.0);
}
)";

const char* kFragment = R"(#version 120
varying vec4 v_colour;
void main() { gl_FragColor = v_colour; }
)";

void addFace(osg::Vec3Array& v, osg::Vec3Array& n, const osg::Vec3& a, const osg::Vec3& b,
             const osg::Vec3& c, const osg::Vec3& d) {
  osg::Vec3 normal = (b - a) ^ (c - a);
  normal.normalize();
  for (const auto& p : {a, b, c, a, c, d}) {
    v.push_back(p);
    n.push_back(normal);
  }
}

/// A hexagonal prism 0.5 m across and 1.7 m high, standing on the origin: a person.
osg::ref_ptr<osg::Geometry> personMesh() {
  osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array, n = new osg::Vec3Array;
  const float r = 0.25f, h = 1.7f;
  for (int k = 0; k < 6; ++k) {
    const float a0 = static_cast<float>(k) * 1.0471976f, a1 = a0 + 1.0471976f;
    const osg::Vec3 p0(r * std::cos(a0), r * std::sin(a0), 0),
        p1(r * std::cos(a1), r * std::sin(a1), 0);
    addFace(*v, *n, p0, p1, p1 + osg::Vec3(0, 0, h), p0 + osg::Vec3(0, 0, h));
  }
  // The top: a hexagon as four triangles.
  osg::Vec3 corner[6];
  for (int k = 0; k < 6; ++k) {
    const float a = static_cast<float>(k) * 1.0471976f;
    corner[k] = osg::Vec3(r * std::cos(a), r * std::sin(a), h);
  }
  for (int k = 1; k < 5; ++k)
    for (const auto& p : {corner[0], corner[k], corner[k + 1]}) {
      v->push_back(p);
      n->push_back(osg::Vec3(0, 0, 1));
    }
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  g->setVertexArray(v);
  g->setNormalArray(n, osg::Array::BIND_PER_VERTEX);
  return g;
}

/// A unit box (x, y from -0.5 to 0.5, z from 0 to 1) without a bottom: a vehicle.
osg::ref_ptr<osg::Geometry> boxMesh() {
  osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array, n = new osg::Vec3Array;
  const osg::Vec3 c[8] = {{-0.5f, -0.5f, 0}, {0.5f, -0.5f, 0}, {0.5f, 0.5f, 0}, {-0.5f, 0.5f, 0},
                          {-0.5f, -0.5f, 1}, {0.5f, -0.5f, 1}, {0.5f, 0.5f, 1}, {-0.5f, 0.5f, 1}};
  addFace(*v, *n, c[0], c[1], c[5], c[4]);
  addFace(*v, *n, c[1], c[2], c[6], c[5]);
  addFace(*v, *n, c[2], c[3], c[7], c[6]);
  addFace(*v, *n, c[3], c[0], c[4], c[7]);
  addFace(*v, *n, c[4], c[5], c[6], c[7]);
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  g->setVertexArray(v);
  g->setNormalArray(n, osg::Array::BIND_PER_VERTEX);
  return g;
}

template <typename Array>
osg::ref_ptr<osg::Group> instanced(osg::Geometry& g, Array* instances, osg::DrawArrays* draw,
                                   const char* vertex_shader, const geodata::Box2& bounds) {
  g.setUseDisplayList(false);
  g.setUseVertexBufferObjects(true);
  instances->setBinding(osg::Array::BIND_PER_VERTEX);
  instances->setDataVariance(osg::Object::DYNAMIC);
  g.setVertexAttribArray(kInstanceAttribute, instances, osg::Array::BIND_PER_VERTEX);
  g.addPrimitiveSet(draw);
  // The instances move anywhere in the city: bound the mesh by the city, never cull it.
  g.setInitialBound(
      osg::BoundingBox(static_cast<float>(bounds.min_x), static_cast<float>(bounds.min_y), 0.0f,
                       static_cast<float>(bounds.max_x), static_cast<float>(bounds.max_y), 15.0f));
  g.setCullingActive(false);
  g.setDataVariance(osg::Object::DYNAMIC);
  osg::ref_ptr<osg::Program> program = new osg::Program;
  program->addShader(new osg::Shader(osg::Shader::VERTEX, vertex_shader));
  program->addShader(new osg::Shader(osg::Shader::FRAGMENT, kFragment));
  program->addBindAttribLocation("a_instance", kInstanceAttribute);
  auto* ss = g.getOrCreateStateSet();
  ss->setAttributeAndModes(program);
  ss->setAttribute(new osg::VertexAttribDivisor(kInstanceAttribute, 1));
  osg::ref_ptr<osg::Group> group = new osg::Group;
  group->addChild(&g);
  group->setCullingActive(false);
  return group;
}

}  // namespace

AgentLayer::AgentLayer(const geodata::Box2& bounds, bool observed)
    : people_geom_(personMesh()),
      vehicle_geom_(boxMesh()),
      people_instances_(new osg::Vec3Array),
      vehicle_instances_(new osg::Vec4Array),
      scale_(new osg::Uniform("u_scale", 1.0f)) {
  const osg::Vec4& walking = observed ? palette::kObserved : palette::kPerson;
  const osg::Vec4& stopped = observed ? palette::kObservedStopped : palette::kPersonStopped;
  people_draw_ = new osg::DrawArrays(
      GL_TRIANGLES, 0, static_cast<GLsizei>(people_geom_->getVertexArray()->getNumElements()), 1);
  vehicle_draw_ = new osg::DrawArrays(
      GL_TRIANGLES, 0, static_cast<GLsizei>(vehicle_geom_->getVertexArray()->getNumElements()), 1);
  people_node_ =
      instanced(*people_geom_, people_instances_.get(), people_draw_.get(), kPeopleVertex, bounds);
  vehicle_node_ = instanced(*vehicle_geom_, vehicle_instances_.get(), vehicle_draw_.get(),
                            kVehicleVertex, bounds);
  // The dots: the same positions, drawn as points.
  people_points_ = new osg::Geometry;
  people_points_->setUseDisplayList(false);
  people_points_->setUseVertexBufferObjects(true);
  people_points_->setVertexArray(people_instances_);
  points_draw_ = new osg::DrawArrays(GL_POINTS, 0, 0);
  people_points_->addPrimitiveSet(points_draw_);
  people_points_->setInitialBound(people_geom_->getInitialBound());
  people_points_->setCullingActive(false);
  people_points_->setDataVariance(osg::Object::DYNAMIC);
  {
    osg::ref_ptr<osg::Program> program = new osg::Program;
    program->addShader(new osg::Shader(osg::Shader::VERTEX, kPeoplePointsVertex));
    program->addShader(new osg::Shader(osg::Shader::FRAGMENT, kFragment));
    auto* ss = people_points_->getOrCreateStateSet();
    ss->setAttributeAndModes(program);
    ss->setMode(0x8642 /* GL_VERTEX_PROGRAM_POINT_SIZE */, osg::StateAttribute::ON);
    pixels_per_metre_ = new osg::Uniform("u_ppm", 1000.0f);
    ss->addUniform(pixels_per_metre_);
    ss->addUniform(new osg::Uniform("u_walking", walking));
    ss->addUniform(new osg::Uniform("u_stopped", stopped));
  }
  people_node_->addChild(people_points_);
  people_node_->setName("people");
  vehicle_node_->setName("vehicles");
  auto* ps = people_geom_->getOrCreateStateSet();
  ps->addUniform(scale_);
  ps->addUniform(new osg::Uniform("u_walking", walking));
  ps->addUniform(new osg::Uniform("u_stopped", stopped));
  auto* vs = vehicle_geom_->getOrCreateStateSet();
  vs->addUniform(scale_);
  osg::ref_ptr<osg::Uniform> kinds = new osg::Uniform(osg::Uniform::FLOAT_VEC4, "u_kinds", 4);
  kinds->setElement(0, palette::kCar);
  kinds->setElement(1, palette::kBus);
  kinds->setElement(2, palette::kTruck);
  kinds->setElement(3, palette::kBicycle);
  vs->addUniform(kinds);
}

void AgentLayer::setView(float metres_per_pixel, float pixels_per_metre_at_unit_depth) {
  // Figures once a person (0.5 m) is at least 4 pixels across; dots beyond.
  figures_ = metres_per_pixel <= 0.125f;
  scale_->set(std::max(1.0f, metres_per_pixel * 5.0f));
  pixels_per_metre_->set(pixels_per_metre_at_unit_depth);
  const bool any = points_draw_->getCount() > 0;
  people_geom_->setNodeMask(any && figures_ ? ~0u : 0u);
  people_points_->setNodeMask(any && !figures_ ? ~0u : 0u);
}

void AgentLayer::update(const Frame& frame) {
  // A group's node mask holds the visibility the layers panel sets in its top bit; the
  // instance count decides whether anything is drawn at all (OSG draws 0 instances as 1).
  const std::size_t people = frame.peopleCount();
  people_instances_->resize(people);
  for (std::size_t i = 0; i < people; ++i)
    (*people_instances_)[i].set(frame.people[3 * i], frame.people[3 * i + 1],
                                frame.people[3 * i + 2]);
  people_instances_->dirty();
  people_draw_->setNumInstances(static_cast<GLsizei>(people));
  people_draw_->dirty();
  points_draw_->setCount(static_cast<GLsizei>(people));
  points_draw_->dirty();
  people_geom_->setNodeMask(people > 0 && figures_ ? ~0u : 0u);
  people_points_->setNodeMask(people > 0 && !figures_ ? ~0u : 0u);
  people_points_->dirtyBound();

  const std::size_t vehicles = frame.vehicleCount();
  vehicle_instances_->resize(vehicles);
  for (std::size_t i = 0; i < vehicles; ++i)
    (*vehicle_instances_)[i].set(frame.vehicles[4 * i], frame.vehicles[4 * i + 1],
                                 frame.vehicles[4 * i + 2], frame.vehicles[4 * i + 3]);
  vehicle_instances_->dirty();
  vehicle_draw_->setNumInstances(static_cast<GLsizei>(vehicles));
  vehicle_draw_->dirty();
  vehicle_geom_->setNodeMask(vehicles > 0 ? ~0u : 0u);
}

}  // namespace citytwin::ui::scene
