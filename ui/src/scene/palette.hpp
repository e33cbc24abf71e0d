#pragma once
// The colours of the 3D view, in one place: calm context (ground, streets, buildings) so that
// what moves and what is measured stands out.
#include <osg/Vec4>

namespace citytwin::ui::palette {

inline const osg::Vec4 kBackground{0.62f, 0.72f, 0.82f, 1.0f};
inline const osg::Vec4 kGround{0.70f, 0.73f, 0.68f, 1.0f};
inline const osg::Vec4 kWalkable{0.90f, 0.88f, 0.83f, 1.0f};
inline const osg::Vec4 kRoad{0.36f, 0.37f, 0.40f, 1.0f};
// Sensors: a teal no other layer uses, so that they stand out and tests can find them.
inline const osg::Vec4 kSensor{0.0f, 0.75f, 0.70f, 1.0f};
inline const osg::Vec4 kSensorText{0.0f, 0.30f, 0.30f, 1.0f};
inline const osg::Vec4 kPath{0.80f, 0.76f, 0.70f, 1.0f};
inline const osg::Vec4 kRoof{0.86f, 0.80f, 0.74f, 1.0f};
inline const osg::Vec4 kWall{0.80f, 0.76f, 0.72f, 1.0f};
inline const osg::Vec4 kGate{0.10f, 0.70f, 0.30f, 0.75f};
inline const osg::Vec4 kStage{0.20f, 0.55f, 0.85f, 0.45f};
inline const osg::Vec4 kSource{0.55f, 0.30f, 0.75f, 0.60f};
inline const osg::Vec4 kZone{0.10f, 0.30f, 0.80f, 1.0f};
inline const osg::Vec4 kBarrier{0.85f, 0.10f, 0.10f, 1.0f};
inline const osg::Vec4 kClosure{0.95f, 0.15f, 0.10f, 0.55f};
inline const osg::Vec4 kPerson{0.10f, 0.35f, 0.95f, 1.0f};
inline const osg::Vec4 kPersonStopped{0.85f, 0.10f, 0.75f, 1.0f};
// People replayed from measurements: orange, against the simulation's blue.
inline const osg::Vec4 kObserved{1.0f, 0.40f, 0.0f, 1.0f};
inline const osg::Vec4 kObservedStopped{0.55f, 0.20f, 0.0f, 1.0f};
inline const osg::Vec4 kCar{1.00f, 0.62f, 0.05f, 1.0f};
inline const osg::Vec4 kBus{0.85f, 0.05f, 0.10f, 1.0f};
inline const osg::Vec4 kTruck{0.45f, 0.30f, 0.15f, 1.0f};
inline const osg::Vec4 kBicycle{0.05f, 0.65f, 0.55f, 1.0f};
inline const osg::Vec4 kSelection{1.0f, 0.95f, 0.0f, 1.0f};

}  // namespace citytwin::ui::palette
