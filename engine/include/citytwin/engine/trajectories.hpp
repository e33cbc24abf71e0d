#pragma once
// Measured or simulated pedestrian trajectories: reading the Juelich / PeTrack text format
// (`id frame x y z`, optionally gzip-compressed) and the measurements made on them.
#include <cstdint>
#include <string>
#include <vector>

namespace citytwin::engine {

struct TrajectoryPoint {
  std::uint32_t id = 0;
  std::uint32_t frame = 0;
  float x = 0, y = 0;  ///< metres
};

struct Trajectories {
  double fps = 0.0;
  std::vector<TrajectoryPoint> points;  ///< as in the file (usually by id, then frame)
};

/// Reads `id frame x y [z]` lines; '#' lines are comments. `unit_to_m` scales the coordinates
/// (0.01 for centimetres). Reads .gz files through zlib. Throws std::runtime_error naming the
/// file and line on malformed input.
Trajectories readJuelichTrajectories(const std::string& path, double fps, double unit_to_m = 1.0);

struct RectArea {
  float min_x, min_y, max_x, max_y;
};

/// Classic measurement (Zhang et al. 2011, method A/B style): for each frame in
/// [first_frame, last_frame], density = people in the area / its size, speed = mean speed of
/// those people from their displacement over +-`half_window` frames. Returns the means.
struct DensitySpeed {
  double density = 0.0;  ///< 1/m2
  double speed = 0.0;    ///< m/s
  std::size_t frames = 0;
};
DensitySpeed measureArea(const Trajectories& t, RectArea area, std::uint32_t first_frame,
                         std::uint32_t last_frame, std::uint32_t half_window = 5);

/// People crossing the horizontal line y = line_y (in either direction) per second, between
/// the first and the last crossing after `skip_first` crossings (steady flow).
double crossingFlow(const Trajectories& t, float line_y, std::size_t skip_first = 10,
                    std::size_t skip_last = 10);

}  // namespace citytwin::engine
