#include "citytwin/ui/scenario_pair.hpp"

#include <QFileInfo>
#include <QTimer>
#include <algorithm>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/simulation_session.hpp"

namespace citytwin::ui {

namespace {
constexpr int kFrameMs = 33;  // playing: one lockstep slice per frame at most
}

ScenarioPair::ScenarioPair(QObject* parent) : QObject(parent) {
  for (int k = 0; k < 2; ++k) {
    auto* s = new SimulationSession(this);
    sessions_[static_cast<std::size_t>(k)] = s;
    connect(s, &SimulationSession::loadProgress, this, [this, k](const QString& stage, double f) {
      Q_EMIT loadProgress(stage, 0.5 * k + 0.5 * f);
    });
    connect(s, &SimulationSession::opened, this, &ScenarioPair::onOpened);
    connect(s, &SimulationSession::failed, this, [this, s](const QString& message) {
      for (auto* other : sessions_) other->close();
      opened_ = 0;
      pending_ = 0;
      Q_EMIT failed(tr("%1: %2").arg(QFileInfo(s->scenarioPath()).fileName(), message));
    });
    connect(s, &SimulationSession::frameReady, this, [this, k] { Q_EMIT frameReady(k); });
    connect(s, &SimulationSession::reached, this, &ScenarioPair::onReached);
  }
}

ScenarioPair::~ScenarioPair() = default;

void ScenarioPair::open(const QString& base, const QString& variant, int threads) {
  pause();
  opened_ = 0;
  pending_ = 0;
  // One after the other: two loads at once would only compete for the same cores.
  sessions_[0]->open(base, threads);
  connect(
      sessions_[0], &SimulationSession::opened, this,
      [this, variant, threads] { sessions_[1]->open(variant, threads); }, Qt::SingleShotConnection);
}

bool ScenarioPair::isLoaded() const {
  return sessions_[0]->isLoaded() && sessions_[1]->isLoaded();
}

void ScenarioPair::onOpened() {
  if (++opened_ == 2) Q_EMIT opened();
}

void ScenarioPair::play() {
  if (!isLoaded() || playing_) return;
  playing_ = true;
  clock_ = time();
  since_step_.invalidate();
  Q_EMIT playingChanged(true);
  step();
}

void ScenarioPair::pause() {
  if (!playing_) return;
  playing_ = false;
  Q_EMIT playingChanged(false);
}

void ScenarioPair::runTo(double elapsed_s) {
  if (!isLoaded()) return;
  pending_ = 2;
  for (auto* s : sessions_) s->runTo(elapsed_s);
}

void ScenarioPair::cancel() {
  pause();
  for (auto* s : sessions_) s->cancel();
}

double ScenarioPair::time() const {
  return std::min(sessions_[0]->elapsed(), sessions_[1]->elapsed());
}

double ScenarioPair::duration() const {
  double d = 0.0;
  for (auto* s : sessions_)
    if (s->scenario()) d = std::max(d, s->scenario()->duration());
  return d;
}

bool ScenarioPair::bothFinished() const {
  for (auto* s : sessions_) {
    const FramePtr f = s->latest();
    if (!f || !f->finished) return false;
  }
  return true;
}

void ScenarioPair::step() {
  if (!playing_ || pending_ > 0) return;
  if (bothFinished()) {
    pause();
    Q_EMIT finished();
    return;
  }
  // Simulated time follows the wall clock times the speed, one slice per frame; as fast as
  // the slower of the two goes when the machine cannot keep up.
  const double wall = since_step_.isValid() ? since_step_.elapsed() / 1000.0 : kFrameMs / 1000.0;
  since_step_.restart();
  const double slice = speed_ > 0.0 ? speed_ * std::clamp(wall, kFrameMs / 1000.0, 0.25) : 2.0;
  // The engines step in whole time steps: the clock carries the fractions over, so that
  // slices shorter than a step still add up (x1 is a thirtieth of a second per frame).
  clock_ = std::max(clock_, time()) + slice;
  runTo(clock_);
}

void ScenarioPair::onReached() {
  if (pending_ == 0 || --pending_ > 0) return;
  if (!playing_) {
    Q_EMIT reached();
    return;
  }
  const int wait = std::max<qint64>(0, kFrameMs - since_step_.elapsed());
  QTimer::singleShot(wait, this, &ScenarioPair::step);
}

}  // namespace citytwin::ui
