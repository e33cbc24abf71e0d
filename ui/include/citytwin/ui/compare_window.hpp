#pragma once
// Two scenarios side by side (a base and a variant): two 3D views whose cameras move together,
// one timeline that runs both in lockstep, the key figures of both with their difference, the
// heatmap of either or of the variant minus the base, and the full comparison report written
// by the headless engine.
#include <QMainWindow>
#include <QPointer>
#include <QProgressDialog>
#include <QString>
#include <array>

#include "citytwin/ui/frame.hpp"

class QLabel;
class QComboBox;
class QTableWidget;
class QAction;

namespace citytwin::ui {

class CityView;
class ScenarioPair;
class TimelineBar;
class CompareReportJob;

class CompareWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// `interactive` false: errors go to stderr and failed(), never to a dialog (scripted, tests).
  explicit CompareWindow(int threads = 0, bool interactive = true, QWidget* parent = nullptr);
  ~CompareWindow() override;

  void open(const QString& base, const QString& variant);
  ScenarioPair* pair() const { return pair_; }
  CityView* view(int k) const { return views_[static_cast<std::size_t>(k)]; }
  /// 0 density, 1 Fruin level of service, 2 walking speed (both views); 3 the variant's
  /// density minus the base's, on the variant's view.
  void setHeatmapMode(int mode);
  void setCamerasSynchronised(bool on);
  /// The key-figure table's text at a row and column (0 base, 1 variant, 2 difference).
  QString figure(int row, int column) const;
  int figureRow(const QString& name) const;
  /// Writes the comparison report into `out_dir` with `citytwin compare`; emits
  /// reportFinished, and opens it in the browser when interactive.
  void writeReport(const QString& out_dir, int replications = 1);
  QString lastError() const { return last_error_; }

 Q_SIGNALS:
  void opened();
  void failed(const QString& message);
  void reportFinished(bool ok, const QString& path_or_error);

 protected:
  void closeEvent(QCloseEvent* e) override;

 private:
  void onOpened();
  void showFrames();
  void refreshFigures();
  void refreshTimeline();
  void syncCamera(int from);
  void reportDialog();
  void showError(const QString& title, const QString& message);

  int threads_;
  bool interactive_;
  ScenarioPair* pair_;
  std::array<CityView*, 2> views_{};
  std::array<QLabel*, 2> titles_{};
  std::array<FramePtr, 2> shown_{};
  TimelineBar* timeline_;
  QComboBox* heatmap_mode_;
  QTableWidget* figures_;
  QAction* sync_cameras_;
  CompareReportJob* report_;
  QPointer<QProgressDialog> progress_;
  QLabel* status_;
  bool live_ = true;
  bool syncing_ = false;
  QString last_error_;
};

}  // namespace citytwin::ui
