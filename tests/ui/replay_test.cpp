// Measured trajectories in the desktop app: the Juelich bottleneck on its own (people where the
// raw file has them, the camera's count of that moment, seek, x1000, loop) and buses from a
// recorded GTFS Realtime feed beside the traffic simulation, following its clock.
#include <gtest/gtest.h>

#include <QTest>
#include <QTreeWidget>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/engine/trajectories.hpp"
#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/main_window.hpp"
#include "citytwin/ui/observation_player.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "gtfs_realtime_subset.pb.h"
#include "studio_support.hpp"
#include "test_support.hpp"
#include "widgets/replay_bar.hpp"

namespace citytwin::test {
namespace {

using ui::MainWindow;

const std::string kBottleneck =
    std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/observations/juelich-bottleneck.yaml";

bool orange(QColor c) {
  return c.red() > 120 && c.green() > c.blue() + 10 && c.red() > c.green() * 3 / 2;
}

// People present at `t` in the raw file (between their first and last frame).
std::size_t presentInRawFile(double t) {
  const auto raw = engine::readJuelichTrajectories(
      std::string(CITYTWIN_SOURCE_DIR) + "/assets/data/pedestrians/bottleneck/040_c_56_h-.txt.gz",
      25.0);
  std::map<int, std::pair<double, double>> span;
  for (const auto& p : raw.points) {
    const double s = p.frame / 25.0;
    auto [it, fresh] = span.try_emplace(p.id, s, s);
    it->second.first = std::min(it->second.first, s);
    it->second.second = std::max(it->second.second, s);
  }
  std::size_t n = 0;
  for (const auto& [id, s] : span) n += (s.first <= t && t <= s.second) ? 1 : 0;
  return n;
}

// The camera's count (fixture CSV) over the gap, out of the bottleneck, in the interval of `t`.
std::string cameraCount(double t) {
  std::ifstream in(std::string(CITYTWIN_SOURCE_DIR) + "/assets/data/counts/bottleneck-040-gap.csv");
  std::string line;
  const std::string key = std::to_string(static_cast<int>(std::floor(t / 5.0) * 5)) + ",";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0 && line.find(",out,") != std::string::npos)
      return line.substr(line.rfind(',') + 1);
  }
  return "-";
}

TEST(StudioReplay, TheBottleneckTrajectoriesPlayOnTheirOwnWithSeekSpeedAndLoop) {
  MainWindow w(2, false);
  w.resize(1280, 800);
  w.show();
  ASSERT_TRUE(w.openObservations(QString::fromStdString(kBottleneck)))
      << w.lastError().toStdString();
  auto* player = w.player();
  ASSERT_TRUE(player->hasTracks());
  EXPECT_EQ(player->trackCount(), 75u);
  const double begin = player->beginTime(), end = player->endTime();

  // Seek: the people present are those of the raw file at that moment.
  for (double t : {5.0, 20.0, 40.0}) {
    player->seek(begin + t);
    ASSERT_TRUE(w.view()->observedFrame());
    EXPECT_EQ(w.view()->observedFrame()->peopleCount(), presentInRawFile(begin + t)) << "t " << t;
  }
  // The camera's label shows its count of the interval on screen (counts below 5 withheld).
  player->seek(begin + 20.0);
  const std::string count = cameraCount(begin + 20.0);
  const std::string shown = count != "0" && std::stoi(count) < 5 ? "<5" : count;
  ASSERT_EQ(w.view()->sensorLabels().size(), 1);
  EXPECT_NE(w.view()->sensorLabels()[0].toStdString().find("out " + shown + " "), std::string::npos)
      << w.view()->sensorLabels()[0].toStdString() << " against the camera's " << count;

  // Drawn in the measured people's orange; hiding the layer takes them away.
  w.view()->setTopView(true);
  waitUntil([] { return false; }, 0.3);
  w.view()->setLayerVisible("observed", true);
  const QImage with = w.view()->grabFramebuffer();
  w.view()->setLayerVisible("observed", false);
  const auto diff = layerDifference(with, w.view()->grabFramebuffer(), orange);
  w.view()->setLayerVisible("observed", true);
  EXPECT_GT(diff.matching, 200) << diff.changed << " pixels changed";

  // x1000 plays the whole experiment in well under a second of replay time and stops at the end.
  player->setSpeed(1000.0);
  player->seek(begin);
  player->play();
  EXPECT_TRUE(waitUntil([&] { return !player->isPlaying(); }, 10.0));
  EXPECT_DOUBLE_EQ(player->dataTime(), end);
  EXPECT_EQ(w.view()->observedFrame()->peopleCount(), presentInRawFile(end));

  // Loop: playing past the end starts again from the beginning.
  player->setLoop(true);
  player->seek(end - 1.0);
  player->advance(0.003);  // 3 s of data at x1000
  EXPECT_NEAR(player->dataTime(), begin + 2.0, 1e-6);
  player->setLoop(false);

  // The replay bar follows: its slider stands where the player is.
  auto* bar = w.findChild<ui::ReplayBar*>();
  ASSERT_NE(bar, nullptr);
  EXPECT_TRUE(bar->isVisible());
  auto* slider = bar->findChild<QSlider*>();
  ASSERT_NE(slider, nullptr);
  slider->setValue(300);  // 30 s
  EXPECT_NEAR(player->dataTime(), begin + 30.0, 1e-6);

  // Clicking the camera's bar shows its count of the replay's moment.
  const auto& marker = w.view()->sensorMarkers().at(0);
  waitUntil([] { return false; }, 0.3);
  QTest::mouseClick(
      w.view(), Qt::LeftButton, {},
      w.view()->project({(marker.ax + marker.bx) / 2, (marker.ay + marker.by) / 2}).toPoint());
  auto* info = w.findChild<QTreeWidget*>();
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->topLevelItemCount(), 1);
  const std::string at30 = cameraCount(begin + 30.0);
  EXPECT_EQ(info->topLevelItem(0)->child(0)->text(1).toStdString(),
            at30 != "0" && std::stoi(at30) < 5 ? "<5" : at30);
}

TEST(StudioReplay, ASetInAnotherCrsNeedsItsCityFirst) {
  MainWindow w(2, false);
  const std::string set = std::string(CITYTWIN_SOURCE_DIR) +
                          "/scenarios/amsterdam-traffic/calibration/observations.yaml";
  EXPECT_FALSE(w.openObservations(QString::fromStdString(set)));
  EXPECT_NE(w.lastError().toStdString().find("open the scenario"), std::string::npos)
      << w.lastError().toStdString();
  EXPECT_FALSE(w.player()->hasTracks());
}

TEST(StudioReplay, RecordedBusPositionsFollowTheSimulationsClock) {
  auto w = std::make_unique<MainWindow>(2, false);
  w->resize(1280, 800);
  w->show();
  bool opened = false;
  QObject::connect(w.get(), &MainWindow::scenarioOpened, [&] { opened = true; });
  w->openFile(QString::fromStdString(std::string(CITYTWIN_SOURCE_DIR) +
                                     "/scenarios/amsterdam-traffic/base.yaml"));
  ASSERT_TRUE(waitUntil([&] { return opened || !w->lastError().isEmpty(); }, 120));
  ASSERT_TRUE(w->lastError().isEmpty()) << w->lastError().toStdString();

  // A recorded feed: one bus driving east along 52.3731 N, a snapshot every 10 s for 2 minutes.
  const auto dir = freshTempDir();
  // An hour or two ago, inside one hour: never across midnight, where the pseudonyms' key (and
  // so the bus's track) changes by design.
  const auto start = static_cast<std::uint64_t>(std::time(nullptr)) / 3600 * 3600 - 3600 + 60;
  for (int i = 0; i <= 12; ++i) {
    gtfs_rt::FeedMessage feed;
    feed.mutable_header()->set_gtfs_realtime_version("2.0");
    feed.mutable_header()->set_timestamp(start + 10 * i);
    auto* v = feed.add_entity()->mutable_vehicle();
    feed.mutable_entity(0)->set_id("e");
    v->mutable_vehicle()->set_id("GVB-4021");
    v->mutable_position()->set_latitude(52.3731f);
    v->mutable_position()->set_longitude(static_cast<float>(4.8900 + 0.0001 * i));
    v->set_timestamp(start + 10 * i);
    std::string bytes;
    ASSERT_TRUE(feed.SerializeToString(&bytes));
    std::filesystem::create_directories(dir / "feed");
    std::ofstream(dir / "feed" / ("s" + std::to_string(100 + i) + ".pb"), std::ios::binary)
        << bytes;
  }
  std::ofstream(dir / "buses.yaml") << R"(name: buses
crs: EPSG:4326
sensors:
  - {id: dam, line: [[4.8905, 52.3725], [4.8905, 52.3737]]}
sources:
  - name: vehicle positions
    kind: trajectories
    format: gtfs-rt
    file: feed
    register: {controller: GVB, purpose: replay, legal_basis: not personal, personal_data: false}
)";
  ASSERT_TRUE(w->openObservations(QString::fromStdString((dir / "buses.yaml").string())))
      << w->lastError().toStdString();
  auto* player = w->player();
  ASSERT_EQ(player->trackCount(), 1u);
  auto* bar = w->findChild<ui::ReplayBar*>();
  ASSERT_NE(bar, nullptr);
  bar->setWithSimulation(true);

  bool reached = false;
  QObject::connect(w->session(), &ui::SimulationSession::reached, [&] { reached = true; });
  w->session()->runFor(35.0);
  ASSERT_TRUE(waitUntil([&] { return reached; }, 120));
  waitUntil([] { return false; }, 0.3);
  // 35 s into the simulation: 35 s into the recording, half-way between two reports.
  EXPECT_NEAR(player->dataTime(), player->beginTime() + 35.0, 0.2);
  const auto frame = w->view()->observedFrame();
  ASSERT_TRUE(frame);
  ASSERT_EQ(frame->vehicleCount(), 1u);
  EXPECT_EQ(frame->peopleCount(), 0u);
  EXPECT_EQ(static_cast<ui::VehicleKind>(frame->vehicles[3]), ui::VehicleKind::kBus);
  EXPECT_NEAR(frame->vehicles[2], 0.0, 0.05) << "heading east";
  // Where the recording puts it: 3.5 reports east of the first position (about 6.8 m a report).
  player->seek(player->beginTime());
  const float x0 = w->view()->observedFrame()->vehicles[0];
  EXPECT_NEAR(frame->vehicles[0] - x0, 3.5 * 0.0001 * 68000.0, 2.0);
}

}  // namespace
}  // namespace citytwin::test
