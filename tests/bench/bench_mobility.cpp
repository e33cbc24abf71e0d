// Ingest throughput of mobility data through the privacy stage: observations (count rows) and
// trajectory points per second, and replay with virtual sensors.
// Run: build/release/tests/bench/citytwin_bench --benchmark_filter=Ingest\|Replay
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/engine/mobility/track_replay.hpp"
#include "citytwin/engine/mobility/tracks.hpp"
#include "citytwin/engine/trajectories.hpp"

namespace {

namespace fs = std::filesystem;
namespace mobility = citytwin::engine::mobility;

std::string asset(const char* relative) {
  return std::string(CITYTWIN_ASSETS_DIR) + "/" + relative;
}

// A day of 1-minute counts from 200 sensors, two directions: 576,000 rows with ISO times.
const std::string& countTable() {
  static const std::string path = [] {
    const fs::path p = fs::temp_directory_path() / "citytwin-bench-counts.csv";
    std::ofstream out(p);
    out << "time,sensor,direction,count\n";
    char row[96];
    for (int sensor = 0; sensor < 200; ++sensor) {
      for (int minute = 0; minute < 1440; ++minute) {
        for (const char* direction : {"in", "out"}) {
          std::snprintf(row, sizeof row, "2024-06-01T%02d:%02d:00+02:00,S%03d,%s,%d\n", minute / 60,
                        minute % 60, sensor, direction, (sensor * 7 + minute) % 90);
          out << row;
        }
      }
    }
    return p.string();
  }();
  return path;
}

// Wifi-sensor style trajectories: 20,000 devices (MAC addresses) x 50 samples = 1 M points.
const std::string& trackTable() {
  static const std::string path = [] {
    const fs::path p = fs::temp_directory_path() / "citytwin-bench-tracks.csv";
    std::ofstream out(p);
    out << "mac,time,x,y\n";
    char row[96];
    for (int sample = 0; sample < 50; ++sample) {
      for (int device = 0; device < 20000; ++device) {
        std::snprintf(row, sizeof row, "02:00:5e:%02x:%02x:%02x,%d,%.2f,%.2f\n", device >> 16,
                      (device >> 8) & 0xff, device & 0xff, sample * 2 + device % 2,
                      device % 400 * 1.5 + sample * 0.8, device / 400 * 2.0);
        out << row;
      }
    }
    return p.string();
  }();
  return path;
}

void BM_IngestCountCsv(benchmark::State& state) {
  const std::string& path = countTable();
  std::size_t rows = 0;
  for (auto _ : state) {
    const auto series = mobility::readCountCsv(path);
    rows = 0;
    for (const auto& s : series) rows += s.counts.size();
    benchmark::DoNotOptimize(series.data());
  }
  state.counters["observations/s"] =
      benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestCountCsv)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IngestTrackCsv(benchmark::State& state) {
  const std::string& path = trackTable();
  std::size_t points = 0;
  for (auto _ : state) {
    mobility::PrivacyGate gate;
    const auto table = mobility::readTrackCsv(path, {"mac", "time", "x", "y"}, gate);
    points = table.size();
    benchmark::DoNotOptimize(table.x.data());
  }
  state.counters["points/s"] =
      benchmark::Counter(static_cast<double>(points) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestTrackCsv)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IngestJuelich(benchmark::State& state) {
  const std::string path = asset("pedestrians/unidirectional/uo-180-180-180.txt.gz");
  std::size_t points = 0;
  for (auto _ : state) {
    mobility::PrivacyGate gate;
    const auto raw = citytwin::engine::readJuelichTrajectories(path, 16, 0.01);
    const auto table = mobility::tracksFromTrajectories(raw, gate);
    points = table.size();
    benchmark::DoNotOptimize(table.x.data());
  }
  state.counters["points/s"] =
      benchmark::Counter(static_cast<double>(points) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestJuelich)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReplayWithSensors(benchmark::State& state) {
  mobility::PrivacyGate gate;
  const auto table = mobility::readTrackCsv(trackTable(), {"mac", "time", "x", "y"}, gate);
  std::vector<mobility::CountingLine> lines;
  for (int i = 0; i < 20; ++i) {
    lines.push_back({"L" + std::to_string(i), {30.0 * i + 10, -1}, {30.0 * i + 10, 110}});
  }
  for (auto _ : state) {
    mobility::TrackReplay replay(table);
    mobility::LineCounter counter(lines, 0.0, 10.0);
    for (double t = replay.beginTime(); t <= replay.endTime(); t += 0.5) {
      replay.advanceTo(t, &counter);
    }
    benchmark::DoNotOptimize(counter.series(0, mobility::CrossingDirection::kForward, 100));
  }
  state.counters["points/s"] = benchmark::Counter(
      static_cast<double>(table.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReplayWithSensors)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
