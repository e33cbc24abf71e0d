#pragma once
// Runs a scenario in a worker thread and hands the desktop app copies of its state (frames).
// The UI thread only sends commands (play, pause, speed, step, run for a while, cancel) and
// reads frames; the engine is only ever touched by the worker, so the UI never blocks.
#include <QObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "citytwin/ui/frame.hpp"
#include "citytwin/ui/frame_history.hpp"

namespace citytwin::engine {
class ScenarioRun;
}

namespace citytwin::ui {

class SimulationSession : public QObject {
  Q_OBJECT

 public:
  explicit SimulationSession(QObject* parent = nullptr);
  ~SimulationSession() override;

  /// Loads a scenario in the worker (asynchronous): emits loadProgress, then opened or failed.
  void open(const QString& scenario_path, int threads = 0);
  /// Stops the worker and forgets the scenario.
  void close();

  void play();
  void pause();
  /// Simulated seconds per wall-clock second; 0: as fast as the machine goes.
  void setSpeed(double factor);
  double speed() const { return speed_; }
  /// Advances by `seconds` as fast as possible, then pauses and emits reached().
  void runFor(double seconds);
  /// Advances as fast as possible until `elapsed_s` since the start (or the end), then pauses
  /// and emits reached(); at once when already there.
  void runTo(double elapsed_s);
  /// Seconds since the scenario's start of the latest frame (0 before opened()).
  double elapsed() const;
  /// Stops a runFor or a load in progress (a cancelled load is discarded when it ends).
  void cancel();
  bool isPlaying() const { return playing_; }
  bool isLoaded() const { return run_ != nullptr; }
  bool isBusy() const { return busy_; }

  /// The scenario as loaded (city, scenario file); null before opened(). Read-only: the
  /// worker never changes these parts after loading.
  const engine::ScenarioRun* scenario() const { return run_.get(); }
  QString scenarioPath() const { return path_; }
  FramePtr latest() const;
  const FrameHistory& history() const { return history_; }
  /// Threads the engine uses.
  int threads() const { return threads_; }

 Q_SIGNALS:
  void loadProgress(const QString& stage, double fraction);
  void opened();
  void failed(const QString& message);
  /// A new frame is there (latest()); emitted at most about 30 times a second.
  void frameReady();
  /// A runFor() reached its time (or the scenario ended, or it was cancelled).
  void reached();
  void playingChanged(bool playing);
  void finished();

 private:
  void startWorker();
  void stopWorker();
  void workerLoop();
  void publish();
  void onFramePublished();

  std::shared_ptr<engine::ScenarioRun> run_;
  QString path_;
  int threads_ = 0;
  FrameHistory history_;
  mutable std::mutex frame_mutex_;
  FramePtr latest_;
  std::uint64_t generation_ = 0;  ///< bumps per open, so late results of an old load are dropped

  std::thread loader_, worker_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool quit_ = false;
  double run_target_ = -1.0;  ///< elapsed time a runFor aims at; < 0: none
  std::atomic<bool> playing_{false}, busy_{false}, cancel_{false};
  std::atomic<double> speed_{1.0};
};

}  // namespace citytwin::ui
