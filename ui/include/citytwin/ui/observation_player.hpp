#pragma once
// Plays observed trajectories (people, buses at their realtime positions) in the desktop app:
// x1 to x1000, seek, loop, or locked to the simulation's clock. The positions come from the
// engine's TrackReplay; this class only keeps the clock and turns positions into frames the
// view draws beside (or instead of) the simulation's.
#include <QElapsedTimer>
#include <QObject>
#include <memory>
#include <vector>

#include "citytwin/engine/mobility/track_replay.hpp"
#include "citytwin/ui/frame.hpp"

class QTimer;

namespace citytwin::ui {

class ObservationPlayer : public QObject {
  Q_OBJECT

 public:
  explicit ObservationPlayer(QObject* parent = nullptr);
  ~ObservationPlayer() override;

  /// The tracks to play (already through the privacy stage) with each track's mode.
  /// `utc_offset_s` turns dated times (Unix seconds) into local times of day for the clock.
  void setTracks(engine::mobility::TrackTable tracks,
                 std::vector<engine::mobility::TrackMode> modes, double utc_offset_s);
  void clear();
  bool hasTracks() const { return replay_ != nullptr; }
  std::uint32_t trackCount() const { return replay_ ? replay_->trackCount() : 0; }

  double beginTime() const;
  double endTime() const;
  /// The moment shown, on the data's clock.
  double dataTime() const;

  void play();
  void pause();
  bool isPlaying() const { return playing_; }
  /// Data seconds per wall-clock second, 1 to 1000.
  void setSpeed(double factor);
  double speed() const { return speed_; }
  void setLoop(bool loop);
  bool loops() const { return loop_; }
  /// Jumps to `data_time_s` (clamped to the data).
  void seek(double data_time_s);
  /// Locked to the simulation: shows the data `elapsed_s` after its start (looping if set).
  void showElapsed(double elapsed_s);
  /// Plays on by `wall_s` seconds at the current speed (the timer's step; tests call it).
  void advance(double wall_s);

  /// Where everyone is at dataTime(): pedestrians as people (x, y, speed), vehicles by kind;
  /// clock_s is the local time of day for dated data, else the data's own seconds.
  FramePtr frame() const { return frame_; }

 Q_SIGNALS:
  void moved();
  void playingChanged(bool playing);

 private:
  void show(double played_s);

  std::unique_ptr<engine::mobility::TrackReplay> replay_;
  std::vector<engine::mobility::TrackMode> modes_;
  std::vector<engine::mobility::ReplayedPosition> scratch_;
  double utc_offset_s_ = 0.0;
  double played_s_ =
      0.0;  ///< data seconds played since the start (grows past the end when looping)
  double speed_ = 1.0;
  bool loop_ = false;
  bool playing_ = false;
  QTimer* timer_;
  QElapsedTimer wall_;
  FramePtr frame_;
};

}  // namespace citytwin::ui
