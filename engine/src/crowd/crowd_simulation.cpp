#include "citytwin/engine/crowd/crowd_simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "../rng.hpp"
#include "citytwin/engine/crowd/neighbour_grid.hpp"
#include "citytwin/engine/crowd/voronoi_density.hpp"

namespace citytwin::engine::crowd {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kReachCost = 0.3f;     // metres of walking left: the stage is reached
constexpr float kQueueReach = 30.0f;   // metres of walking to a gate within which people queue
constexpr float kQueueSpeed = 0.5f;    // m/s: slower than this near a gate is queueing
constexpr float kProgressStep = 0.5f;  // metres of route gained: the agent made progress
constexpr float kWallReach = 0.6f;     // walls farther than this do not push
// Zipper courtesy: someone who has made no progress for kYieldAfter seconds longer than me,
// standing ahead of me, gets kYieldGap metres more room, so a stream opens a gap for a person
// trying to merge into it (a collision-free speed model alone lets the stream starve them).
constexpr float kYieldAfter = 20.0f;
constexpr float kYieldGap = 0.4f;
// Someone stalled this long also tries turning further (about 56 degrees) to find a way on.
constexpr float kWidenAfter = 5.0f;
constexpr std::size_t kGrain = 512;

// Where the nearest walkable space lies from an area that has none, for error messages:
// "12 m to the north-east of its centre".
std::string nearestWalkableHint(NavGrid& nav, const geodata::MultiPolygon2& area) {
  const auto b = geodata::bounds(area);
  const Vec2f c{static_cast<float>(0.5 * (b.min_x + b.max_x)),
                static_cast<float>(0.5 * (b.min_y + b.max_y))};
  constexpr float kSearch = 500.0f;
  int cx = 0, cy = 0;
  if (!nav.nearestWalkable(c, kSearch, cx, cy))
    return "there is no walkable space within 500 m of it: check its coordinates and the "
           "scenario's crs (or give points as {lat: ..., lon: ...})";
  const Vec2f d = nav.cellCentre(cx, cy) - c;
  static const char* const kCompass[8] = {"east", "north-east", "north", "north-west",
                                          "west", "south-west", "south", "south-east"};
  const double angle = std::atan2(static_cast<double>(d.y), static_cast<double>(d.x));
  const int sector = static_cast<int>(std::lround(angle / (M_PI / 4.0)) + 8) % 8;
  return "the nearest walkable point is " + std::to_string(std::lround(norm(d))) + " m to the " +
         kCompass[sector] + " of its centre: move it onto a street or square";
}

}  // namespace

double arrivalsUntil(const Source& s, double t) {
  if (s.profile.empty()) return s.agents;
  double n = 0.0;
  for (std::size_t k = 0; k < s.profile.size(); ++k) {
    const double from = s.profile[k].from_s;
    const double to = k + 1 < s.profile.size() ? s.profile[k + 1].from_s : 1e300;
    if (t > from) n += s.profile[k].rate_per_s * (std::min(t, to) - from);
  }
  return std::min(n, static_cast<double>(s.agents));
}

char fruinLevel(double density) {
  // Walkway levels by area per person (Fruin 1971): A > 3.3 m2, B 2.3-3.3, C 1.4-2.3,
  // D 0.9-1.4, E 0.5-0.9, F < 0.5.
  if (density < 1.0 / 3.3) return 'A';
  if (density < 1.0 / 2.3) return 'B';
  if (density < 1.0 / 1.4) return 'C';
  if (density < 1.0 / 0.9) return 'D';
  if (density < 1.0 / 0.5) return 'E';
  return 'F';
}

struct CrowdSimulation::Impl {
  tbb::task_arena arena;
  NeighbourGrid grid;
  std::vector<Rng> source_rng;
  std::vector<std::size_t> source_spawned;
  std::vector<std::vector<geodata::Vec2>> source_cells;  // walkable cell centres in each source
  std::vector<double> gate_tokens;
  std::vector<float> cost;           // current stage cost after the move
  std::vector<std::uint8_t> beyond;  // agents whose field does not reach them yet
  double next_reroute = 0.0;
  std::vector<geodata::Box2> zone_box;
  std::vector<double> zone_area;
  std::vector<std::uint32_t> evac_journey_of_exit;
  double next_sample = 0.0, next_density_check = 0.0;
  explicit Impl(int threads) : arena(threads) {}
};

CrowdSimulation::CrowdSimulation(CrowdScenario scenario, int threads)
    : scenario_(std::move(scenario)) {
  threads_ =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  impl_ = std::make_unique<Impl>(threads_);
  auto& s = scenario_;
  if (s.groups.empty()) s.groups.emplace_back();
  if (s.time_step_s <= 0 || s.time_step_s > 1)
    throw std::invalid_argument("time_step_s must be in (0, 1] s");
  for (std::size_t k = 0; k < s.stages.size(); ++k)
    if (s.stages[k].area.empty())
      throw std::invalid_argument("stage '" + s.stages[k].name + "' has no area");
  for (const auto& j : s.journeys) {
    if (j.stages.empty()) throw std::invalid_argument("journey '" + j.name + "' has no stages");
    for (auto st : j.stages)
      if (st >= s.stages.size())
        throw std::invalid_argument("journey '" + j.name + "' names a stage that does not exist");
  }
  // Evacuation: one single-stage journey per exit.
  for (auto e : s.evacuation.exits) {
    if (e >= s.stages.size())
      throw std::invalid_argument("evacuation names a stage that does not exist");
    impl_->evac_journey_of_exit.push_back(static_cast<std::uint32_t>(s.journeys.size()));
    s.journeys.push_back({"evacuate via " + s.stages[e].name, {e}});
  }
  fields_ = std::make_unique<DistanceFieldSet>(s, threads_);
  NavGrid& nav = fields_->grid();

  // A stage people head for must lie on or near (within 500 m of) the walkable space.
  for (const auto& j : s.journeys)
    for (auto st : j.stages)
      if (fields_->field(st).completed() && fields_->field(st).cellsReached() == 0)
        throw std::invalid_argument("stage '" + s.stages[st].name +
                                    "' lies off the walkable space; " +
                                    nearestWalkableHint(nav, s.stages[st].area));
  // Spawn cells and reachability of every source's journey.
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    const Source& src = s.sources[k];
    if (src.journey >= s.journeys.size())
      throw std::invalid_argument("source '" + src.name + "' names a journey that does not exist");
    std::vector<geodata::Vec2> cells;
    const auto b = geodata::bounds(src.area);
    nav.ensureBox(b);
    for (int cy = nav.cellY(static_cast<float>(b.min_y));
         cy <= nav.cellY(static_cast<float>(b.max_y)); ++cy)
      for (int cx = nav.cellX(static_cast<float>(b.min_x));
           cx <= nav.cellX(static_cast<float>(b.max_x)); ++cx) {
        if (!nav.walkable(cx, cy) || nav.wallDistance(cx, cy) < 0.3f) continue;
        const Vec2f c = nav.cellCentre(cx, cy);
        if (geodata::contains(src.area, {c.x, c.y})) cells.push_back({c.x, c.y});
      }
    if (cells.empty())
      throw std::invalid_argument("source '" + src.name + "' covers no walkable space; " +
                                  nearestWalkableHint(nav, src.area));
    // Only spots from which the first stage can be reached: the walkable space of a real city
    // has islands (a courtyard, a pier) that a source circle may touch.
    const auto first_stage = s.journeys[src.journey].stages.front();
    const auto& first = fields_->field(first_stage);
    std::erase_if(cells, [&](const geodata::Vec2& c) {
      return !first.reachable({static_cast<float>(c.x), static_cast<float>(c.y)});
    });
    if (cells.empty())
      throw std::invalid_argument("source '" + src.name + "' cannot reach stage '" +
                                  s.stages[first_stage].name +
                                  "': the walkable space between them is disconnected");
    impl_->source_cells.push_back(std::move(cells));
    impl_->source_rng.emplace_back(splitmix(s.seed ^ splitmix(k + 1)));
    impl_->source_spawned.push_back(0);
  }
  impl_->gate_tokens.assign(s.stages.size(), 1.0);
  for (const auto& z : s.zones) {
    impl_->zone_box.push_back(geodata::bounds(z.area));
    impl_->zone_area.push_back(geodata::area(z.area));
  }
  max_zone_density_.assign(s.zones.size(), 0.0);
  max_queue_.assign(s.stages.size(), 0);
  exit_counts_.assign(s.stages.size(), 0);
  line_flow_.assign(s.lines.size(), 0);
  line_speed_sum_.assign(s.lines.size(), 0.0);
  line_count_.assign(s.lines.size(), 0);

  // Neighbour cells: the walkable box (or the periodic corridor).
  const bool periodic = s.periodic_x_max > s.periodic_x_min;
  const Vec2f lo = nav.origin();
  const Vec2f hi{lo.x + static_cast<float>(nav.width()) * nav.cellSize(),
                 lo.y + static_cast<float>(nav.height()) * nav.cellSize()};
  const float cell = std::max(s.model.cutoff_m, 0.5f);
  if (periodic)
    impl_->grid.configure({s.periodic_x_min, lo.y}, {s.periodic_x_max, hi.y}, cell, true);
  else
    impl_->grid.configure(lo, hi, cell, false);
}

CrowdSimulation::~CrowdSimulation() = default;

bool CrowdSimulation::finished() const {
  if (time() >= scenario_.duration_s - 1e-9) return true;
  if (!x_.empty()) return false;
  for (std::size_t k = 0; k < scenario_.sources.size(); ++k)
    if (impl_->source_spawned[k] < scenario_.sources[k].agents) return false;
  return true;
}

void CrowdSimulation::spawn() {
  const auto& s = scenario_;
  const double t = time();
  // Occupied spots: existing agents (grid) and the ones placed in this call (hash of 1 m cells).
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> fresh;
  auto key = [](float px, float py) {
    return (static_cast<std::int64_t>(std::floor(px)) << 32) ^
           static_cast<std::int64_t>(std::floor(py) + 1e6);
  };
  impl_->grid.rebuild(x_, y_);
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
  if (x_.size() != existing || x_.empty()) impl_->grid.rebuild(x_, y_);
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

void CrowdSimulation::move() {
  const auto& s = scenario_;
  const auto& m = s.model;
  const std::size_t n = x_.size();
  new_x_.resize(n);
  new_y_.resize(n);
  new_speed_.resize(n);
  const float dt = static_cast<float>(s.time_step_s);
  const bool periodic = s.periodic_x_max > s.periodic_x_min;
  const float width = s.periodic_x_max - s.periodic_x_min;
  const float cutoff2 = m.cutoff_m * m.cutoff_m;
  const bool social = s.operational_model == OperationalModel::kSocialForce;
  const WallSet& walls = fields_->walls();
  const NavGrid& nav = fields_->grid();
  auto body = [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const Vec2f p{x_[i], y_[i]};
      if (waiting_[i] != 0) {
        new_x_[i] = p.x, new_y_[i] = p.y, new_speed_[i] = 0.0f;
        continue;
      }
      const float ri = radius_[i];
      Vec2f e0;
      if (periodic)
        e0 = {1.0f, 0.0f};
      else {
        const auto stage = s.journeys[journey_[i]].stages[journey_pos_[i]];
        e0 = fields_->field(stage).directionAt(p);
        if (e0 == Vec2f{}) e0 = {dir_x_[i], dir_y_[i]};
      }
      if (social) {
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
        new_x_[i] = q.x;
        new_y_[i] = q.y;
        new_speed_[i] = v;
        dir_x_[i] = dir.x;
        dir_y_[i] = dir.y;
        continue;
      }
      // Direction: desired direction plus exponential repulsion from neighbours and walls.
      Vec2f push{};
      impl_->grid.forEachNear(p, x_, y_, [&](std::uint32_t j, float dx, float dy) {
        if (j == i) return;
        const float d2 = dx * dx + dy * dy;
        if (d2 > cutoff2 || d2 <= 0.0f) return;
        const float d = std::sqrt(d2);
        const float strength =
            m.neighbour_strength * std::exp((ri + radius_[j] - d) / m.neighbour_range_m);
        push += Vec2f{-dx / d, -dy / d} * strength;
      });
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
      auto headwaySpeed = [&](Vec2f dir, float& blocker_side) {
        float speed = v0_[i];
        impl_->grid.forEachNear(p, x_, y_, [&](std::uint32_t j, float dx, float dy) {
          if (j == i) return;
          const float ahead = dx * dir.x + dy * dir.y;
          if (ahead <= 0.0f) return;
          float l = ri + radius_[j];
          if (!periodic && waiting_[j] == 0 && last_progress_[j] < last_progress_[i] - kYieldAfter)
            l += kYieldGap;
          const float side = dx * dir.y - dy * dir.x;
          if (std::abs(side) >= l) return;
          const float d = std::sqrt(dx * dx + dy * dy);
          const float vj = std::max(0.0f, (d - l) / m.time_gap_s);
          if (vj < speed) speed = vj, blocker_side = side;
        });
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
          const Vec2f slide =
              p + along * std::copysign(std::min(std::abs(t), 0.5f * v0_[i] * dt), t);
          if (std::abs(t) > 1e-4f && !walls.crosses(p, slide) && nav.walkableAt(slide))
            q = slide, v = std::abs(t) / dt;
        });
      }
      new_x_[i] = q.x;
      new_y_[i] = q.y;
      new_speed_[i] = v;
      dir_x_[i] = e.x;
      dir_y_[i] = e.y;
    }
  };
  impl_->arena.execute(
      [&] { tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain), body); });

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
  std::swap(x_, new_x_);
  std::swap(y_, new_y_);
  std::swap(speed_, new_speed_);
}

void CrowdSimulation::advanceStages() {
  const auto& s = scenario_;
  const std::size_t n = x_.size();
  const double t = time();
  const bool periodic = s.periodic_x_max > s.periodic_x_min;
  remove_.assign(n, 0);
  exit_stage_.assign(n, 0);
  for (std::size_t k = 0; k < s.stages.size(); ++k)
    if (s.stages[k].kind == StageKind::kGate && t < s.stages[k].opens_at_s)
      impl_->gate_tokens[k] = 0.0;  // not open yet: nobody passes
    else if (s.stages[k].kind == StageKind::kGate)
      // Tokens accrue at the service rate; an idle gate banks at most one step's worth (and at
      // least one person), so a fast gate can pass several people in one step.
      impl_->gate_tokens[k] =
          std::min(std::max(1.0, s.stages[k].service_rate * s.time_step_s),
                   impl_->gate_tokens[k] + s.stages[k].service_rate * s.time_step_s);
  if (periodic) return;
  auto& cost = impl_->cost;
  cost.resize(n);
  impl_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          const auto stage = s.journeys[journey_[i]].stages[journey_pos_[i]];
                          cost[i] = fields_->field(stage).costAt({x_[i], y_[i]});
                        }
                      });
  });
  const float dt = static_cast<float>(s.time_step_s);
  std::vector<std::size_t> queue(s.stages.size(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    auto next = [&] {
      waiting_[i] = 0;
      best_cost_[i] = kInf;
      last_progress_[i] = static_cast<float>(t);
      if (journey_pos_[i] + 1u >= s.journeys[journey_[i]].stages.size()) {
        remove_[i] = 1;  // the journey ends here
        exit_stage_[i] = s.journeys[journey_[i]].stages[journey_pos_[i]];
      } else {
        ++journey_pos_[i];
      }
    };
    const auto stage_index = s.journeys[journey_[i]].stages[journey_pos_[i]];
    const Stage& stage = s.stages[stage_index];
    if (stage.kind == StageKind::kGate &&
        (waiting_[i] == 1 || (cost[i] < kQueueReach && speed_[i] < kQueueSpeed)))
      ++queue[stage_index];
    if (waiting_[i] != 0 || speed_[i] < 0.1f) wait_total_[i] += dt;
    if (waiting_[i] == 2) {
      if (t >= wait_until_[i]) next();
      continue;
    }
    if (waiting_[i] == 1) {
      if (impl_->gate_tokens[stage_index] >= 1.0) impl_->gate_tokens[stage_index] -= 1.0, next();
      continue;
    }
    if (cost[i] <= kReachCost) {
      switch (stage.kind) {
        case StageKind::kExit:
          remove_[i] = 1;
          exit_stage_[i] = stage_index;
          break;
        case StageKind::kWaypoint:
          next();
          break;
        case StageKind::kGate:
          if (impl_->gate_tokens[stage_index] >= 1.0)
            impl_->gate_tokens[stage_index] -= 1.0, next();
          else
            waiting_[i] = 1;
          break;
        case StageKind::kWaitingArea:
          waiting_[i] = 2;
          wait_until_[i] = static_cast<float>(t + stage.wait_s);
          break;
      }
      continue;
    }
    if (cost[i] < best_cost_[i] - kProgressStep) {
      best_cost_[i] = cost[i];
      last_progress_[i] = static_cast<float>(t);
    } else if (!stuck_flag_[i] && t - last_progress_[i] > s.stuck_after_s) {
      stuck_flag_[i] = 1;
      ++stuck_;
    }
  }
  for (std::size_t k = 0; k < queue.size(); ++k) max_queue_[k] = std::max(max_queue_[k], queue[k]);
}

void CrowdSimulation::removeArrived() {
  const std::size_t n = x_.size();
  std::size_t w = 0;
  const double t = time();
  for (std::size_t i = 0; i < n; ++i) {
    if (remove_[i]) {
      ++exit_counts_[exit_stage_[i]];
      travel_times_.push_back(static_cast<float>(t) - spawn_time_[i]);
      waiting_times_.push_back(wait_total_[i]);
      arrived_ids_.push_back(id_[i]);
      ++arrived_;
      last_exit_time_ = t;
      continue;
    }
    if (w != i) {
      id_[w] = id_[i], x_[w] = x_[i], y_[w] = y_[i], speed_[w] = speed_[i], v0_[w] = v0_[i],
      radius_[w] = radius_[i];
      dir_x_[w] = dir_x_[i], dir_y_[w] = dir_y_[i], journey_[w] = journey_[i],
      journey_pos_[w] = journey_pos_[i];
      waiting_[w] = waiting_[i], wait_until_[w] = wait_until_[i], spawn_time_[w] = spawn_time_[i];
      best_cost_[w] = best_cost_[i], last_progress_[w] = last_progress_[i],
      wait_total_[w] = wait_total_[i];
      stuck_flag_[w] = stuck_flag_[i], source_of_[w] = source_of_[i];
    }
    ++w;
  }
  for (auto* v : {&x_, &y_, &speed_, &v0_, &radius_, &dir_x_, &dir_y_, &wait_until_, &spawn_time_,
                  &best_cost_, &last_progress_, &wait_total_})
    v->resize(w);
  id_.resize(w);
  journey_.resize(w);
  journey_pos_.resize(w);
  waiting_.resize(w);
  stuck_flag_.resize(w);
  source_of_.resize(w);
}

void CrowdSimulation::assignEvacuationExit(std::size_t i) {
  const auto& s = scenario_;
  std::size_t best = 0;
  const std::int32_t assigned = source_of_[i] < s.evacuation.assigned_exit_per_source.size()
                                    ? s.evacuation.assigned_exit_per_source[source_of_[i]]
                                    : -1;
  if (assigned >= 0) {
    best = static_cast<std::size_t>(assigned);
  } else {
    float best_cost = kInf;
    for (std::size_t e = 0; e < s.evacuation.exits.size(); ++e) {
      fields_->cover(s.evacuation.exits[e], {x_[i], y_[i]});
      const float c = fields_->field(s.evacuation.exits[e]).costAt({x_[i], y_[i]});
      if (c < best_cost) best_cost = c, best = e;
    }
  }
  journey_[i] = static_cast<std::uint16_t>(impl_->evac_journey_of_exit[best]);
  journey_pos_[i] = 0;
  waiting_[i] = 0;
  best_cost_[i] = kInf;
  last_progress_[i] = static_cast<float>(time());
}

void CrowdSimulation::startEvacuation() {
  evacuating_ = true;
  for (std::size_t i = 0; i < x_.size(); ++i) assignEvacuationExit(i);
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

void CrowdSimulation::step() {
  const std::size_t before = x_.size();
  spawn();
  if (evacuating_) {
    for (std::size_t i = before; i < x_.size(); ++i) assignEvacuationExit(i);  // late arrivals
  } else if (scenario_.evacuation.start_s >= 0 && time() >= scenario_.evacuation.start_s &&
             !scenario_.evacuation.exits.empty()) {
    startEvacuation();
  }
  if (scenario_.reroute_interval_s > 0.0 && time() + 1e-9 >= impl_->next_reroute) {
    if (time() > 0.0) reroute();
    impl_->next_reroute = time() + scenario_.reroute_interval_s;
  }
  navigate();
  move();
  ++steps_;
  advanceStages();
  removeArrived();
  measure();
}

void CrowdSimulation::navigate() {
  // Every agent's field must reach where the agent stands before the move reads it: find the
  // ones beyond (in parallel, reading only), then march those fields on, one after another.
  const auto& s = scenario_;
  const std::size_t n = x_.size();
  if (s.periodic_x_max > s.periodic_x_min) return;
  auto& beyond = impl_->beyond;
  beyond.assign(n, 0);
  impl_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          const auto stage = s.journeys[journey_[i]].stages[journey_pos_[i]];
                          beyond[i] = !fields_->field(stage).covers({x_[i], y_[i]});
                        }
                      });
  });
  for (std::size_t i = 0; i < n; ++i)
    if (beyond[i]) fields_->cover(s.journeys[journey_[i]].stages[journey_pos_[i]], {x_[i], y_[i]});
}

void CrowdSimulation::reroute() {
  // Local density on the navigation grid: people per cell, box-averaged over about 3 m.
  fields_->reroute(scenario_,
                   std::make_shared<const CongestionMap>(
                       congestionFrom(fields_->grid(), x_, y_, scenario_.congestion_weight)),
                   threads_);
  // Progress is measured along the route each agent now follows: re-baseline, keeping the
  // time of the last progress, so a new route neither hides nor fakes a standstill.
  for (std::size_t i = 0; i < x_.size(); ++i)
    if (best_cost_[i] != kInf) {
      const auto stage = scenario_.journeys[journey_[i]].stages[journey_pos_[i]];
      fields_->cover(stage, {x_[i], y_[i]});
      best_cost_[i] = fields_->field(stage).costAt({x_[i], y_[i]});
    }
}

void CrowdSimulation::run(const std::function<void(double)>& progress,
                          const std::atomic<bool>* cancel) {
  std::size_t since = 0;
  while (!finished()) {
    if (cancel && cancel->load()) return;
    step();
    if (progress && ++since >= 20) {
      since = 0;
      progress(std::min(1.0, time() / scenario_.duration_s));
    }
  }
  if (progress) progress(1.0);
}

CrowdSummary CrowdSimulation::summary() const {
  CrowdSummary out;
  out.agents_spawned = spawned_;
  out.agents_arrived = arrived_;
  out.agents_stuck = stuck_;
  out.agents_remaining = x_.size();
  out.max_density_per_zone = max_zone_density_;
  out.max_queue_per_stage = max_queue_;
  out.max_voronoi_density_per_zone.assign(scenario_.zones.size(), 0.0);
  for (const auto& row : samples_)
    for (std::size_t z = 0; z < row.zone_voronoi.size(); ++z)
      out.max_voronoi_density_per_zone[z] =
          std::max(out.max_voronoi_density_per_zone[z], row.zone_voronoi[z]);
  if (evacuating_ && x_.empty() && last_exit_time_ >= 0)
    out.evacuation_time_s = last_exit_time_ - scenario_.evacuation.start_s;
  double sum = 0.0;
  for (float tt : travel_times_) sum += tt;
  out.mean_travel_time_s =
      travel_times_.empty() ? 0.0 : sum / static_cast<double>(travel_times_.size());
  double wsum = 0.0;  // over those who arrived, as the travel times
  for (float w : waiting_times_) wsum += w;
  out.mean_waiting_time_s =
      waiting_times_.empty() ? 0.0 : wsum / static_cast<double>(waiting_times_.size());
  out.steps = steps_;
  out.simulated_time_s = time();
  return out;
}

std::uint64_t CrowdSimulation::stateHash() const {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::uint32_t v) {
    for (int b = 0; b < 4; ++b) h = (h ^ ((v >> (8 * b)) & 0xFF)) * 1099511628211ull;
  };
  for (std::size_t i = 0; i < x_.size(); ++i) {
    mix(id_[i]);
    mix(std::bit_cast<std::uint32_t>(x_[i]));
    mix(std::bit_cast<std::uint32_t>(y_[i]));
  }
  mix(static_cast<std::uint32_t>(arrived_));
  return h;
}

}  // namespace citytwin::engine::crowd
