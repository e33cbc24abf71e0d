#include "citytwin/ui/simulation_session.hpp"

#include <QMetaObject>
#include <chrono>
#include <exception>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/frame_capture.hpp"

namespace citytwin::ui {

using Clock = std::chrono::steady_clock;

SimulationSession::SimulationSession(QObject* parent) : QObject(parent) {}

SimulationSession::~SimulationSession() {
  stopWorker();
  if (loader_.joinable()) loader_.join();
}

void SimulationSession::open(const QString& scenario_path, int threads) {
  close();
  path_ = scenario_path;
  threads_ = threads;
  const std::uint64_t generation = ++generation_;
  busy_ = true;
  cancel_ = false;
  const std::string path = scenario_path.toStdString();
  // Loading takes seconds; it runs on its own thread and hands the result back to this one.
  if (loader_.joinable()) loader_.join();
  loader_ = std::thread([this, path, threads, generation] {
    std::shared_ptr<engine::ScenarioRun> run;
    QString error;
    try {
      run = std::make_shared<engine::ScenarioRun>(
          path, threads, [this](const std::string& stage, double f) {
            Q_EMIT loadProgress(QString::fromStdString(stage), f);
          });
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        this,
        [this, run, error, generation] {
          if (generation != generation_) return;  // an older load, since replaced
          busy_ = false;
          if (cancel_.exchange(false)) {
            Q_EMIT failed(tr("Loading was cancelled."));
            return;
          }
          if (!run) {
            Q_EMIT failed(error);
            return;
          }
          run_ = run;
          history_.clear();
          publish();
          startWorker();
          Q_EMIT opened();
          Q_EMIT frameReady();
        },
        Qt::QueuedConnection);
  });
}

void SimulationSession::close() {
  stopWorker();
  run_.reset();
  history_.clear();
  std::lock_guard lock(frame_mutex_);
  latest_.reset();
}

void SimulationSession::startWorker() {
  quit_ = false;
  run_target_ = -1.0;
  worker_ = std::thread([this] { workerLoop(); });
}

void SimulationSession::stopWorker() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  cancel_ = true;
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  cancel_ = false;
  playing_ = false;
}

void SimulationSession::play() {
  if (!run_) return;
  {
    std::lock_guard lock(mutex_);
    playing_ = true;
  }
  wake_.notify_all();
  Q_EMIT playingChanged(true);
}

void SimulationSession::pause() {
  {
    std::lock_guard lock(mutex_);
    playing_ = false;
  }
  Q_EMIT playingChanged(false);
}

void SimulationSession::setSpeed(double factor) {
  speed_ = factor;
}

void SimulationSession::runFor(double seconds) {
  runTo(elapsed() + seconds);
}

double SimulationSession::elapsed() const {
  const FramePtr now = latest();
  return now ? now->elapsed_s : 0.0;
}

void SimulationSession::runTo(double elapsed_s) {
  if (!run_) return;
  {
    std::lock_guard lock(mutex_);
    run_target_ = elapsed_s;
    cancel_ = false;
    busy_ = true;
  }
  wake_.notify_all();
}

void SimulationSession::cancel() {
  cancel_ = true;
  wake_.notify_all();
}

FramePtr SimulationSession::latest() const {
  std::lock_guard lock(frame_mutex_);
  return latest_;
}

void SimulationSession::publish() {
  auto frame = std::make_shared<Frame>(captureFrame(*run_));
  std::lock_guard lock(frame_mutex_);
  latest_ = std::move(frame);
}

void SimulationSession::onFramePublished() {
  const FramePtr f = latest();
  if (f) history_.add(f);
  Q_EMIT frameReady();
}

void SimulationSession::workerLoop() {
  auto last_publish = Clock::now();
  double play_clock = -1.0;  // playing: the simulated time asked for so far
  auto publishNow = [&] {
    publish();
    last_publish = Clock::now();
    QMetaObject::invokeMethod(
        this, [this] { onFramePublished(); }, Qt::QueuedConnection);
  };
  for (;;) {
    double target = -1.0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || playing_ || run_target_ >= 0.0; });
      if (quit_) return;
      target = run_target_;
    }
    if (target >= 0.0) {
      // Fast forward in slices of a simulated second, publishing about 10 times a second.
      // The engine stops within half a time step of a target: no progress means arrived.
      while (!cancel_ && !quit_ && run_->elapsed() + 1e-9 < target && !run_->finished()) {
        const double before = run_->elapsed();
        run_->advanceTo(std::min(target, before + 1.0));
        if (run_->elapsed() <= before) break;
        if (Clock::now() - last_publish > std::chrono::milliseconds(100)) publishNow();
      }
      play_clock = -1.0;
      publishNow();
      {
        std::lock_guard lock(mutex_);
        run_target_ = -1.0;
      }
      cancel_ = false;
      busy_ = false;
      QMetaObject::invokeMethod(
          this, [this] { Q_EMIT reached(); }, Qt::QueuedConnection);
    } else {
      // Playing: simulated time follows the wall clock times the speed factor.
      const auto tick_start = Clock::now();
      const double factor = speed_;
      const double slice = factor > 0.0 ? factor / 30.0 : 1.0;
      // A slice may be shorter than a time step (x1): the clock adds the fractions up.
      if (play_clock < 0.0) play_clock = run_->elapsed();
      play_clock += slice;
      run_->advanceTo(play_clock);
      publishNow();
      if (factor > 0.0) std::this_thread::sleep_until(tick_start + std::chrono::milliseconds(33));
    }
    if (run_->finished()) {
      bool was_playing = false;
      {
        std::lock_guard lock(mutex_);
        was_playing = playing_.exchange(false);
      }
      if (was_playing)
        QMetaObject::invokeMethod(
            this,
            [this] {
              Q_EMIT playingChanged(false);
              Q_EMIT finished();
            },
            Qt::QueuedConnection);
    }
  }
}

}  // namespace citytwin::ui
