#pragma once
// Counts, extent and warnings of a city model, for `citytwin info`.
#include <cstddef>
#include <map>
#include <string>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::geodata {

struct ExtentWgs84 {
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
};

/// The extent of everything in the model (local frame), empty when the model is empty.
Box2 modelExtent(const CityModel& model);
/// The local-frame box as longitude/latitude (its four corners transformed, then bounded).
ExtentWgs84 toWgs84(const LocalFrame& frame, const Box2& box);

std::size_t countLinks(const CityModel& model, Mode mode);
std::size_t countSignals(const CityModel& model);
std::map<std::string, std::size_t> countCityObjectsByType(const CityModel& model);

}  // namespace citytwin::geodata
