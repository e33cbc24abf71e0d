#pragma once
// What `citytwin info` reports about a city model, as JSON and as text.
#include <nlohmann/json.hpp>
#include <string>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::cli {

nlohmann::json modelInfo(const geodata::CityModel& model);
std::string modelInfoText(const nlohmann::json& info, const std::string& path);

}  // namespace citytwin::cli
