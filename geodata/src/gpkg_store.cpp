#include "citytwin/geodata/gpkg_store.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "citytwin/geodata/error.hpp"
#include "citytwin/version.hpp"
#include "gdal_reader.hpp"
#include "ogr_convert.hpp"

namespace citytwin::geodata {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// ---------------------------------------------------------------- writing

class Writer {
 public:
  Writer(GDALDataset& ds, const CityModel& m, const fs::path& gpkg_dir)
      : ds_(ds), m_(m), dir_(gpkg_dir) {
    srs_.SetFromUserInput(m.frame.crs.c_str());
    srs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }

  void all() {
    meta();
    nodes();
    links();
    turnRestrictions();
    walkable();
    buildings();
    cityObjects();
    for (const auto& l : m_.layers) extraLayer(l);
  }

 private:
  OGRLayer* layer(const char* name, OGRwkbGeometryType type,
                  std::initializer_list<std::pair<const char*, OGRFieldType>> fields) {
    char** opts = nullptr;
    opts = CSLSetNameValue(opts, "FID", "fid");
    OGRLayer* l = ds_.CreateLayer(name, type == wkbNone ? nullptr : &srs_, type, opts);
    CSLDestroy(opts);
    if (!l) fail(std::string("cannot create layer ") + name);
    for (const auto& [fname, ftype] : fields) {
      OGRFieldDefn fd(fname, ftype);
      if (l->CreateField(&fd) != OGRERR_NONE) fail(std::string("cannot create field ") + fname);
    }
    return l;
  }

  void add(OGRLayer* l, OGRFeature& f) {
    if (l->CreateFeature(&f) != OGRERR_NONE)
      fail(std::string("cannot write to layer ") + l->GetName());
  }

  [[noreturn]] static void fail(const std::string& what) {
    throw InputError("GeoPackage", "", what + ": " + CPLGetLastErrorMsg(),
                     "check free disk space and permissions");
  }

  void meta() {
    OGRLayer* l = layer("citytwin_meta", wkbNone, {{"key", OFTString}, {"value", OFTString}});
    json sources = json::array();
    for (const auto& s : m_.sources)
      sources.push_back({{"path", s.path}, {"kind", s.kind}, {"crs", s.crs}, {"sha256", s.sha256}});
    json layers = json::array();
    for (const auto& x : m_.layers) layers.push_back({{"name", x.name}, {"source", x.source}});
    const std::pair<std::string, std::string> rows[] = {
        {"format_version", std::to_string(kGpkgFormatVersion)},
        {"citytwin_version", std::string(kVersion) + " (" + kGitCommit + ")"},
        {"frame_crs", m_.frame.crs},
        {"frame_origin",
         json::array({m_.frame.origin.x, m_.frame.origin.y, m_.frame.origin.z}).dump()},
        {"bounds",
         json::array({m_.bounds.min_x, m_.bounds.min_y, m_.bounds.max_x, m_.bounds.max_y}).dump()},
        {"sources", sources.dump()},
        {"warnings", json(m_.warnings).dump()},
        {"extra_layers", layers.dump()},
        {"terrain_source", m_.terrain ? m_.terrain->source : ""},
    };
    for (const auto& [k, v] : rows) {
      OGRFeature f(l->GetLayerDefn());
      f.SetField("key", k.c_str());
      f.SetField("value", v.c_str());
      add(l, f);
    }
  }

  void nodes() {
    OGRLayer* l = layer(
        "nodes", wkbPoint,
        {{"osm_id", OFTInteger64}, {"traffic_signals", OFTInteger}, {"boundary", OFTInteger}});
    for (const auto& n : m_.nodes) {
      OGRFeature f(l->GetLayerDefn());
      const Vec2 p = m_.frame.toProjected(n.position);
      f.SetGeometryDirectly(new OGRPoint(p.x, p.y));
      f.SetField("osm_id", static_cast<GIntBig>(n.osm_id));
      f.SetField("traffic_signals", n.traffic_signals ? 1 : 0);
      f.SetField("boundary", n.boundary ? 1 : 0);
      add(l, f);
    }
  }

  void links() {
    OGRLayer* l = layer("links", wkbLineString,
                        {{"from_node", OFTInteger64},
                         {"to_node", OFTInteger64},
                         {"osm_way_id", OFTInteger64},
                         {"modes", OFTInteger},
                         {"car", OFTInteger},
                         {"bike", OFTInteger},
                         {"foot", OFTInteger},
                         {"bus", OFTInteger},
                         {"lanes", OFTInteger},
                         {"speed_limit_mps", OFTReal},
                         {"speed_limit_tagged", OFTInteger},
                         {"boundary", OFTInteger},
                         {"highway", OFTString},
                         {"name", OFTString},
                         {"length_m", OFTReal}});
    for (const auto& k : m_.links) {
      OGRFeature f(l->GetLayerDefn());
      f.SetGeometryDirectly(ogr::toOgr(k.geometry, m_.frame).release());
      // Node ids in the layer are the nodes layer's fids (1-based), so QGIS joins work.
      f.SetField("from_node", static_cast<GIntBig>(k.from) + 1);
      f.SetField("to_node", static_cast<GIntBig>(k.to) + 1);
      f.SetField("osm_way_id", static_cast<GIntBig>(k.osm_way_id));
      f.SetField("modes", k.modes);
      f.SetField("car", allows(k.modes, Mode::kCar) ? 1 : 0);
      f.SetField("bike", allows(k.modes, Mode::kBike) ? 1 : 0);
      f.SetField("foot", allows(k.modes, Mode::kFoot) ? 1 : 0);
      f.SetField("bus", allows(k.modes, Mode::kBus) ? 1 : 0);
      f.SetField("lanes", k.lanes);
      f.SetField("speed_limit_mps", static_cast<double>(k.speed_limit_mps));
      f.SetField("speed_limit_tagged", k.speed_limit_tagged ? 1 : 0);
      f.SetField("boundary", k.boundary ? 1 : 0);
      f.SetField("highway", k.highway.c_str());
      f.SetField("name", k.name.c_str());
      f.SetField("length_m", k.length_m);
      add(l, f);
    }
  }

  void turnRestrictions() {
    OGRLayer* l = layer("turn_restrictions", wkbNone,
                        {{"from_link", OFTInteger64},
                         {"via_node", OFTInteger64},
                         {"to_link", OFTInteger64},
                         {"only", OFTInteger},
                         {"kind", OFTString},
                         {"osm_relation_id", OFTInteger64}});
    for (const auto& t : m_.turn_restrictions) {
      OGRFeature f(l->GetLayerDefn());
      f.SetField("from_link", static_cast<GIntBig>(t.from_link) + 1);
      f.SetField("via_node", static_cast<GIntBig>(t.via_node) + 1);
      f.SetField("to_link", static_cast<GIntBig>(t.to_link) + 1);
      f.SetField("only", t.only ? 1 : 0);
      f.SetField("kind", t.kind.c_str());
      f.SetField("osm_relation_id", static_cast<GIntBig>(t.osm_relation_id));
      add(l, f);
    }
  }

  void walkable() {
    OGRLayer* l = layer("walkable", wkbPolygon, {{"area_m2", OFTReal}});
    for (const auto& p : m_.walkable) {
      OGRFeature f(l->GetLayerDefn());
      f.SetGeometryDirectly(ogr::toOgr(p, m_.frame).release());
      f.SetField("area_m2", area(p));
      add(l, f);
    }
  }

  void buildings() {
    OGRLayer* l = layer("buildings", wkbMultiPolygon,
                        {{"building_id", OFTString},
                         {"source", OFTString},
                         {"height_m", OFTReal},
                         {"ground_z", OFTReal},
                         {"lod", OFTString},
                         {"height_source", OFTString}});
    for (const auto& b : m_.buildings) {
      OGRFeature f(l->GetLayerDefn());
      f.SetGeometryDirectly(ogr::toOgr(b.footprint, m_.frame).release());
      f.SetField("building_id", b.id.c_str());
      f.SetField("source", b.source == BuildingSource::kOsm ? "osm" : "cityjson");
      f.SetField("height_m", b.height_m);
      f.SetField("ground_z", b.ground_z);
      f.SetField("lod", b.lod.c_str());
      f.SetField("height_source", b.height_source.c_str());
      add(l, f);
    }
  }

  void cityObjects() {
    OGRLayer* objects = layer("city_objects", wkbNone,
                              {{"object_id", OFTString},
                               {"type", OFTString},
                               {"parents", OFTString},
                               {"lod", OFTString},
                               {"attributes", OFTString},
                               {"surface_count", OFTInteger}});
    OGRLayer* surfaces = layer("city_surfaces", wkbPolygon25D,
                               {{"object_id", OFTString},
                                {"semantic", OFTString},
                                {"texture", OFTString},
                                {"uv", OFTString}});
    for (const auto& o : m_.city_objects) {
      OGRFeature f(objects->GetLayerDefn());
      f.SetField("object_id", o.id.c_str());
      f.SetField("type", o.type.c_str());
      f.SetField("parents", json(o.parents).dump().c_str());
      f.SetField("lod", o.lod.c_str());
      f.SetField("attributes", o.attributes_json.c_str());
      f.SetField("surface_count", static_cast<int>(o.surfaces.size()));
      add(objects, f);
      for (const auto& s : o.surfaces) {
        OGRFeature sf(surfaces->GetLayerDefn());
        sf.SetGeometryDirectly(ogr::toOgr(s.rings, m_.frame).release());
        sf.SetField("object_id", o.id.c_str());
        sf.SetField("semantic", s.semantic.c_str());
        // Textures are stored relative to the GeoPackage, so the folder can move as a whole.
        const std::string tex =
            s.texture.empty() ? "" : fs::path(s.texture).lexically_relative(dir_).string();
        sf.SetField("texture", tex.c_str());
        sf.SetField("uv", s.uv.empty() ? "" : json(s.uv).dump().c_str());
        add(surfaces, sf);
      }
    }
  }

  void extraLayer(const ExtraLayer& x) {
    OGRwkbGeometryType type = wkbUnknown;
    if (!x.features.empty()) {
      static const OGRwkbGeometryType kTypes[] = {
          wkbPoint, wkbLineString, wkbPolygon, wkbMultiPoint, wkbMultiLineString, wkbMultiPolygon};
      const auto& g0 = x.features.front().geometry;
      const bool same = std::all_of(x.features.begin(), x.features.end(), [&](const Feature& f) {
        return f.geometry.kind == g0.kind && f.geometry.has_z == g0.has_z;
      });
      if (same) type = OGR_GT_SetModifier(kTypes[static_cast<int>(g0.kind)], g0.has_z, FALSE);
    }
    char** opts = CSLSetNameValue(nullptr, "FID", "fid");
    OGRLayer* l = ds_.CreateLayer(x.name.c_str(), &srs_, type, opts);
    CSLDestroy(opts);
    if (!l) fail("cannot create layer " + x.name);
    for (const auto& fd : x.fields) {
      const OGRFieldType t = fd.type == FieldType::kInteger ? OFTInteger64
                             : fd.type == FieldType::kReal  ? OFTReal
                                                            : OFTString;
      OGRFieldDefn def(fd.name.c_str(), t);
      if (l->CreateField(&def) != OGRERR_NONE) fail("cannot create field " + fd.name);
    }
    for (const auto& feat : x.features) {
      OGRFeature f(l->GetLayerDefn());
      f.SetGeometryDirectly(ogr::toOgr(feat.geometry, m_.frame).release());
      for (std::size_t i = 0; i < feat.values.size(); ++i) {
        const int idx = static_cast<int>(i);
        std::visit(
            [&](const auto& v) {
              using T = std::decay_t<decltype(v)>;
              if constexpr (std::is_same_v<T, std::monostate>)
                f.SetFieldNull(idx);
              else if constexpr (std::is_same_v<T, std::int64_t>)
                f.SetField(idx, static_cast<GIntBig>(v));
              else if constexpr (std::is_same_v<T, double>)
                f.SetField(idx, v);
              else
                f.SetField(idx, v.c_str());
            },
            feat.values[i]);
      }
      add(l, f);
    }
  }

  GDALDataset& ds_;
  const CityModel& m_;
  fs::path dir_;
  OGRSpatialReference srs_;
};

void writeTerrain(const std::string& path, const CityModel& m) {
  const Terrain& t = *m.terrain;
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  DatasetPtr src(mem->Create("", t.width, t.height, 1, GDT_Float32, nullptr));
  const Vec2 nw = m.frame.toProjected({t.min_x, t.max_y});
  double gt[6] = {nw.x, t.pixel_size_x, 0.0, nw.y, 0.0, -t.pixel_size_y};
  src->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.SetFromUserInput(m.frame.crs.c_str());
  src->SetSpatialRef(&srs);
  GDALRasterBand* band = src->GetRasterBand(1);
  if (t.nodata) band->SetNoDataValue(*t.nodata);
  if (band->RasterIO(GF_Write, 0, 0, t.width, t.height, const_cast<float*>(t.z.data()), t.width,
                     t.height, GDT_Float32, 0, 0) != CE_None)
    throw InputError(path, "terrain", "cannot stage the terrain raster", "");
  char** opts = nullptr;
  opts = CSLSetNameValue(opts, "APPEND_SUBDATASET", "YES");
  opts = CSLSetNameValue(opts, "RASTER_TABLE", "terrain");
  opts = CSLSetNameValue(opts, "TILE_FORMAT", "TIFF");
  GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
  DatasetPtr out(gpkg->CreateCopy(path.c_str(), src.get(), FALSE, opts, nullptr, nullptr));
  CSLDestroy(opts);
  if (!out)
    throw InputError(path, "terrain",
                     std::string("cannot write the terrain raster: ") + CPLGetLastErrorMsg(), "");
}

// ---------------------------------------------------------------- reading

class Reader {
 public:
  Reader(GDALDataset& ds, std::string path) : ds_(ds), path_(std::move(path)) {
    dir_ = fs::absolute(path_).parent_path();
  }

  CityModel all() {
    CityModel m;
    meta(m);
    for (auto& f : features("nodes")) {
      const OGRPoint* p = f->GetGeometryRef()->toPoint();
      m.nodes.push_back({f->GetFieldAsInteger64("osm_id"), m.frame.toLocal(p->getX(), p->getY()),
                         f->GetFieldAsInteger("traffic_signals") != 0,
                         f->GetFieldAsInteger("boundary") != 0});
    }
    for (auto& f : features("links")) {
      Link k;
      k.from = nodeIndex(f->GetFieldAsInteger64("from_node"), m, "links", *f);
      k.to = nodeIndex(f->GetFieldAsInteger64("to_node"), m, "links", *f);
      k.osm_way_id = f->GetFieldAsInteger64("osm_way_id");
      k.modes = static_cast<ModeMask>(f->GetFieldAsInteger("modes"));
      k.lanes = static_cast<std::uint8_t>(f->GetFieldAsInteger("lanes"));
      k.speed_limit_mps = static_cast<float>(f->GetFieldAsDouble("speed_limit_mps"));
      k.speed_limit_tagged = f->GetFieldAsInteger("speed_limit_tagged") != 0;
      k.boundary = f->GetFieldAsInteger("boundary") != 0;
      k.highway = f->GetFieldAsString("highway");
      k.name = f->GetFieldAsString("name");
      k.length_m = f->GetFieldAsDouble("length_m");
      k.geometry = ogr::lineFromOgr(*geometry(*f, "links")->toLineString(), m.frame);
      m.links.push_back(std::move(k));
    }
    for (auto& f : features("turn_restrictions")) {
      TurnRestriction t;
      t.from_link = static_cast<LinkIndex>(f->GetFieldAsInteger64("from_link") - 1);
      t.via_node = static_cast<NodeIndex>(f->GetFieldAsInteger64("via_node") - 1);
      t.to_link = static_cast<LinkIndex>(f->GetFieldAsInteger64("to_link") - 1);
      t.only = f->GetFieldAsInteger("only") != 0;
      t.kind = f->GetFieldAsString("kind");
      t.osm_relation_id = f->GetFieldAsInteger64("osm_relation_id");
      m.turn_restrictions.push_back(std::move(t));
    }
    for (auto& f : features("walkable"))
      m.walkable.push_back(ogr::polygonFromOgr(*geometry(*f, "walkable")->toPolygon(), m.frame));
    for (auto& f : features("buildings")) {
      Building b;
      b.id = f->GetFieldAsString("building_id");
      b.source = std::string(f->GetFieldAsString("source")) == "osm" ? BuildingSource::kOsm
                                                                     : BuildingSource::kCityJson;
      b.footprint = ogr::multiPolygonFromOgr(*geometry(*f, "buildings"), m.frame);
      b.height_m = f->GetFieldAsDouble("height_m");
      b.ground_z = f->GetFieldAsDouble("ground_z");
      b.lod = f->GetFieldAsString("lod");
      b.height_source = f->GetFieldAsString("height_source");
      m.buildings.push_back(std::move(b));
    }
    cityObjects(m);
    extraLayers(m);
    terrain(m);
    return m;
  }

 private:
  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InputError(path_, where, what, "re-create the file with 'citytwin import'");
  }

  OGRLayer& requireLayer(const char* name) {
    OGRLayer* l = ds_.GetLayerByName(name);
    if (!l) fail(std::string("layer '") + name + "'", "missing: this is not a CityTwin city model");
    return *l;
  }

  std::vector<OGRFeatureUniquePtr> features(const char* name) {
    OGRLayer& l = requireLayer(name);
    l.ResetReading();
    std::vector<OGRFeatureUniquePtr> out;
    for (OGRFeature* f; (f = l.GetNextFeature()) != nullptr;) out.emplace_back(f);
    return out;
  }

  OGRGeometry* geometry(OGRFeature& f, const char* layer) {
    OGRGeometry* g = f.GetGeometryRef();
    if (!g)
      fail(std::string("layer '") + layer + "', feature " + std::to_string(f.GetFID()),
           "has no geometry");
    return g;
  }

  NodeIndex nodeIndex(GIntBig fid, const CityModel& m, const char* layer, OGRFeature& f) {
    if (fid < 1 || static_cast<std::size_t>(fid) > m.nodes.size())
      fail(std::string("layer '") + layer + "', feature " + std::to_string(f.GetFID()),
           "refers to node " + std::to_string(fid) + ", which does not exist");
    return static_cast<NodeIndex>(fid - 1);
  }

  void meta(CityModel& m) {
    std::map<std::string, std::string> kv;
    for (auto& f : features("citytwin_meta"))
      kv[f->GetFieldAsString("key")] = f->GetFieldAsString("value");
    try {
      if (kv["format_version"] != std::to_string(kGpkgFormatVersion))
        fail("citytwin_meta", "format version '" + kv["format_version"] + "' is not " +
                                  std::to_string(kGpkgFormatVersion));
      m.frame.crs = kv.at("frame_crs");
      const json o = json::parse(kv.at("frame_origin"));
      m.frame.origin = {o.at(0).get<double>(), o.at(1).get<double>(), o.at(2).get<double>()};
      const json b = json::parse(kv.at("bounds"));
      m.bounds = {b.at(0).get<double>(), b.at(1).get<double>(), b.at(2).get<double>(),
                  b.at(3).get<double>()};
      for (const auto& s : json::parse(kv.at("sources")))
        m.sources.push_back({s.at("path"), s.at("kind"), s.at("crs"), s.at("sha256")});
      m.warnings = json::parse(kv.at("warnings")).get<std::vector<std::string>>();
      for (const auto& x : json::parse(kv.at("extra_layers")))
        extra_.push_back({x.at("name").get<std::string>(), x.at("source").get<std::string>()});
      terrain_source_ = kv["terrain_source"];
    } catch (const std::out_of_range& e) {
      fail("citytwin_meta", std::string("missing entry: ") + e.what());
    } catch (const json::exception& e) {
      fail("citytwin_meta", std::string("damaged entry: ") + e.what());
    }
  }

  void cityObjects(CityModel& m) {
    std::map<std::string, std::size_t> index;
    for (auto& f : features("city_objects")) {
      CityObject o;
      o.id = f->GetFieldAsString("object_id");
      o.type = f->GetFieldAsString("type");
      o.parents = json::parse(f->GetFieldAsString("parents")).get<std::vector<std::string>>();
      o.lod = f->GetFieldAsString("lod");
      o.attributes_json = f->GetFieldAsString("attributes");
      index[o.id] = m.city_objects.size();
      m.city_objects.push_back(std::move(o));
    }
    for (auto& f : features("city_surfaces")) {
      const std::string id = f->GetFieldAsString("object_id");
      auto it = index.find(id);
      if (it == index.end())
        fail("layer 'city_surfaces', feature " + std::to_string(f->GetFID()),
             "unknown object '" + id + "'");
      Surface s;
      s.rings = ogr::polygon3FromOgr(*geometry(*f, "city_surfaces")->toPolygon(), m.frame);
      s.semantic = f->GetFieldAsString("semantic");
      const std::string tex = f->GetFieldAsString("texture");
      if (!tex.empty()) s.texture = (dir_ / tex).lexically_normal().string();
      const std::string uv = f->GetFieldAsString("uv");
      if (!uv.empty())
        s.uv = json::parse(uv).get<std::vector<std::vector<std::array<double, 2>>>>();
      m.city_objects[it->second].surfaces.push_back(std::move(s));
    }
  }

  void extraLayers(CityModel& m) {
    for (const auto& [name, source] : extra_) {
      OGRLayer& l = requireLayer(name.c_str());
      ExtraLayer x;
      x.name = name;
      x.source = source;
      x.fields = ogr::fieldsFromOgr(*l.GetLayerDefn());
      for (auto& f : features(name.c_str())) {
        Feature feat;
        if (!ogr::geometryFromOgr(*geometry(*f, name.c_str()), m.frame, feat.geometry))
          fail("layer '" + name + "', feature " + std::to_string(f->GetFID()),
               "unsupported geometry type");
        feat.values = ogr::valuesFromOgr(*f, x.fields);
        x.features.push_back(std::move(feat));
      }
      m.layers.push_back(std::move(x));
    }
  }

  void terrain(CityModel& m) {
    if (terrain_source_.empty()) return;
    const std::string name = "GPKG:" + path_ + ":terrain";
    DatasetPtr r(GDALDataset::Open(name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr,
                                   nullptr, nullptr));
    if (!r) fail("raster 'terrain'", "missing or unreadable");
    Terrain t;
    double gt[6];
    r->GetGeoTransform(gt);
    t.width = r->GetRasterXSize();
    t.height = r->GetRasterYSize();
    const Vec2 nw = m.frame.toLocal(gt[0], gt[3]);
    t.min_x = nw.x;
    t.max_y = nw.y;
    t.pixel_size_x = gt[1];
    t.pixel_size_y = -gt[5];
    t.z.resize(static_cast<std::size_t>(t.width) * static_cast<std::size_t>(t.height));
    GDALRasterBand* band = r->GetRasterBand(1);
    if (band->RasterIO(GF_Read, 0, 0, t.width, t.height, t.z.data(), t.width, t.height, GDT_Float32,
                       0, 0) != CE_None)
      fail("raster 'terrain'", "cannot be read");
    int has = 0;
    const double nd = band->GetNoDataValue(&has);
    if (has) t.nodata = static_cast<float>(nd);
    t.source = terrain_source_;
    m.terrain = std::move(t);
  }

  GDALDataset& ds_;
  std::string path_;
  fs::path dir_;
  std::vector<std::pair<std::string, std::string>> extra_;
  std::string terrain_source_;
};

}  // namespace

void saveGeoPackage(const CityModel& model, const std::string& path, bool overwrite) {
  ensureGdal();
  const fs::path target = fs::absolute(path);
  std::error_code ec;
  if (fs::exists(target, ec) && !overwrite)
    throw InputError(path, "", "already exists; it is left as it is",
                     "choose another --out, or pass --force to replace it");
  if (!target.parent_path().empty() && !fs::exists(target.parent_path(), ec))
    throw InputError(path, "", "its folder does not exist", "create the folder first");
  // Write beside the target, then rename: readers never see a half-written model.
  const fs::path tmp = target.string() + ".tmp-" + std::to_string(::getpid());
  fs::remove(tmp, ec);
  try {
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    {
      DatasetPtr ds(drv->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
      if (!ds)
        throw InputError(path, "", std::string("cannot create: ") + CPLGetLastErrorMsg(),
                         "check that the folder is writable");
      if (ds->StartTransaction() != OGRERR_NONE)
        throw InputError(path, "", "cannot start a transaction", "");
      Writer(*ds, model, target.parent_path()).all();
      if (ds->CommitTransaction() != OGRERR_NONE)
        throw InputError(path, "", std::string("cannot commit: ") + CPLGetLastErrorMsg(),
                         "check free disk space");
    }
    if (model.terrain) writeTerrain(tmp.string(), model);
    fs::rename(tmp, target);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

CityModel loadGeoPackage(const std::string& path) {
  ensureGdal();
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw InputError(path, "", "file not found",
                     "check the path, or create it with 'citytwin import'");
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                                  nullptr));
  if (!ds || std::string(ds->GetDriverName()) != "GPKG")
    throw InputError(path, "", "not a GeoPackage (or damaged)",
                     "create it with 'citytwin import ... --out city.gpkg'");
  try {
    return Reader(*ds, path).all();
  } catch (const json::exception& e) {
    throw InputError(path, "", std::string("damaged JSON field: ") + e.what(),
                     "re-create the file with 'citytwin import'");
  }
}

}  // namespace citytwin::geodata
