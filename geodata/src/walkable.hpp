#pragma once
// Walkable space: footways, pedestrian streets, squares and sidewalks as polygons, with
// buildings and barriers cut out. Built with GEOS.
#include <vector>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::geodata {

struct WalkableInputs {
  struct Strip {  ///< a surface walked across its whole width (footway, pedestrian street)
    std::vector<Vec2> line;
    double width_m = 0.0;
  };
  struct Sidewalk {  ///< a sidewalk beside a carriageway, on one or both sides
    std::vector<Vec2> line;
    double carriageway_width_m = 0.0;
    double sidewalk_width_m = 0.0;
    bool left = false;
    bool right = false;
  };
  std::vector<Polygon2> areas;  ///< squares, pedestrian areas
  std::vector<Strip> strips;
  std::vector<Sidewalk> sidewalks;
  std::vector<std::vector<Vec2>> barriers;  ///< walls, fences (cut out with a thin buffer)
};

/// Union of all walkable surfaces minus building footprints and barriers, clipped to `clip`.
MultiPolygon2 buildWalkable(const WalkableInputs& inputs, const std::vector<Building>& buildings,
                            const Box2& clip);

}  // namespace citytwin::geodata
