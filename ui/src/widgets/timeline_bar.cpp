#include "timeline_bar.hpp"

#include <QHBoxLayout>
#include <QStyle>
#include <cmath>

namespace citytwin::ui {

namespace {
QString clockText(double s) {
  const long t = std::lround(s);
  return QString("%1:%2:%3")
      .arg(t / 3600 % 24, 2, 10, QChar('0'))
      .arg(t / 60 % 60, 2, 10, QChar('0'))
      .arg(t % 60, 2, 10, QChar('0'));
}
}  // namespace

TimelineBar::TimelineBar(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  play_ = new QToolButton;
  play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  play_->setToolTip(tr("Play / pause (Space)"));
  step_ = new QToolButton;
  step_->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
  step_->setToolTip(tr("Step one simulated second (Right)"));
  speed_ = new QComboBox;
  for (const char* s : {"x1", "x2", "x5", "x10", "x20", "x50", "x100"}) speed_->addItem(s);
  speed_->addItem(tr("fastest"));
  speed_->setToolTip(tr("Simulated seconds per second"));
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setRange(0, 0);
  slider_->setToolTip(tr("Drag to look back at recorded moments; the simulation keeps its place"));
  live_ = new QToolButton;
  live_->setText(tr("Live"));
  live_->setCheckable(true);
  live_->setChecked(true);
  live_->setToolTip(tr("Follow the simulation (End)"));
  clock_ = new QLabel("00:00:00");
  clock_->setMinimumWidth(150);
  for (QWidget* w :
       {static_cast<QWidget*>(play_), static_cast<QWidget*>(step_), static_cast<QWidget*>(speed_)})
    layout->addWidget(w);
  layout->addWidget(slider_, 1);
  layout->addWidget(live_);
  layout->addWidget(clock_);
  connect(play_, &QToolButton::clicked, this, &TimelineBar::playToggled);
  connect(step_, &QToolButton::clicked, this, &TimelineBar::stepRequested);
  connect(speed_, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT speedChanged(speed()); });
  connect(slider_, &QSlider::valueChanged, this, [this](int v) {
    if (!updating_) Q_EMIT scrubbed(v / 10.0);
  });
  connect(live_, &QToolButton::clicked, this, [this] {
    live_->setChecked(true);
    Q_EMIT liveRequested();
  });
}

double TimelineBar::speed() const {
  static const double kFactors[] = {1, 2, 5, 10, 20, 50, 100, 0};
  return kFactors[std::clamp(speed_->currentIndex(), 0, 7)];
}

void TimelineBar::setSpeedIndex(int index) {
  speed_->setCurrentIndex(index);
}

void TimelineBar::setTimes(double end_s, double shown_s, double clock_s, bool live) {
  updating_ = true;
  end_s_ = end_s;
  slider_->setRange(0, static_cast<int>(std::lround(end_s * 10)));
  slider_->setValue(static_cast<int>(std::lround(shown_s * 10)));
  updating_ = false;
  live_->setChecked(live);
  clock_->setText(QString("%1  (+%2 s)").arg(clockText(clock_s)).arg(shown_s, 0, 'f', 0));
}

void TimelineBar::setPlaying(bool playing) {
  play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void TimelineBar::setEnabledAll(bool enabled) {
  for (QWidget* w : {static_cast<QWidget*>(play_), static_cast<QWidget*>(step_),
                     static_cast<QWidget*>(slider_), static_cast<QWidget*>(live_)})
    w->setEnabled(enabled);
}

}  // namespace citytwin::ui
