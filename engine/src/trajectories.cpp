#include "citytwin/engine/trajectories.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

namespace citytwin::engine {

Trajectories readJuelichTrajectories(const std::string& path, double fps, double unit_to_m) {
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain text too
  if (!f) throw std::runtime_error(path + ": cannot open");
  Trajectories t;
  t.fps = fps;
  char buf[1024];
  std::size_t line = 0;
  while (gzgets(f, buf, sizeof buf)) {
    ++line;
    std::string_view s(buf);
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || s[first] == '#') continue;
    std::istringstream in{std::string(s)};
    double id = 0, frame = 0, x = 0, y = 0;
    if (!(in >> id >> frame >> x >> y) || id < 0 || frame < 0) {
      gzclose(f);
      throw std::runtime_error(path + ": line " + std::to_string(line) +
                               ": expected 'id frame x y [z]'");
    }
    t.points.push_back({static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(frame),
                        static_cast<float>(x * unit_to_m), static_cast<float>(y * unit_to_m)});
  }
  const bool truncated = gzeof(f) == 0;
  gzclose(f);
  if (truncated) throw std::runtime_error(path + ": read error after line " + std::to_string(line));
  return t;
}

namespace {
// Positions by (id, frame) for speed lookups.
struct Index {
  std::map<std::uint32_t, std::map<std::uint32_t, std::pair<float, float>>> by_id;
  explicit Index(const Trajectories& t) {
    for (const auto& p : t.points) by_id[p.id][p.frame] = {p.x, p.y};
  }
};
}  // namespace

DensitySpeed measureArea(const Trajectories& t, RectArea a, std::uint32_t first_frame,
                         std::uint32_t last_frame, std::uint32_t half_window) {
  const Index idx(t);
  std::map<std::uint32_t, std::vector<const TrajectoryPoint*>> by_frame;
  for (const auto& p : t.points)
    if (p.frame >= first_frame && p.frame <= last_frame && p.x >= a.min_x && p.x <= a.max_x &&
        p.y >= a.min_y && p.y <= a.max_y)
      by_frame[p.frame].push_back(&p);
  const double area =
      static_cast<double>(a.max_x - a.min_x) * static_cast<double>(a.max_y - a.min_y);
  DensitySpeed out;
  double density_sum = 0, speed_sum = 0;
  std::size_t speed_frames = 0;
  for (std::uint32_t f = first_frame; f <= last_frame; ++f) {
    auto it = by_frame.find(f);
    const std::size_t n = it == by_frame.end() ? 0 : it->second.size();
    density_sum += static_cast<double>(n) / area;
    ++out.frames;
    if (n == 0) continue;
    double v = 0;
    std::size_t m = 0;
    for (const auto* p : it->second) {
      const auto& track = idx.by_id.at(p->id);
      auto a0 = track.find(p->frame >= half_window ? p->frame - half_window : 0);
      auto a1 = track.find(p->frame + half_window);
      if (a0 == track.end() || a1 == track.end()) continue;
      const double dt = static_cast<double>(a1->first - a0->first) / t.fps;
      v += std::hypot(a1->second.first - a0->second.first, a1->second.second - a0->second.second) /
           dt;
      ++m;
    }
    if (m > 0) speed_sum += v / static_cast<double>(m), ++speed_frames;
  }
  out.density = out.frames ? density_sum / static_cast<double>(out.frames) : 0.0;
  out.speed = speed_frames ? speed_sum / static_cast<double>(speed_frames) : 0.0;
  return out;
}

double crossingFlow(const Trajectories& t, float line_y, std::size_t skip_first,
                    std::size_t skip_last) {
  const Index idx(t);
  std::vector<double> times;
  for (const auto& [id, track] : idx.by_id) {
    for (auto it = track.begin(); std::next(it) != track.end(); ++it) {
      const auto nx = std::next(it);
      if ((it->second.second - line_y) * (nx->second.second - line_y) <= 0 &&
          it->second.second != nx->second.second) {
        times.push_back(static_cast<double>(nx->first) / t.fps);
        break;
      }
    }
  }
  std::sort(times.begin(), times.end());
  if (times.size() <= skip_first + skip_last + 1) return 0.0;
  const double t0 = times[skip_first], t1 = times[times.size() - 1 - skip_last];
  return t1 > t0 ? static_cast<double>(times.size() - 1 - skip_first - skip_last) / (t1 - t0) : 0.0;
}

}  // namespace citytwin::engine
