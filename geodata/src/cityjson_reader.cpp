#include "cityjson_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "citytwin/geodata/error.hpp"
#include "geos_util.hpp"

namespace citytwin::geodata {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kDamagedHint =
    "the file is damaged or not valid CityJSON: check it with a CityJSON validator (cjval)";

std::string readAll(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "", "file not found", "check the path");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open", "check the permissions");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t lineOf(const std::string& text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

json parseJson(const std::string& path, const std::string& text, std::size_t first_line = 1) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path, "line " + std::to_string(first_line - 1 + lineOf(text, e.byte)),
                     "JSON syntax error", kDamagedHint);
  }
}

bool looksLikeRd(double x, double y) {
  return x > -7000 && x < 300000 && y > 289000 && y < 629000;
}

// The documents of a file: one CityJSON object, or a CityJSONSeq header plus features.
struct Documents {
  json header;
  std::vector<json> features;  // CityJSONFeature objects (empty for plain CityJSON)
};

Documents readDocuments(const std::string& path) {
  const std::string text = readAll(path);
  Documents docs;
  const bool seq = path.ends_with(".jsonl") || path.ends_with(".city.jsonl");
  if (!seq) {
    docs.header = parseJson(path, text);
  } else {
    std::istringstream lines(text);
    std::string line;
    std::size_t n = 0;
    while (std::getline(lines, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json j = parseJson(path, line, n);
      if (docs.header.is_null())
        docs.header = std::move(j);
      else
        docs.features.push_back(std::move(j));
    }
  }
  if (!docs.header.is_object() || docs.header.value("type", "") != "CityJSON")
    throw InputError(path, "line 1", "not a CityJSON file (no \"type\": \"CityJSON\")",
                     kDamagedHint);
  return docs;
}

struct VertexDecoder {
  std::array<double, 3> scale{1, 1, 1};
  std::array<double, 3> translate{0, 0, 0};
  explicit VertexDecoder(const json& header) {
    if (auto t = header.find("transform"); t != header.end()) {
      for (int i = 0; i < 3; ++i) {
        scale[i] = t->at("scale").at(i).get<double>();
        translate[i] = t->at("translate").at(i).get<double>();
      }
    }
  }
  std::vector<Vec3> decode(const json& vertices) const {
    std::vector<Vec3> out;
    out.reserve(vertices.size());
    for (const auto& v : vertices)
      out.push_back({v.at(0).get<double>() * scale[0] + translate[0],
                     v.at(1).get<double>() * scale[1] + translate[1],
                     v.at(2).get<double>() * scale[2] + translate[2]});
    return out;
  }
};

std::string fileCrs(const std::string& path, const json& header, const std::vector<Vec3>& verts,
                    std::vector<std::string>* warnings) {
  std::string crs;
  if (auto md = header.find("metadata"); md != header.end() && md->is_object()) {
    if (auto rs = md->find("referenceSystem"); rs != md->end() && rs->is_string())
      crs = normaliseCrs(rs->get<std::string>());
  }
  if (crs.empty()) {
    const bool rd = !verts.empty() &&
                    std::all_of(verts.begin(),
                                verts.begin() + std::min<std::ptrdiff_t>(
                                                    100, static_cast<std::ptrdiff_t>(verts.size())),
                                [](const Vec3& v) { return looksLikeRd(v.x, v.y); });
    if (!rd)
      throw InputError(
          path, "metadata.referenceSystem", "the file names no CRS",
          "add \"referenceSystem\" to its metadata, or import with --crs-cityjson EPSG:xxxx");
    if (warnings)
      warnings->push_back(path +
                          ": no CRS in metadata; coordinates lie in the Dutch RD range, so "
                          "EPSG:7415 (RD New + NAP) is assumed");
    crs = "EPSG:7415";
  }
  if (!isKnownCrs(crs))
    throw InputError(path, "metadata.referenceSystem", "unknown CRS '" + crs + "'",
                     "use an EPSG code, e.g. https://www.opengis.net/def/crs/EPSG/0/7415");
  return crs;
}

double lodValue(const json& lod) {
  if (lod.is_number()) return lod.get<double>();
  if (lod.is_string()) {
    try {
      return std::stod(lod.get<std::string>());
    } catch (...) {
      return -1;
    }
  }
  return -1;
}

std::string lodText(const json& lod) {
  if (lod.is_string()) return lod.get<std::string>();
  if (lod.is_number_integer()) return std::to_string(lod.get<int>());
  if (lod.is_number()) {
    std::ostringstream s;
    s << lod.get<double>();
    return s.str();
  }
  return "";
}

// Walks one geometry's nested boundaries down to surfaces.
class SurfaceReader {
 public:
  SurfaceReader(const std::string& path, const std::string& object_id,
                const std::vector<Vec3>& verts, const json* texture_vertices,
                const std::vector<std::string>* textures)
      : path_(path),
        id_(object_id),
        verts_(verts),
        tex_verts_(texture_vertices),
        textures_(textures) {}

  void read(const json& geom, std::vector<Surface>& out) {
    const std::string type = geom.at("type").get<std::string>();
    const json& b = geom.at("boundaries");
    const json* sem_surfaces = nullptr;
    const json* sem_values = nullptr;
    if (auto s = geom.find("semantics"); s != geom.end() && s->is_object()) {
      sem_surfaces = &s->at("surfaces");
      sem_values = &s->at("values");
    }
    const json* tex_values = nullptr;
    if (auto t = geom.find("texture"); t != geom.end() && t->is_object() && !t->empty())
      tex_values = &t->begin()->at("values");  // the first theme
    int depth = 0;
    if (type == "MultiSurface" || type == "CompositeSurface")
      depth = 0;
    else if (type == "Solid")
      depth = 1;
    else if (type == "MultiSolid" || type == "CompositeSolid")
      depth = 2;
    else
      return;  // points, lines and templates carry no surfaces
    walk(b, sem_surfaces, sem_values, tex_values, depth, out);
  }

 private:
  void walk(const json& b, const json* sem_surfaces, const json* sem_values, const json* tex_values,
            int depth, std::vector<Surface>& out) {
    if (!b.is_array()) fail("boundaries are not nested arrays");
    if (depth > 0) {
      for (std::size_t i = 0; i < b.size(); ++i)
        walk(b[i], sem_surfaces, child(sem_values, i), child(tex_values, i), depth - 1, out);
      return;
    }
    for (std::size_t s = 0; s < b.size(); ++s) {
      Surface surf;
      const json& rings = b[s];
      if (!rings.is_array()) fail("a surface is not an array of rings");
      for (const auto& ring : rings) {
        if (!ring.is_array()) fail("a ring is not an array of vertex indices");
        Ring3 r;
        for (const auto& idx : ring) {
          if (!idx.is_number_integer() || idx.get<std::int64_t>() < 0 ||
              idx.get<std::uint64_t>() >= verts_.size())
            fail("vertex index " + idx.dump() + " is out of range (the file has " +
                 std::to_string(verts_.size()) + " vertices)");
          r.push_back(verts_[idx.get<std::size_t>()]);
        }
        surf.rings.push_back(std::move(r));
      }
      if (const json* v = child(sem_values, s); v && v->is_number_integer() && sem_surfaces) {
        const auto k = v->get<std::size_t>();
        if (k >= sem_surfaces->size()) fail("semantic index " + v->dump() + " is out of range");
        surf.semantic = sem_surfaces->at(k).value("type", "");
      }
      if (const json* t = child(tex_values, s); t && t->is_array()) readTexture(*t, surf);
      out.push_back(std::move(surf));
    }
  }

  void readTexture(const json& rings, Surface& surf) {
    if (!textures_ || !tex_verts_) return;
    for (const auto& ring : rings) {
      if (!ring.is_array() || ring.empty() || !ring[0].is_number_integer()) {
        surf.uv.emplace_back();
        continue;
      }
      const auto tex = ring[0].get<std::size_t>();
      if (tex >= textures_->size()) fail("texture index " + ring[0].dump() + " is out of range");
      surf.texture = (*textures_)[tex];
      std::vector<std::array<double, 2>> uv;
      for (std::size_t i = 1; i < ring.size(); ++i) {
        const auto k = ring[i].get<std::size_t>();
        if (k >= tex_verts_->size())
          fail("texture vertex index " + ring[i].dump() + " is out of range");
        uv.push_back({(*tex_verts_)[k].at(0).get<double>(), (*tex_verts_)[k].at(1).get<double>()});
      }
      surf.uv.push_back(std::move(uv));
    }
  }

  static const json* child(const json* j, std::size_t i) {
    if (!j || !j->is_array() || i >= j->size()) return nullptr;
    return &(*j)[i];
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(path_, "CityObject '" + id_ + "'", what, kDamagedHint);
  }

  const std::string& path_;
  const std::string& id_;
  const std::vector<Vec3>& verts_;
  const json* tex_verts_;
  const std::vector<std::string>* textures_;
};

// Footprint: ground surfaces, else the lowest horizontal faces, else all faces projected.
MultiPolygon2 footprintOf(const std::vector<const Surface*>& surfaces, double ground_z) {
  auto to2d = [](const Surface& s) {
    Polygon2 p;
    for (const auto& ring : s.rings) {
      Ring2 r;
      for (const auto& v : ring) r.push_back({v.x, v.y});
      p.push_back(std::move(r));
    }
    return p;
  };
  // Vertical walls project to nothing: only faces with a real footprint area count.
  auto projects = [&](const Surface* s) {
    return !s->rings.empty() && std::abs(area(to2d(*s))) > 1e-4;
  };
  std::vector<const Surface*> picked;
  for (auto* s : surfaces)
    if (s->semantic == "GroundSurface" && projects(s)) picked.push_back(s);
  if (picked.empty()) {
    for (auto* s : surfaces) {
      if (!projects(s)) continue;
      const bool flat_at_ground =
          std::all_of(s->rings[0].begin(), s->rings[0].end(),
                      [&](const Vec3& v) { return std::abs(v.z - ground_z) < 0.05; });
      if (flat_at_ground) picked.push_back(s);
    }
  }
  if (picked.empty())
    for (auto* s : surfaces)
      if (projects(s)) picked.push_back(s);
  geos::Context ctx;
  std::vector<geos::GeomPtr> parts;
  for (auto* s : picked) {
    parts.push_back(geos::polygon(ctx, to2d(*s)));
  }
  if (parts.empty()) return {};
  auto u = geos::unionAll(ctx, std::move(parts), 0.001);  // millimetres, as CityJSON stores them
  return geos::toMultiPolygon(ctx, u.get());
}

}  // namespace

LonLatBox cityJsonExtent(const std::string& path, std::string* crs_out) {
  try {
    Documents docs = readDocuments(path);
    const VertexDecoder dec(docs.header);
    std::vector<Vec3> verts = dec.decode(docs.header.value("vertices", json::array()));
    for (const auto& f : docs.features) {
      auto more = dec.decode(f.value("vertices", json::array()));
      verts.insert(verts.end(), more.begin(), more.end());
    }
    if (verts.empty()) throw InputError(path, "vertices", "the file has no vertices", kDamagedHint);
    const std::string crs = fileCrs(path, docs.header, verts, nullptr);
    if (crs_out) *crs_out = crs;
    CrsTransform to_wgs(crs, "EPSG:4326");
    LonLatBox box;
    for (const auto& v : verts) {
      double x = v.x, y = v.y, z = v.z;
      if (to_wgs.apply(x, y, z)) box.extend(x, y);
    }
    return box;
  } catch (const json::exception& e) {
    throw InputError(path, "", std::string("unexpected structure: ") + e.what(), kDamagedHint);
  }
}

CityJsonData readCityJson(const std::string& path, const LocalFrame& frame) {
  CityJsonData out;
  std::string current = "(file)";
  try {
    Documents docs = readDocuments(path);
    const VertexDecoder dec(docs.header);
    // Texture images, resolved against the file's folder.
    std::vector<std::string> textures;
    const json* tex_verts = nullptr;
    if (auto app = docs.header.find("appearance"); app != docs.header.end() && app->is_object()) {
      const fs::path base = fs::absolute(path).parent_path();
      std::size_t missing = 0;
      for (const auto& t : app->value("textures", json::array())) {
        fs::path image = (base / t.at("image").get<std::string>()).lexically_normal();
        if (!fs::exists(image)) ++missing;
        textures.push_back(image.string());
      }
      if (missing > 0)
        out.warnings.push_back(path + ": " + std::to_string(missing) + " of " +
                               std::to_string(textures.size()) +
                               " texture images are not beside the file; references are kept");
      if (auto tv = app->find("vertices-texture"); tv != app->end()) tex_verts = &*tv;
    }

    // Plain CityJSON is one "feature" holding everything.
    std::vector<const json*> feature_docs;
    if (docs.features.empty()) feature_docs.push_back(&docs.header);
    for (const auto& f : docs.features) feature_docs.push_back(&f);

    std::vector<Vec3> first_verts = dec.decode(docs.header.value("vertices", json::array()));
    out.crs = fileCrs(path, docs.header, first_verts, &out.warnings);
    CrsTransform to_frame(out.crs, frame.crs);

    std::size_t instances = 0;
    for (const json* doc : feature_docs) {
      std::vector<Vec3> verts =
          doc == &docs.header ? first_verts : dec.decode(doc->value("vertices", json::array()));
      for (auto& v : verts) {
        double x = v.x, y = v.y, z = v.z;
        if (!to_frame.apply(x, y, z))
          throw InputError(path, "vertices", "a vertex cannot be transformed to " + frame.crs,
                           "check the file's CRS");
        const Vec2 local = frame.toLocal(x, y);
        v = {local.x, local.y, z};
      }
      const auto objects_it = doc->find("CityObjects");
      if (objects_it == doc->end() || !objects_it->is_object())
        throw InputError(path, "CityObjects", "missing or not an object", kDamagedHint);
      for (const auto& [id, obj] : objects_it->items()) {
        current = id;
        CityObject co;
        co.id = id;
        co.type = obj.at("type").get<std::string>();
        for (const auto& p : obj.value("parents", json::array()))
          co.parents.push_back(p.get<std::string>());
        co.attributes_json = obj.value("attributes", json::object()).dump();
        // Keep the best LoD present (all its geometries).
        double best = -1;
        for (const auto& g : obj.value("geometry", json::array())) {
          if (g.value("type", "") == "GeometryInstance") {
            ++instances;
            continue;
          }
          best = std::max(best, lodValue(g.value("lod", json())));
        }
        SurfaceReader reader(path, id, verts, tex_verts, textures.empty() ? nullptr : &textures);
        for (const auto& g : obj.value("geometry", json::array())) {
          if (g.value("type", "") == "GeometryInstance" || lodValue(g.value("lod", json())) != best)
            continue;
          if (co.lod.empty()) co.lod = lodText(g.at("lod"));
          reader.read(g, co.surfaces);
        }
        out.objects.push_back(std::move(co));
      }
    }
    if (instances > 0)
      out.warnings.push_back(path + ": " + std::to_string(instances) +
                             " geometry templates (GeometryInstance) are not imported yet");
  } catch (const json::exception& e) {
    throw InputError(path, "CityObject '" + current + "'",
                     std::string("unexpected structure: ") + e.what(), kDamagedHint);
  }

  // Buildings: each top-level Building with its BuildingParts (3D BAG puts geometry in parts).
  std::map<std::string, std::vector<const CityObject*>> parts_of;
  for (const auto& o : out.objects)
    for (const auto& p : o.parents) parts_of[p].push_back(&o);
  for (const auto& o : out.objects) {
    if (o.type != "Building" || !o.parents.empty()) continue;
    std::vector<const Surface*> surfaces;
    std::string lod = o.lod;
    for (const auto& s : o.surfaces) surfaces.push_back(&s);
    for (const CityObject* part : parts_of[o.id]) {
      for (const auto& s : part->surfaces) surfaces.push_back(&s);
      if (lod.empty()) lod = part->lod;
    }
    if (surfaces.empty()) {
      out.warnings.push_back(path + ": Building '" + o.id +
                             "' has no surfaces; skipped as a footprint");
      continue;
    }
    double zmin = 1e300, zmax = -1e300;
    for (auto* s : surfaces)
      for (const auto& r : s->rings)
        for (const auto& v : r) zmin = std::min(zmin, v.z), zmax = std::max(zmax, v.z);
    Building b;
    b.id = o.id;
    b.source = BuildingSource::kCityJson;
    b.ground_z = zmin;
    b.height_m = zmax - zmin;
    b.lod = lod;
    b.height_source = "geometry";
    b.footprint = footprintOf(surfaces, zmin);
    if (b.footprint.empty()) {
      out.warnings.push_back(
          path + ": Building '" + o.id +
          "': no footprint can be derived from its surfaces; kept as a 3D object only");
      continue;
    }
    out.buildings.push_back(std::move(b));
  }
  return out;
}

}  // namespace citytwin::geodata
