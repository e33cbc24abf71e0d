#include "citytwin/ui/city_view.hpp"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QWheelEvent>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <osg/LightModel>
#include <osgGA/OrbitManipulator>
#include <osgUtil/LineSegmentIntersector>
#include <osgViewer/Viewer>

#include "citytwin/engine/scenario_run.hpp"
#include "scene/agent_layer.hpp"
#include "scene/city_layers.hpp"
#include "scene/heatmap_layer.hpp"
#include "scene/palette.hpp"
#include "scene/sensor_layer.hpp"

namespace citytwin::ui {

namespace {
const QStringList kLayers{"ground", "walkable", "streets",  "buildings", "scenario", "heatmap",
                          "people", "vehicles", "observed", "edits",     "sensors"};
}

struct CityView::Impl {
  osg::ref_ptr<osgViewer::Viewer> viewer;
  osg::ref_ptr<osgViewer::GraphicsWindowEmbedded> window;
  osg::ref_ptr<osgGA::OrbitManipulator> manipulator;
  osg::ref_ptr<osg::Group> root;
  std::map<QString, osg::ref_ptr<osg::Group>> layers;
  std::map<QString, bool> visible;
  std::map<QString, float> opacity;
  std::unique_ptr<scene::AgentLayer> agents;
  std::unique_ptr<scene::AgentLayer> observed;  ///< replayed measurements
  FramePtr observed_frame;
  double observed_time_s = 0.0;  ///< the replay's moment on the data's clock
  std::unique_ptr<scene::HeatmapLayer> heatmap;
  std::unique_ptr<scene::SensorLayer> sensors;
  geodata::Box2 bounds{0, 0, 100, 100};
  std::array<double, 9> pose{};  ///< the camera as last drawn or set
  int frames = 0;
  std::chrono::steady_clock::time_point fps_since = std::chrono::steady_clock::now();

  Impl()
      : viewer(new osgViewer::Viewer),
        manipulator(new osgGA::OrbitManipulator),
        root(new osg::Group) {
    for (const auto& name : kLayers) {
      osg::ref_ptr<osg::Group> g = new osg::Group;
      g->setName(name.toStdString());
      root->addChild(g);
      layers[name] = g;
      visible[name] = true;
    }
    auto* ss = root->getOrCreateStateSet();
    osg::ref_ptr<osg::LightModel> lm = new osg::LightModel;
    lm->setTwoSided(true);
    lm->setAmbientIntensity(osg::Vec4(0.45f, 0.45f, 0.45f, 1.0f));
    ss->setAttributeAndModes(lm);
    ss->setMode(GL_CULL_FACE, osg::StateAttribute::OFF);
    ss->setMode(GL_NORMALIZE, osg::StateAttribute::ON);
    manipulator->setAllowThrow(false);
  }

  void clear(const QString& name) {
    auto& g = layers[name];
    g->removeChildren(0, g->getNumChildren());
  }

  /// View, projection and window matrices of the next frame, with a fixed near and far plane
  /// (the camera's own are fitted to the scene at the last frame, which may be far off now).
  osg::Matrixd windowMatrix() const {
    auto* cam = viewer->getCamera();
    double fovy = 35, aspect = 1, znear = 1, zfar = 1;
    cam->getProjectionMatrixAsPerspective(fovy, aspect, znear, zfar);
    return manipulator->getInverseMatrix() *
           osg::Matrixd::perspective(fovy, aspect, 1.0, 100000.0) *
           cam->getViewport()->computeWindowMatrix();
  }

  /// Metres one pixel covers at the point the camera looks at.
  double metresPerPixel(int height_px) const {
    double fovy = 30, aspect = 1, znear = 1, zfar = 1;
    viewer->getCamera()->getProjectionMatrixAsPerspective(fovy, aspect, znear, zfar);
    const double d = manipulator->getDistance();
    return 2.0 * d * std::tan(osg::DegreesToRadians(fovy) / 2.0) / std::max(1, height_px);
  }
};

CityView::CityView(QWidget* parent) : QOpenGLWidget(parent), impl_(std::make_unique<Impl>()) {
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  setMinimumSize(320, 240);
  setToolTip(
      tr("Left drag: rotate; right drag or Shift + left drag: pan; wheel: zoom; click: "
         "pick or edit; T: top view; Home: whole city"));
}

CityView::~CityView() {
  makeCurrent();
  impl_->viewer = nullptr;
  doneCurrent();
}

void CityView::initializeGL() {
  const double dpr = devicePixelRatioF();
  const int w = static_cast<int>(width() * dpr), h = static_cast<int>(height() * dpr);
  impl_->window = impl_->viewer->setUpViewerAsEmbeddedInWindow(0, 0, w, h);
  impl_->viewer->setThreadingModel(osgViewer::Viewer::SingleThreaded);
  impl_->viewer->setKeyEventSetsDone(0);
  impl_->viewer->setReleaseContextAtEndOfFrameHint(false);
  impl_->viewer->setSceneData(impl_->root);
  impl_->viewer->setCameraManipulator(impl_->manipulator, false);
  auto* cam = impl_->viewer->getCamera();
  cam->setClearColor(palette::kBackground);
  cam->setProjectionMatrixAsPerspective(35.0, static_cast<double>(w) / std::max(1, h), 1.0,
                                        20000.0);
  cam->setComputeNearFarMode(osg::CullSettings::COMPUTE_NEAR_FAR_USING_BOUNDING_VOLUMES);
  cam->setSmallFeatureCullingPixelSize(-1.0f);  // never drop small features (single agents)
  impl_->window->getEventQueue()->getCurrentEventState()->setMouseYOrientation(
      osgGA::GUIEventAdapter::Y_INCREASING_DOWNWARDS);
  resetCamera();
}

void CityView::resizeGL(int w, int h) {
  if (!impl_->window) return;
  const double dpr = devicePixelRatioF();
  const int pw = static_cast<int>(w * dpr), ph = static_cast<int>(h * dpr);
  impl_->window->resized(0, 0, pw, ph);
  impl_->window->getEventQueue()->windowResize(0, 0, pw, ph);
  auto* cam = impl_->viewer->getCamera();
  cam->setViewport(0, 0, pw, ph);
  cam->setProjectionMatrixAsPerspective(35.0, static_cast<double>(pw) / std::max(1, ph), 1.0,
                                        20000.0);
}

void CityView::paintGL() {
  if (!impl_->window) return;
  {
    const int h = static_cast<int>(height() * devicePixelRatioF());
    double fovy = 35, aspect = 1, znear = 1, zfar = 1;
    impl_->viewer->getCamera()->getProjectionMatrixAsPerspective(fovy, aspect, znear, zfar);
    for (auto* layer : {impl_->agents.get(), impl_->observed.get()}) {
      if (!layer) continue;
      layer->setView(static_cast<float>(impl_->metresPerPixel(h)),
                     static_cast<float>(h / (2.0 * std::tan(osg::DegreesToRadians(fovy) / 2.0))));
    }
  }
  // Qt renders into its own framebuffer object; OSG has to draw into that one.
  impl_->viewer->getCamera()->getGraphicsContext()->setDefaultFboId(defaultFramebufferObject());
  impl_->viewer->frame();
  std::array<double, 9> pose;
  cameraPose(pose.data());
  if (pose != impl_->pose) {
    impl_->pose = pose;
    Q_EMIT cameraPoseChanged();
  }
  ++impl_->frames;
  const auto now = std::chrono::steady_clock::now();
  const double dt = std::chrono::duration<double>(now - impl_->fps_since).count();
  if (dt >= 1.0) {
    fps_ = impl_->frames / dt;
    impl_->frames = 0;
    impl_->fps_since = now;
  }
}

double CityView::renderBlocking() {
  makeCurrent();
  const auto t0 = std::chrono::steady_clock::now();
  paintGL();
  context()->functions()->glFinish();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  doneCurrent();
  return s;
}

void CityView::setScenario(const engine::ScenarioRun* run) {
  for (const auto& name : kLayers) impl_->clear(name);
  impl_->agents.reset();
  impl_->observed.reset();
  impl_->observed_frame.reset();
  impl_->heatmap.reset();
  impl_->sensors.reset();  // sensors belong to the city they were placed in
  frame_.reset();
  if (!run) {
    update();
    return;
  }
  const auto& city = run->city();
  impl_->bounds = city.bounds.empty() ? geodata::bounds(city.walkable) : city.bounds;
  impl_->layers["ground"]->addChild(scene::buildGround(city));
  // The crowd's walkable space (with its interventions) where there is a crowd, else the city's.
  impl_->layers["walkable"]->addChild(
      scene::buildWalkable(run->file().has_crowd ? run->file().crowd.walkable : city.walkable));
  impl_->layers["streets"]->addChild(scene::buildStreets(city));
  impl_->layers["buildings"]->addChild(scene::buildBuildings(city));
  impl_->layers["scenario"]->addChild(scene::buildScenarioFeatures(run->file()));
  impl_->agents = std::make_unique<scene::AgentLayer>(impl_->bounds);
  impl_->layers["people"]->addChild(impl_->agents->people());
  impl_->layers["vehicles"]->addChild(impl_->agents->vehicles());
  addObservedLayer();
  impl_->heatmap = std::make_unique<scene::HeatmapLayer>(impl_->bounds);
  if (impl_->opacity.count("heatmap")) impl_->heatmap->setOpacity(impl_->opacity["heatmap"]);
  impl_->layers["heatmap"]->addChild(impl_->heatmap->node());
  resetCamera();
  update();
}

void CityView::showFrame(const FramePtr& frame) {
  frame_ = frame;
  if (!frame) return;
  if (impl_->agents) impl_->agents->update(*frame);
  if (impl_->heatmap && impl_->visible["heatmap"]) impl_->heatmap->update(*frame, reference_.get());
  // While measurements replay, the sensors show what was measured at the replay's moment.
  if (impl_->sensors && !impl_->observed_frame) impl_->sensors->update(frame->clock_s);
  update();
}

void CityView::addObservedLayer() {
  impl_->observed = std::make_unique<scene::AgentLayer>(impl_->bounds, true);
  impl_->layers["observed"]->addChild(impl_->observed->people());
  impl_->layers["observed"]->addChild(impl_->observed->vehicles());
}

void CityView::setObservationArea(const geodata::Box2& area) {
  setScenario(nullptr);
  impl_->bounds = area;
  geodata::CityModel empty;
  empty.bounds = area;
  impl_->layers["ground"]->addChild(scene::buildGround(empty));
  addObservedLayer();
  resetCamera();
  update();
}

void CityView::showObserved(const FramePtr& frame, double data_time_s) {
  impl_->observed_frame = frame;
  impl_->observed_time_s = data_time_s;
  if (impl_->observed) impl_->observed->update(frame ? *frame : Frame{});
  if (impl_->sensors) {
    if (frame)
      impl_->sensors->update(data_time_s, true);
    else if (frame_)
      impl_->sensors->update(frame_->clock_s);
  }
  update();
}

FramePtr CityView::observedFrame() const {
  return impl_->observed_frame;
}

void CityView::setSensors(std::vector<SensorMarker> markers) {
  impl_->clear("sensors");
  impl_->sensors.reset();
  if (!markers.empty()) {
    impl_->sensors = std::make_unique<scene::SensorLayer>(std::move(markers));
    if (impl_->observed_frame)
      impl_->sensors->update(impl_->observed_time_s, true);
    else if (frame_)
      impl_->sensors->update(frame_->clock_s);
    impl_->layers["sensors"]->addChild(impl_->sensors->node());
  }
  update();
}

const std::vector<SensorMarker>& CityView::sensorMarkers() const {
  static const std::vector<SensorMarker> none;
  return impl_->sensors ? impl_->sensors->markers() : none;
}

QStringList CityView::sensorLabels() const {
  QStringList out;
  if (!impl_->sensors) return out;
  for (const auto& l : impl_->sensors->labels()) out << QString::fromStdString(l);
  return out;
}

QStringList CityView::layerNames() const {
  return kLayers;
}

void CityView::setLayerVisible(const QString& layer, bool visible) {
  auto it = impl_->layers.find(layer);
  if (it == impl_->layers.end()) return;
  it->second->setNodeMask(visible ? ~0u : 0u);
  impl_->visible[layer] = visible;
  if (layer == "heatmap" && visible && frame_ && impl_->heatmap)
    impl_->heatmap->update(*frame_, reference_.get());
  update();
}

void CityView::setLayerOpacity(const QString& layer, double opacity) {
  const float a = static_cast<float>(std::clamp(opacity, 0.0, 1.0));
  impl_->opacity[layer] = a;
  if (layer == "heatmap" && impl_->heatmap) impl_->heatmap->setOpacity(a);
  if (layer == "buildings") scene::setSolidOpacity(*impl_->layers["buildings"], a);
  update();
}

bool CityView::layerVisible(const QString& layer) const {
  auto it = impl_->visible.find(layer);
  return it != impl_->visible.end() && it->second;
}

void CityView::setHeatmapMode(int mode) {
  if (!impl_->heatmap) return;
  impl_->heatmap->setMode(static_cast<scene::HeatmapMode>(mode));
  if (frame_) impl_->heatmap->update(*frame_, reference_.get());
  update();
}

int CityView::heatmapMode() const {
  return impl_->heatmap ? static_cast<int>(impl_->heatmap->mode()) : 0;
}

void CityView::setHeatmapReference(const FramePtr& reference) {
  reference_ = reference;
}

void CityView::setEditOverlay(const EditOverlay& overlay) {
  impl_->clear("edits");
  auto& g = impl_->layers["edits"];
  if (!overlay.closed_areas.empty())
    g->addChild(scene::buildAreas(overlay.closed_areas, palette::kClosure, 0.3f,
                                  scene::FlatOrder::kClosures));
  if (!overlay.fences.empty())
    g->addChild(scene::buildFences(overlay.fences, palette::kBarrier, 1.5f));
  if (overlay.drawing.size() >= 2)
    g->addChild(scene::buildFences({overlay.drawing}, palette::kSelection, 1.5f));
  std::vector<std::vector<geodata::Vec2>> posts;
  for (const auto& p : overlay.markers) posts.push_back({{p.x - 1.5, p.y}, {p.x + 1.5, p.y}});
  if (!posts.empty()) g->addChild(scene::buildFences(posts, palette::kSelection, 6.0f));
  update();
}

void CityView::resetCamera() {
  const auto& b = impl_->bounds;
  const osg::Vec3d centre((b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2, 0);
  const double size = std::max(b.max_x - b.min_x, b.max_y - b.min_y);
  const double distance = std::max(10.0, size * 1.25);  // a laboratory is a few metres across
  osg::Vec3d eye;
  if (top_view_)
    eye = centre + osg::Vec3d(0, -0.001 * distance, distance);
  else
    eye = centre + osg::Vec3d(-0.25 * distance, -0.75 * distance, 0.85 * distance);
  impl_->manipulator->setTransformation(eye, centre, osg::Vec3d(0, 0, 1));
  if (top_view_) impl_->manipulator->setTransformation(eye, centre, osg::Vec3d(0, 1, 0));
  update();
  Q_EMIT cameraMoved();
}

void CityView::lookAt(const geodata::Vec2& c, double distance) {
  const osg::Vec3d centre(c.x, c.y, 0);
  if (top_view_)
    impl_->manipulator->setTransformation(centre + osg::Vec3d(0, 0, distance), centre,
                                          osg::Vec3d(0, 1, 0));
  else
    impl_->manipulator->setTransformation(centre + osg::Vec3d(-0.25, -0.75, 0.85) * distance,
                                          centre, osg::Vec3d(0, 0, 1));
  update();
  Q_EMIT cameraMoved();
}

void CityView::setTopView(bool top) {
  top_view_ = top;
  if (!top) {
    resetCamera();
    return;
  }
  // Look straight down on the point the camera looks at now, from the same distance.
  const osg::Vec3d centre = impl_->manipulator->getCenter();
  const double d = impl_->manipulator->getDistance();
  impl_->manipulator->setTransformation(centre + osg::Vec3d(0, 0, d), centre, osg::Vec3d(0, 1, 0));
  update();
  Q_EMIT cameraMoved();
}

void CityView::cameraPose(double out[9]) const {
  osg::Vec3d eye, centre, up;
  impl_->manipulator->getTransformation(eye, centre, up);
  const osg::Vec3d v[3] = {eye, centre, up};
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 3; ++i) out[3 * k + i] = v[k][i];
}

void CityView::setCameraPose(const double p[9]) {
  impl_->manipulator->setTransformation(osg::Vec3d(p[0], p[1], p[2]), osg::Vec3d(p[3], p[4], p[5]),
                                        osg::Vec3d(p[6], p[7], p[8]));
  cameraPose(impl_->pose.data());  // as set, so that drawing it is not taken for a user's move
  update();
}

QPointF CityView::project(const geodata::Vec2& g) const {
  auto* cam = impl_->viewer->getCamera();
  const osg::Vec3d w = osg::Vec3d(g.x, g.y, 0.0) * impl_->windowMatrix();
  const double dpr = devicePixelRatioF();
  return {w.x() / dpr, (cam->getViewport()->height() - w.y()) / dpr};
}

bool CityView::pick(const QPointF& pos, geodata::Vec2* out) const {
  if (!impl_->window) return false;
  auto* cam = impl_->viewer->getCamera();
  const double dpr = devicePixelRatioF();
  const double x = pos.x() * dpr, y = cam->getViewport()->height() - pos.y() * dpr;
  const osg::Matrixd inv = osg::Matrixd::inverse(impl_->windowMatrix());
  const osg::Vec3d near = osg::Vec3d(x, y, 0.0) * inv, far = osg::Vec3d(x, y, 1.0) * inv;
  // Buildings first (a click on a roof picks the building), then the ground plane.
  osg::ref_ptr<osgUtil::LineSegmentIntersector> hit =
      new osgUtil::LineSegmentIntersector(near, far);
  osgUtil::IntersectionVisitor visitor(hit);
  if (impl_->visible.at("buildings")) impl_->layers.at("buildings")->accept(visitor);
  if (hit->containsIntersections()) {
    const auto p = hit->getFirstIntersection().getWorldIntersectPoint();
    // Step a little into the building, so that a wall hit falls inside its footprint.
    const auto n = hit->getFirstIntersection().getWorldIntersectNormal();
    *out = {p.x() - 0.3 * n.x(), p.y() - 0.3 * n.y()};
    return true;
  }
  const osg::Vec3d d = far - near;
  if (std::abs(d.z()) < 1e-12) return false;
  const double t = -near.z() / d.z();
  if (t < 0) return false;
  *out = {near.x() + t * d.x(), near.y() + t * d.y()};
  return true;
}

namespace {
int osgButton(Qt::MouseButton b) {
  switch (b) {
    case Qt::LeftButton:
      return 1;
    case Qt::MiddleButton:
      return 2;
    case Qt::RightButton:
      return 3;
    default:
      return 0;
  }
}
}  // namespace

void CityView::mousePressEvent(QMouseEvent* e) {
  press_pos_ = e->position();
  dragging_ = false;
  if (!impl_->window) return;
  const double dpr = devicePixelRatioF();
  int button = osgButton(e->button());
  if (button == 1 && (e->modifiers() & Qt::ShiftModifier)) button = 2;  // Shift + left: pan
  if (button == 3) button = 2;                                          // right: pan
  impl_->window->getEventQueue()->mouseButtonPress(static_cast<float>(e->position().x() * dpr),
                                                   static_cast<float>(e->position().y() * dpr),
                                                   static_cast<unsigned>(button));
}

void CityView::mouseReleaseEvent(QMouseEvent* e) {
  if (!impl_->window) return;
  const double dpr = devicePixelRatioF();
  int button = osgButton(e->button());
  if (button == 1 && (e->modifiers() & Qt::ShiftModifier)) button = 2;
  if (button == 3) button = 2;
  impl_->window->getEventQueue()->mouseButtonRelease(static_cast<float>(e->position().x() * dpr),
                                                     static_cast<float>(e->position().y() * dpr),
                                                     static_cast<unsigned>(button));
  update();
  if (!dragging_) {
    geodata::Vec2 g;
    if (pick(e->position(), &g)) Q_EMIT clicked(g, e->button(), e->modifiers());
  } else {
    Q_EMIT cameraMoved();
  }
}

void CityView::mouseDoubleClickEvent(QMouseEvent* e) {
  geodata::Vec2 g;
  if (pick(e->position(), &g)) Q_EMIT doubleClicked(g);
}

void CityView::mouseMoveEvent(QMouseEvent* e) {
  if (!impl_->window) return;
  if (e->buttons() != Qt::NoButton) {
    if ((e->position() - press_pos_).manhattanLength() > 4) dragging_ = true;
    const double dpr = devicePixelRatioF();
    impl_->window->getEventQueue()->mouseMotion(static_cast<float>(e->position().x() * dpr),
                                                static_cast<float>(e->position().y() * dpr));
    update();
    Q_EMIT cameraMoved();
  } else {
    geodata::Vec2 g;
    if (pick(e->position(), &g)) Q_EMIT hovered(g);
  }
}

void CityView::wheelEvent(QWheelEvent* e) {
  if (!impl_->window) return;
  impl_->window->getEventQueue()->mouseScroll(e->angleDelta().y() > 0
                                                  ? osgGA::GUIEventAdapter::SCROLL_UP
                                                  : osgGA::GUIEventAdapter::SCROLL_DOWN);
  update();
  Q_EMIT cameraMoved();
}

void CityView::keyPressEvent(QKeyEvent* e) {
  if (e->key() == Qt::Key_T) {
    setTopView(!top_view_);
  } else if (e->key() == Qt::Key_Home) {
    resetCamera();
  } else {
    QOpenGLWidget::keyPressEvent(e);
  }
}

}  // namespace citytwin::ui
