#include "ogr_convert.hpp"

namespace citytwin::geodata::ogr {
namespace {
OGRLinearRing* ring2(const Ring2& ring, const LocalFrame& f) {
  auto* r = new OGRLinearRing();
  r->setNumPoints(static_cast<int>(ring.size() + 1), FALSE);
  for (std::size_t i = 0; i <= ring.size(); ++i) {
    const Vec2 p = f.toProjected(ring[i % ring.size()]);
    r->setPoint(static_cast<int>(i), p.x, p.y);
  }
  return r;
}

OGRLinearRing* ring3(const Ring3& ring, const LocalFrame& f) {
  auto* r = new OGRLinearRing();
  r->setNumPoints(static_cast<int>(ring.size() + 1), FALSE);
  for (std::size_t i = 0; i <= ring.size(); ++i) {
    const Vec3& v = ring[i % ring.size()];
    const Vec2 p = f.toProjected({v.x, v.y});
    r->setPoint(static_cast<int>(i), p.x, p.y, v.z);
  }
  return r;
}

template <typename RingT, typename Fn>
RingT readRing(const OGRSimpleCurve& c, bool drop_closing, Fn&& make) {
  RingT out;
  int n = c.getNumPoints();
  if (drop_closing && n > 1 && c.getX(0) == c.getX(n - 1) && c.getY(0) == c.getY(n - 1)) --n;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(make(c, i));
  return out;
}
}  // namespace

std::unique_ptr<OGRPolygon> toOgr(const Polygon2& poly, const LocalFrame& frame) {
  auto p = std::make_unique<OGRPolygon>();
  for (const auto& ring : poly)
    if (!ring.empty()) p->addRingDirectly(ring2(ring, frame));
  return p;
}

std::unique_ptr<OGRMultiPolygon> toOgr(const MultiPolygon2& polys, const LocalFrame& frame) {
  auto mp = std::make_unique<OGRMultiPolygon>();
  for (const auto& poly : polys) mp->addGeometryDirectly(toOgr(poly, frame).release());
  return mp;
}

std::unique_ptr<OGRLineString> toOgr(const std::vector<Vec2>& line, const LocalFrame& frame) {
  auto l = std::make_unique<OGRLineString>();
  l->setNumPoints(static_cast<int>(line.size()), FALSE);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const Vec2 p = frame.toProjected(line[i]);
    l->setPoint(static_cast<int>(i), p.x, p.y);
  }
  return l;
}

std::unique_ptr<OGRPolygon> toOgr(const Polygon3& poly, const LocalFrame& frame) {
  auto p = std::make_unique<OGRPolygon>();
  for (const auto& ring : poly)
    if (!ring.empty()) p->addRingDirectly(ring3(ring, frame));
  return p;
}

std::unique_ptr<OGRGeometry> toOgr(const Geometry& g, const LocalFrame& frame) {
  auto point = [&](const Vec3& v) {
    const Vec2 p = frame.toProjected({v.x, v.y});
    return g.has_z ? new OGRPoint(p.x, p.y, v.z) : new OGRPoint(p.x, p.y);
  };
  auto line = [&](const Ring3& pts) {
    auto* l = new OGRLineString();
    for (const auto& v : pts) l->addPoint(point(v));
    return l;
  };
  auto polygon = [&](const std::vector<Ring3>& rings) {
    auto* poly = new OGRPolygon();
    for (const auto& r : rings) {
      auto* ring = new OGRLinearRing();
      for (std::size_t i = 0; i <= r.size() && !r.empty(); ++i) {
        std::unique_ptr<OGRPoint> p(point(r[i % r.size()]));
        ring->addPoint(p.get());
      }
      poly->addRingDirectly(ring);
    }
    return poly;
  };
  switch (g.kind) {
    case GeometryKind::kPoint: {
      std::unique_ptr<OGRPoint> p(point(g.parts.at(0).at(0).at(0)));
      return p;
    }
    case GeometryKind::kLineString:
      return std::unique_ptr<OGRGeometry>(line(g.parts.at(0).at(0)));
    case GeometryKind::kPolygon:
      return std::unique_ptr<OGRGeometry>(polygon(g.parts.at(0)));
    case GeometryKind::kMultiPoint: {
      auto m = std::make_unique<OGRMultiPoint>();
      for (const auto& part : g.parts) m->addGeometryDirectly(point(part.at(0).at(0)));
      return m;
    }
    case GeometryKind::kMultiLineString: {
      auto m = std::make_unique<OGRMultiLineString>();
      for (const auto& part : g.parts) m->addGeometryDirectly(line(part.at(0)));
      return m;
    }
    case GeometryKind::kMultiPolygon: {
      auto m = std::make_unique<OGRMultiPolygon>();
      for (const auto& part : g.parts) m->addGeometryDirectly(polygon(part));
      return m;
    }
  }
  return nullptr;
}

Polygon2 polygonFromOgr(const OGRPolygon& poly, const LocalFrame& frame) {
  Polygon2 out;
  auto make = [&](const OGRSimpleCurve& c, int i) { return frame.toLocal(c.getX(i), c.getY(i)); };
  for (const OGRLinearRing* ring : poly) out.push_back(readRing<Ring2>(*ring, true, make));
  return out;
}

MultiPolygon2 multiPolygonFromOgr(const OGRGeometry& g, const LocalFrame& frame) {
  MultiPolygon2 out;
  const auto type = wkbFlatten(g.getGeometryType());
  if (type == wkbPolygon)
    out.push_back(polygonFromOgr(*g.toPolygon(), frame));
  else if (type == wkbMultiPolygon)
    for (const OGRPolygon* p : *g.toMultiPolygon()) out.push_back(polygonFromOgr(*p, frame));
  return out;
}

std::vector<Vec2> lineFromOgr(const OGRLineString& line, const LocalFrame& frame) {
  return readRing<std::vector<Vec2>>(line, false, [&](const OGRSimpleCurve& c, int i) {
    return frame.toLocal(c.getX(i), c.getY(i));
  });
}

Polygon3 polygon3FromOgr(const OGRPolygon& poly, const LocalFrame& frame) {
  Polygon3 out;
  auto make = [&](const OGRSimpleCurve& c, int i) {
    const Vec2 p = frame.toLocal(c.getX(i), c.getY(i));
    return Vec3{p.x, p.y, c.getZ(i)};
  };
  for (const OGRLinearRing* ring : poly) out.push_back(readRing<Ring3>(*ring, true, make));
  return out;
}

bool geometryFromOgr(const OGRGeometry& g, const LocalFrame& frame, Geometry& out) {
  out = Geometry{};
  out.has_z = g.Is3D() != FALSE;
  auto make = [&](const OGRSimpleCurve& c, int i) {
    const Vec2 p = frame.toLocal(c.getX(i), c.getY(i));
    return Vec3{p.x, p.y, out.has_z ? c.getZ(i) : 0.0};
  };
  auto point = [&](const OGRPoint& p) {
    const Vec2 l = frame.toLocal(p.getX(), p.getY());
    return std::vector<Ring3>{Ring3{Vec3{l.x, l.y, out.has_z ? p.getZ() : 0.0}}};
  };
  auto polygon = [&](const OGRPolygon& p) {
    std::vector<Ring3> rings;
    for (const OGRLinearRing* r : p) rings.push_back(readRing<Ring3>(*r, true, make));
    return rings;
  };
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint:
      out.kind = GeometryKind::kPoint;
      out.parts.push_back(point(*g.toPoint()));
      return true;
    case wkbLineString:
      out.kind = GeometryKind::kLineString;
      out.parts.push_back({readRing<Ring3>(*g.toLineString(), false, make)});
      return true;
    case wkbPolygon:
      out.kind = GeometryKind::kPolygon;
      out.parts.push_back(polygon(*g.toPolygon()));
      return true;
    case wkbMultiPoint:
      out.kind = GeometryKind::kMultiPoint;
      for (const OGRPoint* p : *g.toMultiPoint()) out.parts.push_back(point(*p));
      return true;
    case wkbMultiLineString:
      out.kind = GeometryKind::kMultiLineString;
      for (const OGRLineString* l : *g.toMultiLineString())
        out.parts.push_back({readRing<Ring3>(*l, false, make)});
      return true;
    case wkbMultiPolygon:
      out.kind = GeometryKind::kMultiPolygon;
      for (const OGRPolygon* p : *g.toMultiPolygon()) out.parts.push_back(polygon(*p));
      return true;
    default: {
      if (!g.hasCurveGeometry()) return false;
      std::unique_ptr<OGRGeometry> linear(g.getLinearGeometry());
      return linear && geometryFromOgr(*linear, frame, out);
    }
  }
}

std::vector<FieldDef> fieldsFromOgr(const OGRFeatureDefn& defn) {
  std::vector<FieldDef> fields;
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    const OGRFieldDefn* fd = defn.GetFieldDefn(i);
    FieldType t = FieldType::kString;
    if (fd->GetType() == OFTInteger || fd->GetType() == OFTInteger64)
      t = FieldType::kInteger;
    else if (fd->GetType() == OFTReal)
      t = FieldType::kReal;
    fields.push_back({fd->GetNameRef(), t});
  }
  return fields;
}

std::vector<FieldValue> valuesFromOgr(const OGRFeature& feature,
                                      const std::vector<FieldDef>& fields) {
  std::vector<FieldValue> values;
  values.reserve(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const int idx = static_cast<int>(i);
    if (!feature.IsFieldSetAndNotNull(idx))
      values.emplace_back(std::monostate{});
    else if (fields[i].type == FieldType::kInteger)
      values.emplace_back(static_cast<std::int64_t>(feature.GetFieldAsInteger64(idx)));
    else if (fields[i].type == FieldType::kReal)
      values.emplace_back(feature.GetFieldAsDouble(idx));
    else
      values.emplace_back(std::string(feature.GetFieldAsString(idx)));
  }
  return values;
}

}  // namespace citytwin::geodata::ogr
