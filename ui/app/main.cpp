// citytwin-studio: the desktop app. With --screenshot it runs scripted (tests, docs, batch
// pictures): open, run for a while, save a picture of the window, quit.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSurfaceFormat>
#include <QTimer>
#include <iostream>

#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/main_window.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "citytwin/version.hpp"

using citytwin::ui::MainWindow;

int main(int argc, char** argv) {
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
  const QCommandLineOption heatmap("heatmap", "Heatmap: density, los, speed or none.", "MODE");
  const QCommandLineOption threads({"j", "threads"}, "Engine worker threads (default: all cores).",
                                   "N");
  cli.addOptions({open, run_for, play, screenshot, view_shot, quit, size, top, heatmap, threads});
  cli.addPositionalArgument("file", "A scenario or city model to open (as --open).", "[file]");
  cli.process(app);

  const bool scripted = cli.isSet(quit);
  MainWindow window(cli.value(threads).toInt(), !scripted);
  if (cli.isSet(size)) {
    const auto wh = cli.value(size).split('x');
    if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
  } else if (scripted) {
    window.resize(1600, 1000);
  }
  window.show();
  if (cli.isSet(top)) window.view()->setTopView(true);

  QString path = cli.value(open);
  if (path.isEmpty() && !cli.positionalArguments().isEmpty())
    path = cli.positionalArguments().front();
  if (path.isEmpty()) {
    if (scripted) {
      std::cerr << "citytwin-studio: --quit needs a file to open (--open FILE)\n";
      return 2;
    }
    return app.exec();
  }

  int exit_code = 0;
  QObject::connect(&window, &MainWindow::failed, &app, [&](const QString&) {
    if (scripted) {
      exit_code = 1;
      app.exit(1);
    }
  });
  auto finish = [&] {
    // Let the last frame reach the view and the charts before taking pictures.
    QTimer::singleShot(200, &app, [&] {
      if (cli.isSet(heatmap) && cli.value(heatmap) == "none")
        window.view()->setLayerVisible("heatmap", false);
      window.view()->renderBlocking();
      for (const auto& [option, whole] :
           {std::pair{&screenshot, true}, std::pair{&view_shot, false}}) {
        if (!cli.isSet(*option)) continue;
        const QString file = cli.value(*option);
        QDir().mkpath(QFileInfo(file).absolutePath());
        const QImage image = whole ? window.grab().toImage() : window.view()->grabFramebuffer();
        if (!image.save(file)) {
          std::cerr << "citytwin-studio: cannot write " << file.toStdString() << "\n";
          exit_code = 1;
        } else {
          std::cerr << "citytwin-studio: wrote " << file.toStdString() << " (" << image.width()
                    << "x" << image.height() << ")\n";
        }
      }
      if (scripted) app.exit(exit_code);
    });
  };
  QObject::connect(&window, &MainWindow::scenarioOpened, &app, [&] {
    if (cli.isSet(heatmap)) {
      const QString mode = cli.value(heatmap);
      window.view()->setHeatmapMode(mode == "los" ? 1 : mode == "speed" ? 2 : 0);
    }
    if (cli.isSet(run_for)) {
      bool ok = false;
      const double seconds = cli.value(run_for).toDouble(&ok);
      if (!ok || seconds < 0) {
        std::cerr << "citytwin-studio: --run-for needs seconds, not '"
                  << cli.value(run_for).toStdString() << "'\n";
        app.exit(2);
        return;
      }
      QObject::connect(window.session(), &citytwin::ui::SimulationSession::reached, &app, finish,
                       Qt::SingleShotConnection);
      window.session()->runFor(seconds);
    } else {
      if (cli.isSet(play)) window.session()->play();
      if (cli.isSet(screenshot) || cli.isSet(view_shot) || scripted) finish();
    }
  });
  // Opened from the event loop, so that an error at once still ends a scripted run.
  QTimer::singleShot(0, &window, [&] { window.openFile(path); });
  return app.exec() == 0 ? exit_code : 1;
}
