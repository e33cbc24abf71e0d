#include "sensor_layer.hpp"

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>

#include "palette.hpp"

namespace citytwin::ui::scene {
namespace {

constexpr float kBarHeight = 4.0f;  // m: above cars, below most eaves

}  // namespace

SensorLayer::SensorLayer(std::vector<SensorMarker> markers)
    : markers_(std::move(markers)), group_(new osg::Group) {
  osg::ref_ptr<osg::Geometry> lines = new osg::Geometry;
  osg::ref_ptr<osg::Vec3Array> points = new osg::Vec3Array;
  for (const auto& m : markers_) {
    const osg::Vec3 a(static_cast<float>(m.ax), static_cast<float>(m.ay), 0.0f);
    const osg::Vec3 b(static_cast<float>(m.bx), static_cast<float>(m.by), 0.0f);
    const osg::Vec3 up(0.0f, 0.0f, kBarHeight);
    // The bar across the street and its two posts.
    for (const auto& [p, q] :
         {std::pair{a + up, b + up}, std::pair{a, a + up}, std::pair{b, b + up}}) {
      points->push_back(p);
      points->push_back(q);
    }
  }
  lines->setVertexArray(points);
  osg::ref_ptr<osg::Vec4Array> colour = new osg::Vec4Array;
  colour->push_back(palette::kSensor);
  lines->setColorArray(colour, osg::Array::BIND_OVERALL);
  lines->addPrimitiveSet(new osg::DrawArrays(GL_LINES, 0, static_cast<GLsizei>(points->size())));
  auto* ss = lines->getOrCreateStateSet();
  ss->setAttributeAndModes(new osg::LineWidth(4.0f));
  ss->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->addDrawable(lines);
  for (const auto& m : markers_) {
    osg::ref_ptr<osgText::Text> text = new osgText::Text;
    text->setFont(osgText::Font::getDefaultFont());  // built in: no font file needed
    text->setCharacterSizeMode(osgText::Text::SCREEN_COORDS);
    text->setCharacterSize(13.0f);
    text->setAxisAlignment(osgText::Text::SCREEN);
    text->setAlignment(osgText::Text::CENTER_BOTTOM);
    text->setPosition(osg::Vec3(static_cast<float>((m.ax + m.bx) / 2),
                                static_cast<float>((m.ay + m.by) / 2), kBarHeight + 1.0f));
    text->setColor(osg::Vec4(1, 1, 1, 1));
    // White text on a dark teal box: an outline round the built-in font's small glyphs blurs
    // them, and dark glyphs on a light box fringe (software OpenGL).
    text->setDrawMode(osgText::Text::TEXT | osgText::Text::FILLEDBOUNDINGBOX);
    text->setBoundingBoxColor(palette::kSensorText);
    text->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    text->setBoundingBoxMargin(2.0f);
    text->setDataVariance(osg::Object::DYNAMIC);
    text->getOrCreateStateSet()->setMode(GL_DEPTH_TEST, osg::StateAttribute::OFF);
    text->getOrCreateStateSet()->setRenderBinDetails(100, "RenderBin");
    geode->addDrawable(text);
    texts_.push_back(text);
  }
  geode->setName("sensors");
  group_->addChild(geode);
  update(0.0);
}

void SensorLayer::update(double clock_s, bool on_data_clock) {
  labels_.clear();
  for (std::size_t i = 0; i < markers_.size(); ++i) {
    labels_.push_back(sensorLabel(markers_[i], clock_s, on_data_clock));
    texts_[i]->setText(labels_.back(), osgText::String::ENCODING_UTF8);
  }
}

}  // namespace citytwin::ui::scene
