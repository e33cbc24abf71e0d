// Collision-free speed model (Tordeux, Chraibi & Seyfried 2016; repulsion as JuPedSim) with
// CityTwin's overtaking and zipper courtesy. Compute only: new positions, speeds and headings
// go to the step's new_* buffers; the step applies them after the observers have read both.
#include "crowd_simulation_internal.hpp"

namespace citytwin::engine::crowd {

void CrowdSimulation::computeCollisionFreeSpeed() {
  const auto& s = scenario_;
  const auto& m = s.model;
  const float dt = static_cast<float>(s.time_step_s);
  const bool periodic = s.periodic_x_max > s.periodic_x_min;
  const float width = s.periodic_x_max - s.periodic_x_min;
  const NeighbourGrid& grid = impl_->grid;
  const float cutoff2 = m.cutoff_m * m.cutoff_m;
  const WallSet& walls = fields_->walls();
  const NavGrid& nav = fields_->grid();
  forEachWalker([&](std::size_t i, Vec2f p, Vec2f e0) {
    const float ri = radius_[i];
    // One pass over the 3 x 3 neighbour cells gathers everyone there (in the grid's order);
    // repulsion, the headway and the overtaking tries then read this short list.
    NeighbourList& near = impl_->neighbours.local();
    near.clear();
    const float lag = last_progress_[i] - kYieldAfter;
    // (with a little slack, so rounding can never drop a blocker the full test would keep)
    const float headway_reach = v0_[i] * m.time_gap_s * 1.001f + 1e-4f;
    const CellOrder& o = impl_->ordered;
    const auto& agent = grid.items();
    grid.forEachRangeNear(p, [&](std::uint32_t begin, std::uint32_t end) {
      for (std::uint32_t k = begin; k < end; ++k) {
        if (agent[k] == i) continue;
        const float dx = grid.minimumImage(o.x[k] - p.x);
        const float dy = o.y[k] - p.y;
        const float d2 = dx * dx + dy * dy;
        const float l = ri + o.radius[k];
        // Most candidates are too far for either list: test squared distances first (the
        // headway bound with the largest gap it can have), so they cost no root or lookup.
        const bool repel = d2 <= cutoff2 && d2 > 0.0f;
        const float far = l + kYieldGap + headway_reach;
        if (!repel && d2 >= far * far) continue;
        const float d = std::sqrt(d2);
        if (repel) near.repel.push(dx, dy, d, l);
        const bool yield = !periodic && o.waiting[k] == 0 && o.last_progress[k] < lag;
        const float lh = yield ? l + kYieldGap : l;
        if (d - lh < headway_reach) near.headway.push(dx, dy, d, lh);
      }
    });
    // Direction: desired direction plus exponential repulsion from neighbours and walls.
    Vec2f push{};
    const auto& rep = near.repel;
    for (std::size_t k = 0; k < rep.size(); ++k) {
      const float d = rep.d[k];
      const float strength = m.neighbour_strength * std::exp((rep.l[k] - d) / m.neighbour_range_m);
      push += Vec2f{-rep.dx[k] / d, -rep.dy[k] / d} * strength;
    }
    walls.forEachNear(p, kWallReach, [&](const Segment& w) {
      const Vec2f q = closestPoint(w, p);
      const Vec2f away = p - q;
      const float d = norm(away);
      if (d <= 1e-6f || d > kWallReach) return;
      push += away * (m.wall_strength * std::exp((ri - d) / m.wall_range_m) / d);
    });
    Vec2f e = normalized(e0 + push);
    if (e == Vec2f{}) e = e0;
    // Speed: the headway to the nearest neighbour in the agent's way.
    const auto& head = near.headway;
    auto headwaySpeed = [&](Vec2f dir, float& blocker_side) {
      float speed = v0_[i];
      for (std::size_t k = 0; k < head.size(); ++k) {
        const float dx = head.dx[k], dy = head.dy[k];
        const float ahead = dx * dir.x + dy * dir.y;
        if (ahead <= 0.0f) continue;
        const float l = head.l[k];
        const float side = dx * dir.y - dy * dir.x;
        if (std::abs(side) >= l) continue;
        const float vj = std::max(0.0f, (head.d[k] - l) / m.time_gap_s);
        if (vj < speed) speed = vj, blocker_side = side;
      }
      return speed;
    };
    float blocker_side = 0.0f;
    float v = headwaySpeed(e, blocker_side);
    if (m.overtaking > 0.0f && v < 0.9f * v0_[i]) {
      // Held up by someone slower: try leaning to either side (not into a wall) and take the
      // side that frees the way most. Left first, so ties resolve the same way every time.
      Vec2f best_dir = e;
      float best_v = v + 0.1f;
      const bool stalled =
          !periodic && static_cast<float>(time()) - last_progress_[i] > kWidenAfter;
      for (const float lean : {m.overtaking, stalled ? 3.0f * m.overtaking : 0.0f}) {
        if (lean <= 0.0f) continue;
        for (const Vec2f lateral : {Vec2f{-e.y, e.x}, Vec2f{e.y, -e.x}}) {
          const Vec2f turned = normalized(e + lateral * lean);
          if (walls.crosses(p, p + turned * (ri + 0.5f))) continue;
          float unused = 0.0f;
          const float v_turned = headwaySpeed(turned, unused);
          if (v_turned > best_v) best_v = v_turned, best_dir = turned;
        }
      }
      if (best_dir != e) e = best_dir, v = best_v;
    }
    Vec2f q = p + e * (v * dt);
    if (periodic) {
      if (q.x >= s.periodic_x_max)
        q.x -= width;
      else if (q.x < s.periodic_x_min)
        q.x += width;
    } else if (walls.crosses(p, q) || !nav.walkableAt(q)) {
      // Never through a wall: slide along the wall that blocks, or stand still.
      q = p;
      v = 0.0f;
      walls.forEachNear(p, ri + 0.3f, [&](const Segment& w) {
        if (v > 0.0f) return;
        const Vec2f along = normalized(w.b - w.a);
        const float t = dot(e, along) * v0_[i] * dt;
        const Vec2f slide = p + along * std::copysign(std::min(std::abs(t), 0.5f * v0_[i] * dt), t);
        if (std::abs(t) > 1e-4f && !walls.crosses(p, slide) && nav.walkableAt(slide))
          q = slide, v = std::abs(t) / dt;
      });
    }
    return WalkerMove{q, v, e};
  });
}

}  // namespace citytwin::engine::crowd
