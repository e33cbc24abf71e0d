// Replaying measured trajectories and count series (acceptance 1 of the mobility-data issue):
// virtual sensors on replayed trajectories must count, per interval, what the raw data says,
// and a count series shipped as a CSV must read back as the counts it was derived from.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/engine/mobility/track_replay.hpp"
#include "citytwin/engine/mobility/tracks.hpp"
#include "citytwin/engine/trajectories.hpp"

namespace engine = citytwin::engine;
namespace mobility = citytwin::engine::mobility;
namespace fs = std::filesystem;

namespace {

std::string asset(const std::string& relative) {
  return std::string(CITYTWIN_ASSETS_DIR) + "/" + relative;
}

// The reference: people whose y goes from above `line_y` to at or below it between two frames,
// with x inside [x0, x1] where they cross, binned by the interpolated crossing time. Written
// straight from the raw points, without the engine's counting code.
std::map<long, int> rawDownwardCrossings(const engine::Trajectories& raw, double line_y, double x0,
                                         double x1, double interval_s) {
  std::map<std::uint32_t, std::vector<engine::TrajectoryPoint>> by_id;
  for (const auto& p : raw.points) by_id[p.id].push_back(p);
  std::map<long, int> bins;
  for (auto& [id, points] : by_id) {
    std::sort(points.begin(), points.end(),
              [](const auto& a, const auto& b) { return a.frame < b.frame; });
    for (std::size_t i = 1; i < points.size(); ++i) {
      const auto& a = points[i - 1];
      const auto& b = points[i];
      if (!(a.y > line_y && b.y <= line_y)) continue;
      const double u = (a.y - line_y) / (static_cast<double>(a.y) - b.y);
      const double x = a.x + u * (b.x - a.x);
      if (x < x0 || x > x1) continue;
      const double t = (a.frame + u * (double(b.frame) - a.frame)) / raw.fps;
      ++bins[static_cast<long>(std::floor(t / interval_s))];
    }
  }
  return bins;
}

struct Experiment {
  std::string trajectories;
  double fps, unit_to_m;
  std::string counts_csv;
  double line_y, x0, x1, interval_s;
};

void checkReplayAgainstRawAndFixture(const Experiment& e) {
  const auto raw = engine::readJuelichTrajectories(asset(e.trajectories), e.fps, e.unit_to_m);
  const auto reference = rawDownwardCrossings(raw, e.line_y, e.x0, e.x1, e.interval_s);

  // Replay through the privacy stage in steps of 0.1 s, as the engine's clock would.
  mobility::PrivacyGate gate;
  mobility::TrackReplay replay(mobility::tracksFromTrajectories(raw, gate));
  mobility::LineCounter counter({{"line", {e.x0, e.line_y}, {e.x1, e.line_y}, "out", "in"}}, 0.0,
                                e.interval_s);
  for (double t = replay.beginTime(); t < replay.endTime() + 0.1; t += 0.1) {
    replay.advanceTo(t, &counter);
  }
  const auto out = counter.series(0, mobility::CrossingDirection::kForward, replay.endTime());
  const auto in = counter.series(0, mobility::CrossingDirection::kBackward, replay.endTime());
  EXPECT_EQ(in.total(), 0) << "everyone walks the same way in these experiments";

  // The count series shipped beside the data (derived by scripts/derive-count-fixture.py).
  const auto fixture = mobility::readCountCsv(
      asset(e.counts_csv), {"interval_start_s", "sensor_id", "direction", "persons", 0});
  ASSERT_EQ(fixture.size(), 2u);
  const mobility::CountSeries& observed = fixture[0];
  ASSERT_EQ(observed.direction, "out");
  EXPECT_DOUBLE_EQ(observed.interval_s, e.interval_s);

  int compared = 0;
  ASSERT_GE(out.counts.size(), observed.counts.size() - 1);
  for (std::size_t i = 0; i < observed.counts.size(); ++i) {
    const auto found = reference.find(static_cast<long>(i));
    const double raw_count = found == reference.end() ? 0.0 : found->second;
    EXPECT_EQ(observed.counts[i], raw_count) << e.counts_csv << " interval " << i;
    const double replayed = i < out.counts.size() ? out.counts[i] : 0.0;
    EXPECT_EQ(replayed, raw_count) << e.trajectories << " interval " << i;
    compared += raw_count > 0;
  }
  EXPECT_GE(compared, 5) << "the experiment spans several busy intervals";
  double raw_total = 0;
  for (const auto& [bin, n] : reference) raw_total += n;
  EXPECT_EQ(out.total(), raw_total);
  EXPECT_EQ(observed.total(), raw_total);
}

}  // namespace

TEST(Replay, BottleneckCountsPerIntervalMatchTheRawTrajectoriesAndTheShippedSeries) {
  // Juelich bottleneck, 0.5 m wide: a line across the gap, 5 s intervals. 75 people pass.
  checkReplayAgainstRawAndFixture({"pedestrians/bottleneck/040_c_56_h-.txt.gz", 25, 1.0,
                                   "counts/bottleneck-040-gap.csv", -0.6, -0.5, 0.5, 5.0});
}

TEST(Replay, CorridorCountsPerIntervalMatchTheRawTrajectoriesAndTheShippedSeries) {
  // Unidirectional corridor, 1.8 m wide, the densest run: the measurement line y = 0.
  checkReplayAgainstRawAndFixture({"pedestrians/unidirectional/uo-180-180-180.txt.gz", 16, 0.01,
                                   "counts/uo-180-180-180-line.csv", 0.0, 0.0, 1.8, 10.0});
}

TEST(Replay, PositionsAreInterpolatedBetweenSamplesAndTracksComeAndGo) {
  mobility::TrackTable table;
  table.track_count = 2;
  table.push(0, 0.0, 0.0f, 0.0f);
  table.push(0, 2.0, 2.0f, 4.0f);
  table.push(1, 1.0, 10.0f, 0.0f);
  table.push(1, 3.0, 10.0f, 2.0f);
  mobility::TrackReplay replay(table);
  EXPECT_DOUBLE_EQ(replay.beginTime(), 0.0);
  EXPECT_DOUBLE_EQ(replay.endTime(), 3.0);
  std::vector<mobility::ReplayedPosition> at;
  replay.positionsAt(0.5, at);
  ASSERT_EQ(at.size(), 1u) << "track 1 has not started";
  EXPECT_FLOAT_EQ(at[0].x, 0.5f);
  EXPECT_FLOAT_EQ(at[0].y, 1.0f);
  replay.positionsAt(1.5, at);
  ASSERT_EQ(at.size(), 2u);
  EXPECT_FLOAT_EQ(at[1].y, 0.5f);
  replay.positionsAt(2.5, at);
  ASSERT_EQ(at.size(), 1u) << "track 0 has left";
  EXPECT_EQ(at[0].track, 1u);
}

TEST(Replay, SeekingJumpsWithoutCountingAndPlayingOnCountsOnlyWhatWasPlayed) {
  mobility::TrackTable table;
  table.track_count = 3;
  for (std::uint32_t k = 0; k < 3; ++k) {  // three people crossing y = 0 at t = 10, 20, 30
    table.push(k, 10.0 * (k + 1) - 1, 0.0f, 1.0f);
    table.push(k, 10.0 * (k + 1) + 1, 0.0f, -1.0f);
  }
  mobility::TrackReplay replay(table);
  mobility::LineCounter counter({{"l", {-1, 0}, {1, 0}, "out", "in"}}, 0.0, 60.0);
  replay.seek(15.0);
  replay.advanceTo(40.0, &counter);
  EXPECT_EQ(counter.series(0, mobility::CrossingDirection::kForward, 40).total(), 2);
  replay.advanceTo(5.0, &counter);  // backwards: a seek
  EXPECT_DOUBLE_EQ(replay.now(), 5.0);
  replay.advanceTo(12.0, &counter);
  EXPECT_EQ(counter.series(0, mobility::CrossingDirection::kForward, 40).total(), 3);
}

TEST(Replay, TheClockPlaysFasterAndLoops) {
  mobility::ReplayClock clock{100.0, 160.0, 10.0, false};
  EXPECT_DOUBLE_EQ(clock.dataTime(0.0), 100.0);
  EXPECT_DOUBLE_EQ(clock.dataTime(3.0), 130.0);
  EXPECT_DOUBLE_EQ(clock.dataTime(30.0), 160.0) << "without loop it stops at the end";
  clock.loop = true;
  EXPECT_DOUBLE_EQ(clock.dataTime(7.0), 110.0);
  EXPECT_EQ(clock.laps(7.0), 1);
  clock.speed = 1000.0;
  EXPECT_EQ(clock.laps(1.0), 16);
}

TEST(Replay, ACsvOfDeviceIdsIsPseudonymisedAtTheDoor) {
  // Wifi-sensor style data: MAC addresses as ids.
  const fs::path path = fs::temp_directory_path() / "citytwin-wifi-tracks.csv";
  std::ofstream(path) << "mac,ts,x_m,y_m\n"
                         "a4:5e:60:d2:1c:07,2024-06-01T14:00:00Z,0,0\n"
                         "f0:18:98:aa:01:02,2024-06-01T14:00:00Z,5,5\n"
                         "a4:5e:60:d2:1c:07,2024-06-01T14:00:04Z,4,0\n"
                         "a4:5e:60:d2:1c:07,2024-06-01T14:00:07Z,7,0\n";
  mobility::PrivacyPolicy policy;
  policy.time_resolution_s = 5;  // one sample per 5 s
  mobility::PrivacyGate gate(policy);
  const auto table = mobility::readTrackCsv(path.string(), {"mac", "ts", "x_m", "y_m"}, gate);
  EXPECT_EQ(table.track_count, 2u);
  ASSERT_EQ(table.size(), 3u) << "the sample at 14:00:04 fell in the 14:00:00 step";
  EXPECT_EQ(table.track[0], 0u);
  EXPECT_DOUBLE_EQ(table.time[1], 1717250405.0);
  EXPECT_FLOAT_EQ(table.x[1], 7.0f);
  // The table holds numbers only: no identifier can be in it, by type.
  static_assert(std::is_same_v<decltype(table.track)::value_type, std::uint32_t>);

  std::ofstream(path) << "mac,ts,x_m,y_m\na4:5e:60:d2:1c:07,14:00,zero,0\n";
  try {
    mobility::readTrackCsv(path.string(), {"mac", "ts", "x_m", "y_m"}, gate);
    FAIL() << "a bad coordinate was accepted";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(":2: column 'x_m'"), std::string::npos) << message;
    EXPECT_EQ(message.find("a4:5e"), std::string::npos) << "the error repeats the identifier";
  }
  fs::remove(path);
}
