#include "citytwin/ui/observation_player.hpp"

#include <QTimer>
#include <algorithm>
#include <cmath>

#include "citytwin/engine/mobility/count_series.hpp"

namespace citytwin::ui {
namespace mobility = engine::mobility;

namespace {

VehicleKind vehicleKind(mobility::TrackMode mode) {
  switch (mode) {
    case mobility::TrackMode::kBus:
      return VehicleKind::kBus;
    case mobility::TrackMode::kTruck:
      return VehicleKind::kTruck;
    case mobility::TrackMode::kBicycle:
      return VehicleKind::kBicycle;
    default:
      return VehicleKind::kCar;
  }
}

}  // namespace

ObservationPlayer::ObservationPlayer(QObject* parent) : QObject(parent), timer_(new QTimer(this)) {
  timer_->setInterval(33);
  connect(timer_, &QTimer::timeout, this, [this] {
    const double wall_s = static_cast<double>(wall_.restart()) / 1000.0;
    advance(wall_s);
  });
}

ObservationPlayer::~ObservationPlayer() = default;

void ObservationPlayer::setTracks(mobility::TrackTable tracks,
                                  std::vector<mobility::TrackMode> modes, double utc_offset_s) {
  pause();
  modes_ = std::move(modes);
  modes_.resize(tracks.track_count, mobility::TrackMode::kPedestrian);
  replay_ = std::make_unique<mobility::TrackReplay>(std::move(tracks));
  utc_offset_s_ = utc_offset_s;
  show(0.0);
}

void ObservationPlayer::clear() {
  pause();
  replay_.reset();
  modes_.clear();
  frame_.reset();
  played_s_ = 0.0;
  Q_EMIT moved();
}

double ObservationPlayer::beginTime() const {
  return replay_ ? replay_->beginTime() : 0.0;
}
double ObservationPlayer::endTime() const {
  return replay_ ? replay_->endTime() : 0.0;
}

double ObservationPlayer::dataTime() const {
  if (!replay_) return 0.0;
  const mobility::ReplayClock clock{beginTime(), endTime(), 1.0, loop_};
  return clock.dataTime(played_s_);
}

void ObservationPlayer::play() {
  if (!replay_ || playing_) return;
  // At the end without looping, play starts again from the beginning.
  if (!loop_ && dataTime() >= endTime()) show(0.0);
  playing_ = true;
  wall_.start();
  timer_->start();
  Q_EMIT playingChanged(true);
}

void ObservationPlayer::pause() {
  if (!playing_) return;
  playing_ = false;
  timer_->stop();
  Q_EMIT playingChanged(false);
}

void ObservationPlayer::setSpeed(double factor) {
  speed_ = std::clamp(factor, 1.0, 1000.0);
}

void ObservationPlayer::setLoop(bool loop) {
  // Keep the moment shown: fold the played time back into the data's span.
  played_s_ = dataTime() - beginTime();
  loop_ = loop;
}

void ObservationPlayer::seek(double data_time_s) {
  if (!replay_) return;
  show(std::clamp(data_time_s, beginTime(), endTime()) - beginTime());
}

void ObservationPlayer::showElapsed(double elapsed_s) {
  if (replay_) show(std::max(0.0, elapsed_s));
}

void ObservationPlayer::advance(double wall_s) {
  if (!replay_) return;
  show(played_s_ + std::max(0.0, wall_s) * speed_);
  if (!loop_ && dataTime() >= endTime()) pause();
}

void ObservationPlayer::show(double played_s) {
  played_s_ = played_s;
  const double t = dataTime();
  replay_->positionsAt(t, scratch_);
  auto f = std::make_shared<Frame>();
  f->elapsed_s = t - beginTime();
  f->clock_s = mobility::isDated(t) ? std::fmod(t + utc_offset_s_, 86400.0) : t;
  f->finished = !loop_ && t >= endTime();
  for (const auto& p : scratch_) {
    const float speed = std::hypot(p.vx, p.vy);
    if (modes_[p.track] == mobility::TrackMode::kPedestrian) {
      f->people.insert(f->people.end(), {p.x, p.y, speed});
      f->person_ids.push_back(p.track);
    } else {
      const float heading = speed > 0.0f ? std::atan2(p.vy, p.vx) : 0.0f;
      f->vehicles.insert(f->vehicles.end(),
                         {p.x, p.y, heading, static_cast<float>(vehicleKind(modes_[p.track]))});
    }
  }
  f->kpis.elapsed_s = f->elapsed_s;
  f->kpis.people = f->peopleCount();
  f->kpis.vehicles = f->vehicleCount();
  frame_ = std::move(f);
  Q_EMIT moved();
}

}  // namespace citytwin::ui
