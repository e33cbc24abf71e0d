#pragma once
// The 3D view: OpenSceneGraph inside a QOpenGLWidget. Shows the city (ground, walkable space,
// streets, buildings), the scenario's features, the people and vehicles of the latest frame
// (instanced) and a heatmap; orbit / pan / zoom with the mouse, a top view, and clicks turned
// into points on the ground for picking and editing. It only reads the scenario and frames.
#include <QOpenGLWidget>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

#include "citytwin/geodata/geometry.hpp"
#include "citytwin/ui/frame.hpp"
#include "citytwin/ui/sensor_marker.hpp"

namespace citytwin::engine {
class ScenarioRun;
}

namespace citytwin::ui {

/// What the editing tools draw over the city: closed areas and fences (red), and the line
/// being drawn.
struct EditOverlay {
  geodata::MultiPolygon2 closed_areas;
  std::vector<std::vector<geodata::Vec2>> fences;
  std::vector<geodata::Vec2> drawing;
  std::vector<geodata::Vec2> markers;  ///< points picked (signals, gates), drawn as posts
};

class CityView : public QOpenGLWidget {
  Q_OBJECT

 public:
  explicit CityView(QWidget* parent = nullptr);
  ~CityView() override;

  /// Builds the layers of a loaded scenario (null: an empty view).
  void setScenario(const engine::ScenarioRun* run);
  void showFrame(const FramePtr& frame);
  /// Measurements without a city (a laboratory's own metres): flat ground over `area`, room
  /// for observed people and sensors; the view is otherwise empty.
  void setObservationArea(const geodata::Box2& area);
  /// Replayed measurements at `data_time_s` (the data's clock), drawn in their own colours
  /// beside the simulation's; the sensors then show the counts of that moment. Null: none.
  void showObserved(const FramePtr& frame, double data_time_s);
  FramePtr observedFrame() const;
  /// Real sensors (an observation set) with their replayed counts; empty: none.
  void setSensors(std::vector<SensorMarker> markers);
  /// The sensors' labels as drawn now (for tests and the Info panel).
  QStringList sensorLabels() const;
  /// The sensors shown (empty when none).
  const std::vector<SensorMarker>& sensorMarkers() const;
  FramePtr frame() const { return frame_; }

  /// Layer names: ground, walkable, streets, buildings, scenario, heatmap, people, vehicles,
  /// observed (replayed measurements), edits, sensors.
  QStringList layerNames() const;
  void setLayerVisible(const QString& layer, bool visible);
  bool layerVisible(const QString& layer) const;
  /// 0 (invisible) to 1 (as drawn); for the layers layersWithOpacity() names.
  void setLayerOpacity(const QString& layer, double opacity);
  static QStringList layersWithOpacity() { return {"buildings", "heatmap"}; }
  /// 0 density, 1 Fruin level of service, 2 walking speed, 3 density minus the reference
  /// frame's (setHeatmapReference).
  void setHeatmapMode(int mode);
  int heatmapMode() const;
  /// The frame the difference heatmap subtracts (the base scenario at the same time).
  void setHeatmapReference(const FramePtr& reference);
  void setEditOverlay(const EditOverlay& overlay);

  void setTopView(bool top);
  bool topView() const { return top_view_; }
  void resetCamera();
  /// Looks at a point of the ground from `distance` metres (straight down in the top view).
  void lookAt(const geodata::Vec2& centre, double distance);
  /// The eye, centre and up vector of the camera (to keep two views in step).
  void cameraPose(double out[9]) const;
  void setCameraPose(const double pose[9]);
  /// Where a point on the ground appears in the widget (logical pixels).
  QPointF project(const geodata::Vec2& ground) const;
  /// The point on the ground (or on a building) under a widget position; false when none.
  bool pick(const QPointF& widget_pos, geodata::Vec2* out) const;

  /// Frames drawn per second over the last second of drawing.
  double framesPerSecond() const { return fps_; }
  /// Draws one frame into the widget's framebuffer and waits for the GPU; returns seconds.
  double renderBlocking();

 Q_SIGNALS:
  /// A click (press and release without dragging) on the ground or a building.
  void clicked(const geodata::Vec2& ground, Qt::MouseButton button, Qt::KeyboardModifiers mods);
  void doubleClicked(const geodata::Vec2& ground);
  void hovered(const geodata::Vec2& ground);
  void cameraMoved();
  /// The camera was moved by the user (emitted once drawn, with the pose in effect); not
  /// emitted for setCameraPose().
  void cameraPoseChanged();

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseDoubleClickEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;

 private:
  void addObservedLayer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  FramePtr frame_, reference_;
  bool top_view_ = false;
  double fps_ = 0.0;
  QPointF press_pos_;
  bool dragging_ = false;
};

}  // namespace citytwin::ui
