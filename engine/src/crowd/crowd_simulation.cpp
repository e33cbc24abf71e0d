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

#include "crowd_simulation_internal.hpp"

namespace citytwin::engine::crowd {

namespace {

// Where the nearest walkable space lies from an area that has none, for error messages:
// "12 m to the north-east of its centre".
std::string nearestWalkableHint(NavGrid& nav, const geodata::MultiPolygon2& area) {
  const auto b = geodata::bounds(area);
  const Vec2f c{static_cast<float>(0.5 * (b.min_x + b.max_x)),
                static_cast<float>(0.5 * (b.min_y + b.max_y))};
  int cx = 0, cy = 0;
  if (!nav.nearestWalkable(c, kSnapToWalkableMetres, cx, cy))
    return "there is no walkable space within " +
           std::to_string(std::lround(kSnapToWalkableMetres)) +
           " m of it: check its coordinates and the scenario's crs (or give points as {lat: ..., "
           "lon: ...})";
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

  // A stage people head for must lie on or near (within kSnapToWalkableMetres of) the walkable
  // space: a field that reached no cell had nothing to snap to.
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

// One step is a short, fixed list of systems (as JuPedSim's Simulation::Iterate); each runs
// over all agents, in parallel where it only writes its own agent's data:
//   spawn       sources place new people; the neighbour grid and its cell-order copies
//   evacuation  from its start time everyone heads for an exit
//   reroute     every reroute_interval, fields with walking costs raised where it is crowded
//   navigate    every field reaches the people steering by it
//   model       the operational model computes new positions (collision-free speed or social
//               force), into new_* buffers
//   observe     counting lines read the old and the new positions
//   apply       the new positions become the current ones
//   stages      who reached their stage; gates, waiting areas, progress, standstill
//   remove      arrivals leave (travel and waiting times)
//   measure     zone densities and the time series
void CrowdSimulation::step() {
  const std::size_t before = x_.size();
  spawn();
  if (evacuating_) {
    for (std::size_t i = before; i < x_.size(); ++i) assignEvacuationExit(i);  // late arrivals
  } else if (scenario_.evacuation.start_s >= 0 && time() >= scenario_.evacuation.start_s &&
             !scenario_.evacuation.exits.empty()) {
    startEvacuation();
    rebuildNeighbours();  // the cell-order copies read who waits and since when
  }
  if (scenario_.reroute_interval_s > 0.0 && time() + 1e-9 >= impl_->next_reroute) {
    if (time() > 0.0) reroute();
    impl_->next_reroute = time() + scenario_.reroute_interval_s;
  }
  navigate();
  const std::size_t n = x_.size();
  new_x_.resize(n);
  new_y_.resize(n);
  new_speed_.resize(n);
  if (scenario_.operational_model == OperationalModel::kSocialForce)
    computeSocialForce();
  else
    computeCollisionFreeSpeed();
  observeLineCrossings();
  std::swap(x_, new_x_);
  std::swap(y_, new_y_);
  std::swap(speed_, new_speed_);
  ++steps_;
  advanceStages();
  removeArrived();
  measure();
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
