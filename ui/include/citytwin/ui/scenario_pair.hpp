#pragma once
// Two scenarios run side by side in lockstep (a base and a variant): each in its own
// SimulationSession, both advanced to the same simulated time before either goes further, so
// that what the two views show is always the same moment.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <array>

#include "citytwin/ui/frame.hpp"

namespace citytwin::ui {

class SimulationSession;

class ScenarioPair : public QObject {
  Q_OBJECT

 public:
  explicit ScenarioPair(QObject* parent = nullptr);
  ~ScenarioPair() override;

  /// Loads both in the background: emits opened() when both are there, or failed() naming
  /// the file that could not be loaded.
  void open(const QString& base, const QString& variant, int threads = 0);
  SimulationSession* base() const { return sessions_[0]; }
  SimulationSession* variant() const { return sessions_[1]; }
  SimulationSession* session(int k) const { return sessions_[static_cast<std::size_t>(k)]; }
  bool isLoaded() const;

  void play();
  void pause();
  bool isPlaying() const { return playing_; }
  /// Simulated seconds per wall-clock second; 0: as fast as the machine goes.
  void setSpeed(double factor) { speed_ = factor; }
  double speed() const { return speed_; }
  /// Both advance to `elapsed_s` (as far as each lasts), then reached().
  void runTo(double elapsed_s);
  void runFor(double seconds) { runTo(time() + seconds); }
  /// Stops a runTo in progress (both stop where they are).
  void cancel();
  /// The simulated time both have reached (the earlier of the two).
  double time() const;
  /// The longer of the two scenarios' durations (seconds).
  double duration() const;
  bool isBusy() const { return pending_ > 0; }

 Q_SIGNALS:
  void loadProgress(const QString& stage, double fraction);
  void opened();
  void failed(const QString& message);
  /// A new frame from either scenario.
  void frameReady(int which);
  /// A runTo() reached its time in both.
  void reached();
  void playingChanged(bool playing);
  /// Both reached their end while playing.
  void finished();

 private:
  void onOpened();
  void onReached();
  void step();
  bool bothFinished() const;

  std::array<SimulationSession*, 2> sessions_{};
  int opened_ = 0;
  int pending_ = 0;  ///< sessions still running towards the target
  bool playing_ = false;
  double speed_ = 1.0;
  double clock_ = 0.0;  ///< playing: the simulated time asked for so far
  QElapsedTimer since_step_;
};

}  // namespace citytwin::ui
