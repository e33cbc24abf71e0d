#pragma once
// The city model as a GeoPackage that QGIS opens and the engine reloads fast.
#include <string>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::geodata {

inline constexpr int kGpkgFormatVersion = 1;

/// Writes to a temporary file beside `path` and renames it into place, so a failure never
/// leaves a partial file. Refuses to replace an existing file unless `overwrite`.
void saveGeoPackage(const CityModel& model, const std::string& path, bool overwrite = false);

/// Loads a model written by saveGeoPackage. Throws InputError naming the file and layer.
CityModel loadGeoPackage(const std::string& path);

}  // namespace citytwin::geodata
