#include "citytwin/geodata/import.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "cityjson_reader.hpp"
#include "citytwin/geodata/error.hpp"
#include "file_hash.hpp"
#include "gdal_reader.hpp"
#include "osm_reader.hpp"
#include "walkable.hpp"

namespace citytwin::geodata {
namespace {
namespace fs = std::filesystem;

bool endsWith(const std::string& s, std::initializer_list<const char*> suffixes) {
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return std::any_of(suffixes.begin(), suffixes.end(),
                     [&](const char* x) { return lower.ends_with(x); });
}

// CityJSON puts "type": "CityJSON" anywhere in its top object: look at both ends of the file.
bool jsonLooksLikeCityJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  auto chunk = [&](std::streamoff offset, std::ios::seekdir dir) {
    in.clear();
    in.seekg(offset, dir);
    std::string s(8192, '\0');
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
  };
  const std::string head = chunk(0, std::ios::beg);
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::streamoff>(in.tellg());
  const std::string tail = chunk(std::max<std::streamoff>(0, size - 8192), std::ios::beg);
  for (const auto* s : {&head, &tail})
    if (s->find("\"CityJSON\"") != std::string::npos ||
        s->find("\"CityObjects\"") != std::string::npos)
      return true;
  return false;
}

Vec2 centroid(const Ring2& ring) {
  double a = 0, cx = 0, cy = 0;
  const Vec2 o = ring.empty() ? Vec2{} : ring[0];
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Vec2 p{ring[i].x - o.x, ring[i].y - o.y};
    const Vec2 q{ring[(i + 1) % ring.size()].x - o.x, ring[(i + 1) % ring.size()].y - o.y};
    const double c = p.x * q.y - q.x * p.y;
    a += c;
    cx += (p.x + q.x) * c;
    cy += (p.y + q.y) * c;
  }
  if (std::abs(a) < 1e-12) return o;
  return {o.x + cx / (3 * a), o.y + cy / (3 * a)};
}

// OSM buildings that a CityJSON building covers (either centroid inside the other) give way.
std::size_t replaceOverlappedOsmBuildings(std::vector<Building>& buildings) {
  std::vector<const Building*> cj;
  std::vector<Box2> cj_box;
  for (const auto& b : buildings)
    if (b.source == BuildingSource::kCityJson)
      cj.push_back(&b), cj_box.push_back(bounds(b.footprint));
  if (cj.empty()) return 0;
  auto overlapped = [&](const Building& osm) {
    if (osm.source != BuildingSource::kOsm || osm.footprint.empty()) return false;
    const Box2 ob = bounds(osm.footprint);
    const Vec2 oc = centroid(osm.footprint[0][0]);
    for (std::size_t i = 0; i < cj.size(); ++i) {
      const Box2& cb = cj_box[i];
      if (cb.max_x < ob.min_x || cb.min_x > ob.max_x || cb.max_y < ob.min_y || cb.min_y > ob.max_y)
        continue;
      for (const auto& poly : cj[i]->footprint) {
        if (contains(poly, oc)) return true;
        if (!poly.empty() && !poly[0].empty() && contains(osm.footprint[0], centroid(poly[0])))
          return true;
      }
    }
    return false;
  };
  const auto before = buildings.size();
  std::erase_if(buildings, overlapped);
  return before - buildings.size();
}

// Makes every local coordinate the exact image of its projected value, so a saved model
// reloads bit-identical (see LocalFrame).
struct Canonicaliser {
  const LocalFrame& f;
  void operator()(Vec2& p) const { p = f.toLocal(p.x + f.origin.x, p.y + f.origin.y); }
  void operator()(Vec3& v) const {
    Vec2 p{v.x, v.y};
    (*this)(p);
    v.x = p.x;
    v.y = p.y;
  }
  template <typename T>
  void operator()(std::vector<T>& xs) const {
    for (auto& x : xs) (*this)(x);
  }
};

void canonicalise(CityModel& m) {
  const Canonicaliser c{m.frame};
  for (auto& n : m.nodes) c(n.position);
  for (auto& l : m.links) c(l.geometry);
  c(m.walkable);
  for (auto& b : m.buildings) c(b.footprint);
  for (auto& o : m.city_objects)
    for (auto& s : o.surfaces) c(s.rings);
  for (auto& layer : m.layers)
    for (auto& f : layer.features) c(f.geometry.parts);
  if (m.terrain) {
    Vec2 nw{m.terrain->min_x, m.terrain->max_y};
    c(nw);
    m.terrain->min_x = nw.x;
    m.terrain->max_y = nw.y;
  }
}

void requireProjected(const std::string& crs) {
  if (!isKnownCrs(crs))
    throw InputError(crs, "--crs", "unknown coordinate reference system",
                     "give a projected CRS in metres, e.g. EPSG:28992 or EPSG:32631");
  OGRSpatialReference srs;
  srs.SetFromUserInput(crs.c_str());
  if (!srs.IsProjected())
    throw InputError(crs, "--crs", "the frame CRS must be projected (metres), not geographic",
                     "give a projected CRS, e.g. EPSG:28992 (Netherlands) or a UTM zone");
}

}  // namespace

InputKind detectInputKind(const std::string& path) {
  if (endsWith(path, {".osm", ".osm.gz", ".osm.bz2", ".osm.pbf", ".pbf", ".osc"}))
    return InputKind::kOsm;
  if (endsWith(path, {".city.jsonl", ".jsonl"})) return InputKind::kCityJsonSeq;
  if (endsWith(path, {".tif", ".tiff", ".asc", ".vrt"})) return InputKind::kRaster;
  if (endsWith(path, {".city.json"})) return InputKind::kCityJson;
  if (endsWith(path, {".json"}) && jsonLooksLikeCityJson(path)) return InputKind::kCityJson;
  return InputKind::kVector;
}

CityModel importCity(const std::vector<std::string>& inputs, const ImportOptions& options) {
  if (inputs.empty())
    throw InputError("(no input)", "", "no input files given",
                     "name at least one .osm/.osm.pbf, CityJSON, vector or raster file");
  ensureGdal();
  auto progress = [&](const std::string& stage, double f) {
    if (options.progress) options.progress(stage, f);
  };

  struct Input {
    std::string path;
    InputKind kind;
    LonLatBox extent;
  };
  std::vector<Input> in;
  for (const auto& path : inputs) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw InputError(path, "", "file not found", "check the path");
    if (fs::is_directory(path, ec))
      throw InputError(path, "", "is a folder, not a file", "name the files inside it");
    const InputKind kind = detectInputKind(path);
    LonLatBox e{};
    switch (kind) {
      case InputKind::kOsm:
        e = osmExtent(path);
        break;
      case InputKind::kCityJson:
      case InputKind::kCityJsonSeq:
        e = cityJsonExtent(path);
        break;
      case InputKind::kVector:
        e = vectorExtent(path);
        break;
      case InputKind::kRaster:
        e = rasterExtent(path);
        break;
    }
    in.push_back({path, kind, e});
  }
  progress("choosing the frame", 0.02);

  // The frame: its CRS given or chosen from the inputs' centre; the origin is that centre
  // in whole metres.
  LonLatBox all;
  for (const auto& i : in) all.extend(i.extent);
  if (all.empty())
    throw InputError(inputs.front(), "", "the inputs hold no located features",
                     "check that the files are not empty and have a CRS");
  const double clon = (all.min_lon + all.max_lon) / 2, clat = (all.min_lat + all.max_lat) / 2;
  CityModel model;
  model.frame.crs =
      options.frame_crs.empty() ? chooseFrameCrs(clon, clat) : normaliseCrs(options.frame_crs);
  requireProjected(model.frame.crs);
  {
    CrsTransform to_frame("EPSG:4326", model.frame.crs);
    double x = clon, y = clat, z = 0;
    if (!to_frame.apply(x, y, z))
      throw InputError(model.frame.crs, "--crs", "the data's centre lies outside this CRS's area",
                       "leave --crs out to choose automatically");
    model.frame.origin = {std::round(x), std::round(y), 0.0};
  }

  WalkableInputs walkable;
  bool have_osm = false;
  std::size_t done = 0;
  for (const auto& i : in) {
    const double f0 = 0.05 + 0.6 * static_cast<double>(done++) / static_cast<double>(in.size());
    progress("reading " + fs::path(i.path).filename().string(), f0);
    std::string crs;
    switch (i.kind) {
      case InputKind::kOsm: {
        ImportOptions scaled = options;  // the reader's own stages, within this input's share
        const double f1 = 0.05 + 0.6 * static_cast<double>(done) / static_cast<double>(in.size());
        scaled.progress = [&, f0, f1](const std::string& stage, double f) {
          progress(stage, f0 + f * (f1 - f0));
        };
        OsmData osm = readOsm(i.path, model.frame, scaled);
        const auto node_offset = static_cast<NodeIndex>(model.nodes.size());
        const auto link_offset = static_cast<LinkIndex>(model.links.size());
        for (auto& l : osm.links) l.from += node_offset, l.to += node_offset;
        for (auto& t : osm.turn_restrictions)
          t.from_link += link_offset, t.to_link += link_offset, t.via_node += node_offset;
        std::move(osm.nodes.begin(), osm.nodes.end(), std::back_inserter(model.nodes));
        std::move(osm.links.begin(), osm.links.end(), std::back_inserter(model.links));
        std::move(osm.turn_restrictions.begin(), osm.turn_restrictions.end(),
                  std::back_inserter(model.turn_restrictions));
        std::move(osm.buildings.begin(), osm.buildings.end(), std::back_inserter(model.buildings));
        std::move(osm.warnings.begin(), osm.warnings.end(), std::back_inserter(model.warnings));
        auto& w = osm.walkable;
        std::move(w.areas.begin(), w.areas.end(), std::back_inserter(walkable.areas));
        std::move(w.strips.begin(), w.strips.end(), std::back_inserter(walkable.strips));
        std::move(w.sidewalks.begin(), w.sidewalks.end(), std::back_inserter(walkable.sidewalks));
        std::move(w.barriers.begin(), w.barriers.end(), std::back_inserter(walkable.barriers));
        model.bounds = have_osm ? Box2{std::min(model.bounds.min_x, osm.bounds.min_x),
                                       std::min(model.bounds.min_y, osm.bounds.min_y),
                                       std::max(model.bounds.max_x, osm.bounds.max_x),
                                       std::max(model.bounds.max_y, osm.bounds.max_y)}
                                : osm.bounds;
        have_osm = true;
        crs = "EPSG:4326";
        break;
      }
      case InputKind::kCityJson:
      case InputKind::kCityJsonSeq: {
        CityJsonData cj = readCityJson(i.path, model.frame);
        std::move(cj.objects.begin(), cj.objects.end(), std::back_inserter(model.city_objects));
        std::move(cj.buildings.begin(), cj.buildings.end(), std::back_inserter(model.buildings));
        std::move(cj.warnings.begin(), cj.warnings.end(), std::back_inserter(model.warnings));
        crs = cj.crs;
        break;
      }
      case InputKind::kVector: {
        auto layers = readVectorLayers(i.path, model.frame, model.warnings);
        for (auto& l : layers) {
          static const char* kReserved[] = {
              "nodes",        "links",         "walkable",      "buildings", "turn_restrictions",
              "city_objects", "city_surfaces", "citytwin_meta", "terrain"};
          const bool taken = std::any_of(std::begin(kReserved), std::end(kReserved),
                                         [&](const char* r) { return l.name == r; }) ||
                             std::any_of(model.layers.begin(), model.layers.end(),
                                         [&](const ExtraLayer& e) { return e.name == l.name; });
          if (taken) {
            const std::string renamed = l.name + "_" + std::to_string(model.layers.size() + 1);
            model.warnings.push_back(i.path + ": layer '" + l.name + "' renamed to '" + renamed +
                                     "' (name taken)");
            l.name = renamed;
          }
          model.layers.push_back(std::move(l));
        }
        crs = datasetCrs(i.path);
        break;
      }
      case InputKind::kRaster: {
        if (model.terrain)
          throw InputError(i.path, "", "a second terrain raster was given",
                           "merge the rasters first (gdalbuildvrt) and import the result");
        model.terrain = readTerrain(i.path, model.frame);
        crs = datasetCrs(i.path);
        break;
      }
    }
    static const char* kKindNames[] = {"osm", "cityjson", "cityjsonseq", "vector", "raster"};
    model.sources.push_back(
        {i.path, kKindNames[static_cast<int>(i.kind)], crs, sha256File(i.path)});
  }

  if (const auto replaced = replaceOverlappedOsmBuildings(model.buildings); replaced > 0)
    model.warnings.push_back(std::to_string(replaced) +
                             " OSM building(s) replaced by CityJSON buildings");
  std::erase_if(model.buildings, [](const Building& b) { return b.footprint.empty(); });

  if (have_osm) {
    progress("walkable space", 0.7);
    model.walkable = buildWalkable(walkable, model.buildings, model.bounds);
  } else {
    // No extract box: the bounds are the extent of the data.
    Box2 b{1e300, 1e300, -1e300, -1e300};
    auto grow = [&](double x, double y) {
      b = {std::min(b.min_x, x), std::min(b.min_y, y), std::max(b.max_x, x), std::max(b.max_y, y)};
    };
    for (const auto& bl : model.buildings)
      for (const auto& p : bl.footprint)
        for (const auto& r : p)
          for (const auto& v : r) grow(v.x, v.y);
    for (const auto& o : model.city_objects)
      for (const auto& s : o.surfaces)
        for (const auto& r : s.rings)
          for (const auto& v : r) grow(v.x, v.y);
    for (const auto& l : model.layers)
      for (const auto& f : l.features)
        for (const auto& part : f.geometry.parts)
          for (const auto& r : part)
            for (const auto& v : r) grow(v.x, v.y);
    if (model.terrain) {
      const auto& t = *model.terrain;
      grow(t.min_x, t.max_y);
      grow(t.min_x + t.width * t.pixel_size_x, t.max_y - t.height * t.pixel_size_y);
    }
    model.bounds = b.empty() ? Box2{} : b;
  }
  canonicalise(model);
  progress("done", 1.0);
  return model;
}

std::vector<ExtraLayer> readVectorFile(const std::string& path, const LocalFrame& frame) {
  if (!std::filesystem::exists(path))
    throw InputError(path, "", "file not found", "check the path; it is relative to the scenario");
  std::vector<std::string> warnings;
  return readVectorLayers(path, frame, warnings);
}

}  // namespace citytwin::geodata
