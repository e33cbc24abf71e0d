#pragma once
// CityTwin Studio's main window: the 3D view in the middle; layers, key figures, the variant's
// interventions and what was picked in docks; the timeline below. It owns no simulation
// logic: the engine runs in SimulationSession's worker, edits go into a VariantDocument.
#include <QLabel>
#include <QMainWindow>
#include <QPointer>
#include <QProgressDialog>
#include <QString>
#include <vector>

#include "citytwin/geodata/geometry.hpp"

class QListWidget;
class QTreeWidget;
class QComboBox;
class QMenu;
class QActionGroup;
class QToolBar;

namespace citytwin::ui {

class CityView;
class SimulationSession;
class VariantDocument;
class KpiCharts;
class TimelineBar;
class CompareWindow;
class ObservationPlayer;
class ReplayBar;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum class Tool { kSelect, kCloseStreet, kDrawFence, kGate, kSignal };

  /// `threads`: engine worker threads (0: all cores). `interactive` false: errors are reported
  /// on stderr and by failed(), never in a dialog (scripted mode, tests).
  explicit MainWindow(int threads = 0, bool interactive = true, QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a scenario (.yaml) or a city model (OSM, CityJSON, GeoPackage) in the background.
  void openFile(const QString& path);
  /// Shows the sensors of an observation set (.yaml) in the open city, with their observed
  /// counts at the time on screen, and its trajectories (people, buses) in the replay player.
  /// Without a city, a set in local coordinates (a laboratory's) is shown on its own. False
  /// (with a message) when it cannot be read.
  bool openObservations(const QString& path);
  void setTool(Tool tool);
  Tool tool() const { return tool_; }
  /// Saves the variant made by hand; false (with a message) when it cannot be written.
  bool saveVariantAs(const QString& path);
  /// Opens a window comparing two scenarios side by side (it deletes itself when closed).
  CompareWindow* compare(const QString& base, const QString& variant);

  CityView* view() const { return view_; }
  SimulationSession* session() const { return session_; }
  VariantDocument* variant() const { return variant_; }
  ObservationPlayer* player() const { return player_; }
  /// The replay's timeline (shown while trajectories are open).
  ReplayBar* replayBar() const { return replay_bar_; }
  int chartPoints() const;
  /// Ticks the layers panel as the view shows the layers (after the view was set directly).
  void refreshLayerChecks();
  QString lastError() const { return last_error_; }

 Q_SIGNALS:
  void scenarioOpened();
  void failed(const QString& message);

 protected:
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;

 private:
  void buildActions();
  void buildDocks();
  void rebuildRecentMenu();
  void addRecent(const QString& path);
  void showError(const QString& title, const QString& message);
  void onOpened();
  void onFrame();
  void onClicked(const geodata::Vec2& p, Qt::MouseButton button);
  void finishFence();
  void cancelFence();
  void refreshEdits();
  void refreshStatus();
  void openDialog();
  void saveVariant();
  void saveVariantAsDialog();
  void runVariant();
  void compareDialog();
  void runForDialog();
  void screenshotDialog();
  void editGate(std::size_t stage, const geodata::Vec2& where);
  void editSignal(const geodata::Vec2& where);
  bool confirmDiscard();

  int threads_;
  bool interactive_;
  CityView* view_;
  SimulationSession* session_;
  VariantDocument* variant_;
  ObservationPlayer* player_;
  ReplayBar* replay_bar_ = nullptr;
  QToolBar* replay_toolbar_ = nullptr;
  KpiCharts* charts_ = nullptr;
  TimelineBar* timeline_ = nullptr;
  QListWidget* layers_ = nullptr;
  QComboBox* heatmap_mode_ = nullptr;
  QListWidget* edits_ = nullptr;
  QTreeWidget* info_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QMenu* view_menu_ = nullptr;
  QLabel *status_time_, *status_counts_, *status_fps_, *status_where_;
  QPointer<QProgressDialog> progress_;
  Tool tool_ = Tool::kSelect;
  QActionGroup* tools_ = nullptr;
  std::vector<geodata::Vec2> fence_;
  bool live_ = true;
  bool keep_variant_on_open_ = false;
  QString last_error_;
  qint64 last_chart_refresh_ms_ = 0;
};

}  // namespace citytwin::ui
