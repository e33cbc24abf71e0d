#pragma once
// What a crowd simulation is asked to do: the space, where people come from and go to, who
// they are, and what to measure. Plain data; the YAML reader and tests fill it in.
#include <cstdint>
#include <string>
#include <vector>

#include "citytwin/geodata/geometry.hpp"

namespace citytwin::engine::crowd {

/// Desired walking speed of a group: normal, clipped (Weidmann 1993: 1.34 +- 0.26 m/s).
struct SpeedDistribution {
  float mean = 1.34f;
  float stddev = 0.26f;
  float min = 0.3f;
  float max = 2.5f;
};

struct PopulationGroup {
  std::string name = "adults";
  SpeedDistribution speed;
  float radius = 0.18f;  ///< body radius in metres (calibrated, see docs/validation.md)
};

enum class StageKind : std::uint8_t {
  kWaypoint,     ///< pass through the area
  kExit,         ///< leave the simulation in the area
  kGate,         ///< pass through at most `service_rate` people per second
  kWaitingArea,  ///< stay `wait_s` seconds, then go on
};

struct Stage {
  std::string name;
  StageKind kind = StageKind::kExit;
  geodata::MultiPolygon2 area;
  float service_rate = 0.0f;  ///< gates: people per second
  float wait_s = 0.0f;        ///< waiting areas
  double opens_at_s = 0.0;    ///< gates: nobody passes before
};

struct Journey {
  std::string name;
  std::vector<std::uint32_t> stages;  ///< indices into CrowdScenario::stages, ending in an exit
};

/// From `from_s` on, people arrive at `rate_per_s` (until the next step or the total is reached).
struct ArrivalStep {
  double from_s = 0.0;
  double rate_per_s = 0.0;
};

struct Source;
/// How many people `source` has sent by `t` (seconds from the start) under its profile, as
/// the simulation spawns them (capped at its total; everyone at once without a profile).
double arrivalsUntil(const Source& source, double t);

struct Source {
  std::string name;
  geodata::MultiPolygon2 area;
  std::uint32_t journey = 0;
  std::uint32_t agents = 0;          ///< how many people in all
  std::vector<ArrivalStep> profile;  ///< empty: everyone is there at t = 0
  std::vector<float> group_shares;   ///< per population group; empty: the first group
};

/// From `start_s`, everyone heads for the nearest of `exits` (stage indices), or for its
/// assigned exit when `assigned` maps sources to exits.
struct Evacuation {
  double start_s = -1.0;  ///< < 0: no evacuation
  std::vector<std::uint32_t> exits;
  std::vector<std::int32_t> assigned_exit_per_source;  ///< -1: nearest
};

struct MeasurementZone {
  std::string name;
  geodata::MultiPolygon2 area;
};

struct MeasurementLine {
  std::string name;
  geodata::Vec2 a, b;  ///< crossings from its right to its left side count positive
};

/// Collision-free speed model (Tordeux, Chraibi & Seyfried 2016); repulsion as JuPedSim.
struct CollisionFreeSpeedParams {
  float time_gap_s = 0.8f;  ///< calibrated against Weidmann and Zhang et al. 2011 (JuPedSim: 1.0)
  float neighbour_strength = 8.0f;
  float neighbour_range_m = 0.1f;
  float wall_strength = 5.0f;
  float wall_range_m = 0.02f;
  float cutoff_m = 2.0f;  ///< neighbours and walls beyond this do not act
  /// CityTwin's extension: an agent held up by a slower one ahead leans sideways by up to this
  /// much (relative to its direction) when that frees its way; 0 gives the original model.
  float overtaking = 0.5f;
};

/// Social force model (Helbing & Molnar 1995), with the body force of Helbing, Farkas & Vicsek
/// (2000) against overlaps. Forces per unit mass (the papers' 80 kg).
struct SocialForceParams {
  float relaxation_time_s = 0.5f;    ///< tau
  float neighbour_strength = 25.0f;  ///< A / m: 2000 N / 80 kg
  float neighbour_range_m = 0.08f;   ///< B
  float wall_strength = 25.0f;
  float wall_range_m = 0.08f;
  float body_stiffness = 1500.0f;  ///< k / m: 1.2e5 kg/s2 / 80 kg
  float max_speed_factor = 1.3f;   ///< speed capped at this times the desired speed
};

enum class OperationalModel : std::uint8_t { kCollisionFreeSpeed, kSocialForce };

struct CrowdScenario {
  geodata::MultiPolygon2 walkable;
  std::vector<std::vector<geodata::Vec2>> barriers;
  std::vector<std::string> barrier_names;  ///< one per barrier ("" where unnamed)
  float nav_cell_m = 0.25f;
  /// Routes keep this far from walls where they can (walking cost rises closer in).
  float wall_clearance_m = 0.6f;
  double time_step_s = 0.05;
  double duration_s = 600.0;
  std::uint64_t seed = 1;
  std::vector<PopulationGroup> groups{PopulationGroup{}};
  std::vector<Stage> stages;
  std::vector<Journey> journeys;
  std::vector<Source> sources;
  Evacuation evacuation;
  std::vector<MeasurementZone> zones;
  std::vector<MeasurementLine> lines;
  OperationalModel operational_model = OperationalModel::kCollisionFreeSpeed;
  CollisionFreeSpeedParams model;
  SocialForceParams social_force;
  double stuck_after_s = 60.0;  ///< no progress for this long counts as stuck
  /// Quickest-path routing: every this many seconds the routes are recomputed with walking
  /// costs raised where it is crowded (x (1 + congestion_weight x density above 0.5 /m2)),
  /// so people spread over parallel streets. 0: shortest paths only.
  double reroute_interval_s = 0.0;
  float congestion_weight = 1.0f;
  double measure_interval_s = 10.0;  ///< time-series resolution
  /// Periodic corridor: x wraps around over [periodic_x_min, periodic_x_max) (fundamental
  /// diagram measurements). Ignored when min >= max.
  float periodic_x_min = 0.0f, periodic_x_max = 0.0f;
};

}  // namespace citytwin::engine::crowd
