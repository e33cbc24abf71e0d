// Comparing scenarios in CityTwin Studio: two views in lockstep whose cameras move together,
// the key figures side by side, the difference heatmap, and the comparison report.
#include <gtest/gtest.h>

#include <QFile>
#include <QProcess>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/compare_report_job.hpp"
#include "citytwin/ui/compare_window.hpp"
#include "citytwin/ui/scenario_pair.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "studio_support.hpp"
#include "test_support.hpp"

namespace citytwin::test {
namespace {

using ui::CompareWindow;

const QString kScenarios = QString(CITYTWIN_SOURCE_DIR) + "/scenarios/";
const QString kEvent = kScenarios + "amsterdam-event/base.yaml";
const QString kTraffic = kScenarios + "amsterdam-traffic/base.yaml";
const QString kClosedStreet = kScenarios + "amsterdam-traffic/closed-street.yaml";

std::unique_ptr<CompareWindow> openComparison(const QString& base, const QString& variant) {
  auto w = std::make_unique<CompareWindow>(2, false);
  w->resize(1280, 800);
  w->show();
  bool opened = false;
  QObject::connect(w.get(), &CompareWindow::opened, [&] { opened = true; });
  w->open(base, variant);
  EXPECT_TRUE(waitUntil([&] { return opened || !w->lastError().isEmpty(); }, 240))
      << "not opened in time";
  EXPECT_TRUE(w->lastError().isEmpty()) << w->lastError().toStdString();
  return w;
}

void runTo(CompareWindow& w, double t) {
  bool reached = false;
  auto c = QObject::connect(w.pair(), &ui::ScenarioPair::reached, [&] { reached = true; });
  w.pair()->runTo(t);
  ASSERT_TRUE(waitUntil([&] { return reached; }, 300));
  QObject::disconnect(c);
  waitUntil([] { return false; }, 0.3);  // the last frames reach the views
}

TEST(StudioCompare, TheSameScenarioTwiceRunsInLockstepWithCamerasTogetherAndNoDifference) {
  auto w = openComparison(kEvent, kEvent);
  ASSERT_TRUE(w->pair()->isLoaded());
  runTo(*w, 45.0);
  const auto a = w->pair()->base()->latest(), b = w->pair()->variant()->latest();
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(a->elapsed_s, 45.0, 0.11);
  EXPECT_NEAR(b->elapsed_s, 45.0, 0.11);
  // The same scenario and seed: the same crowd, person by person (determinism).
  EXPECT_GT(a->peopleCount(), 300u);
  EXPECT_EQ(a->people, b->people);
  const int walking = w->figureRow("People walking");
  ASSERT_GE(walking, 0);
  EXPECT_EQ(w->figure(walking, 0), QLocale().toString(static_cast<double>(a->kpis.people), 'f', 0));
  EXPECT_EQ(w->figure(walking, 0), w->figure(walking, 1));
  EXPECT_EQ(w->figure(walking, 2), "0");
  EXPECT_EQ(w->figure(w->figureRow("Vehicles driving"), 0), "–") << "no traffic in this one";

  // Moving one camera moves the other.
  w->view(0)->lookAt({0.0, 0.0}, 350.0);
  w->view(0)->renderBlocking();
  waitUntil([] { return false; }, 0.2);
  double p0[9], p1[9];
  w->view(0)->cameraPose(p0);
  w->view(1)->cameraPose(p1);
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(p0[i], p1[i], 1e-6) << "pose component " << i;

  // The difference heatmap of two equal runs draws nothing; the density heatmap does.
  w->view(0)->setLayerVisible("people", false);
  w->view(1)->setLayerVisible("people", false);
  w->view(1)->resetCamera();
  w->setHeatmapMode(3);
  EXPECT_FALSE(w->view(0)->layerVisible("heatmap")) << "the base shows no difference of its own";
  auto heatmapPixels = [&] {
    const QImage with = w->view(1)->grabFramebuffer();
    w->view(1)->setLayerVisible("heatmap", false);
    const QImage without = w->view(1)->grabFramebuffer();
    w->view(1)->setLayerVisible("heatmap", true);
    return layerDifference(with, without, [](QColor) { return true; }).changed;
  };
  EXPECT_EQ(heatmapPixels(), 0);
  w->setHeatmapMode(0);
  EXPECT_GT(heatmapPixels(), 100);
  EXPECT_TRUE(w->view(0)->layerVisible("heatmap"));

  // Playing keeps both at the same moment.
  w->pair()->setSpeed(10.0);
  w->pair()->play();
  waitUntil([] { return false; }, 1.5);
  w->pair()->pause();
  waitUntil([&] { return !w->pair()->isBusy(); }, 30);
  EXPECT_GT(w->pair()->time(), 46.0);
  EXPECT_NEAR(w->pair()->base()->elapsed(), w->pair()->variant()->elapsed(), 1e-9);
}

TEST(StudioCompare, AClosedStreetShowsInTheFiguresAndTheReportIsWrittenByTheEngine) {
  auto w = openComparison(kTraffic, kClosedStreet);
  ASSERT_TRUE(w->pair()->isLoaded());
  runTo(*w, 900.0);
  const int trips = w->figureRow("Trips finished");
  ASSERT_GE(trips, 0);
  EXPECT_NE(w->figure(trips, 0), "–");
  EXPECT_NE(w->figure(trips, 0), "0") << "trips finish within a quarter of an hour";
  EXPECT_EQ(w->figure(w->figureRow("People walking"), 0), "–") << "no crowd in this one";

  const auto dir = freshTempDir();
  const QString out = QString::fromStdString((dir / "report").string());
  bool done = false, ok = false;
  QString what;
  QObject::connect(w.get(), &CompareWindow::reportFinished, [&](bool success, const QString& s) {
    done = true;
    ok = success;
    what = s;
  });
  w->writeReport(out);
  ASSERT_TRUE(waitUntil([&] { return done; }, 300));
  ASSERT_TRUE(ok) << what.toStdString();
  QFile report(what);
  ASSERT_TRUE(report.open(QIODevice::ReadOnly));
  const QByteArray html = report.readAll();
  EXPECT_TRUE(html.contains("closed")) << "the report names the variant";
  EXPECT_TRUE(QFile::exists(out + "/provenance.json"));
}

TEST(StudioCompare, AReportOfABrokenScenarioFailsWithTheEnginesMessage) {
  const auto dir = freshTempDir();
  const auto broken = dir / "broken.yaml";
  std::ofstream(broken) << "name: broken\ncity: nowhere.osm\nduration: [\n";
  ui::CompareReportJob job;
  bool done = false, ok = true;
  QString error;
  QObject::connect(&job, &ui::CompareReportJob::finished, [&](bool success, const QString& e) {
    done = true;
    ok = success;
    error = e;
  });
  job.start({kTraffic, QString::fromStdString(broken.string())},
            QString::fromStdString((dir / "out").string()));
  ASSERT_TRUE(waitUntil([&] { return done; }, 120));
  EXPECT_FALSE(ok);
  EXPECT_TRUE(error.contains("broken.yaml")) << error.toStdString();
}

TEST(StudioCompare, ScriptedComparisonNeedsTwoFilesAndNamesAMissingOne) {
  QProcess p;
  p.start(CITYTWIN_STUDIO_PATH, {"--compare", kTraffic, "--quit"});
  ASSERT_TRUE(p.waitForFinished(60000));
  EXPECT_EQ(p.exitCode(), 2);
  EXPECT_TRUE(p.readAllStandardError().contains("two scenarios"));
  p.start(CITYTWIN_STUDIO_PATH, {"--compare", kTraffic, "/nonexistent/variant.yaml", "--quit"});
  ASSERT_TRUE(p.waitForFinished(60000));
  EXPECT_NE(p.exitCode(), 0);
  EXPECT_TRUE(p.readAllStandardError().contains("/nonexistent/variant.yaml"));
}

}  // namespace
}  // namespace citytwin::test
