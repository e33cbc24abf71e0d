// GTFS Realtime ingest: one FeedMessage of a large operator's fleet decoded, every vehicle id
// pseudonymised at the door and every position transformed from WGS 84 into the city's frame.
#include <benchmark/benchmark.h>

#include <string>

#include "citytwin/plugins/gtfs_realtime.hpp"
#include "gtfs_realtime_subset.pb.h"

namespace {

std::string fleetSnapshot(int vehicles) {
  citytwin::gtfs_rt::FeedMessage feed;
  feed.mutable_header()->set_gtfs_realtime_version("2.0");
  feed.mutable_header()->set_timestamp(1796169600);
  for (int k = 0; k < vehicles; ++k) {
    auto* e = feed.add_entity();
    e->set_id("entity-" + std::to_string(k));
    auto* v = e->mutable_vehicle();
    v->mutable_vehicle()->set_id("GVB-" + std::to_string(4000 + k));
    v->mutable_vehicle()->set_license_plate("BX-" + std::to_string(100 + k % 900) + "-Z");
    v->mutable_trip()->set_trip_id("trip-" + std::to_string(k));
    v->mutable_trip()->set_route_id("route-" + std::to_string(k % 60));
    v->mutable_position()->set_latitude(static_cast<float>(52.30 + 0.0001 * (k % 1000)));
    v->mutable_position()->set_longitude(static_cast<float>(4.80 + 0.0002 * (k / 1000)));
    v->mutable_position()->set_bearing(static_cast<float>(k % 360));
    v->set_timestamp(1796169600 - k % 30);
  }
  std::string bytes;
  feed.SerializeToString(&bytes);
  return bytes;
}

void BM_IngestGtfsRealtime(benchmark::State& state) {
  const std::string bytes = fleetSnapshot(static_cast<int>(state.range(0)));
  const citytwin::geodata::LocalFrame frame{"EPSG:28992", {121000.0, 487000.0, 0.0}};
  std::size_t positions = 0;
  for (auto _ : state) {
    citytwin::engine::mobility::PrivacyGate gate;
    const auto records = citytwin::plugins::readVehiclePositions(bytes, "bench", gate, frame);
    positions = records.size();
    benchmark::DoNotOptimize(records.data());
  }
  state.counters["positions/s"] =
      benchmark::Counter(static_cast<double>(positions) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestGtfsRealtime)
    ->Arg(200)
    ->Arg(2000)
    ->Arg(20000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
