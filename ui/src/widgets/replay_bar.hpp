#pragma once
// The replay's own timeline, shown while measured trajectories are open: play / pause, speed
// x1 to x1000, a slider to seek over the data, loop, and "with the simulation" (the replay then
// follows the simulation's clock instead of its own).
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QToolButton>
#include <QWidget>

namespace citytwin::ui {

class ObservationPlayer;

class ReplayBar : public QWidget {
  Q_OBJECT

 public:
  explicit ReplayBar(ObservationPlayer* player, QWidget* parent = nullptr);
  /// Shows the player's state (span, moment, playing); call after the player moved.
  void refresh();
  /// True when the replay follows the simulation's clock.
  bool withSimulation() const { return with_simulation_->isChecked(); }
  void setWithSimulation(bool on) { with_simulation_->setChecked(on); }
  /// x1, x10, x100, x1000.
  static constexpr double kSpeeds[] = {1, 10, 100, 1000};
  void setSpeedIndex(int index) { speed_->setCurrentIndex(index); }

 Q_SIGNALS:
  void withSimulationChanged(bool on);

 private:
  ObservationPlayer* player_;
  QToolButton* play_;
  QComboBox* speed_;
  QSlider* slider_;
  QCheckBox *loop_, *with_simulation_;
  QLabel *clock_, *what_;
  bool updating_ = false;
};

}  // namespace citytwin::ui
