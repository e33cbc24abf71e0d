#pragma once
// Observed movements (people or vehicles) after the privacy stage: every identifier in the
// source became a pseudonym at the door and then a plain track number, in the order tracks
// first appear in the source. Nothing here holds or can recover the source's identifiers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace citytwin::engine {
struct Trajectories;
}

namespace citytwin::engine::mobility {

class PrivacyGate;

/// What moves along a track: people, or a kind of vehicle (for drawing and reports).
enum class TrackMode : std::uint8_t { kPedestrian, kCar, kBus, kTruck, kBicycle };

/// "pedestrian", "car", "bus", "truck", "bicycle".
const char* trackModeName(TrackMode mode);

/// Samples as a structure of arrays, in source order until sorted.
struct TrackTable {
  std::vector<double> time;  ///< s
  std::vector<float> x, y;   ///< local metres
  std::vector<std::uint32_t> track;
  std::uint32_t track_count = 0;

  std::size_t size() const { return time.size(); }
  void push(std::uint32_t track_id, double t, float px, float py) {
    track.push_back(track_id);
    time.push_back(t);
    x.push_back(px);
    y.push_back(py);
  }
  /// Orders the samples by track, then time (stable, so equal times keep the source order).
  void sortByTrackAndTime();
};

/// Which column of a trajectory CSV holds what.
struct TrackCsvColumns {
  std::string id = "id";  ///< the identifier: pseudonymised on reading
  std::string time = "time";
  std::string x = "x";
  std::string y = "y";
  /// When the time column counts frames: frames per second (0: it holds seconds or times).
  double frames_per_second = 0.0;
  /// Added to every time (s): where the data's clock starts in the scenario's.
  double time_offset_s = 0.0;
  /// Multiplies coordinates (0.01 for centimetres).
  double unit_to_m = 1.0;
};

/// Reads `id, time, x, y` rows (more columns are ignored) through the privacy gate: each
/// identifier is pseudonymised as soon as its cell is read, and the policy's coarsening is
/// applied. Throws std::runtime_error naming the file, line and column on bad cells.
TrackTable readTrackCsv(const std::string& path, const TrackCsvColumns& columns, PrivacyGate& gate);

/// Reads SUMO floating car data (`<timestep time=..><vehicle id=.. x=.. y=..>`), vehicle and
/// person ids pseudonymised at the door.
TrackTable readSumoFcd(const std::string& path, PrivacyGate& gate, double time_offset_s = 0.0);

/// Juelich / PeTrack trajectories (experiment ids) passed through the gate like any source.
TrackTable tracksFromTrajectories(const Trajectories& trajectories, PrivacyGate& gate,
                                  double time_offset_s = 0.0);

/// The policy's coarsening: one sample per track per time step (the first), positions on a
/// grid. The readers above apply it; it sorts the table. Returns the samples removed.
std::size_t coarsen(TrackTable& table, const PrivacyGate& gate);
/// On a table sorted by track and time: one sample per track and time (the first). Returns the
/// samples removed.
std::size_t keepFirstPerTime(TrackTable& table);
/// Deletes samples older than the policy's retention at `now_s`. Returns the samples removed.
std::size_t deleteExpired(TrackTable& table, const PrivacyGate& gate, double now_s);

}  // namespace citytwin::engine::mobility
