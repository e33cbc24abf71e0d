#pragma once
// Writes the comparison report of a base and a variant with the headless engine
// (`citytwin compare BASE VARIANT --out DIR`) in a child process, so that the desktop app and
// the batch runs produce the same report from the same code, and the UI never blocks.
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace citytwin::ui {

class CompareReportJob : public QObject {
  Q_OBJECT

 public:
  explicit CompareReportJob(QObject* parent = nullptr);
  ~CompareReportJob() override;

  /// The `citytwin` executable: $CITYTWIN_CLI, else beside this program, else the build
  /// tree's, else on PATH; empty when none is found.
  static QString findCli();

  /// Starts the comparison; `replications` runs per scenario (seeds as the engine draws them).
  /// Emits finished() (at once, with an error, when it cannot start).
  void start(const QStringList& scenarios, const QString& out_dir, int replications = 1,
             int threads = 0);
  void cancel();
  bool isRunning() const { return process_.state() != QProcess::NotRunning; }
  QString reportPath() const;

 Q_SIGNALS:
  /// The engine's progress: the fraction done (0-1) and what it does now.
  void progress(double fraction, const QString& stage);
  /// `ok`: the report is at reportPath(); else `error` says what went wrong.
  void finished(bool ok, const QString& error);

 private:
  QProcess process_;
  void readOutput();

  QString out_dir_, output_;
  bool cancelled_ = false;
};

}  // namespace citytwin::ui
