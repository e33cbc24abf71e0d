// The main window's menus, toolbar and file handling.
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>
#include <algorithm>

#include "citytwin/engine/mobility/observation_replay.hpp"
#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/compare_window.hpp"
#include "citytwin/ui/main_window.hpp"
#include "citytwin/ui/observation_player.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "citytwin/ui/variant_document.hpp"
#include "citytwin/version.hpp"

namespace citytwin::ui {

namespace {
const char* kOpenFilter =
    "Scenarios and city models (*.yaml *.yml *.osm *.osm.gz *.osm.pbf *.pbf *.json *.city.json "
    "*.jsonl *.gpkg);;Scenarios (*.yaml *.yml);;All files (*)";
}

void MainWindow::buildActions() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* open = file->addAction(tr("&Open..."), this, &MainWindow::openDialog);
  open->setShortcut(QKeySequence::Open);
  open->setToolTip(tr("Open a scenario (.yaml) or a city model (OSM, CityJSON, GeoPackage)"));
  recent_menu_ = file->addMenu(tr("Open &recent"));
  rebuildRecentMenu();
  file->addSeparator();
  file->addAction(tr("Open o&bservations..."), this,
                  [this] {
                    QSettings settings;
                    const QString path = QFileDialog::getOpenFileName(
                        this, tr("Open an observation set (sensors and their counts)"),
                        settings.value("files/last_dir").toString(),
                        tr("Observation sets (*.yaml *.yml)"));
                    if (!path.isEmpty()) openObservations(path);
                  })
      ->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
  auto* save = file->addAction(tr("&Save variant"), this, &MainWindow::saveVariant);
  save->setShortcut(QKeySequence::Save);
  auto* save_as =
      file->addAction(tr("Save variant &as..."), this, &MainWindow::saveVariantAsDialog);
  save_as->setShortcut(QKeySequence::SaveAs);
  file->addAction(tr("Save &screenshot..."), this, &MainWindow::screenshotDialog);
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  auto* edit = menuBar()->addMenu(tr("&Edit"));
  auto* undo = variant_->undoStack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  auto* redo = variant_->undoStack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);
  edit->addSeparator();
  tools_ = new QActionGroup(this);
  struct ToolDef {
    Tool tool;
    QString text, tip;
    QKeySequence key;
  };
  const ToolDef defs[] = {
      {Tool::kSelect, tr("&Select"), tr("Click anything to see its attributes"),
       QKeySequence(Qt::Key_S)},
      {Tool::kCloseStreet, tr("&Close street"),
       tr("Click a street to close it (to traffic, or to pedestrians in a crowd scenario)"),
       QKeySequence(Qt::Key_C)},
      {Tool::kDrawFence, tr("Draw &fence"),
       tr("Click the fence's points; double-click or Enter to finish, Esc to cancel"),
       QKeySequence(Qt::Key_F)},
      {Tool::kGate, tr("&Gate capacity"), tr("Click a gate to change its capacity or opening time"),
       QKeySequence(Qt::Key_G)},
      {Tool::kSignal, tr("Signal &plan"),
       tr("Click a junction with traffic lights to set its green times"), QKeySequence(Qt::Key_P)},
  };
  auto* tools_bar = addToolBar(tr("Tools"));
  tools_bar->setObjectName("tools");
  tools_bar->addAction(open);
  tools_bar->addAction(save);
  tools_bar->addSeparator();
  tools_bar->addAction(undo);
  tools_bar->addAction(redo);
  tools_bar->addSeparator();
  for (const auto& d : defs) {
    auto* a = edit->addAction(d.text);
    a->setCheckable(true);
    a->setShortcut(d.key);
    a->setToolTip(d.tip + " (" + d.key.toString() + ")");
    a->setStatusTip(d.tip);
    a->setData(static_cast<int>(d.tool));
    tools_->addAction(a);
    tools_bar->addAction(a);
    if (d.tool == Tool::kSelect) a->setChecked(true);
    connect(a, &QAction::triggered, this, [this, tool = d.tool] { setTool(tool); });
  }

  view_menu_ = menuBar()->addMenu(tr("&View"));
  auto* top = view_menu_->addAction(tr("&Top view"));
  top->setCheckable(true);
  top->setShortcut(QKeySequence(Qt::Key_T));
  connect(top, &QAction::toggled, view_, &CityView::setTopView);
  view_menu_->addAction(tr("&Whole city"), view_, &CityView::resetCamera)
      ->setShortcut(QKeySequence(Qt::Key_Home));
  view_menu_->addSeparator();
  for (auto* dock : findChildren<QDockWidget*>()) view_menu_->addAction(dock->toggleViewAction());

  auto* sim = menuBar()->addMenu(tr("&Simulation"));
  auto* play = sim->addAction(tr("&Play / pause"), this, [this] {
    if (session_->isPlaying())
      session_->pause();
    else {
      live_ = true;
      session_->play();
    }
  });
  play->setShortcut(QKeySequence(Qt::Key_Space));
  sim->addAction(tr("&Step one second"), this,
                 [this] {
                   live_ = true;
                   session_->runFor(1.0);
                 })
      ->setShortcut(QKeySequence(Qt::Key_Right));
  sim->addAction(tr("Run &for..."), this, &MainWindow::runForDialog)
      ->setShortcut(QKeySequence(tr("Ctrl+F")));
  sim->addSeparator();
  auto* run_variant = sim->addAction(tr("&Run the variant"), this, &MainWindow::runVariant);
  run_variant->setShortcut(QKeySequence(tr("Ctrl+R")));
  run_variant->setToolTip(tr("Save the variant and run it in place of the base"));
  auto* compare = sim->addAction(tr("&Compare..."), this, &MainWindow::compareDialog);
  compare->setShortcut(QKeySequence(tr("Ctrl+Shift+C")));
  compare->setToolTip(
      tr("Compare the base with the variant made by hand, or with another scenario, side by side"));
  tools_bar->addSeparator();
  tools_bar->addAction(run_variant);
  tools_bar->addAction(compare);

  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About CityTwin Studio"), this, [this] {
    QMessageBox::about(
        this, tr("About CityTwin Studio"),
        tr("<b>CityTwin Studio</b> %1 (%2)<br>A digital twin of the city: crowds and traffic "
           "on real city models, scenarios and interventions.<br>Map data &copy; "
           "OpenStreetMap contributors (ODbL); 3D BAG (CC BY 4.0).")
            .arg(kVersion, kGitCommit));
  });
}

void MainWindow::openFile(const QString& path) {
  if (!QFileInfo::exists(path)) {
    showError(tr("Cannot open the file"), tr("%1 does not exist.").arg(path));
    return;
  }
  if (interactive_) {
    progress_ = new QProgressDialog(tr("Opening %1").arg(QFileInfo(path).fileName()), tr("Cancel"),
                                    0, 100, this);
    progress_->setAttribute(Qt::WA_DeleteOnClose);
    progress_->setMinimumDuration(300);
    connect(progress_, &QProgressDialog::canceled, session_, &SimulationSession::cancel);
  }
  player_->clear();  // measurements belong to the city they were opened in
  replay_toolbar_->hide();
  view_->setScenario(nullptr);
  session_->open(QFileInfo(path).absoluteFilePath(), threads_);
}

namespace {

// Where a set without a city lies: its sensors and trajectories, with a margin.
geodata::Box2 observationArea(const engine::mobility::ObservationSet& set,
                              const engine::mobility::TrackTable& tracks) {
  double lo_x = 1e300, lo_y = 1e300, hi_x = -1e300, hi_y = -1e300;
  const auto add = [&](double x, double y) {
    lo_x = std::min(lo_x, x);
    lo_y = std::min(lo_y, y);
    hi_x = std::max(hi_x, x);
    hi_y = std::max(hi_y, y);
  };
  for (const auto& line : set.sensors) {
    add(line.a.x, line.a.y);
    add(line.b.x, line.b.y);
  }
  for (std::size_t i = 0; i < tracks.size(); ++i) add(tracks.x[i], tracks.y[i]);
  const geodata::Box2 box =
      hi_x < lo_x ? geodata::Box2{0, 0, 10, 10} : geodata::Box2{lo_x, lo_y, hi_x, hi_y};
  return {box.min_x - 2, box.min_y - 2, box.max_x + 2, box.max_y + 2};
}

}  // namespace

bool MainWindow::openObservations(const QString& path) {
  const engine::ScenarioRun* run = session_->scenario();
  QApplication::setOverrideCursor(Qt::WaitCursor);
  try {
    auto set = engine::mobility::loadObservationSet(path.toStdString());
    if (run) {
      engine::mobility::sensorsToLocalFrame(set, run->city().frame);
    } else if (set.crs != "local") {
      QApplication::restoreOverrideCursor();
      showError(tr("No city open"),
                tr("The sensors of %1 are in %2: open the scenario or city model they belong to "
                   "first, then the observations.")
                    .arg(QFileInfo(path).fileName(), QString::fromStdString(set.crs)));
      return false;
    }
    engine::mobility::PrivacyGate gate(set.privacy);
    const double now_s = static_cast<double>(QDateTime::currentSecsSinceEpoch());
    auto observed = engine::mobility::replayObservations(set, gate, 0.5, now_s);
    if (!run) view_->setObservationArea(observationArea(set, observed.tracks));
    std::vector<engine::mobility::CountSeries> counts = observed.observed_counts;
    counts.insert(counts.end(), observed.sensor_counts.begin(), observed.sensor_counts.end());
    const auto find = [&](const std::string& sensor, const std::string& direction) {
      const auto* found = engine::mobility::findSeries(counts, sensor, direction);
      return found ? *found : engine::mobility::CountSeries{};
    };
    std::vector<SensorMarker> markers;
    for (const auto& line : set.sensors) {
      SensorMarker m;
      m.name = line.sensor;
      m.ax = line.a.x;
      m.ay = line.a.y;
      m.bx = line.b.x;
      m.by = line.b.y;
      m.forward_name = line.forward_name;
      m.backward_name = line.backward_name;
      m.forward = find(line.sensor, line.forward_name);
      m.backward = find(line.sensor, line.backward_name);
      m.min_group_size = set.privacy.min_group_size;
      markers.push_back(std::move(m));
    }
    view_->setSensors(std::move(markers));
    if (observed.tracks.size() > 0) {
      player_->setTracks(std::move(observed.tracks), std::move(observed.track_modes),
                         set.utc_offset_s);
      replay_toolbar_->show();
    } else {
      player_->clear();
      replay_toolbar_->hide();
    }
    if (!run) setWindowTitle(tr("%1 - CityTwin Studio").arg(QString::fromStdString(set.name)));
  } catch (const std::exception& e) {
    QApplication::restoreOverrideCursor();
    showError(tr("Cannot open the observation set"), QString::fromStdString(e.what()));
    return false;
  }
  QApplication::restoreOverrideCursor();
  statusBar()->showMessage(tr("Sensors of %1").arg(QFileInfo(path).fileName()), 5000);
  return true;
}

void MainWindow::openDialog() {
  if (!confirmDiscard()) return;
  QSettings settings;
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open a scenario or a city model"),
                                   settings.value("files/last_dir").toString(), tr(kOpenFilter));
  if (path.isEmpty()) return;
  settings.setValue("files/last_dir", QFileInfo(path).absolutePath());
  openFile(path);
}

void MainWindow::addRecent(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value("files/recent").toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > 10) recent.removeLast();
  settings.setValue("files/recent", recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = QSettings().value("files/recent").toStringList();
  for (const auto& path : recent)
    recent_menu_
        ->addAction(QFileInfo(path).fileName(), this,
                    [this, path] {
                      if (confirmDiscard()) openFile(path);
                    })
        ->setToolTip(path);
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  const auto urls = e->mimeData()->urls();
  if (urls.isEmpty() || !urls.front().isLocalFile()) return;
  if (confirmDiscard()) openFile(urls.front().toLocalFile());
}

bool MainWindow::saveVariantAs(const QString& path) {
  QString error;
  if (!variant_->save(path, &error)) {
    showError(tr("Cannot save the variant"), error);
    return false;
  }
  statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
  return true;
}

void MainWindow::saveVariant() {
  if (variant_->path().isEmpty())
    saveVariantAsDialog();
  else
    saveVariantAs(variant_->path());
}

void MainWindow::saveVariantAsDialog() {
  if (!variant_->hasBase()) return;
  const QString suggested = QFileInfo(variant_->basePath()).absolutePath() + "/my-variant.yaml";
  const QString path = QFileDialog::getSaveFileName(this, tr("Save the variant"), suggested,
                                                    tr("Scenarios (*.yaml)"));
  if (!path.isEmpty()) saveVariantAs(path);
}

CompareWindow* MainWindow::compare(const QString& base, const QString& variant) {
  auto* window = new CompareWindow(threads_, interactive_);
  window->resize(size());
  window->show();
  window->open(base, variant);
  return window;
}

void MainWindow::compareDialog() {
  if (!session_->isLoaded()) {
    showError(tr("Nothing to compare"),
              tr("Open a scenario first, then compare it with a variant."));
    return;
  }
  // A variant made by hand: saved, then compared with its base.
  if (variant_->hasBase() && !variant_->edits().empty()) {
    if (variant_->path().isEmpty() || variant_->isModified()) {
      if (variant_->path().isEmpty())
        saveVariantAsDialog();
      else
        saveVariantAs(variant_->path());
      if (variant_->path().isEmpty() || variant_->isModified()) return;
    }
    compare(variant_->basePath(), variant_->path());
    return;
  }
  const QString base = session_->scenarioPath();
  const QString variant =
      QFileDialog::getOpenFileName(this, tr("Compare %1 with").arg(QFileInfo(base).fileName()),
                                   QFileInfo(base).absolutePath(), tr("Scenarios (*.yaml *.yml)"));
  if (!variant.isEmpty()) compare(base, variant);
}

void MainWindow::runVariant() {
  if (!variant_->hasBase()) return;
  if (variant_->path().isEmpty() || variant_->isModified()) {
    if (variant_->path().isEmpty() && interactive_)
      saveVariantAsDialog();
    else if (!variant_->path().isEmpty())
      saveVariantAs(variant_->path());
    if (variant_->path().isEmpty() || variant_->isModified()) return;
  }
  keep_variant_on_open_ = true;
  openFile(variant_->path());
}

void MainWindow::runForDialog() {
  if (!session_->isLoaded()) return;
  bool ok = false;
  const double seconds =
      QInputDialog::getDouble(this, tr("Run for"), tr("Simulated seconds:"), 600, 1, 1e6, 0, &ok);
  if (!ok) return;
  progress_ = new QProgressDialog(tr("Running %1 simulated seconds").arg(seconds), tr("Cancel"), 0,
                                  0, this);
  progress_->setAttribute(Qt::WA_DeleteOnClose);
  progress_->setMinimumDuration(300);
  connect(progress_, &QProgressDialog::canceled, session_, &SimulationSession::cancel);
  live_ = true;
  session_->runFor(seconds);
}

void MainWindow::screenshotDialog() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Save a screenshot"),
      QStandardPaths::writableLocation(QStandardPaths::PicturesLocation) + "/citytwin.png",
      tr("Images (*.png *.jpg)"));
  if (path.isEmpty()) return;
  if (!grab().save(path))
    showError(tr("Cannot save the screenshot"), tr("%1 could not be written.").arg(path));
}

}  // namespace citytwin::ui
