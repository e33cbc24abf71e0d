// Sources place people (group, body, a free spot clear of walls and others), and the neighbour
// grid with its cell-order copies is rebuilt.
#include <algorithm>
#include <unordered_map>

#include "crowd_simulation_internal.hpp"

namespace citytwin::engine::crowd {

void CrowdSimulation::spawn() {
  const auto& s = scenario_;
  const double t = time();
  // Occupied spots: existing agents (grid) and the ones placed in this call (hash of 1 m cells).
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> fresh;
  auto key = [](float px, float py) {
    return (static_cast<std::int64_t>(std::floor(px)) << 32) ^
           static_cast<std::int64_t>(std::floor(py) + 1e6);
  };
  rebuildNeighbours();
  const std::size_t existing = x_.size();
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    const Source& src = s.sources[k];
    auto& rng = impl_->source_rng[k];
    const auto due =
        static_cast<std::size_t>(std::floor(arrivalsUntil(src, t + s.time_step_s) + 1e-9));
    const auto& cells = impl_->source_cells[k];
    while (impl_->source_spawned[k] < due) {
      // Group and body first, then up to 20 spots; if none is free, try again next step.
      std::size_t group = 0;
      if (!src.group_shares.empty()) {
        double u = rng.uniform(), acc = 0.0;
        for (group = 0; group + 1 < src.group_shares.size(); ++group)
          if (u < (acc += src.group_shares[group])) break;
        group = std::min(group, s.groups.size() - 1);
      }
      const auto& g = s.groups[group];
      const float v0 = static_cast<float>(std::clamp(g.speed.mean + g.speed.stddev * rng.normal(),
                                                     static_cast<double>(g.speed.min),
                                                     static_cast<double>(g.speed.max)));
      bool placed = false;
      for (int attempt = 0; attempt < 20 && !placed; ++attempt) {
        const auto& c = cells[std::min(
            cells.size() - 1,
            static_cast<std::size_t>(rng.uniform() * static_cast<double>(cells.size())))];
        const float h = fields_->grid().cellSize();
        const float px = static_cast<float>(c.x + (rng.uniform() - 0.5) * h);
        const float py = static_cast<float>(c.y + (rng.uniform() - 0.5) * h);
        // On walkable ground, clear of walls by a body radius, and not on anyone.
        bool free =
            fields_->grid().walkableAt({px, py}) &&
            !fields_->walls().crosses({static_cast<float>(c.x), static_cast<float>(c.y)}, {px, py});
        if (free)
          fields_->walls().forEachNear({px, py}, g.radius, [&](const Segment& w) {
            if (norm(closestPoint(w, {px, py}) - Vec2f{px, py}) < g.radius) free = false;
          });
        impl_->grid.forEachNear(
            {px, py}, std::span<const float>(x_.data(), existing),
            std::span<const float>(y_.data(), existing), [&](std::uint32_t j, float dx, float dy) {
              if (j < existing &&
                  dx * dx + dy * dy < (g.radius + radius_[j]) * (g.radius + radius_[j]))
                free = false;
            });
        for (int oy = -1; oy <= 1 && free; ++oy)
          for (int ox = -1; ox <= 1 && free; ++ox) {
            auto it = fresh.find(key(px + static_cast<float>(ox), py + static_cast<float>(oy)));
            if (it == fresh.end()) continue;
            for (auto j : it->second) {
              const float dx = x_[j] - px, dy = y_[j] - py;
              if (dx * dx + dy * dy < (g.radius + radius_[j]) * (g.radius + radius_[j]))
                free = false;
            }
          }
        if (!free) continue;
        placed = true;
        const auto i = static_cast<std::uint32_t>(x_.size());
        fresh[key(px, py)].push_back(i);
        append({px, py}, src.journey, v0, g.radius,
               static_cast<std::uint8_t>(std::min<std::size_t>(k, 255)));
        ++impl_->source_spawned[k];
        ++spawned_;
      }
      if (!placed) break;
    }
  }
  if (x_.size() != existing || x_.empty()) rebuildNeighbours();
}

void CrowdSimulation::rebuildNeighbours() {
  impl_->grid.rebuild(x_, y_);
  const auto& items = impl_->grid.items();
  CellOrder& o = impl_->ordered;
  const std::size_t n = items.size();
  for (auto* v : {&o.x, &o.y, &o.radius, &o.last_progress}) v->resize(n);
  o.waiting.resize(n);
  impl_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t k = r.begin(); k != r.end(); ++k) {
                          const auto j = items[k];
                          o.x[k] = x_[j], o.y[k] = y_[j], o.radius[k] = radius_[j];
                          o.last_progress[k] = last_progress_[j], o.waiting[k] = waiting_[j];
                        }
                      });
  });
}

void CrowdSimulation::append(Vec2f p, std::uint32_t journey, float v0, float radius,
                             std::uint8_t source) {
  const float t = static_cast<float>(time());
  id_.push_back(next_id_++);
  x_.push_back(p.x);
  y_.push_back(p.y);
  speed_.push_back(0.0f);
  v0_.push_back(v0);
  radius_.push_back(radius);
  dir_x_.push_back(1.0f);
  dir_y_.push_back(0.0f);
  journey_.push_back(static_cast<std::uint16_t>(journey));
  journey_pos_.push_back(0);
  waiting_.push_back(0);
  wait_until_.push_back(0.0f);
  spawn_time_.push_back(t);
  best_cost_.push_back(kInf);
  last_progress_.push_back(t);
  wait_total_.push_back(0.0f);
  stuck_flag_.push_back(0);
  source_of_.push_back(source);
}

std::uint32_t CrowdSimulation::addAgent(Vec2f position, std::uint32_t journey, float desired_speed,
                                        float radius) {
  if (journey >= scenario_.journeys.size())
    throw std::invalid_argument("addAgent: no such journey");
  append(position, journey, desired_speed, radius, 255);
  ++spawned_;  // the neighbour grid is rebuilt at the start of the next step
  return id_.back();
}

}  // namespace citytwin::engine::crowd
