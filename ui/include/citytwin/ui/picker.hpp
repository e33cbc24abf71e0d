#pragma once
// What is at a point of the city: a person or vehicle of the frame shown, a measurement zone,
// a stage, a building or a street, with its attributes for the info panel. Plain C++.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "citytwin/geodata/city_model.hpp"
#include "citytwin/ui/frame.hpp"

namespace citytwin::engine {
class ScenarioRun;
}

namespace citytwin::ui {

enum class PickKind { kNothing, kPerson, kVehicle, kStage, kZone, kBuilding, kStreet };

struct PickResult {
  PickKind kind = PickKind::kNothing;
  std::size_t index =
      0;  ///< into the frame's people / vehicles, the stages, zones, buildings or links
  std::string title;
  std::vector<std::pair<std::string, std::string>> attributes;
};

/// The link nearest to `p` within `max_distance` metres that `accept` takes (all when null);
/// returns its index or SIZE_MAX.
std::size_t nearestLink(const geodata::CityModel& city, const geodata::Vec2& p, double max_distance,
                        bool (*accept)(const geodata::Link&) = nullptr, double* distance = nullptr,
                        geodata::Vec2* foot = nullptr);

/// `tolerance`: how far from a small thing (a person, a street) a click may land, in metres.
PickResult pickAt(const engine::ScenarioRun& run, const Frame* frame, const geodata::Vec2& p,
                  double tolerance);

}  // namespace citytwin::ui
