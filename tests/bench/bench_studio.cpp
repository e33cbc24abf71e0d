// Frame rate of CityTwin Studio's 3D view: the Amsterdam centre (buildings, streets, walkable
// space) with 10,000 and 100,000 people walking, drawn at 1280 x 800 from the overview camera.
// Each iteration times what the view does per frame: take the moved people, stream their
// positions to the GPU, recompute the heatmap (when shown), draw, and wait for the GPU
// (glFinish). Run under a display; in CI or on a server with Xvfb and Mesa's software
// OpenGL (llvmpipe):
//   build/release/tests/bench/citytwin_studio_bench   (starts itself under xvfb-run without a
//   display)
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QSurfaceFormat>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/city_view.hpp"
#include "display.hpp"

namespace {

using citytwin::ui::CityView;
using citytwin::ui::Frame;

std::unique_ptr<citytwin::engine::ScenarioRun> city;
std::unique_ptr<CityView> view;

void setUp() {
  if (view) return;
  city = std::make_unique<citytwin::engine::ScenarioRun>(std::string(CITYTWIN_ASSETS_DIR) +
                                                         "/osm/amsterdam-centrum.osm.gz");
  view = std::make_unique<CityView>();
  view->resize(1280, 800);
  view->show();
  QApplication::processEvents();
  view->setScenario(city.get());
  if (const char* hide = std::getenv("CITYTWIN_BENCH_HIDE"))
    for (const auto& layer : QString(hide).split(',')) view->setLayerVisible(layer, false);
}

/// `n` people on the walkable space (rejection sampling in the city's box), with speeds.
std::shared_ptr<Frame> crowd(std::size_t n, std::uint64_t seed) {
  auto f = std::make_shared<Frame>();
  const auto& c = city->city();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(c.bounds.min_x, c.bounds.max_x),
      uy(c.bounds.min_y, c.bounds.max_y);
  std::uniform_real_distribution<float> speed(0.0f, 1.6f);
  while (f->peopleCount() < n) {
    const double x = ux(rng), y = uy(rng);
    if (!citytwin::geodata::contains(c.walkable, {x, y})) continue;
    f->people.insert(f->people.end(), {static_cast<float>(x), static_cast<float>(y), speed(rng)});
  }
  f->kpis.people = n;
  return f;
}

void BM_StudioFrame(benchmark::State& state) {
  setUp();
  const auto n = static_cast<std::size_t>(state.range(0));
  auto base = crowd(n, 7);
  view->setLayerVisible("heatmap", state.range(1) != 0);
  // Untimed warm-up: the first frames compile shaders and upload the city's geometry.
  for (int i = 0; i < 3; ++i) {
    view->showFrame(base);
    view->renderBlocking();
  }
  double seconds = 0.0;
  int frames = 0;
  for (auto _ : state) {
    // A new frame every time: everyone moves a few centimetres.
    auto f = std::make_shared<Frame>(*base);
    for (std::size_t i = 0; i < n; ++i) f->people[3 * i] += 0.05f * static_cast<float>(frames % 20);
    const auto t0 = std::chrono::steady_clock::now();
    view->showFrame(f);
    view->renderBlocking();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    seconds += s;
    ++frames;
    state.SetIterationTime(s);
  }
  state.counters["fps"] = frames / seconds;
  state.counters["people"] = static_cast<double>(n);
}
BENCHMARK(BM_StudioFrame)
    ->ArgNames({"people", "heatmap"})
    ->Args({0, 0})
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->Args({100000, 0})
    ->Args({100000, 1})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3.0);

}  // namespace

int main(int argc, char** argv) {
  citytwin::test::ensureDisplay(argc, argv);
  QSurfaceFormat format;
  format.setDepthBufferSize(24);
  QSurfaceFormat::setDefaultFormat(format);
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  view.reset();
  city.reset();
  benchmark::Shutdown();
  return 0;
}
