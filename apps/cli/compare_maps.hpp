#pragma once
// Maps for comparing scenarios: crowd density and walking speed per grid cell (from the
// trajectories a run writes), and traffic flow and speed per road (from its road aggregates);
// written as GeoPackage layers and GeoTIFF rasters for QGIS, and drawn as SVG for the report.
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::cli {

/// A square grid over the city in its local frame.
struct Grid {
  double x0 = 0.0, y0 = 0.0;  ///< south-west corner, local frame
  double cell = 5.0;          ///< m
  int nx = 0, ny = 0;
  std::size_t size() const { return static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny); }
};

Grid gridOver(const geodata::Box2& bounds, double cell);

/// Per cell: the highest density seen in any trajectory frame (people/m2) and the mean walking
/// speed (m/s; NaN where nobody walked).
struct CrowdMap {
  std::vector<double> peak_density;
  std::vector<double> mean_speed;
};

/// From a Juelich-format trajectories file (`id frame x y z`, local frame, with a framerate
/// header). Cells with no one stay 0 density.
CrowdMap crowdMapFromTrajectories(const std::filesystem::path& file, const Grid& grid);

/// The mean of several maps (replications).
CrowdMap meanMap(const std::vector<CrowdMap>& maps);

/// Per road (edge id): vehicles that entered over the run, and their space-mean speed.
struct RoadFlow {
  double vehicles = 0.0;
  double speed = std::numeric_limits<double>::quiet_NaN();  ///< m/s, NaN where nobody drove
};
using RoadMap = std::map<std::string, RoadFlow>;

RoadMap roadMapFromAggregates(const std::filesystem::path& edge_aggregates_csv);
RoadMap meanRoadMap(const std::vector<RoadMap>& maps);

/// One map value per scenario (or difference), to write or draw.
struct MapLayer {
  std::string
      name;  ///< field or band name, e.g. "peak_density_base" or "diff_peak_density_one_way"
  std::vector<double> values;  ///< per cell (crowd) or per road in `roads` order (traffic)
};

/// Writes crowd cells and roads as layers of a GeoPackage, in the frame's projected CRS.
void writeLayers(const std::filesystem::path& gpkg, const geodata::LocalFrame& frame,
                 const Grid& grid, const std::vector<MapLayer>& cell_layers,
                 const std::vector<std::vector<geodata::Vec2>>& road_lines,
                 const std::vector<std::string>& road_ids,
                 const std::vector<std::string>& road_names,
                 const std::vector<MapLayer>& road_layers);

/// Writes a single-band Float32 GeoTIFF of a cell layer (north-up, nodata -9999).
void writeGeoTiff(const std::filesystem::path& tif, const geodata::LocalFrame& frame,
                  const Grid& grid, const std::vector<double>& values);

/// An SVG map: grey context lines, then either coloured cells or coloured roads. `diverging`
/// uses blue (less) - white - red (more) around zero, else white to dark red from zero.
std::string renderMapSvg(const std::string& title, const std::string& unit,
                         const std::vector<std::vector<geodata::Vec2>>& context, const Grid* grid,
                         const std::vector<double>* cells,
                         const std::vector<std::vector<geodata::Vec2>>* roads,
                         const std::vector<double>* road_values, bool diverging);

}  // namespace citytwin::cli
