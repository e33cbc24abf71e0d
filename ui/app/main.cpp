// citytwin-studio: the desktop app. With --quit it runs scripted (tests, docs, batch pictures):
// open (or compare two scenarios), run for a while, save a picture of the window, quit.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSurfaceFormat>
#include <QTimer>
#include <iostream>
#include <memory>
#include <vector>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/plugins/gtfs_realtime.hpp"
#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/compare_window.hpp"
#include "citytwin/ui/main_window.hpp"
#include "citytwin/ui/observation_player.hpp"
#include "citytwin/ui/scenario_pair.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "citytwin/version.hpp"

using citytwin::ui::CityView;
using citytwin::ui::CompareWindow;
using citytwin::ui::MainWindow;
using citytwin::ui::ScenarioPair;
using citytwin::ui::SimulationSession;
namespace engine = citytwin::engine;

int main(int argc, char** argv) {
  citytwin::plugins::registerGtfsRealtimeFormat();  // "gtfs-rt" trajectories in observation sets
  QSurfaceFormat format;
  format.setDepthBufferSize(24);
  QSurfaceFormat::setDefaultFormat(format);
  QApplication app(argc, argv);
  QApplication::setApplicationName("citytwin-studio");
  QApplication::setOrganizationName("CityTwin");
  QApplication::setApplicationVersion(
      QString("%1 (%2)").arg(citytwin::kVersion, citytwin::kGitCommit));

  QCommandLineParser cli;
  cli.setApplicationDescription(
      "CityTwin Studio: the city in 3D, its crowds and traffic, and your changes to it.");
  cli.addHelpOption();
  cli.addVersionOption();
  const QCommandLineOption open({"o", "open"}, "Open a scenario (.yaml) or a city model.", "FILE");
  const QCommandLineOption run_for("run-for", "Run this many simulated seconds after opening.",
                                   "SECONDS");
  const QCommandLineOption play("play", "Start playing after opening.");
  const QCommandLineOption screenshot(
      "screenshot", "Save a picture of the window (after --run-for) to FILE.", "FILE");
  const QCommandLineOption view_shot("view-screenshot",
                                     "Save a picture of the 3D view alone to FILE.", "FILE");
  const QCommandLineOption quit("quit",
                                "Quit after the screenshot (or after opening and running).");
  const QCommandLineOption size("size", "Window size, e.g. 1600x1000.", "WxH");
  const QCommandLineOption top("top-view", "Look straight down.");
  const QCommandLineOption heatmap(
      "heatmap", "Heatmap: density, los, speed, none, or (with --compare) difference.", "MODE");
  const QCommandLineOption threads({"j", "threads"}, "Engine worker threads (default: all cores).",
                                   "N");
  const QCommandLineOption look_at("look-at", "Look at X,Y (the city's CRS) from DISTANCE metres.",
                                   "X,Y,DISTANCE");
  const QCommandLineOption observations(
      "observations", "Show the sensors of an observation set (.yaml) with their counts.", "FILE");
  const QCommandLineOption replay_at(
      "replay-at", "Show the observation set's trajectories this many seconds after their start.",
      "SECONDS");
  const QCommandLineOption replay_speed(
      "replay-speed", "Replay speed of the trajectories (1 - 1000; with --play).", "FACTOR");
  const QCommandLineOption hide("hide",
                                "Hide a layer (repeatable): ground, walkable, streets, "
                                "buildings, scenario, heatmap, people, vehicles, observed, edits, "
                                "sensors.",
                                "LAYER");
  const QCommandLineOption compare(
      "compare", "Compare two scenarios side by side: the base and the variant, given as files.");
  const QCommandLineOption report(
      "report", "With --compare: write the comparison report into DIR (after --run-for).", "DIR");
  cli.addOptions({open, run_for, play, screenshot, view_shot, quit, size, top, heatmap, threads,
                  look_at, hide, compare, report, observations, replay_at, replay_speed});
  cli.addPositionalArgument("files",
                            "A scenario or city model to open (as --open); with "
                            "--compare, the base and the variant.",
                            "[files...]");
  cli.process(app);

  const bool scripted = cli.isSet(quit);
  const bool comparing = cli.isSet(compare);
  QStringList files = cli.positionalArguments();
  if (cli.isSet(open)) files.prepend(cli.value(open));
  if (comparing && files.size() != 2) {
    std::cerr << "citytwin-studio: --compare needs two scenarios, the base and the variant\n";
    return 2;
  }
  if (cli.isSet(report) && !comparing) {
    std::cerr << "citytwin-studio: --report needs --compare BASE VARIANT\n";
    return 2;
  }

  std::unique_ptr<MainWindow> main_window;
  std::unique_ptr<CompareWindow> compare_window;
  QMainWindow* window = nullptr;
  std::vector<CityView*> views;
  if (comparing) {
    compare_window = std::make_unique<CompareWindow>(cli.value(threads).toInt(), !scripted);
    window = compare_window.get();
    views = {compare_window->view(0), compare_window->view(1)};
  } else {
    main_window = std::make_unique<MainWindow>(cli.value(threads).toInt(), !scripted);
    window = main_window.get();
    views = {main_window->view()};
  }
  if (cli.isSet(size)) {
    const auto wh = cli.value(size).split('x');
    if (wh.size() == 2) window->resize(wh[0].toInt(), wh[1].toInt());
  } else if (scripted) {
    window->resize(1600, 1000);
  }
  window->show();
  for (auto* v : views)
    if (cli.isSet(top)) v->setTopView(true);

  if (files.isEmpty() && !cli.isSet(observations)) {
    if (scripted) {
      std::cerr << "citytwin-studio: --quit needs a file to open (--open FILE)\n";
      return 2;
    }
    return app.exec();
  }

  int exit_code = 0;
  auto fail = [&](int code) {
    if (scripted) {
      exit_code = code;
      app.exit(code);
    }
  };
  auto takePictures = [&] {
    // Let the last frame reach the view and the charts before taking pictures.
    QTimer::singleShot(200, &app, [&] {
      if (cli.isSet(heatmap) && cli.value(heatmap) == "none")
        for (auto* v : views) v->setLayerVisible("heatmap", false);
      if (main_window) main_window->refreshLayerChecks();
      for (auto* v : views) v->renderBlocking();
      for (const auto& [option, whole] :
           {std::pair{&screenshot, true}, std::pair{&view_shot, false}}) {
        if (!cli.isSet(*option)) continue;
        const QString file = cli.value(*option);
        QDir().mkpath(QFileInfo(file).absolutePath());
        const QImage image = whole ? window->grab().toImage() : views.back()->grabFramebuffer();
        if (!image.save(file)) {
          std::cerr << "citytwin-studio: cannot write " << file.toStdString() << "\n";
          exit_code = 1;
        } else {
          std::cerr << "citytwin-studio: wrote " << file.toStdString() << " (" << image.width()
                    << "x" << image.height() << ")\n";
        }
      }
      if (compare_window && cli.isSet(report)) {
        QObject::connect(
            compare_window.get(), &CompareWindow::reportFinished, &app,
            [&](bool ok, const QString& what) {
              if (ok) std::cerr << "citytwin-studio: wrote " << what.toStdString() << "\n";
              if (scripted) app.exit(ok ? exit_code : 1);
            },
            Qt::SingleShotConnection);
        compare_window->writeReport(cli.value(report));
        return;
      }
      if (scripted) app.exit(exit_code);
    });
  };
  // The measured trajectories: where to start, how fast, whether to play.
  auto startReplay = [&]() -> bool {
    auto* player = main_window ? main_window->player() : nullptr;
    if (!player || !player->hasTracks()) return true;
    if (cli.isSet(replay_speed)) player->setSpeed(cli.value(replay_speed).toDouble());
    if (cli.isSet(replay_at)) {
      bool ok = false;
      const double at = cli.value(replay_at).toDouble(&ok);
      if (!ok || at < 0) {
        std::cerr << "citytwin-studio: --replay-at needs seconds, not '"
                  << cli.value(replay_at).toStdString() << "'\n";
        return false;
      }
      player->seek(player->beginTime() + at);
    }
    if (cli.isSet(play)) player->play();
    return true;
  };
  auto onOpened = [&](const engine::ScenarioRun& run) {
    if (cli.isSet(observations) && main_window &&
        !main_window->openObservations(cli.value(observations)))
      return fail(1);
    if (!startReplay()) return fail(2);
    for (auto* v : views)
      for (const auto& layer : cli.values(hide)) v->setLayerVisible(layer, false);
    if (cli.isSet(look_at)) {
      const auto parts = cli.value(look_at).split(',');
      if (parts.size() != 3) {
        std::cerr << "citytwin-studio: --look-at needs X,Y,DISTANCE\n";
        return fail(2);
      }
      const auto local = run.city().frame.toLocal(parts[0].toDouble(), parts[1].toDouble());
      for (auto* v : views) v->lookAt(local, parts[2].toDouble());
    }
    if (cli.isSet(heatmap)) {
      const QString mode = cli.value(heatmap);
      const int index = mode == "los" ? 1 : mode == "speed" ? 2 : mode == "difference" ? 3 : 0;
      if (compare_window)
        compare_window->setHeatmapMode(index);
      else
        main_window->view()->setHeatmapMode(std::min(index, 2));
    }
    double seconds = -1.0;
    if (cli.isSet(run_for)) {
      bool ok = false;
      seconds = cli.value(run_for).toDouble(&ok);
      if (!ok || seconds < 0) {
        std::cerr << "citytwin-studio: --run-for needs seconds, not '"
                  << cli.value(run_for).toStdString() << "'\n";
        return fail(2);
      }
    }
    if (seconds >= 0 && compare_window) {
      QObject::connect(compare_window->pair(), &ScenarioPair::reached, &app, takePictures,
                       Qt::SingleShotConnection);
      compare_window->pair()->runFor(seconds);
    } else if (seconds >= 0) {
      QObject::connect(main_window->session(), &SimulationSession::reached, &app, takePictures,
                       Qt::SingleShotConnection);
      main_window->session()->runFor(seconds);
    } else {
      if (cli.isSet(play)) {
        if (compare_window)
          compare_window->pair()->play();
        else
          main_window->session()->play();
      }
      if (cli.isSet(screenshot) || cli.isSet(view_shot) || scripted) takePictures();
    }
  };
  if (compare_window) {
    QObject::connect(compare_window.get(), &CompareWindow::failed, &app, [&] { fail(1); });
    QObject::connect(compare_window.get(), &CompareWindow::opened, &app,
                     [&] { onOpened(*compare_window->pair()->base()->scenario()); });
  } else {
    QObject::connect(main_window.get(), &MainWindow::failed, &app, [&] { fail(1); });
    QObject::connect(main_window.get(), &MainWindow::scenarioOpened, &app,
                     [&] { onOpened(*main_window->session()->scenario()); });
  }
  // Opened from the event loop, so that an error at once still ends a scripted run.
  QTimer::singleShot(0, window, [&] {
    if (files.isEmpty()) {  // measurements on their own (a laboratory's, in local metres)
      if (!main_window || !main_window->openObservations(cli.value(observations))) return fail(1);
      if (!startReplay()) return fail(2);
      for (const auto& layer : cli.values(hide)) main_window->view()->setLayerVisible(layer, false);
      if (cli.isSet(screenshot) || cli.isSet(view_shot) || scripted) takePictures();
      return;
    }
    if (compare_window)
      compare_window->open(files[0], files[1]);
    else
      main_window->openFile(files.front());
  });
  return app.exec() == 0 ? exit_code : 1;
}
