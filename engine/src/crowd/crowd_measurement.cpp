// Measurement observers of the crowd step: counting lines read the old and the new positions
// (before the move is applied); zones and the time series read the state after a step.
#include "citytwin/engine/crowd/voronoi_density.hpp"
#include "crowd_simulation_internal.hpp"

namespace citytwin::engine::crowd {

void CrowdSimulation::observeLineCrossings() {
  const auto& s = scenario_;
  const std::size_t n = x_.size();
  const bool periodic = s.periodic_x_max > s.periodic_x_min;
  const float width = s.periodic_x_max - s.periodic_x_min;
  // Measurement lines: sign changes between the old and new position, in agent order.
  for (std::size_t li = 0; li < s.lines.size(); ++li) {
    const auto& L = s.lines[li];
    const Vec2f a{static_cast<float>(L.a.x), static_cast<float>(L.a.y)},
        b{static_cast<float>(L.b.x), static_cast<float>(L.b.y)};
    const Vec2f ab = b - a;
    for (std::size_t i = 0; i < n; ++i) {
      const Vec2f p{x_[i], y_[i]}, q{new_x_[i], new_y_[i]};
      if (std::abs(q.x - p.x) > 0.5f * std::max(width, 1.0f) && periodic) continue;  // wrapped
      const float sp = cross(ab, p - a), sq = cross(ab, q - a);
      if ((sp < 0.0f) == (sq < 0.0f)) continue;
      // Within the line's extent?
      const Vec2f d = q - p;
      const float den = cross(d, ab);
      if (std::abs(den) < 1e-12f) continue;
      const float u = cross(a - p, d) / den;
      if (u < 0.0f || u > 1.0f) continue;
      line_flow_[li] += sq > 0.0f ? 1 : -1;
      line_speed_sum_[li] += new_speed_[i];
      ++line_count_[li];
    }
  }
}

void CrowdSimulation::measure() {
  const auto& s = scenario_;
  const double t = time();
  if (t + 1e-9 < impl_->next_density_check && t + 1e-9 < impl_->next_sample) return;
  std::vector<double> density(s.zones.size(), 0.0);
  for (std::size_t z = 0; z < s.zones.size(); ++z) {
    const auto& b = impl_->zone_box[z];
    std::size_t count = 0;
    for (std::size_t i = 0; i < x_.size(); ++i)
      if (x_[i] >= b.min_x && x_[i] <= b.max_x && y_[i] >= b.min_y && y_[i] <= b.max_y &&
          geodata::contains(s.zones[z].area, {x_[i], y_[i]}))
        ++count;
    density[z] = impl_->zone_area[z] > 0 ? static_cast<double>(count) / impl_->zone_area[z] : 0.0;
    max_zone_density_[z] = std::max(max_zone_density_[z], density[z]);
  }
  impl_->next_density_check = t + 1.0;
  if (t + 1e-9 >= impl_->next_sample) {
    CrowdSample row;
    row.time_s = t;
    row.agents = x_.size();
    row.arrived = arrived_;
    row.zone_density = density;
    for (const auto& z : s.zones) row.zone_voronoi.push_back(voronoiDensity(x_, y_, z.area));
    row.line_flow = line_flow_;
    for (std::size_t l = 0; l < s.lines.size(); ++l)
      row.line_speed.push_back(
          line_count_[l] ? line_speed_sum_[l] / static_cast<double>(line_count_[l]) : 0.0);
    samples_.push_back(std::move(row));
    std::fill(line_flow_.begin(), line_flow_.end(), 0);
    std::fill(line_speed_sum_.begin(), line_speed_sum_.end(), 0.0);
    std::fill(line_count_.begin(), line_count_.end(), 0);
    impl_->next_sample = t + s.measure_interval_s;
  }
}

}  // namespace citytwin::engine::crowd
