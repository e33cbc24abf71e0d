// Social force model (Helbing & Molnar 1995, with the body force of Helbing, Farkas & Vicsek
// 2000): each person relaxes to the desired velocity, pushed by neighbours and walls. Compute
// only: new positions, speeds and headings go to the step's new_* buffers.
#include "crowd_simulation_internal.hpp"

namespace citytwin::engine::crowd {

void CrowdSimulation::computeSocialForce() {
  const auto& s = scenario_;
  const auto& m = s.model;
  const float dt = static_cast<float>(s.time_step_s);
  const float cutoff2 = m.cutoff_m * m.cutoff_m;
  const WallSet& walls = fields_->walls();
  const NavGrid& nav = fields_->grid();
  forEachWalker([&](std::size_t i, Vec2f p, Vec2f e0) {
    const float ri = radius_[i];
    // Social force: relax to the desired velocity, pushed by neighbours and walls.
    const auto& sf = s.social_force;
    const Vec2f v_now = Vec2f{dir_x_[i], dir_y_[i]} * speed_[i];
    Vec2f a = (e0 * v0_[i] - v_now) * (1.0f / sf.relaxation_time_s);
    impl_->grid.forEachNear(p, x_, y_, [&](std::uint32_t j, float dx, float dy) {
      if (j == i) return;
      const float d2 = dx * dx + dy * dy;
      if (d2 > cutoff2 || d2 <= 0.0f) return;
      const float d = std::sqrt(d2);
      const float overlap = ri + radius_[j] - d;
      float f = sf.neighbour_strength * std::exp(overlap / sf.neighbour_range_m);
      if (overlap > 0.0f) f += sf.body_stiffness * overlap;
      a += Vec2f{-dx / d, -dy / d} * f;
    });
    walls.forEachNear(p, kWallReach, [&](const Segment& w) {
      const Vec2f away = p - closestPoint(w, p);
      const float d = norm(away);
      if (d <= 1e-6f || d > kWallReach) return;
      const float overlap = ri - d;
      float f = sf.wall_strength * std::exp(overlap / sf.wall_range_m);
      if (overlap > 0.0f) f += sf.body_stiffness * overlap;
      a += away * (f / d);
    });
    Vec2f v_new = v_now + a * dt;
    const float vmax = sf.max_speed_factor * v0_[i];
    if (norm(v_new) > vmax) v_new = normalized(v_new) * vmax;
    Vec2f q = p + v_new * dt;
    float v = norm(v_new);
    if (walls.crosses(p, q) || !nav.walkableAt(q)) q = p, v = 0.0f;
    const Vec2f dir = v > 1e-6f ? normalized(v_new) : e0;
    return WalkerMove{q, v, dir};
  });
}

}  // namespace citytwin::engine::crowd
