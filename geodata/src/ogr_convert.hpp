#pragma once
// Conversions between the model's geometry types (local frame) and OGR geometries
// (projected frame CRS), shared by the GeoPackage store and the vector-layer reader.
#include <ogr_feature.h>
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

/// Field definitions of a layer: integers (32 and 64 bit), reals, and everything else as text.
std::vector<FieldDef> fieldsFromOgr(const OGRFeatureDefn& defn);
/// A feature's values in the order of `fields`; unset and null fields become monostate.
std::vector<FieldValue> valuesFromOgr(const OGRFeature& feature,
                                      const std::vector<FieldDef>& fields);

}  // namespace citytwin::geodata::ogr
