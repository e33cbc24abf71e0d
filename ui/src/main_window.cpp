#include "citytwin/ui/main_window.hpp"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <QToolBar>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>
#include <iostream>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/observation_player.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "citytwin/ui/variant_document.hpp"
#include "widgets/kpi_charts.hpp"
#include "widgets/replay_bar.hpp"
#include "widgets/timeline_bar.hpp"

namespace citytwin::ui {

MainWindow::MainWindow(int threads, bool interactive, QWidget* parent)
    : QMainWindow(parent),
      threads_(threads),
      interactive_(interactive),
      view_(new CityView),
      session_(new SimulationSession(this)),
      variant_(new VariantDocument(this)),
      player_(new ObservationPlayer(this)) {
  setWindowTitle(tr("CityTwin Studio"));
  setAcceptDrops(true);
  setCentralWidget(view_);
  timeline_ = new TimelineBar;
  auto* bottom = new QToolBar(tr("Timeline"));
  bottom->setObjectName("timeline");
  bottom->setMovable(false);
  bottom->addWidget(timeline_);
  addToolBar(Qt::BottomToolBarArea, bottom);
  timeline_->setEnabledAll(false);
  // The replay of measured trajectories, under the simulation's timeline while there are any.
  replay_bar_ = new ReplayBar(player_);
  replay_toolbar_ = new QToolBar(tr("Replay"));
  replay_toolbar_->setObjectName("replay");
  replay_toolbar_->setMovable(false);
  replay_toolbar_->addWidget(replay_bar_);
  addToolBarBreak(Qt::BottomToolBarArea);
  addToolBar(Qt::BottomToolBarArea, replay_toolbar_);
  replay_toolbar_->hide();
  connect(player_, &ObservationPlayer::moved, this, [this] {
    view_->showObserved(player_->frame(), player_->dataTime());
    replay_bar_->refresh();
  });
  connect(replay_bar_, &ReplayBar::withSimulationChanged, this, [this](bool on) {
    const FramePtr shown = view_->frame();
    if (on && shown) player_->showElapsed(shown->elapsed_s);
  });
  buildDocks();
  buildActions();

  status_time_ = new QLabel;
  status_counts_ = new QLabel;
  status_where_ = new QLabel;
  status_fps_ = new QLabel;
  statusBar()->addWidget(status_time_);
  statusBar()->addWidget(status_counts_, 1);
  statusBar()->addPermanentWidget(status_where_);
  statusBar()->addPermanentWidget(status_fps_);

  connect(session_, &SimulationSession::loadProgress, this, [this](const QString& stage, double f) {
    if (progress_) {
      progress_->setLabelText(stage);
      progress_->setValue(static_cast<int>(f * 100));
    }
    statusBar()->showMessage(stage);
  });
  connect(session_, &SimulationSession::opened, this, &MainWindow::onOpened);
  connect(session_, &SimulationSession::failed, this, [this](const QString& message) {
    if (progress_) progress_->close();
    showError(tr("Cannot open the scenario"), message);
  });
  connect(session_, &SimulationSession::frameReady, this, &MainWindow::onFrame);
  connect(session_, &SimulationSession::playingChanged, timeline_, &TimelineBar::setPlaying);
  connect(session_, &SimulationSession::reached, this, [this] {
    if (progress_) progress_->close();
  });
  connect(timeline_, &TimelineBar::playToggled, this, [this] {
    if (session_->isPlaying())
      session_->pause();
    else {
      live_ = true;
      session_->play();
    }
  });
  connect(timeline_, &TimelineBar::stepRequested, this, [this] {
    live_ = true;
    session_->runFor(1.0);
  });
  connect(timeline_, &TimelineBar::speedChanged, session_, &SimulationSession::setSpeed);
  connect(timeline_, &TimelineBar::scrubbed, this, [this](double t) {
    const FramePtr f = session_->history().at(t);
    if (!f) return;
    live_ = false;
    view_->showFrame(f);
    refreshStatus();
  });
  connect(timeline_, &TimelineBar::liveRequested, this, [this] {
    live_ = true;
    onFrame();
  });
  connect(view_, &CityView::clicked, this,
          [this](const geodata::Vec2& p, Qt::MouseButton b, Qt::KeyboardModifiers) {
            onClicked(p, b);
          });
  connect(view_, &CityView::doubleClicked, this, [this](const geodata::Vec2&) {
    if (tool_ == Tool::kDrawFence) finishFence();
  });
  connect(view_, &CityView::hovered, this, [this](const geodata::Vec2& p) {
    const auto* run = session_->scenario();
    if (!run) return;
    const auto q = run->city().frame.toProjected(p);
    status_where_->setText(QString("%1 %2 (%3)")
                               .arg(q.x, 0, 'f', 1)
                               .arg(q.y, 0, 'f', 1)
                               .arg(QString::fromStdString(run->city().frame.crs)));
  });
  connect(variant_, &VariantDocument::changed, this, &MainWindow::refreshEdits);

  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  heatmap_mode_->setCurrentIndex(settings.value("view/heatmap_mode", 0).toInt());
  timeline_->setSpeedIndex(settings.value("simulation/speed_index", 3).toInt());
  session_->setSpeed(timeline_->speed());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
  // Layers: visibility per layer, heatmap mode.
  auto* layers_panel = new QWidget;
  auto* ll = new QVBoxLayout(layers_panel);
  layers_ = new QListWidget;
  layers_->setToolTip(tr("Tick a layer to show it"));
  const QStringList names = view_->layerNames();
  const QStringList labels{tr("Ground"),
                           tr("Walkable space"),
                           tr("Streets"),
                           tr("Buildings"),
                           tr("Scenario (stages, zones, fences)"),
                           tr("Heatmap"),
                           tr("People"),
                           tr("Vehicles"),
                           tr("Measured (replayed)"),
                           tr("Interventions"),
                           tr("Sensors (observations)")};
  for (int k = 0; k < names.size(); ++k) {
    auto* item = new QListWidgetItem(labels[k], layers_);
    item->setData(Qt::UserRole, names[k]);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
  }
  connect(layers_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    view_->setLayerVisible(item->data(Qt::UserRole).toString(), item->checkState() == Qt::Checked);
  });
  heatmap_mode_ = new QComboBox;
  heatmap_mode_->addItems(
      {tr("Density (people/m²)"), tr("Fruin level of service"), tr("Walking speed")});
  heatmap_mode_->setToolTip(tr("What the heatmap shows, per 2 m cell averaged over 6 x 6 m"));
  connect(heatmap_mode_, &QComboBox::currentIndexChanged, view_, &CityView::setHeatmapMode);
  ll->addWidget(layers_);
  ll->addWidget(new QLabel(tr("Heatmap")));
  ll->addWidget(heatmap_mode_);
  // Styling: see-through buildings (to watch the crowd behind them), a fainter heatmap.
  auto* opacity = new QFormLayout;
  const QStringList opacity_labels{tr("Buildings"), tr("Heatmap")};
  const QStringList opacity_layers = CityView::layersWithOpacity();
  for (int k = 0; k < opacity_layers.size(); ++k) {
    const QString layer = opacity_layers[k];
    auto* slider = new QSlider(Qt::Horizontal);
    slider->setRange(10, 100);
    slider->setObjectName("opacity_" + layer);
    slider->setToolTip(tr("Opacity of the %1 layer").arg(opacity_labels[k].toLower()));
    const int value = QSettings().value("view/opacity_" + layer, 100).toInt();
    slider->setValue(value);
    view_->setLayerOpacity(layer, value / 100.0);
    connect(slider, &QSlider::valueChanged, this, [this, layer](int v) {
      view_->setLayerOpacity(layer, v / 100.0);
      QSettings().setValue("view/opacity_" + layer, v);
    });
    opacity->addRow(opacity_labels[k], slider);
  }
  ll->addWidget(new QLabel(tr("Opacity")));
  ll->addLayout(opacity);
  auto* layers_dock = new QDockWidget(tr("Layers"), this);
  layers_dock->setObjectName("layers");
  layers_dock->setWidget(layers_panel);
  addDockWidget(Qt::LeftDockWidgetArea, layers_dock);

  // Interventions of the variant being made.
  edits_ = new QListWidget;
  edits_->setToolTip(tr("The variant's interventions; Delete removes the selected one"));
  auto* edits_dock = new QDockWidget(tr("Interventions"), this);
  edits_dock->setObjectName("interventions");
  edits_dock->setWidget(edits_);
  addDockWidget(Qt::LeftDockWidgetArea, edits_dock);

  // What was picked.
  info_ = new QTreeWidget;
  info_->setColumnCount(2);
  info_->setHeaderLabels({tr("Attribute"), tr("Value")});
  info_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  auto* info_dock = new QDockWidget(tr("Info"), this);
  info_dock->setObjectName("info");
  info_dock->setWidget(info_);
  addDockWidget(Qt::LeftDockWidgetArea, info_dock);

  charts_ = new KpiCharts;
  auto* charts_dock = new QDockWidget(tr("Key figures"), this);
  charts_dock->setObjectName("charts");
  charts_dock->setWidget(charts_);
  charts_dock->setMinimumWidth(360);
  addDockWidget(Qt::RightDockWidgetArea, charts_dock);
}

void MainWindow::showError(const QString& title, const QString& message) {
  last_error_ = message;
  std::cerr << "citytwin-studio: " << title.toStdString() << ": " << message.toStdString() << "\n";
  statusBar()->showMessage(title);
  Q_EMIT failed(message);
  if (interactive_) QMessageBox::critical(this, title, message);
}

void MainWindow::onOpened() {
  if (progress_) progress_->close();
  const auto* run = session_->scenario();
  view_->setScenario(run);
  for (int k = 0; k < layers_->count(); ++k) {
    auto* item = layers_->item(k);
    view_->setLayerVisible(item->data(Qt::UserRole).toString(), item->checkState() == Qt::Checked);
  }
  view_->setHeatmapMode(heatmap_mode_->currentIndex());
  std::vector<std::string> zones;
  if (run->file().has_crowd)
    for (const auto& z : run->file().crowd.zones) zones.push_back(z.name);
  charts_->reset(zones, run->file().has_crowd, run->file().has_traffic);
  if (!keep_variant_on_open_)
    variant_->startFrom(session_->scenarioPath(), QString::fromStdString(run->file().name),
                        run->city().frame);
  keep_variant_on_open_ = false;
  view_->setEditOverlay(variant_->overlay());
  const bool moving = run->crowd() || run->traffic();
  timeline_->setEnabledAll(moving);
  live_ = true;
  setWindowTitle(tr("%1 - CityTwin Studio").arg(QString::fromStdString(run->file().name)));
  addRecent(session_->scenarioPath());
  statusBar()->showMessage(tr("Opened %1").arg(session_->scenarioPath()), 5000);
  refreshEdits();
  Q_EMIT scenarioOpened();
}

void MainWindow::onFrame() {
  const FramePtr latest = session_->latest();
  if (!latest) return;
  if (live_) view_->showFrame(latest);
  if (replay_bar_->withSimulation() && player_->hasTracks() && view_->frame())
    player_->showElapsed(view_->frame()->elapsed_s);
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  if (now - last_chart_refresh_ms_ > 500 || latest->finished || !session_->isPlaying()) {
    charts_->refresh(session_->history());
    last_chart_refresh_ms_ = now;
  }
  refreshStatus();
}

void MainWindow::refreshStatus() {
  const FramePtr latest = session_->latest();
  const FramePtr shown = view_->frame();
  if (!latest || !shown) return;
  timeline_->setTimes(latest->elapsed_s, shown->elapsed_s, shown->clock_s, live_);
  QString counts;
  if (session_->scenario() && session_->scenario()->crowd())
    counts += tr("%1 walking, %2 arrived").arg(shown->kpis.people).arg(shown->kpis.people_arrived);
  if (session_->scenario() && session_->scenario()->traffic())
    counts += (counts.isEmpty() ? "" : "; ") + tr("%1 vehicles driving, %2 arrived")
                                                   .arg(shown->kpis.vehicles)
                                                   .arg(shown->kpis.vehicles_arrived);
  if (shown->finished) counts += tr(" - finished");
  status_counts_->setText(counts);
  status_fps_->setText(tr("%1 fps").arg(view_->framesPerSecond(), 0, 'f', 0));
}

void MainWindow::refreshLayerChecks() {
  const QSignalBlocker block(layers_);
  for (int k = 0; k < layers_->count(); ++k) {
    auto* item = layers_->item(k);
    item->setCheckState(view_->layerVisible(item->data(Qt::UserRole).toString()) ? Qt::Checked
                                                                                 : Qt::Unchecked);
  }
}

int MainWindow::chartPoints() const {
  return charts_->pointCount();
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (!confirmDiscard()) {
    e->ignore();
    return;
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("view/heatmap_mode", heatmap_mode_->currentIndex());
  session_->close();
  e->accept();
}

bool MainWindow::confirmDiscard() {
  if (!interactive_ || !variant_->isModified() || variant_->edits().empty()) return true;
  const auto answer = QMessageBox::question(
      this, tr("Unsaved interventions"),
      tr("The variant has interventions that are not saved. Save them first?"),
      QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Cancel) return false;
  if (answer == QMessageBox::Save) {
    saveVariant();
    return !variant_->isModified();
  }
  return true;
}

void MainWindow::keyPressEvent(QKeyEvent* e) {
  if (e->key() == Qt::Key_Escape) {
    cancelFence();
    setTool(Tool::kSelect);
  } else if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) &&
             tool_ == Tool::kDrawFence) {
    finishFence();
  } else if (e->key() == Qt::Key_Delete && edits_->currentRow() >= 0) {
    variant_->remove(edits_->currentRow());
  } else {
    QMainWindow::keyPressEvent(e);
  }
}

}  // namespace citytwin::ui
