#pragma once
// The static layers of the 3D view, built once per scenario: ground, walkable space, streets,
// buildings and the scenario's own features (stages, zones, sources, barriers).
#include <osg/Group>
#include <osg/ref_ptr>

#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/geodata/city_model.hpp"

namespace citytwin::ui::scene {

/// The city is flat: layers on the ground are drawn first, in this order and without depth
/// test (no flicker between them), and everything standing on it afterwards.
enum class FlatOrder { kGround, kWalkable, kStreets, kScenarioAreas, kClosures, kHeatmap };
void drawFlat(osg::Node& node, FlatOrder order);

/// Draws a solid layer (buildings) see-through: 1 opaque, 0 invisible.
void setSolidOpacity(osg::Node& node, float opacity);

osg::ref_ptr<osg::Node> buildGround(const geodata::CityModel& city);
osg::ref_ptr<osg::Node> buildWalkable(const geodata::MultiPolygon2& walkable);
osg::ref_ptr<osg::Node> buildStreets(const geodata::CityModel& city);
/// Footprints extruded to their heights: walls and triangulated roofs.
osg::ref_ptr<osg::Node> buildBuildings(const geodata::CityModel& city);
/// Stages, sources and measurement zones of a crowd scenario, and its barriers.
osg::ref_ptr<osg::Node> buildScenarioFeatures(const engine::ScenarioFile& file);
/// Fence-like walls along lines (barriers drawn by hand): `height` metres high.
osg::ref_ptr<osg::Node> buildFences(const std::vector<std::vector<geodata::Vec2>>& lines,
                                    const osg::Vec4& colour, float height);
/// Flat translucent areas just above the ground.
osg::ref_ptr<osg::Node> buildAreas(const geodata::MultiPolygon2& areas, const osg::Vec4& colour,
                                   float z, FlatOrder order);

}  // namespace citytwin::ui::scene
