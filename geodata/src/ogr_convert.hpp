#pragma once
// Conversions between the model's geometry types (local frame) and OGR geometries
// (projected frame CRS), shared by the GeoPackage store and the vector-layer reader.
#include <ogr_geometry.h>

#include <memory>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::geodata::ogr {

std::unique_ptr<OGRPolygon> toOgr(const Polygon2& poly, const LocalFrame& frame);
std::unique_ptr<OGRMultiPolygon> toOgr(const MultiPolygon2& polys, const LocalFrame& frame);
std::unique_ptr<OGRLineString> toOgr(const std::vector<Vec2>& line, const LocalFrame& frame);
std::unique_ptr<OGRPolygon> toOgr(const Polygon3& poly, const LocalFrame& frame);
std::unique_ptr<OGRGeometry> toOgr(const Geometry& g, const LocalFrame& frame);

/// `to_local` maps a projected (x, y) in the frame CRS to local coordinates.
Polygon2 polygonFromOgr(const OGRPolygon& poly, const LocalFrame& frame);
MultiPolygon2 multiPolygonFromOgr(const OGRGeometry& g, const LocalFrame& frame);
std::vector<Vec2> lineFromOgr(const OGRLineString& line, const LocalFrame& frame);
Polygon3 polygon3FromOgr(const OGRPolygon& poly, const LocalFrame& frame);
/// A general geometry; false for types the model does not carry (curves are linearised).
bool geometryFromOgr(const OGRGeometry& g, const LocalFrame& frame, Geometry& out);

}  // namespace citytwin::geodata::ogr
