#include "citytwin/ui/compare_window.hpp"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>
#include <iostream>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/compare_report_job.hpp"
#include "citytwin/ui/scenario_pair.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "widgets/timeline_bar.hpp"

namespace citytwin::ui {

namespace {

struct FigureDef {
  const char* name;
  int decimals;
  bool crowd;  ///< a crowd figure (else traffic)
  std::function<double(const Kpis&)> value;
};

const std::vector<FigureDef>& figureDefs() {
  static const std::vector<FigureDef> defs{
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "People walking"), 0, true,
       [](const Kpis& k) { return static_cast<double>(k.people); }},
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "People arrived"), 0, true,
       [](const Kpis& k) { return static_cast<double>(k.people_arrived); }},
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "Mean walking speed (m/s)"), 2, true,
       [](const Kpis& k) { return k.people_mean_speed; }},
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "Densest zone (people/m²)"), 2, true,
       [](const Kpis& k) { return k.peak_zone_density; }},
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "Vehicles driving"), 0, false,
       [](const Kpis& k) { return static_cast<double>(k.vehicles); }},
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "Trips finished"), 0, false,
       [](const Kpis& k) { return static_cast<double>(k.vehicles_arrived); }},
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "Mean vehicle speed (km/h)"), 1, false,
       [](const Kpis& k) { return 3.6 * k.vehicles_mean_speed; }},
      {QT_TRANSLATE_NOOP("citytwin::ui::CompareWindow", "Mean trip duration (min)"), 1, false,
       [](const Kpis& k) { return k.mean_trip_duration_s / 60.0; }},
  };
  return defs;
}

QString clockText(double s) {
  const int t = static_cast<int>(s);
  return QString("%1:%2:%3")
      .arg(t / 3600, 2, 10, QChar('0'))
      .arg(t / 60 % 60, 2, 10, QChar('0'))
      .arg(t % 60, 2, 10, QChar('0'));
}

}  // namespace

CompareWindow::CompareWindow(int threads, bool interactive, QWidget* parent)
    : QMainWindow(parent),
      threads_(threads),
      interactive_(interactive),
      pair_(new ScenarioPair(this)),
      report_(new CompareReportJob(this)) {
  setWindowTitle(tr("Compare - CityTwin Studio"));
  setAttribute(Qt::WA_DeleteOnClose, interactive);

  auto* splitter = new QSplitter(Qt::Horizontal);
  for (int k = 0; k < 2; ++k) {
    auto* pane = new QWidget;
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* title = new QLabel(k == 0 ? tr("Base") : tr("Variant"));
    title->setStyleSheet("font-weight: bold; padding: 2px;");
    auto* view = new CityView;
    layout->addWidget(title);
    layout->addWidget(view, 1);
    splitter->addWidget(pane);
    titles_[static_cast<std::size_t>(k)] = title;
    views_[static_cast<std::size_t>(k)] = view;
    connect(view, &CityView::cameraPoseChanged, this, [this, k] { syncCamera(k); });
  }
  timeline_ = new TimelineBar;
  timeline_->setEnabledAll(false);
  auto* central = new QWidget;
  auto* cl = new QVBoxLayout(central);
  cl->setContentsMargins(0, 0, 0, 0);
  cl->addWidget(splitter, 1);
  cl->addWidget(timeline_);
  setCentralWidget(central);

  auto* bar = addToolBar(tr("Compare"));
  bar->setObjectName("compare_toolbar");
  sync_cameras_ = bar->addAction(tr("Move cameras together"));
  sync_cameras_->setCheckable(true);
  sync_cameras_->setChecked(true);
  sync_cameras_->setToolTip(tr("Orbit, pan or zoom one view and the other follows"));
  auto* top = bar->addAction(tr("Top view"), this, [this] {
    views_[0]->setTopView(!views_[0]->topView());
    views_[1]->setTopView(views_[0]->topView());
  });
  top->setShortcut(QKeySequence(Qt::Key_T));
  top->setToolTip(tr("Look straight down on both (T)"));
  auto* home = bar->addAction(tr("Whole city"), this, [this] {
    for (auto* v : views_) v->resetCamera();
  });
  home->setShortcut(QKeySequence(Qt::Key_Home));
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Heatmap: ")));
  heatmap_mode_ = new QComboBox;
  heatmap_mode_->addItems({tr("Density (people/m²)"), tr("Fruin level of service"),
                           tr("Walking speed"), tr("Difference: variant − base")});
  heatmap_mode_->setToolTip(
      tr("Difference: red where the variant has more people per m² than the base at the same "
         "moment, blue where fewer"));
  connect(heatmap_mode_, &QComboBox::currentIndexChanged, this, &CompareWindow::setHeatmapMode);
  bar->addWidget(heatmap_mode_);
  bar->addSeparator();
  auto* report = bar->addAction(tr("Comparison report..."), this, &CompareWindow::reportDialog);
  report->setShortcut(QKeySequence(tr("Ctrl+R")));
  report->setToolTip(
      tr("Run both scenarios to the end with the headless engine (same seeds) and open the "
         "report: key figures, maps and plots, with the data and parameters behind them"));

  figures_ = new QTableWidget(static_cast<int>(figureDefs().size()) + 1, 3);
  figures_->setHorizontalHeaderLabels({tr("Base"), tr("Variant"), tr("Difference")});
  QStringList rows{tr("Time")};
  for (const auto& d : figureDefs()) rows << tr(d.name);
  figures_->setVerticalHeaderLabels(rows);
  figures_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  figures_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  for (int r = 0; r < figures_->rowCount(); ++r)
    for (int c = 0; c < 3; ++c) {
      auto* item = new QTableWidgetItem("–");
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      figures_->setItem(r, c, item);
    }
  auto* dock = new QDockWidget(tr("Key figures"), this);
  dock->setObjectName("compare_figures");
  dock->setWidget(figures_);
  dock->setMinimumWidth(380);
  addDockWidget(Qt::RightDockWidgetArea, dock);
  status_ = new QLabel;
  statusBar()->addPermanentWidget(status_);

  connect(pair_, &ScenarioPair::loadProgress, this, [this](const QString& stage, double f) {
    if (progress_) {
      progress_->setLabelText(stage);
      progress_->setValue(static_cast<int>(f * 100));
    }
  });
  connect(pair_, &ScenarioPair::opened, this, &CompareWindow::onOpened);
  connect(pair_, &ScenarioPair::failed, this, [this](const QString& message) {
    if (progress_) progress_->close();
    showError(tr("Cannot open the comparison"), message);
  });
  connect(pair_, &ScenarioPair::frameReady, this, [this](int) {
    if (live_) showFrames();
  });
  connect(pair_, &ScenarioPair::playingChanged, timeline_, &TimelineBar::setPlaying);
  connect(timeline_, &TimelineBar::playToggled, this, [this] {
    if (pair_->isPlaying()) {
      pair_->pause();
    } else {
      live_ = true;
      pair_->play();
    }
  });
  connect(timeline_, &TimelineBar::stepRequested, this, [this] {
    live_ = true;
    if (!pair_->isBusy()) pair_->runFor(1.0);
  });
  connect(timeline_, &TimelineBar::speedChanged, pair_, &ScenarioPair::setSpeed);
  auto* play = new QAction(tr("Play / pause"), this);
  play->setShortcut(QKeySequence(Qt::Key_Space));
  connect(play, &QAction::triggered, timeline_, &TimelineBar::playToggled);
  auto* step = new QAction(tr("Step one second"), this);
  step->setShortcut(QKeySequence(Qt::Key_Right));
  connect(step, &QAction::triggered, timeline_, &TimelineBar::stepRequested);
  addActions({play, step});
  connect(timeline_, &TimelineBar::scrubbed, this, [this](double t) {
    live_ = false;
    for (int k = 0; k < 2; ++k) {
      const FramePtr f = pair_->session(k)->history().at(t);
      if (f) shown_[static_cast<std::size_t>(k)] = f;
    }
    views_[1]->setHeatmapReference(shown_[0]);
    for (int k = 0; k < 2; ++k)
      views_[static_cast<std::size_t>(k)]->showFrame(shown_[static_cast<std::size_t>(k)]);
    refreshFigures();
  });
  connect(timeline_, &TimelineBar::liveRequested, this, [this] {
    live_ = true;
    showFrames();
  });
  connect(report_, &CompareReportJob::progress, this, [this](double f, const QString& stage) {
    if (progress_) {
      progress_->setLabelText(tr("Comparison report: %1").arg(stage));
      progress_->setValue(static_cast<int>(f * 100));
    }
    status_->setText(tr("Report %1 %").arg(f * 100, 0, 'f', 0));
  });
  connect(report_, &CompareReportJob::finished, this, [this](bool ok, const QString& error) {
    if (progress_) progress_->close();
    status_->clear();
    if (!ok) {
      showError(tr("No comparison report"), error);
      Q_EMIT reportFinished(false, error);
      return;
    }
    statusBar()->showMessage(tr("Wrote %1").arg(report_->reportPath()), 10000);
    if (interactive_) QDesktopServices::openUrl(QUrl::fromLocalFile(report_->reportPath()));
    Q_EMIT reportFinished(true, report_->reportPath());
  });

  QSettings settings;
  restoreGeometry(settings.value("compare/geometry").toByteArray());
  timeline_->setSpeedIndex(settings.value("simulation/speed_index", 3).toInt());
  pair_->setSpeed(timeline_->speed());
}

CompareWindow::~CompareWindow() = default;

void CompareWindow::open(const QString& base, const QString& variant) {
  for (int k = 0; k < 2; ++k) {
    titles_[static_cast<std::size_t>(k)]->setText(
        (k == 0 ? tr("Base: %1") : tr("Variant: %1"))
            .arg(QFileInfo(k == 0 ? base : variant).fileName()));
    views_[static_cast<std::size_t>(k)]->setScenario(nullptr);
  }
  for (const auto& path : {base, variant})
    if (!QFileInfo::exists(path)) {
      showError(tr("Cannot open the comparison"), tr("%1 does not exist.").arg(path));
      return;
    }
  if (interactive_) {
    progress_ = new QProgressDialog(tr("Opening both scenarios"), tr("Cancel"), 0, 100, this);
    progress_->setAttribute(Qt::WA_DeleteOnClose);
    progress_->setMinimumDuration(300);
    connect(progress_, &QProgressDialog::canceled, pair_, &ScenarioPair::cancel);
  }
  pair_->open(base, variant, threads_);
}

void CompareWindow::onOpened() {
  if (progress_) progress_->close();
  for (int k = 0; k < 2; ++k) {
    const auto* run = pair_->session(k)->scenario();
    views_[static_cast<std::size_t>(k)]->setScenario(run);
    titles_[static_cast<std::size_t>(k)]->setText(
        (k == 0 ? tr("Base: %1") : tr("Variant: %1"))
            .arg(QString::fromStdString(run->file().name)));
  }
  setHeatmapMode(heatmap_mode_->currentIndex());
  timeline_->setEnabledAll(true);
  live_ = true;
  showFrames();
  setWindowTitle(tr("%1 vs %2 - CityTwin Studio")
                     .arg(QString::fromStdString(pair_->base()->scenario()->file().name),
                          QString::fromStdString(pair_->variant()->scenario()->file().name)));
  Q_EMIT opened();
}

void CompareWindow::showFrames() {
  for (int k = 0; k < 2; ++k) {
    const FramePtr f = pair_->session(k)->latest();
    if (f) shown_[static_cast<std::size_t>(k)] = f;
  }
  // The difference heatmap subtracts the base at the same moment: in lockstep the latest
  // frames are at most one slice apart; when the base is ahead, its recorded frame is used.
  FramePtr reference = shown_[0];
  if (reference && shown_[1] && reference->elapsed_s > shown_[1]->elapsed_s + 0.5) {
    if (FramePtr at = pair_->base()->history().at(shown_[1]->elapsed_s)) reference = at;
  }
  views_[1]->setHeatmapReference(reference);
  for (int k = 0; k < 2; ++k)
    if (shown_[static_cast<std::size_t>(k)])
      views_[static_cast<std::size_t>(k)]->showFrame(shown_[static_cast<std::size_t>(k)]);
  refreshFigures();
  refreshTimeline();
}

void CompareWindow::refreshTimeline() {
  const double end = std::max(pair_->base()->history().last(), pair_->variant()->history().last());
  const FramePtr& f = shown_[0] ? shown_[0] : shown_[1];
  if (f) timeline_->setTimes(std::max(end, f->elapsed_s), f->elapsed_s, f->clock_s, live_);
}

void CompareWindow::refreshFigures() {
  std::array<const engine::ScenarioRun*, 2> runs{pair_->base()->scenario(),
                                                 pair_->variant()->scenario()};
  auto set = [this](int r, int c, const QString& text) { figures_->item(r, c)->setText(text); };
  for (int c = 0; c < 2; ++c) {
    const auto& f = shown_[static_cast<std::size_t>(c)];
    set(0, c, f ? clockText(f->clock_s) : QString("–"));
  }
  set(0, 2, "");
  const auto& defs = figureDefs();
  for (std::size_t d = 0; d < defs.size(); ++d) {
    const int row = static_cast<int>(d) + 1;
    std::array<bool, 2> has{};
    std::array<double, 2> v{};
    for (std::size_t c = 0; c < 2; ++c) {
      const auto* run = runs[c];
      has[c] =
          shown_[c] && run && (defs[d].crowd ? run->file().has_crowd : run->file().has_traffic);
      if (has[c]) v[c] = defs[d].value(shown_[c]->kpis);
      set(row, static_cast<int>(c), has[c] ? QLocale().toString(v[c], 'f', defs[d].decimals) : "–");
    }
    if (has[0] && has[1]) {
      const double diff = v[1] - v[0];
      set(row, 2, (diff > 0 ? "+" : "") + QLocale().toString(diff, 'f', defs[d].decimals));
    } else {
      set(row, 2, "–");
    }
  }
}

QString CompareWindow::figure(int row, int column) const {
  const auto* item = figures_->item(row, column);
  return item ? item->text() : QString();
}

int CompareWindow::figureRow(const QString& name) const {
  for (int r = 0; r < figures_->rowCount(); ++r)
    if (figures_->verticalHeaderItem(r)->text() == name) return r;
  return -1;
}

void CompareWindow::setHeatmapMode(int mode) {
  if (heatmap_mode_->currentIndex() != mode) {
    heatmap_mode_->setCurrentIndex(mode);  // comes back here through the signal
    return;
  }
  const bool difference = mode == 3;
  views_[0]->setHeatmapMode(difference ? 0 : mode);
  views_[0]->setLayerVisible("heatmap", !difference);
  views_[1]->setHeatmapMode(mode);
  views_[1]->setLayerVisible("heatmap", true);
}

void CompareWindow::setCamerasSynchronised(bool on) {
  sync_cameras_->setChecked(on);
  if (on) syncCamera(0);
}

void CompareWindow::syncCamera(int from) {
  if (!sync_cameras_->isChecked() || syncing_) return;
  syncing_ = true;
  double pose[9];
  views_[static_cast<std::size_t>(from)]->cameraPose(pose);
  views_[static_cast<std::size_t>(1 - from)]->setCameraPose(pose);
  syncing_ = false;
}

void CompareWindow::writeReport(const QString& out_dir, int replications) {
  if (!pair_->isLoaded() || report_->isRunning()) return;
  if (interactive_) {
    progress_ = new QProgressDialog(tr("Comparison report"), tr("Cancel"), 0, 100, this);
    progress_->setAttribute(Qt::WA_DeleteOnClose);
    progress_->setMinimumDuration(0);
    connect(progress_, &QProgressDialog::canceled, report_, &CompareReportJob::cancel);
  }
  report_->start({pair_->base()->scenarioPath(), pair_->variant()->scenarioPath()}, out_dir,
                 replications, threads_);
}

void CompareWindow::reportDialog() {
  if (!pair_->isLoaded()) return;
  const QFileInfo variant(pair_->variant()->scenarioPath());
  const QString suggested =
      QDir(variant.absolutePath()).filePath("compare-" + variant.completeBaseName());
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Folder for the comparison report and its runs"),
                                        QFileInfo(suggested).absolutePath());
  if (dir.isEmpty()) return;
  writeReport(QDir(dir).filePath("compare-" + variant.completeBaseName()));
}

void CompareWindow::showError(const QString& title, const QString& message) {
  last_error_ = message;
  std::cerr << "citytwin-studio: " << title.toStdString() << ": " << message.toStdString() << "\n";
  statusBar()->showMessage(title, 10000);
  Q_EMIT failed(message);
  if (interactive_) QMessageBox::critical(this, title, message);
}

void CompareWindow::closeEvent(QCloseEvent* e) {
  report_->cancel();
  pair_->cancel();
  QSettings().setValue("compare/geometry", saveGeometry());
  e->accept();
}

}  // namespace citytwin::ui
