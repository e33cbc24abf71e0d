#pragma once
// Turning input files into a CityModel.
#include <functional>
#include <string>
#include <vector>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::geodata {

/// Called with a stage name and a fraction in [0, 1] of the whole import.
using ProgressFn = std::function<void(const std::string& stage, double fraction)>;

struct ImportOptions {
  /// Frame CRS; empty chooses automatically (EPSG:28992 in the Netherlands, else UTM).
  std::string frame_crs;
  /// Country whose default speed limits and sidewalk rules apply to untagged OSM roads.
  std::string country = "NL";
  ProgressFn progress;
};

enum class InputKind { kOsm, kCityJson, kCityJsonSeq, kVector, kRaster };

/// Guesses the kind from the file name (and, for .json, the first bytes).
InputKind detectInputKind(const std::string& path);

/// Imports every input into one model: OSM network, walkable space and buildings;
/// CityJSON objects (whose buildings replace OSM buildings they overlap); extra vector
/// layers; one terrain raster. Throws InputError for bad input.
CityModel importCity(const std::vector<std::string>& inputs, const ImportOptions& options = {});

/// The layers of one vector file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf: fences or zones
/// drawn in QGIS) in `frame`. Throws InputError naming the file, layer or feature.
std::vector<ExtraLayer> readVectorFile(const std::string& path, const LocalFrame& frame);

}  // namespace citytwin::geodata
