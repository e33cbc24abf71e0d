#include "gdal_reader.hpp"

#include <gdal_priv.h>
#include <gdalwarper.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <mutex>

#include "citytwin/geodata/error.hpp"
#include "ogr_convert.hpp"

namespace citytwin::geodata {
namespace {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

DatasetPtr open(const std::string& path, unsigned flags) {
  ensureGdal();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw InputError(path, "", "file not found", "check the path");
  CPLErrorReset();
  DatasetPtr ds(
      GDALDataset::Open(path.c_str(), flags | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) {
    std::string msg = CPLGetLastErrorMsg();
    throw InputError(path, "", "GDAL cannot open it" + (msg.empty() ? std::string() : ": " + msg),
                     (flags & GDAL_OF_RASTER)
                         ? "give a GeoTIFF or another raster GDAL reads"
                         : "give a GeoJSON, GeoPackage, Shapefile or FlatGeobuf file");
  }
  return ds;
}

std::string crsText(const OGRSpatialReference* srs) {
  if (!srs) return "";
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth && code) return std::string(auth) + ":" + code;
  char* wkt = nullptr;
  srs->exportToWkt(&wkt);
  std::string s = wkt ? wkt : "";
  CPLFree(wkt);
  return s;
}

LonLatBox toLonLat(const std::string& path, const std::string& crs, double minx, double miny,
                   double maxx, double maxy) {
  if (crs.empty())
    throw InputError(path, "", "the file has no coordinate reference system",
                     "assign one in QGIS (Layer > Set CRS) or with ogr2ogr -a_srs EPSG:xxxx");
  CrsTransform ct(crs, "EPSG:4326");
  LonLatBox box;
  for (double x : {minx, maxx})
    for (double y : {miny, maxy}) {
      double px = x, py = y, pz = 0;
      if (ct.apply(px, py, pz)) box.extend(px, py);
    }
  return box;
}

}  // namespace

void ensureGdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    CPLSetErrorHandler(CPLQuietErrorHandler);
  });
}

std::string datasetCrs(const std::string& path) {
  auto ds = open(path, GDAL_OF_VECTOR | GDAL_OF_RASTER);
  if (ds->GetRasterCount() > 0) return crsText(ds->GetSpatialRef());
  for (auto* layer : ds->GetLayers())
    if (auto* srs = layer->GetSpatialRef()) return crsText(srs);
  return "";
}

LonLatBox vectorExtent(const std::string& path) {
  auto ds = open(path, GDAL_OF_VECTOR);
  LonLatBox box{180, 90, -180, -90};
  for (auto* layer : ds->GetLayers()) {
    OGREnvelope env;
    if (layer->GetExtent(&env, TRUE) != OGRERR_NONE) continue;
    const auto b =
        toLonLat(path, crsText(layer->GetSpatialRef()), env.MinX, env.MinY, env.MaxX, env.MaxY);
    box = {std::min(box.min_lon, b.min_lon), std::min(box.min_lat, b.min_lat),
           std::max(box.max_lon, b.max_lon), std::max(box.max_lat, b.max_lat)};
  }
  return box;
}

LonLatBox rasterExtent(const std::string& path) {
  auto ds = open(path, GDAL_OF_RASTER);
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None)
    throw InputError(path, "", "the raster has no georeferencing",
                     "give a GeoTIFF with a geotransform");
  const double x0 = gt[0], y0 = gt[3];
  const double x1 = gt[0] + gt[1] * ds->GetRasterXSize(), y1 = gt[3] + gt[5] * ds->GetRasterYSize();
  return toLonLat(path, crsText(ds->GetSpatialRef()), std::min(x0, x1), std::min(y0, y1),
                  std::max(x0, x1), std::max(y0, y1));
}

std::vector<ExtraLayer> readVectorLayers(const std::string& path, const LocalFrame& frame,
                                         std::vector<std::string>& warnings) {
  auto ds = open(path, GDAL_OF_VECTOR);
  std::vector<ExtraLayer> layers;
  for (auto* layer : ds->GetLayers()) {
    const std::string crs = crsText(layer->GetSpatialRef());
    if (crs.empty())
      throw InputError(path, std::string("layer '") + layer->GetName() + "'",
                       "the layer has no coordinate reference system",
                       "assign one in QGIS (Layer > Set CRS) or with ogr2ogr -a_srs EPSG:xxxx");
    CrsTransform ct(crs, frame.crs);
    ExtraLayer out;
    out.name = layer->GetName();
    out.source = path;
    out.fields = ogr::fieldsFromOgr(*layer->GetLayerDefn());
    std::size_t skipped = 0;
    layer->ResetReading();
    for (auto& feature : *layer) {
      OGRGeometry* g = feature->GetGeometryRef();
      if (!g || g->IsEmpty()) {
        ++skipped;
        continue;
      }
      // Read in the layer's own CRS, then move every vertex into the frame with PROJ.
      Feature f;
      const LocalFrame source_frame{crs, {}};
      if (!ogr::geometryFromOgr(*g, source_frame, f.geometry)) {
        ++skipped;
        continue;
      }
      for (auto& part : f.geometry.parts)
        for (auto& ring : part)
          for (auto& v : ring) {
            double x = v.x, y = v.y, z = v.z;
            if (!ct.apply(x, y, z))
              throw InputError(
                  path, "layer '" + out.name + "', feature " + std::to_string(feature->GetFID()),
                  "a coordinate cannot be transformed from " + crs + " to " + frame.crs,
                  "check the layer's CRS");
            const Vec2 local = frame.toLocal(x, y);
            v = {local.x, local.y, z};
          }
      f.values = ogr::valuesFromOgr(*feature, out.fields);
      out.features.push_back(std::move(f));
    }
    if (skipped > 0)
      warnings.push_back(path + ": layer '" + out.name + "': " + std::to_string(skipped) +
                         " feature(s) without a usable geometry skipped");
    layers.push_back(std::move(out));
  }
  return layers;
}

Terrain readTerrain(const std::string& path, const LocalFrame& frame) {
  auto ds = open(path, GDAL_OF_RASTER);
  const std::string crs = crsText(ds->GetSpatialRef());
  if (crs.empty())
    throw InputError(path, "", "the raster has no coordinate reference system",
                     "assign one with gdal_edit.py -a_srs EPSG:xxxx");
  OGRSpatialReference dst;
  dst.SetFromUserInput(frame.crs.c_str());
  OGRSpatialReference src(*ds->GetSpatialRef());
  if (src.IsCompound()) src.StripVertical();
  GDALDataset* source = ds.get();
  DatasetPtr warped;
  if (!src.IsSame(&dst)) {
    char* src_wkt = nullptr;
    char* dst_wkt = nullptr;
    src.exportToWkt(&src_wkt);
    dst.exportToWkt(&dst_wkt);
    warped.reset(GDALDataset::FromHandle(
        GDALAutoCreateWarpedVRT(ds.get(), src_wkt, dst_wkt, GRA_Bilinear, 0.125, nullptr)));
    CPLFree(src_wkt);
    CPLFree(dst_wkt);
    if (!warped)
      throw InputError(path, "", "cannot reproject the raster to " + frame.crs, "check its CRS");
    source = warped.get();
  }
  double gt[6];
  source->GetGeoTransform(gt);
  if (gt[2] != 0.0 || gt[4] != 0.0 || gt[5] >= 0.0)
    throw InputError(path, "", "the raster is rotated or not north-up",
                     "warp it with gdalwarp first");
  Terrain t;
  t.width = source->GetRasterXSize();
  t.height = source->GetRasterYSize();
  if (static_cast<double>(t.width) * t.height > 400e6)
    throw InputError(path, "", "the raster is larger than 400 million cells",
                     "clip it to the city with gdal_translate -projwin");
  const Vec2 nw = frame.toLocal(gt[0], gt[3]);
  t.min_x = nw.x;
  t.max_y = nw.y;
  t.pixel_size_x = gt[1];
  t.pixel_size_y = -gt[5];
  t.z.resize(static_cast<std::size_t>(t.width) * static_cast<std::size_t>(t.height));
  GDALRasterBand* band = source->GetRasterBand(1);
  if (band->RasterIO(GF_Read, 0, 0, t.width, t.height, t.z.data(), t.width, t.height, GDT_Float32,
                     0, 0) != CE_None)
    throw InputError(path, "", std::string("cannot read the raster: ") + CPLGetLastErrorMsg(),
                     "the file may be truncated; re-download it");
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  if (has_nodata) t.nodata = static_cast<float>(nodata);
  t.source = path;
  return t;
}

}  // namespace citytwin::geodata
