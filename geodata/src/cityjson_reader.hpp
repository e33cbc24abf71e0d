#pragma once
// Reads CityJSON 1.0 / 1.1 / 2.0 files and CityJSONSeq (.city.jsonl) streams.
#include <string>
#include <vector>

#include "citytwin/geodata/city_model.hpp"
#include "osm_reader.hpp"

namespace citytwin::geodata {

struct CityJsonData {
  std::string crs;  ///< the file's CRS, normalised ("EPSG:7415")
  std::vector<CityObject> objects;
  std::vector<Building> buildings;  ///< one per top-level Building, its parts included
  std::vector<std::string> warnings;
};

/// The file's CRS and the extent of its vertices in WGS 84 (for choosing the frame).
LonLatBox cityJsonExtent(const std::string& path, std::string* crs = nullptr);

/// Reads every city object with its best LoD, semantics, attributes and texture references.
/// Throws InputError naming the file and the object for broken indices or structure.
CityJsonData readCityJson(const std::string& path, const LocalFrame& frame);

}  // namespace citytwin::geodata
