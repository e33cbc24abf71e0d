#pragma once
// Extra vector layers (GeoJSON, GeoPackage, Shapefile, FlatGeobuf) and terrain rasters
// (GeoTIFF) through GDAL, transformed into the local frame.
#include <string>
#include <vector>

#include "citytwin/geodata/city_model.hpp"
#include "osm_reader.hpp"

namespace citytwin::geodata {

/// Registers GDAL's drivers once and quiets its error handler (we report errors ourselves).
void ensureGdal();

LonLatBox vectorExtent(const std::string& path);
LonLatBox rasterExtent(const std::string& path);

std::vector<ExtraLayer> readVectorLayers(const std::string& path, const LocalFrame& frame,
                                         std::vector<std::string>& warnings);
Terrain readTerrain(const std::string& path, const LocalFrame& frame);

/// The CRS of a GDAL dataset as "AUTH:CODE" (or WKT when it has no code).
std::string datasetCrs(const std::string& path);

}  // namespace citytwin::geodata
