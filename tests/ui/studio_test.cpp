// CityTwin Studio driven as a planner would: open the bundled event scenario, run a minute,
// look at what is drawn; close a street by clicking it, save the variant, undo.
#include <gtest/gtest.h>

#include <QFile>
#include <QProcess>
#include <QTest>
#include <QTreeWidget>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/main_window.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "citytwin/ui/variant_document.hpp"
#include "studio_support.hpp"
#include "test_support.hpp"

namespace citytwin::test {
namespace {

using ui::MainWindow;

const std::string kEvent =
    std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/amsterdam-event/base.yaml";
const std::string kTraffic =
    std::string(CITYTWIN_SOURCE_DIR) + "/scenarios/amsterdam-traffic/base.yaml";

bool bluish(QColor c) {
  return c.blue() > c.green() + 30 && c.blue() > 90;
}
bool beige(QColor c) {
  return c.red() > 90 && c.red() >= c.green() && c.green() + 6 >= c.blue() &&
         c.red() - c.blue() < 90 && c.red() - c.blue() > 5;
}
bool darkGrey(QColor c) {
  return c.red() < 140 && std::abs(c.red() - c.green()) < 20 && std::abs(c.green() - c.blue()) < 25;
}
bool warm(QColor c) {
  return c.red() > 150 && c.blue() < c.red() - 40;
}

/// A main window with a scenario open, 1280 x 800, engine on two threads.
std::unique_ptr<MainWindow> openWindow(const std::string& scenario) {
  auto w = std::make_unique<MainWindow>(2, false);
  w->resize(1280, 800);
  w->show();
  bool opened = false;
  QObject::connect(w.get(), &MainWindow::scenarioOpened, [&] { opened = true; });
  w->openFile(QString::fromStdString(scenario));
  EXPECT_TRUE(waitUntil([&] { return opened || !w->lastError().isEmpty(); }, 120))
      << "not opened in time";
  EXPECT_TRUE(w->lastError().isEmpty()) << w->lastError().toStdString();
  return w;
}

void runFor(MainWindow& w, double seconds) {
  bool reached = false;
  auto c = QObject::connect(w.session(), &ui::SimulationSession::reached, [&] { reached = true; });
  w.session()->runFor(seconds);
  ASSERT_TRUE(waitUntil([&] { return reached; }, 300));
  QObject::disconnect(c);
  waitUntil([] { return false; }, 0.3);  // the last frame reaches the view
}

QImage viewWith(MainWindow& w, const QString& layer, bool visible) {
  w.view()->setLayerVisible(layer, visible);
  return w.view()->grabFramebuffer();
}

TEST(Studio, TheEventScenarioRunsAMinuteAndTheViewShowsBuildingsStreetsPeopleAndTheHeatmap) {
  auto w = openWindow(kEvent);
  runFor(*w, 60.0);
  const auto frame = w->session()->latest();
  ASSERT_TRUE(frame);
  EXPECT_NEAR(frame->elapsed_s, 60.0, 0.11);
  EXPECT_GT(frame->peopleCount(), 500u) << "about 830 people set out in the first minute";
  EXPECT_GT(w->chartPoints(), 0);
  ASSERT_EQ(w->view()->frame(), frame) << "the view shows the latest frame";

  const int pixels = w->view()->grabFramebuffer().width() * w->view()->grabFramebuffer().height();
  // Each layer, shown against hidden: what changes must be there, and of the layer's colour.
  const QImage all = viewWith(*w, "people", true);
  const auto people = layerDifference(all, viewWith(*w, "people", false), bluish);
  w->view()->setLayerVisible("people", true);
  EXPECT_GT(people.changed, 300) << "people drawn";
  EXPECT_GT(people.matching, people.changed * 6 / 10) << "in their blue";

  const auto buildings =
      layerDifference(viewWith(*w, "buildings", true), viewWith(*w, "buildings", false), beige);
  w->view()->setLayerVisible("buildings", true);
  EXPECT_GT(buildings.changed, pixels / 5) << "buildings cover much of the view";
  EXPECT_GT(buildings.matching, buildings.changed * 7 / 10);

  const auto streets =
      layerDifference(viewWith(*w, "streets", true), viewWith(*w, "streets", false), darkGrey);
  w->view()->setLayerVisible("streets", true);
  EXPECT_GT(streets.changed, pixels / 100) << "streets drawn";
  EXPECT_GT(streets.matching, streets.changed / 2);

  // The heatmap under the people: show it without them.
  w->view()->setLayerVisible("people", false);
  const auto heat =
      layerDifference(viewWith(*w, "heatmap", true), viewWith(*w, "heatmap", false), warm);
  EXPECT_GT(heat.changed, 100) << "density drawn where people walk";
  EXPECT_GT(heat.matching, heat.changed / 2);

  // Styling: see-through buildings let the streets behind them show; opaque again is as before.
  w->view()->setLayerVisible("heatmap", false);
  const QImage opaque = w->view()->grabFramebuffer();
  w->view()->setLayerOpacity("buildings", 0.3);
  const QImage faint = w->view()->grabFramebuffer();
  const auto faded = layerDifference(opaque, faint, beige);
  EXPECT_GT(faded.changed, pixels / 10) << "the buildings' pixels change";
  EXPECT_GT(faded.matching, faded.changed * 7 / 10) << "where they were beige";
  w->view()->setLayerOpacity("buildings", 1.0);
  EXPECT_EQ(layerDifference(opaque, w->view()->grabFramebuffer(), beige).changed, 0);
}

TEST(Studio, ClickingAFootwayClosesItInTheVariantFileAndUndoTakesItBack) {
  auto w = openWindow(kEvent);
  w->view()->setTopView(true);
  waitUntil([] { return false; }, 0.2);
  // The Kalverstraat, between the Dam and the Spui: a pedestrian street.
  const auto& city = w->session()->scenario()->city();
  const geodata::Link* street = nullptr;
  for (const auto& l : city.links)
    if (l.name == "Kalverstraat" && l.geometry.size() >= 2 && l.length_m > 30) {
      street = &l;
      break;
    }
  ASSERT_NE(street, nullptr);
  const auto a = street->geometry[0], b = street->geometry[1];
  const geodata::Vec2 mid{(a.x + b.x) / 2, (a.y + b.y) / 2};
  w->view()->lookAt(mid, 400.0);
  const QPointF at = w->view()->project(mid);
  ASSERT_TRUE(w->view()->rect().contains(at.toPoint()));

  geodata::Vec2 picked;
  ASSERT_TRUE(w->view()->pick(at, &picked));
  EXPECT_LT(std::hypot(picked.x - mid.x, picked.y - mid.y), 2.0)
      << picked.x << " " << picked.y << " vs " << mid.x << " " << mid.y << " at " << at.x() << ","
      << at.y();
  w->setTool(MainWindow::Tool::kCloseStreet);
  QTest::mouseClick(w->view(), Qt::LeftButton, {}, at.toPoint());
  ASSERT_EQ(w->variant()->edits().size(), 1u);
  const auto& edit = w->variant()->edits()[0];
  EXPECT_EQ(edit.kind, "close_area");
  EXPECT_NE(edit.summary.find("Kalverstraat"), std::string::npos) << edit.summary;

  const auto dir = freshTempDir();
  const QString path = QString::fromStdString((dir / "kalverstraat-closed.yaml").string());
  ASSERT_TRUE(w->saveVariantAs(path));
  const auto saved = engine::loadScenarioFile(path.toStdString());
  ASSERT_EQ(saved.interventions.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<engine::CloseArea>(saved.interventions[0].what));
  const auto& area = std::get<engine::CloseArea>(saved.interventions[0].what).area;
  EXPECT_TRUE(geodata::contains(area, mid)) << "the closure covers the point clicked";
  EXPECT_EQ(saved.crowd.sources.size(), 8u) << "the rest is the base";

  w->variant()->undoStack()->undo();
  EXPECT_TRUE(w->variant()->edits().empty());
  ASSERT_TRUE(w->saveVariantAs(path));
  EXPECT_TRUE(engine::loadScenarioFile(path.toStdString()).interventions.empty());
  w->variant()->undoStack()->redo();
  EXPECT_EQ(w->variant()->edits().size(), 1u);
}

TEST(Studio, ClickingARoadClosesItToTrafficAndTheVariantRuns) {
  auto w = openWindow(kTraffic);
  w->view()->setTopView(true);
  waitUntil([] { return false; }, 0.2);
  const auto& city = w->session()->scenario()->city();
  const geodata::Link* street = nullptr;
  for (const auto& l : city.links)
    if (l.name == "Kloveniersburgwal" && geodata::allows(l.modes, geodata::Mode::kCar) &&
        l.length_m > 40) {
      street = &l;
      break;
    }
  ASSERT_NE(street, nullptr);
  const auto a = street->geometry.front(), b = street->geometry.back();
  w->view()->lookAt({(a.x + b.x) / 2, (a.y + b.y) / 2}, 400.0);
  const QPointF at = w->view()->project({(a.x + b.x) / 2, (a.y + b.y) / 2});
  w->setTool(MainWindow::Tool::kCloseStreet);
  QTest::mouseClick(w->view(), Qt::LeftButton, {}, at.toPoint());
  ASSERT_EQ(w->variant()->edits().size(), 1u);
  EXPECT_EQ(w->variant()->edits()[0].kind, "close_road");

  const auto dir = freshTempDir();
  const QString path = QString::fromStdString((dir / "closed.yaml").string());
  ASSERT_TRUE(w->saveVariantAs(path));
  const auto saved = engine::loadScenarioFile(path.toStdString());
  ASSERT_EQ(saved.interventions.size(), 1u);
  const auto& close = std::get<engine::CloseRoad>(saved.interventions[0].what);
  EXPECT_EQ(close.roads.osm_way, street->osm_way_id);

  // Open the variant as the running scenario: its network has the road closed.
  bool opened = false;
  QObject::connect(w.get(), &MainWindow::scenarioOpened, [&] { opened = true; });
  w->openFile(path);
  ASSERT_TRUE(waitUntil([&] { return opened || !w->lastError().isEmpty(); }, 120));
  ASSERT_TRUE(w->lastError().isEmpty()) << w->lastError().toStdString();
  EXPECT_EQ(w->session()->scenario()->file().interventions.size(), 1u);
  runFor(*w, 120.0);
  EXPECT_GT(w->session()->latest()->vehicleCount(), 0u);
}

TEST(Studio, TheCameraSensorsShowTheirObservedCountsAtTheTimeOnScreen) {
  auto w = openWindow(kTraffic);
  const std::string set = std::string(CITYTWIN_SOURCE_DIR) +
                          "/scenarios/amsterdam-traffic/calibration/observations.yaml";
  ASSERT_TRUE(w->openObservations(QString::fromStdString(set))) << w->lastError().toStdString();
  runFor(*w, 1000.0);  // 07:16: the 07:00 - 07:30 counts
  const QStringList labels = w->view()->sensorLabels();
  ASSERT_EQ(labels.size(), 24);
  // The label of one sensor against the counts file itself.
  const std::string sensor = "Kloveniersburgwal (7371125_141_143)";
  std::ifstream counts(std::string(CITYTWIN_SOURCE_DIR) +
                       "/scenarios/amsterdam-traffic/calibration/observed-counts.csv");
  std::string line, forward, backward;
  while (std::getline(counts, line)) {
    if (line.rfind("25200," + sensor + ",", 0) != 0) continue;
    const std::string value = line.substr(line.rfind(',') + 1);
    (line.find(",forward,") != std::string::npos ? forward : backward) = value;
  }
  ASSERT_FALSE(forward.empty());
  QString label;
  for (const auto& l : labels) {
    if (l.startsWith(QString::fromStdString(sensor))) label = l;
  }
  const auto shown = [](const std::string& v) {
    return v != "0" && std::stoi(v) < 5 ? std::string("<5") : v;
  };
  EXPECT_EQ(label.toStdString(), sensor + "\nforward " + shown(forward) + " | backward " +
                                     shown(backward) + " per 30 min");
  // Drawn: a look at that sensor shows the sensors' teal bars; hiding the layer takes them away.
  const auto frame = w->session()->scenario()->city().frame;
  w->view()->lookAt(frame.toLocal(121727, 487074), 120.0);
  waitUntil([] { return false; }, 0.3);
  const auto diff =
      layerDifference(viewWith(*w, "sensors", true), viewWith(*w, "sensors", false),
                      [](QColor c) { return c.green() > 120 && c.blue() > 110 && c.red() < 90; });
  EXPECT_GT(diff.matching, 50) << "no teal sensor bars drawn (" << diff.changed << " changed)";
  // Clicking the sensor's bar shows it in the Info panel.
  w->view()->setTopView(true);
  waitUntil([] { return false; }, 0.3);
  const auto& marker = w->view()->sensorMarkers().at(static_cast<std::size_t>(
      std::find_if(labels.begin(), labels.end(),
                   [&](const QString& l) { return l.startsWith(QString::fromStdString(sensor)); }) -
      labels.begin()));
  const QPointF on_bar =
      w->view()->project({(marker.ax + marker.bx) / 2, (marker.ay + marker.by) / 2});
  QTest::mouseClick(w->view(), Qt::LeftButton, {}, on_bar.toPoint());
  auto* info = w->findChild<QTreeWidget*>();
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->topLevelItemCount(), 1);
  EXPECT_EQ(info->topLevelItem(0)->text(0).toStdString(), "Sensor " + sensor);
  ASSERT_GE(info->topLevelItem(0)->childCount(), 2);
  EXPECT_EQ(info->topLevelItem(0)->child(0)->text(0).toStdString(), "forward now");
  EXPECT_EQ(info->topLevelItem(0)->child(0)->text(1).toStdString(), shown(forward));
  // A broken observation set: an error naming it, the window carries on.
  const auto dir = freshTempDir();
  std::ofstream(dir / "bad.yaml") << "name: x\nsensors:\n  - {id: a, line: [[1, 2]]}\n";
  EXPECT_FALSE(w->openObservations(QString::fromStdString((dir / "bad.yaml").string())));
  EXPECT_NE(w->lastError().toStdString().find("bad.yaml"), std::string::npos)
      << w->lastError().toStdString();
  EXPECT_EQ(w->view()->sensorLabels().size(), 24) << "the sensors shown stay";
}

TEST(Studio, DrawingAFenceAddsABarrierWithThePointsClicked) {
  auto w = openWindow(kEvent);
  w->view()->setTopView(true);
  waitUntil([] { return false; }, 0.2);
  const auto& stage = w->session()->scenario()->file().crowd.stages[0];
  const auto box = geodata::bounds(stage.area);
  const geodata::Vec2 c{(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2};
  w->view()->lookAt(c, 500.0);
  w->setTool(MainWindow::Tool::kDrawFence);
  for (const geodata::Vec2 p : {geodata::Vec2{c.x - 30, c.y - 60}, geodata::Vec2{c.x, c.y - 70},
                                geodata::Vec2{c.x + 30, c.y - 60}})
    QTest::mouseClick(w->view(), Qt::LeftButton, {}, w->view()->project(p).toPoint());
  QTest::keyClick(w.get(), Qt::Key_Return);
  ASSERT_EQ(w->variant()->edits().size(), 1u);
  EXPECT_EQ(w->variant()->edits()[0].kind, "barrier");
  EXPECT_EQ(w->variant()->edits()[0].line.size(), 3u);
  const auto dir = freshTempDir();
  const QString path = QString::fromStdString((dir / "fence.yaml").string());
  ASSERT_TRUE(w->saveVariantAs(path));
  const auto saved = engine::loadScenarioFile(path.toStdString());
  ASSERT_EQ(saved.interventions.size(), 1u);
  const auto& fence = std::get<engine::AddBarrier>(saved.interventions[0].what);
  ASSERT_EQ(fence.lines.size(), 1u);
  EXPECT_EQ(fence.lines[0].size(), 3u);
}

TEST(Studio, ABrokenScenarioGivesAnErrorNamingTheFileAndLineAndTheWindowCarriesOn) {
  const auto dir = freshTempDir();
  const auto bad = dir / "broken.yaml";
  {
    std::ofstream f(bad);
    f << "name: broken\ncity: " << asset("osm/amsterdam-centrum.osm.gz").string()
      << "\ncrowd:\n  duration: 60\n  sources: [{name: a, journey: nowhere, agents: 10}]\n  "
         "colour: red\n";
  }
  auto w = std::make_unique<MainWindow>(2, false);
  w->show();
  QString message;
  QObject::connect(w.get(), &MainWindow::failed, [&](const QString& m) { message = m; });
  w->openFile(QString::fromStdString(bad.string()));
  ASSERT_TRUE(waitUntil([&] { return !message.isEmpty(); }, 60));
  EXPECT_TRUE(message.contains("broken.yaml")) << message.toStdString();
  EXPECT_TRUE(message.contains("line")) << message.toStdString();
  EXPECT_FALSE(w->session()->isLoaded());
  // And a good one opens after it.
  bool opened = false;
  QObject::connect(w.get(), &MainWindow::scenarioOpened, [&] { opened = true; });
  w->openFile(QString::fromStdString(kEvent));
  EXPECT_TRUE(waitUntil([&] { return opened; }, 120));
}

TEST(Studio, PlayingInRealTimeAdvancesTheClockThoughASliceIsShorterThanATimeStep) {
  auto w = openWindow(kEvent);
  w->session()->setSpeed(1.0);  // a thirtieth of a second per frame; the crowd steps 0.1 s
  w->session()->play();
  waitUntil([] { return false; }, 2.0);
  w->session()->pause();
  waitUntil([] { return false; }, 0.2);
  EXPECT_GT(w->session()->elapsed(), 0.9);
  EXPECT_LT(w->session()->elapsed(), 2.5);
}

TEST(Studio, ScriptedModeWritesAScreenshotWithBuildingsStreetsAndPeople) {
  const auto dir = freshTempDir();
  const QString shot = QString::fromStdString((dir / "shot.png").string());
  QProcess p;
  p.start(CITYTWIN_STUDIO_PATH, {"--open", QString::fromStdString(kEvent), "--run-for", "60",
                                 "--screenshot", shot, "--quit", "--size", "1280x800"});
  ASSERT_TRUE(p.waitForFinished(300000));
  ASSERT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
  QImage image(shot);
  ASSERT_FALSE(image.isNull());
  EXPECT_EQ(image.width(), 1280);
  int people = 0, buildings = 0, streets = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor c(image.pixel(x, y));
      people += bluish(c);
      buildings += beige(c);
      streets += darkGrey(c);
    }
  const int pixels = image.width() * image.height();
  EXPECT_GT(people, 300);
  EXPECT_GT(buildings, pixels / 10);
  EXPECT_GT(streets, pixels / 100);
}

TEST(Studio, AMissingFileInScriptedModeExitsWithAnError) {
  QProcess p;
  p.start(CITYTWIN_STUDIO_PATH, {"--open", "/nonexistent/scenario.yaml", "--quit"});
  ASSERT_TRUE(p.waitForFinished(60000));
  EXPECT_NE(p.exitCode(), 0);
  EXPECT_TRUE(p.readAllStandardError().contains("/nonexistent/scenario.yaml"));
}

}  // namespace
}  // namespace citytwin::test
