#include "city_layers.hpp"

#include <cmath>
#include <osg/BlendColor>
#include <osg/BlendFunc>
#include <osg/Depth>
#include <osg/Geode>
#include <osg/LineWidth>
#include <set>
#include <tuple>

#include "mesh_builder.hpp"
#include "palette.hpp"

namespace citytwin::ui::scene {

namespace {

osg::ref_ptr<osg::Geode> geode(MeshBuilder& mesh) {
  osg::ref_ptr<osg::Geode> g = new osg::Geode;
  if (!mesh.empty()) g->addDrawable(mesh.build());
  return g;
}

void makeTranslucent(osg::Node& node) {
  auto* ss = node.getOrCreateStateSet();
  ss->setMode(GL_BLEND, osg::StateAttribute::ON);
  ss->setAttributeAndModes(new osg::BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA));
}

}  // namespace

void setSolidOpacity(osg::Node& node, float opacity) {
  auto* ss = node.getOrCreateStateSet();
  if (opacity >= 0.999f) {
    ss->removeAttribute(osg::StateAttribute::BLENDCOLOR);
    ss->removeAttribute(osg::StateAttribute::BLENDFUNC);
    ss->removeAttribute(osg::StateAttribute::DEPTH);
    ss->removeMode(GL_BLEND);
    ss->setRenderBinToInherit();
    return;
  }
  // One alpha for the whole layer, whatever its vertex colours; drawn after the opaque
  // layers and without writing depth, so that what stands behind shows through.
  ss->setAttributeAndModes(new osg::BlendColor(osg::Vec4(1, 1, 1, opacity)));
  ss->setAttributeAndModes(new osg::BlendFunc(GL_CONSTANT_ALPHA, GL_ONE_MINUS_CONSTANT_ALPHA));
  ss->setAttribute(new osg::Depth(osg::Depth::LESS, 0.0, 1.0, false));
  ss->setRenderBinDetails(10, "DepthSortedBin");
}

void drawFlat(osg::Node& node, FlatOrder order) {
  auto* ss = node.getOrCreateStateSet();
  ss->setRenderBinDetails(static_cast<int>(order) - 100, "RenderBin");
  ss->setMode(GL_DEPTH_TEST, osg::StateAttribute::OFF);
  ss->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
}

namespace {

float roadWidth(const geodata::Link& link) {
  using geodata::Mode;
  if (geodata::allows(link.modes, Mode::kCar) || geodata::allows(link.modes, Mode::kBus))
    return 3.0f * static_cast<float>(std::max<int>(1, link.lanes)) + 1.0f;
  if (geodata::allows(link.modes, Mode::kBike)) return 2.5f;
  return 2.0f;
}

osg::Vec3 at(const geodata::Vec2& p, float z) {
  return {static_cast<float>(p.x), static_cast<float>(p.y), z};
}

}  // namespace

osg::ref_ptr<osg::Node> buildGround(const geodata::CityModel& city) {
  auto b = city.bounds;
  if (b.empty()) b = geodata::bounds(city.walkable);
  const float pad = 200.0f;
  MeshBuilder mesh;
  const float x0 = static_cast<float>(b.min_x) - pad, y0 = static_cast<float>(b.min_y) - pad;
  const float x1 = static_cast<float>(b.max_x) + pad, y1 = static_cast<float>(b.max_y) + pad;
  mesh.quad({x0, y0, -0.05f}, {x1, y0, -0.05f}, {x1, y1, -0.05f}, {x0, y1, -0.05f},
            palette::kGround);
  auto g = geode(mesh);
  drawFlat(*g, FlatOrder::kGround);
  g->setName("ground");
  return g;
}

osg::ref_ptr<osg::Node> buildWalkable(const geodata::MultiPolygon2& walkable) {
  MeshBuilder mesh;
  for (const auto& poly : walkable) mesh.flatPolygon(poly, 0.0f, palette::kWalkable);
  auto g = geode(mesh);
  drawFlat(*g, FlatOrder::kWalkable);
  g->setName("walkable");
  return g;
}

osg::ref_ptr<osg::Node> buildStreets(const geodata::CityModel& city) {
  MeshBuilder mesh;
  std::set<std::tuple<std::int64_t, geodata::NodeIndex, geodata::NodeIndex>> drawn;
  // Paths first and roads over them, so that the carriageway reads on top where they meet.
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& link : city.links) {
      const bool road = geodata::allows(link.modes, geodata::Mode::kCar) ||
                        geodata::allows(link.modes, geodata::Mode::kBus);
      if (road != (pass == 1) || link.geometry.size() < 2) continue;
      // Both directions of a two-way street share a geometry; draw each street once.
      if (road && !drawn
                       .insert({link.osm_way_id, std::min(link.from, link.to),
                                std::max(link.from, link.to)})
                       .second)
        continue;
      mesh.ribbon(link.geometry, roadWidth(link), road ? 0.03f : 0.02f,
                  road ? palette::kRoad : palette::kPath);
    }
  auto g = geode(mesh);
  drawFlat(*g, FlatOrder::kStreets);
  g->setName("streets");
  return g;
}

osg::ref_ptr<osg::Node> buildBuildings(const geodata::CityModel& city) {
  MeshBuilder mesh(true);
  for (const auto& b : city.buildings) {
    const float h = static_cast<float>(std::max(2.0, b.height_m));
    for (const auto& poly : b.footprint) {
      for (std::size_t r = 0; r < poly.size(); ++r) {
        const auto& ring = poly[r];
        // Outer rings counter-clockwise and holes clockwise put every wall's front outside.
        const bool ccw = geodata::signedArea(ring) > 0;
        const bool flip = (r == 0) != ccw;
        for (std::size_t k = 0; k < ring.size(); ++k) {
          auto a = ring[k], c = ring[(k + 1) % ring.size()];
          if (flip) std::swap(a, c);
          mesh.quad(at(a, 0.0f), at(c, 0.0f), at(c, h), at(a, h), palette::kWall);
        }
      }
      mesh.flatPolygon(poly, h, palette::kRoof);
    }
  }
  auto g = geode(mesh);
  // Walls face outwards and roofs up: the backs need not be drawn.
  g->getOrCreateStateSet()->setMode(GL_CULL_FACE, osg::StateAttribute::ON);
  g->setName("buildings");
  return g;
}

osg::ref_ptr<osg::Node> buildAreas(const geodata::MultiPolygon2& areas, const osg::Vec4& colour,
                                   float z, FlatOrder order) {
  MeshBuilder mesh;
  for (const auto& poly : areas) mesh.flatPolygon(poly, z, colour);
  auto g = geode(mesh);
  makeTranslucent(*g);
  drawFlat(*g, order);
  return g;
}

osg::ref_ptr<osg::Node> buildFences(const std::vector<std::vector<geodata::Vec2>>& lines,
                                    const osg::Vec4& colour, float height) {
  MeshBuilder mesh;
  for (const auto& line : lines)
    for (std::size_t k = 0; k + 1 < line.size(); ++k) {
      const auto a = line[k], b = line[k + 1];
      mesh.quad(at(a, 0.0f), at(b, 0.0f), at(b, height), at(a, height), colour);
      mesh.quad(at(b, 0.0f), at(a, 0.0f), at(a, height), at(b, height), colour);
    }
  auto g = geode(mesh);
  g->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  return g;
}

namespace {

osg::ref_ptr<osg::Node> outlines(const std::vector<geodata::MultiPolygon2>& areas,
                                 const osg::Vec4& colour) {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array;
  for (const auto& mp : areas)
    for (const auto& poly : mp)
      for (const auto& ring : poly) {
        const auto first = static_cast<GLint>(v->size());
        for (const auto& p : ring) v->push_back(at(p, 0.3f));
        g->addPrimitiveSet(
            new osg::DrawArrays(GL_LINE_LOOP, first, static_cast<GLsizei>(ring.size())));
      }
  g->setVertexArray(v);
  osg::ref_ptr<osg::Vec4Array> c = new osg::Vec4Array;
  c->push_back(colour);
  g->setColorArray(c, osg::Array::BIND_OVERALL);
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->addDrawable(g);
  auto* ss = geode->getOrCreateStateSet();
  ss->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  ss->setAttributeAndModes(new osg::LineWidth(2.5f));
  return geode;
}

}  // namespace

osg::ref_ptr<osg::Node> buildScenarioFeatures(const engine::ScenarioFile& file) {
  osg::ref_ptr<osg::Group> group = new osg::Group;
  group->setName("scenario");
  if (!file.has_crowd) return group;
  const auto& s = file.crowd;
  geodata::MultiPolygon2 gates, stages, sources;
  for (const auto& st : s.stages) {
    auto& into = st.kind == engine::crowd::StageKind::kGate ? gates : stages;
    into.insert(into.end(), st.area.begin(), st.area.end());
  }
  for (const auto& src : s.sources) sources.insert(sources.end(), src.area.begin(), src.area.end());
  group->addChild(buildAreas(stages, palette::kStage, 0.05f, FlatOrder::kScenarioAreas));
  group->addChild(buildAreas(sources, palette::kSource, 0.05f, FlatOrder::kScenarioAreas));
  group->addChild(buildAreas(gates, palette::kGate, 0.06f, FlatOrder::kScenarioAreas));
  std::vector<geodata::MultiPolygon2> zones;
  for (const auto& z : s.zones) zones.push_back(z.area);
  group->addChild(outlines(zones, palette::kZone));
  group->addChild(buildFences(s.barriers, palette::kBarrier, 1.2f));
  return group;
}

}  // namespace citytwin::ui::scene
