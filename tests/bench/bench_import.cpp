// Import speed of the bundled real data: OSM extract, each CityJSON model, GeoPackage reload.
// Run: build/release/tests/bench/citytwin_bench --benchmark_filter=Import
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>
#include <string>

#include "citytwin/engine/connectivity.hpp"
#include "citytwin/geodata/gpkg_store.hpp"
#include "citytwin/geodata/import.hpp"

namespace {

using namespace citytwin;

std::string asset(const char* relative) {
  return std::string(CITYTWIN_ASSETS_DIR) + "/" + relative;
}

void BM_ImportOsm(benchmark::State& state) {
  const std::string path = asset("osm/amsterdam-centrum.osm.gz");
  for (auto _ : state) {
    auto model = geodata::importCity({path});
    benchmark::DoNotOptimize(model.links.data());
    state.counters["links"] = static_cast<double>(model.links.size());
  }
}
BENCHMARK(BM_ImportOsm)
    ->Name("BM_ImportOsm/amsterdam-centrum")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ImportCityJson(benchmark::State& state, const char* file) {
  const std::string path = asset(file);
  for (auto _ : state) {
    auto model = geodata::importCity({path});
    benchmark::DoNotOptimize(model.city_objects.data());
    state.counters["objects"] = static_cast<double>(model.city_objects.size());
  }
}
BENCHMARK_CAPTURE(BM_ImportCityJson, delft, "cityjson/delft.json")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ImportCityJson, multi_lod, "cityjson/multi_lod.json")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ImportCityJson, rotterdam, "cityjson/rotterdam_subset.json")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ImportCityJson, the_hague, "cityjson/DH_01_subs.city.json")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_GpkgSaveAndLoad(benchmark::State& state) {
  const auto model = geodata::importCity({asset("osm/amsterdam-centrum.osm.gz")});
  const auto path = (std::filesystem::temp_directory_path() /
                     ("citytwin-bench-" + std::to_string(::getpid()) + ".gpkg"))
                        .string();
  geodata::saveGeoPackage(model, path, true);
  for (auto _ : state) {
    auto back = geodata::loadGeoPackage(path);
    benchmark::DoNotOptimize(back.links.data());
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_GpkgSaveAndLoad)
    ->Name("BM_GpkgLoad/amsterdam-centrum")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_SccAllModes(benchmark::State& state) {
  const auto model = geodata::importCity({asset("osm/amsterdam-centrum.osm.gz")});
  for (auto _ : state)
    for (auto mode : geodata::kAllModes)
      benchmark::DoNotOptimize(engine::linkConnectivity(model, mode).share);
}
BENCHMARK(BM_SccAllModes)
    ->Name("BM_Connectivity/amsterdam-centrum/all-modes")
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
