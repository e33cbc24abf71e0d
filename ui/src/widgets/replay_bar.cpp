#include "replay_bar.hpp"

#include <QHBoxLayout>
#include <QStyle>
#include <cmath>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/ui/observation_player.hpp"

namespace citytwin::ui {

namespace {

QString timeText(double data_s, double clock_s, double elapsed_s) {
  const long t = std::lround(clock_s);
  const QString clock = engine::mobility::isDated(data_s)
                            ? QString("%1:%2:%3")
                                  .arg(t / 3600 % 24, 2, 10, QChar('0'))
                                  .arg(t / 60 % 60, 2, 10, QChar('0'))
                                  .arg(t % 60, 2, 10, QChar('0'))
                            : QString("t = %1 s").arg(data_s, 0, 'f', 1);
  return QString("%1  (+%2 s)").arg(clock).arg(elapsed_s, 0, 'f', 1);
}

}  // namespace

ReplayBar::ReplayBar(ObservationPlayer* player, QWidget* parent)
    : QWidget(parent), player_(player) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  what_ = new QLabel(tr("Measured:"));
  play_ = new QToolButton;
  play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  play_->setToolTip(tr("Play / pause the measured trajectories"));
  speed_ = new QComboBox;
  for (double s : kSpeeds) speed_->addItem(QString("x%1").arg(s));
  speed_->setToolTip(tr("Measured seconds per second"));
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setToolTip(tr("Drag to any moment of the measurements"));
  loop_ = new QCheckBox(tr("Loop"));
  with_simulation_ = new QCheckBox(tr("With the simulation"));
  with_simulation_->setToolTip(
      tr("Show the measurements at the simulation's time since its start, beside the simulated "
         "people"));
  clock_ = new QLabel;
  clock_->setMinimumWidth(170);
  layout->addWidget(what_);
  layout->addWidget(play_);
  layout->addWidget(speed_);
  layout->addWidget(slider_, 1);
  layout->addWidget(loop_);
  layout->addWidget(with_simulation_);
  layout->addWidget(clock_);

  connect(play_, &QToolButton::clicked, this,
          [this] { player_->isPlaying() ? player_->pause() : player_->play(); });
  connect(speed_, &QComboBox::currentIndexChanged, this,
          [this](int i) { player_->setSpeed(kSpeeds[std::clamp(i, 0, 3)]); });
  connect(loop_, &QCheckBox::toggled, player_, &ObservationPlayer::setLoop);
  connect(slider_, &QSlider::valueChanged, this, [this](int v) {
    if (!updating_) player_->seek(player_->beginTime() + v / 10.0);
  });
  connect(with_simulation_, &QCheckBox::toggled, this, [this](bool on) {
    if (on) player_->pause();
    for (QWidget* w : {static_cast<QWidget*>(play_), static_cast<QWidget*>(speed_),
                       static_cast<QWidget*>(slider_)})
      w->setEnabled(!on);
    Q_EMIT withSimulationChanged(on);
  });
  connect(player_, &ObservationPlayer::playingChanged, this, [this](bool playing) {
    play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  });
  refresh();
}

void ReplayBar::refresh() {
  updating_ = true;
  const double span = player_->endTime() - player_->beginTime();
  slider_->setRange(0, static_cast<int>(std::lround(span * 10)));
  slider_->setValue(
      static_cast<int>(std::lround((player_->dataTime() - player_->beginTime()) * 10)));
  updating_ = false;
  const auto frame = player_->frame();
  clock_->setText(frame ? timeText(player_->dataTime(), frame->clock_s, frame->elapsed_s)
                        : QString());
  what_->setText(frame ? tr("Measured: %1 people, %2 vehicles")
                             .arg(frame->peopleCount())
                             .arg(frame->vehicleCount())
                       : tr("Measured:"));
}

}  // namespace citytwin::ui
