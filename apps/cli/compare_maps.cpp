#include "compare_maps.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "citytwin/geodata/error.hpp"
#include "csv_table.hpp"

namespace citytwin::cli {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Grid gridOver(const geodata::Box2& b, double cell) {
  Grid g;
  g.cell = cell;
  g.x0 = std::floor(b.min_x / cell) * cell;
  g.y0 = std::floor(b.min_y / cell) * cell;
  g.nx = std::max(1, static_cast<int>(std::ceil((b.max_x - g.x0) / cell)));
  g.ny = std::max(1, static_cast<int>(std::ceil((b.max_y - g.y0) / cell)));
  return g;
}

CrowdMap crowdMapFromTrajectories(const fs::path& file, const Grid& g) {
  std::ifstream in(file);
  if (!in)
    throw geodata::InputError(file.string(), "", "cannot be read",
                              "run the crowd scenario with outputs.trajectory_every > 0");
  CrowdMap m;
  m.peak_density.assign(g.size(), 0.0);
  std::vector<double> speed_sum(g.size(), 0.0), speed_n(g.size(), 0.0);
  std::vector<std::uint32_t> count(g.size(), 0);
  std::vector<std::size_t> touched;
  double fps = 1.0;
  long frame = std::numeric_limits<long>::min();
  struct Last {
    long frame;
    double x, y;
  };
  std::unordered_map<long, Last> last;
  const double area = g.cell * g.cell;
  auto flush = [&] {
    for (auto c : touched) {
      m.peak_density[c] = std::max(m.peak_density[c], count[c] / area);
      count[c] = 0;
    }
    touched.clear();
  };
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line.rfind("# framerate:", 0) == 0) fps = std::strtod(line.c_str() + 12, nullptr);
      continue;
    }
    long id = 0, fr = 0;
    double x = 0, y = 0, z = 0;
    if (std::sscanf(line.c_str(), "%ld %ld %lf %lf %lf", &id, &fr, &x, &y, &z) < 4) continue;
    if (fr != frame) flush(), frame = fr;
    const int cx = static_cast<int>(std::floor((x - g.x0) / g.cell));
    const int cy = static_cast<int>(std::floor((y - g.y0) / g.cell));
    if (cx < 0 || cy < 0 || cx >= g.nx || cy >= g.ny) continue;
    const std::size_t c = static_cast<std::size_t>(cy) * static_cast<std::size_t>(g.nx) +
                          static_cast<std::size_t>(cx);
    if (count[c]++ == 0) touched.push_back(c);
    auto it = last.find(id);
    if (it != last.end() && fr > it->second.frame && fps > 0.0) {
      const double dt = static_cast<double>(fr - it->second.frame) / fps;
      speed_sum[c] += std::hypot(x - it->second.x, y - it->second.y) / dt;
      speed_n[c] += 1.0;
    }
    last[id] = {fr, x, y};
  }
  flush();
  m.mean_speed.resize(g.size());
  for (std::size_t c = 0; c < g.size(); ++c)
    m.mean_speed[c] = speed_n[c] > 0 ? speed_sum[c] / speed_n[c] : kNaN;
  return m;
}

CrowdMap meanMap(const std::vector<CrowdMap>& maps) {
  CrowdMap out;
  if (maps.empty()) return out;
  const std::size_t n = maps[0].peak_density.size();
  out.peak_density.assign(n, 0.0);
  out.mean_speed.assign(n, kNaN);
  for (std::size_t c = 0; c < n; ++c) {
    double s = 0.0, v = 0.0, vn = 0.0;
    for (const auto& m : maps) {
      s += m.peak_density[c];
      if (!std::isnan(m.mean_speed[c])) v += m.mean_speed[c], vn += 1.0;
    }
    out.peak_density[c] = s / static_cast<double>(maps.size());
    if (vn > 0) out.mean_speed[c] = v / vn;
  }
  return out;
}

RoadMap roadMapFromAggregates(const fs::path& file) {
  const CsvTable t = readCsv(file);
  if (t.header.empty())
    throw geodata::InputError(file.string(), "", "cannot be read", "run the scenario first");
  auto col = [&](const char* name) {
    const int c = t.column(name);
    if (c < 0)
      throw geodata::InputError(file.string(), "line 1", std::string("has no column ") + name,
                                "written by an older CityTwin? run the scenario again");
    return c;
  };
  const int c_edge = col("edge"), c_entered = col("entered"), c_density = col("density_veh_per_km"),
            c_speed = col("mean_speed_m_s");
  RoadMap m;
  std::map<std::string, std::pair<double, double>> speed;  // weighted by density
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& edge = t.rows[r][static_cast<std::size_t>(c_edge)];
    m[edge].vehicles += t.number(r, c_entered);
    const double w = t.number(r, c_density);
    speed[edge].first += w * t.number(r, c_speed);
    speed[edge].second += w;
  }
  for (auto& [id, road] : m)
    road.speed = speed[id].second > 0 ? speed[id].first / speed[id].second : kNaN;
  return m;
}

RoadMap meanRoadMap(const std::vector<RoadMap>& maps) {
  RoadMap out;
  std::map<std::string, std::pair<double, double>> speed;
  for (const auto& m : maps)
    for (const auto& [id, r] : m) {
      out[id].vehicles += r.vehicles / static_cast<double>(maps.size());
      if (!std::isnan(r.speed)) speed[id].first += r.speed, speed[id].second += 1.0;
    }
  for (auto& [id, o] : out)
    o.speed = speed[id].second > 0 ? speed[id].first / speed[id].second : kNaN;
  return out;
}

namespace {

void addFields(OGRLayer* layer, const std::vector<MapLayer>& layers) {
  for (const auto& l : layers) {
    OGRFieldDefn f(l.name.c_str(), OFTReal);
    layer->CreateField(&f);
  }
}

void setFields(OGRFeature& f, const std::vector<MapLayer>& layers, std::size_t k) {
  for (const auto& l : layers)
    if (!std::isnan(l.values[k])) f.SetField(l.name.c_str(), l.values[k]);
}

}  // namespace

void writeLayers(const fs::path& gpkg, const geodata::LocalFrame& frame, const Grid& grid,
                 const std::vector<MapLayer>& cell_layers,
                 const std::vector<std::vector<geodata::Vec2>>& road_lines,
                 const std::vector<std::string>& road_ids,
                 const std::vector<std::string>& road_names,
                 const std::vector<MapLayer>& road_layers) {
  GDALAllRegister();
  const fs::path tmp = gpkg.string() + ".partial";
  fs::remove(tmp);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  std::unique_ptr<GDALDataset> ds(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw geodata::InputError(gpkg.string(), "", "cannot be created", "check the folder");
  OGRSpatialReference srs;
  srs.SetFromUserInput(frame.crs.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  if (!cell_layers.empty()) {
    OGRLayer* layer = ds->CreateLayer("crowd_cells", &srs, wkbPolygon, nullptr);
    addFields(layer, cell_layers);
    ds->StartTransaction();
    for (int cy = 0; cy < grid.ny; ++cy)
      for (int cx = 0; cx < grid.nx; ++cx) {
        const std::size_t k = static_cast<std::size_t>(cy) * static_cast<std::size_t>(grid.nx) +
                              static_cast<std::size_t>(cx);
        bool any = false;
        for (const auto& l : cell_layers) any |= !std::isnan(l.values[k]) && l.values[k] != 0.0;
        if (!any) continue;
        OGRFeature f(layer->GetLayerDefn());
        OGRLinearRing ring;
        const double x = grid.x0 + cx * grid.cell + frame.origin.x,
                     y = grid.y0 + cy * grid.cell + frame.origin.y;
        ring.addPoint(x, y);
        ring.addPoint(x + grid.cell, y);
        ring.addPoint(x + grid.cell, y + grid.cell);
        ring.addPoint(x, y + grid.cell);
        ring.addPoint(x, y);
        OGRPolygon poly;
        poly.addRing(&ring);
        f.SetGeometry(&poly);
        setFields(f, cell_layers, k);
        if (layer->CreateFeature(&f) != OGRERR_NONE)
          throw geodata::InputError(gpkg.string(), "crowd_cells", "cannot be written",
                                    "check the disk");
      }
    ds->CommitTransaction();
  }
  if (!road_layers.empty()) {
    OGRLayer* layer = ds->CreateLayer("traffic_roads", &srs, wkbLineString, nullptr);
    OGRFieldDefn id("edge", OFTString), name("name", OFTString);
    layer->CreateField(&id);
    layer->CreateField(&name);
    addFields(layer, road_layers);
    ds->StartTransaction();
    for (std::size_t k = 0; k < road_lines.size(); ++k) {
      OGRFeature f(layer->GetLayerDefn());
      OGRLineString line;
      for (const auto& p : road_lines[k]) line.addPoint(p.x + frame.origin.x, p.y + frame.origin.y);
      f.SetGeometry(&line);
      f.SetField("edge", road_ids[k].c_str());
      f.SetField("name", road_names[k].c_str());
      setFields(f, road_layers, k);
      if (layer->CreateFeature(&f) != OGRERR_NONE)
        throw geodata::InputError(gpkg.string(), "traffic_roads", "cannot be written",
                                  "check the disk");
    }
    ds->CommitTransaction();
  }
  ds.reset();
  fs::rename(tmp, gpkg);
}

void writeGeoTiff(const fs::path& tif, const geodata::LocalFrame& frame, const Grid& grid,
                  const std::vector<double>& values) {
  GDALAllRegister();
  const fs::path tmp = tif.string() + ".partial";
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  std::unique_ptr<GDALDataset> ds(
      driver->Create(tmp.c_str(), grid.nx, grid.ny, 1, GDT_Float32, nullptr));
  if (!ds) throw geodata::InputError(tif.string(), "", "cannot be created", "check the folder");
  double gt[6] = {grid.x0 + frame.origin.x,
                  grid.cell,
                  0.0,
                  grid.y0 + frame.origin.y + grid.ny * grid.cell,
                  0.0,
                  -grid.cell};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.SetFromUserInput(frame.crs.c_str());
  ds->SetSpatialRef(&srs);
  std::vector<float> rows(grid.size());
  for (int cy = 0; cy < grid.ny; ++cy)
    for (int cx = 0; cx < grid.nx; ++cx) {
      const double v = values[static_cast<std::size_t>(cy) * static_cast<std::size_t>(grid.nx) +
                              static_cast<std::size_t>(cx)];
      rows[static_cast<std::size_t>(grid.ny - 1 - cy) * static_cast<std::size_t>(grid.nx) +
           static_cast<std::size_t>(cx)] = std::isnan(v) ? -9999.0f : static_cast<float>(v);
    }
  GDALRasterBand* band = ds->GetRasterBand(1);
  band->SetNoDataValue(-9999.0);
  if (band->RasterIO(GF_Write, 0, 0, grid.nx, grid.ny, rows.data(), grid.nx, grid.ny, GDT_Float32,
                     0, 0) != CE_None)
    throw geodata::InputError(tif.string(), "", "cannot be written", "check the disk");
  ds.reset();
  fs::rename(tmp, tif);
}

namespace {

std::string colour(double v, double max, bool diverging) {
  double t = max > 0 ? std::clamp(v / max, diverging ? -1.0 : 0.0, 1.0) : 0.0;
  int r = 255, g = 255, b = 255;
  if (t >= 0) {  // white to dark red
    r = static_cast<int>(255 - 75 * t);
    g = b = static_cast<int>(255 * (1 - t));
  } else {  // white to dark blue
    t = -t;
    r = g = static_cast<int>(255 * (1 - t));
    b = static_cast<int>(255 - 75 * t);
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

}  // namespace

std::string renderMapSvg(const std::string& title, const std::string& unit,
                         const std::vector<std::vector<geodata::Vec2>>& context, const Grid* grid,
                         const std::vector<double>* cells,
                         const std::vector<std::vector<geodata::Vec2>>* roads,
                         const std::vector<double>* road_values, bool diverging) {
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (const auto& l : context)
    for (const auto& p : l)
      x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x),
      y1 = std::max(y1, p.y);
  if (x0 > x1) x0 = y0 = 0, x1 = y1 = 1;
  const double width = 560, scale = width / std::max(1.0, x1 - x0);
  const double height = (y1 - y0) * scale;
  auto X = [&](double x) { return (x - x0) * scale; };
  auto Y = [&](double y) { return (y1 - y) * scale; };
  double max = 0.0;
  if (cells)
    for (double v : *cells)
      if (!std::isnan(v)) max = std::max(max, std::abs(v));
  if (road_values)
    for (double v : *road_values)
      if (!std::isnan(v)) max = std::max(max, std::abs(v));
  std::ostringstream s;
  char buf[256];
  s << "<figure class=\"map\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width
    << " " << height + 40 << "\" width=\"" << width << "\" role=\"img\" aria-label=\"" << title
    << "\"><rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>";
  if (grid && cells)
    for (int cy = 0; cy < grid->ny; ++cy)
      for (int cx = 0; cx < grid->nx; ++cx) {
        const double v =
            (*cells)[static_cast<std::size_t>(cy) * static_cast<std::size_t>(grid->nx) +
                     static_cast<std::size_t>(cx)];
        if (std::isnan(v) || v == 0.0) continue;
        const double x = grid->x0 + cx * grid->cell, y = grid->y0 + (cy + 1) * grid->cell;
        std::snprintf(buf, sizeof buf,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>",
                      X(x), Y(y), grid->cell * scale + 0.3, grid->cell * scale + 0.3,
                      colour(v, max, diverging).c_str());
        s << buf;
      }
  s << "<g stroke=\"#9a9a9a\" stroke-width=\"0.6\" fill=\"none\">";
  for (const auto& l : context) {
    s << "<polyline points=\"";
    for (const auto& p : l)
      s << static_cast<int>(X(p.x) * 10) / 10.0 << "," << static_cast<int>(Y(p.y) * 10) / 10.0
        << " ";
    s << "\"/>";
  }
  s << "</g>";
  if (roads && road_values)
    for (std::size_t k = 0; k < roads->size(); ++k) {
      const double v = (*road_values)[k];
      if (std::isnan(v) || v == 0.0) continue;
      const double w = 1.0 + 4.0 * std::abs(v) / std::max(max, 1e-9);
      s << "<polyline fill=\"none\" stroke-linecap=\"round\" stroke=\"" << colour(v, max, diverging)
        << "\" stroke-width=\"" << w << "\" points=\"";
      for (const auto& p : (*roads)[k]) s << X(p.x) << "," << Y(p.y) << " ";
      s << "\"/>";
    }
  // Legend: the colour scale with its ends, and a 100 m scale bar.
  const double ly = height + 12;
  for (int k = 0; k <= 20; ++k) {
    const double v = diverging ? -max + 2 * max * k / 20.0 : max * k / 20.0;
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"10\" fill=\"%s\"/>",
                  10 + 8.0 * k, ly, colour(v, max, diverging).c_str());
    s << buf;
  }
  std::snprintf(buf, sizeof buf,
                "<text x=\"10\" y=\"%.1f\" font-size=\"11\">%s%.3g</text><text x=\"178\" "
                "y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.3g %s</text>",
                ly + 24, diverging ? "-" : "", diverging ? max : 0.0, ly + 24, max, unit.c_str());
  s << buf;
  std::snprintf(buf, sizeof buf,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\" "
                "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">100 m</text>",
                width - 20 - 100 * scale, ly + 5, width - 20, ly + 5, width - 20 - 100 * scale,
                ly + 20);
  s << buf << "</svg><figcaption>" << title << "</figcaption></figure>\n";
  return s.str();
}

}  // namespace citytwin::cli
