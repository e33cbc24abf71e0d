#pragma once
// The timeline under the view: play / pause, step, speed (x1 to x100, or as fast as the
// machine goes), a slider over the recorded time to scrub back, and the clock.
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QToolButton>
#include <QWidget>

namespace citytwin::ui {

class TimelineBar : public QWidget {
  Q_OBJECT

 public:
  explicit TimelineBar(QWidget* parent = nullptr);
  /// The recorded span [0, end] and the time shown; `live`: the shown frame is the latest.
  void setTimes(double end_s, double shown_s, double clock_s, bool live);
  void setPlaying(bool playing);
  void setEnabledAll(bool enabled);
  double speed() const;
  void setSpeedIndex(int index);

 Q_SIGNALS:
  void playToggled();
  void stepRequested();
  void speedChanged(double factor);
  /// The user dragged the slider to a time (seconds since the start).
  void scrubbed(double elapsed_s);
  void liveRequested();

 private:
  QToolButton *play_, *step_, *live_;
  QComboBox* speed_;
  QSlider* slider_;
  QLabel* clock_;
  double end_s_ = 0.0;
  bool updating_ = false;
};

}  // namespace citytwin::ui
