#include "osm_rules.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace citytwin::geodata::osm {
namespace {

bool isOneOf(std::string_view v, std::initializer_list<std::string_view> values) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

bool isYes(std::string_view v) {
  return isOneOf(
      v, {"yes", "designated", "permissive", "destination", "official", "customers", "delivery"});
}
bool isNo(std::string_view v) {
  return isOneOf(v, {"no", "private", "use_sidepath", "dismount", "discouraged_no", "agricultural",
                     "forestry"});
}

std::optional<double> parseNumber(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  double value = 0.0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr == s.data()) return std::nullopt;
  return value;
}

bool isMotorwayClass(std::string_view hw) {
  return isOneOf(hw, {"motorway", "motorway_link", "trunk", "trunk_link"});
}

// Class defaults before access tags: which modes may use a highway of this class.
ModeMask classModes(std::string_view hw) {
  const ModeMask car = bit(Mode::kCar), bike = bit(Mode::kBike), foot = bit(Mode::kFoot),
                 bus = bit(Mode::kBus);
  if (isMotorwayClass(hw)) return car | bus;
  if (isOneOf(hw, {"primary", "primary_link", "secondary", "secondary_link", "tertiary",
                   "tertiary_link", "unclassified", "residential", "road"}))
    return car | bike | foot | bus;
  if (isOneOf(hw, {"living_street", "service", "track"})) return car | bike | foot;
  if (isOneOf(hw, {"busway", "bus_guideway"})) return bus;
  if (hw == "cycleway") return bike | foot;
  if (isOneOf(hw, {"footway", "pedestrian", "steps", "corridor", "platform"})) return foot;
  if (isOneOf(hw, {"path", "bridleway"})) return foot | bike;
  return 0;
}

void applyAccess(std::string_view value, ModeMask modes_in_scope, ModeMask& modes) {
  if (value.empty()) return;
  if (isNo(value))
    modes &= static_cast<ModeMask>(~modes_in_scope);
  else if (isYes(value))
    modes |= modes_in_scope;
}

}  // namespace

bool isRoutableHighway(std::string_view highway) {
  return classModes(highway) != 0;
}

DirectionalModes wayModes(const Tags& tags) {
  const std::string_view hw = tag(tags, "highway");
  ModeMask modes = classModes(hw);
  if (modes == 0) return {};
  const ModeMask car = bit(Mode::kCar), bike = bit(Mode::kBike), foot = bit(Mode::kFoot),
                 bus = bit(Mode::kBus);
  // From general to specific, as OSM's access hierarchy reads.
  applyAccess(tag(tags, "access"), car | bike | foot | bus, modes);
  applyAccess(tag(tags, "vehicle"), car | bike | bus, modes);
  applyAccess(tag(tags, "motor_vehicle"), car | bus, modes);
  applyAccess(tag(tags, "motorcar"), car, modes);
  applyAccess(tag(tags, "psv"), bus, modes);
  applyAccess(tag(tags, "bus"), bus, modes);
  applyAccess(tag(tags, "bicycle"), bike, modes);
  applyAccess(tag(tags, "foot"), foot, modes);
  if (tag(tags, "area") == "yes") modes &= foot;  // an area's outline is walked, not driven
  // A motorway-class road never takes bikes or pedestrians in the Netherlands, whatever else.
  if (isMotorwayClass(hw)) modes &= static_cast<ModeMask>(car | bus);

  // Direction.
  const std::string_view ow = tag(tags, "oneway");
  int dir = 0;  // 0 both, 1 forward only, -1 backward only
  if (isOneOf(ow, {"yes", "1", "true"}))
    dir = 1;
  else if (isOneOf(ow, {"-1", "reverse"}))
    dir = -1;
  else if (ow.empty() && (tag(tags, "junction") == "roundabout" ||
                          tag(tags, "junction") == "circular" || hw == "motorway"))
    dir = 1;
  DirectionalModes out{modes, modes};
  if (dir != 0) {
    ModeMask restricted = car | bus | bike;
    const std::string_view ob = tag(tags, "oneway:bicycle");
    const std::string_view cw = tag(tags, "cycleway");
    if (ob == "no" || cw.starts_with("opposite")) restricted &= static_cast<ModeMask>(~bike);
    if (tag(tags, "oneway:bus") == "no" || tag(tags, "oneway:psv") == "no")
      restricted &= static_cast<ModeMask>(~bus);
    ModeMask& against = dir == 1 ? out.backward : out.forward;
    against &= static_cast<ModeMask>(~restricted);
  }
  if (tag(tags, "oneway:foot") == "yes") out.backward &= static_cast<ModeMask>(~foot);
  return out;
}

LanesPerDirection wayLanes(const Tags& tags, bool oneway_forward_only) {
  const std::string_view hw = tag(tags, "highway");
  const std::uint8_t class_default = isMotorwayClass(hw) && !hw.ends_with("_link") ? 2 : 1;
  LanesPerDirection out{class_default, class_default};
  auto clampLanes = [](double v) {
    return static_cast<std::uint8_t>(std::clamp(static_cast<int>(std::lround(v)), 1, 8));
  };
  if (auto total = parseNumber(tag(tags, "lanes")); total && *total >= 1) {
    if (oneway_forward_only) {
      out.forward = out.backward = clampLanes(*total);
    } else {
      out.forward = clampLanes(std::ceil(*total / 2.0));
      out.backward = clampLanes(std::floor(*total / 2.0));
    }
  }
  if (auto f = parseNumber(tag(tags, "lanes:forward")); f && *f >= 1) out.forward = clampLanes(*f);
  if (auto b = parseNumber(tag(tags, "lanes:backward")); b && *b >= 1)
    out.backward = clampLanes(*b);
  return out;
}

std::optional<double> parseSpeedKmh(std::string_view text, std::string_view country) {
  if (text.empty()) return std::nullopt;
  if (text == "walk") return 15.0;  // "stapvoets": Dutch courts read it as about 15 km/h
  if (text == "none") return 130.0;
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    const std::string_view zone = text.substr(colon + 1);
    if (zone == "urban") return 50.0;
    if (zone == "rural") return country == "NL" ? 80.0 : 90.0;
    if (zone == "motorway") return country == "NL" ? 100.0 : 120.0;
    if (zone == "living_street" || zone == "walk") return 15.0;
    if (zone.starts_with("zone")) return parseNumber(zone.substr(4));
    return std::nullopt;
  }
  auto value = parseNumber(text);
  if (!value || *value <= 0) return std::nullopt;
  if (text.find("mph") != std::string_view::npos) return *value * 1.609344;
  if (text.find("knots") != std::string_view::npos) return *value * 1.852;
  return value;
}

double defaultSpeedKmh(std::string_view hw, std::string_view country) {
  const bool nl = country == "NL";
  if (hw == "motorway") return nl ? 100.0 : 120.0;
  if (hw == "trunk") return nl ? 100.0 : 100.0;
  if (hw.ends_with("_link"))
    return hw.starts_with("motorway") || hw.starts_with("trunk") ? 80.0 : 50.0;
  if (isOneOf(hw, {"primary", "secondary", "tertiary", "unclassified", "road", "busway",
                   "bus_guideway"}))
    return 50.0;
  if (hw == "residential") return nl ? 30.0 : 50.0;  // Dutch towns: 30 km/h zones are the norm
  if (hw == "track") return 30.0;
  if (hw == "cycleway") return 30.0;
  // living_street, service, pedestrian, footway, path, steps: walking pace for any vehicle.
  return 15.0;
}

SpeedLimits waySpeedLimits(const Tags& tags, std::string_view country) {
  const std::string_view hw = tag(tags, "highway");
  SpeedLimits out;
  const double fallback = defaultSpeedKmh(hw, country);
  const auto both = parseSpeedKmh(tag(tags, "maxspeed"), country);
  const auto fwd = parseSpeedKmh(tag(tags, "maxspeed:forward"), country);
  const auto bwd = parseSpeedKmh(tag(tags, "maxspeed:backward"), country);
  out.forward_kmh = fwd.value_or(both.value_or(fallback));
  out.backward_kmh = bwd.value_or(both.value_or(fallback));
  out.tagged = both || fwd || bwd;
  return out;
}

std::optional<double> parseLengthM(std::string_view text) {
  if (text.empty()) return std::nullopt;
  auto v = parseNumber(text);
  if (!v || !std::isfinite(*v) || *v < 0) return std::nullopt;
  if (text.find('\'') != std::string_view::npos || text.find("ft") != std::string_view::npos)
    return *v * 0.3048;
  return v;
}

BuildingHeight buildingHeight(const Tags& tags) {
  if (auto h = parseLengthM(tag(tags, "height")); h && *h > 0) return {*h, "height"};
  if (auto l = parseNumber(tag(tags, "building:levels")); l && *l > 0) {
    double levels = *l;
    if (auto r = parseNumber(tag(tags, "roof:levels")); r && *r > 0) levels += *r;
    return {levels * 3.0, "building:levels"};
  }
  const std::string_view b = tag(tags, "building");
  double h = 10.0;  // three storeys and a roof: the typical Dutch town-centre building
  if (isOneOf(b, {"garage", "garages", "shed", "hut", "kiosk", "roof", "carport", "toilets"}))
    h = 3.0;
  else if (isOneOf(b, {"house", "detached", "semidetached_house", "terrace", "bungalow"}))
    h = 8.0;
  else if (isOneOf(b, {"apartments", "office", "hotel", "commercial", "retail", "university"}))
    h = 15.0;
  else if (b == "church")
    h = 20.0;
  else if (b == "cathedral")
    h = 40.0;
  return {h, "default"};
}

double walkableWidthM(const Tags& tags) {
  const std::string_view hw = tag(tags, "highway");
  double width = 0.0;
  if (hw == "footway" || hw == "steps" || hw == "corridor" || hw == "platform")
    width = 2.0;
  else if (hw == "path" || hw == "bridleway")
    width = 1.5;
  else if (hw == "pedestrian")
    width = 6.0;
  else if (isOneOf(hw, {"living_street", "residential", "service", "unclassified", "track"}))
    // Quiet streets are crossed anywhere: the whole carriageway is walkable, and it joins the
    // sidewalks that begin at its edge.
    return std::max(hw == "living_street" ? 5.0 : 4.0, carriagewayWidthM(tags));
  else
    return 0.0;  // busier roads: pedestrians keep to sidewalks and crossings
  if (auto w = parseLengthM(tag(tags, "width")); w && *w > 0.5 && *w < 60.0) width = *w;
  return width;
}

Sidewalks waySidewalks(const Tags& tags, std::string_view country) {
  const std::string_view hw = tag(tags, "highway");
  std::string_view sw = tag(tags, "sidewalk");
  if (sw.empty()) sw = tag(tags, "sidewalk:both");
  Sidewalks out;
  if (sw == "both")
    out = {true, true};
  else if (sw == "left")
    out = {true, false};
  else if (sw == "right")
    out = {false, true};
  else if (!sw.empty())
    out = {false, false};  // no, none, separate
  else if (country == "NL" &&
           isOneOf(hw, {"primary", "secondary", "tertiary", "unclassified", "residential",
                        "primary_link", "secondary_link", "tertiary_link"}))
    out = {true, true};
  if (tag(tags, "sidewalk:left") == "yes") out.left = true;
  if (tag(tags, "sidewalk:right") == "yes") out.right = true;
  if (tag(tags, "sidewalk:left") == "separate" || tag(tags, "sidewalk:left") == "no")
    out.left = false;
  if (tag(tags, "sidewalk:right") == "separate" || tag(tags, "sidewalk:right") == "no")
    out.right = false;
  return out;
}

double carriagewayWidthM(const Tags& tags) {
  if (auto w = parseLengthM(tag(tags, "width")); w && *w > 1.0 && *w < 60.0) return *w;
  const bool oneway = isOneOf(tag(tags, "oneway"), {"yes", "1", "-1", "true"});
  const auto lanes = wayLanes(tags, oneway);
  const int total = oneway ? lanes.forward : lanes.forward + lanes.backward;
  return 3.0 * total;
}

bool isWalkableArea(const Tags& tags) {
  const std::string_view hw = tag(tags, "highway");
  if ((hw == "pedestrian" || hw == "footway") && tag(tags, "area") == "yes") return true;
  const std::string_view ah = tag(tags, "area:highway");
  if (isOneOf(ah, {"pedestrian", "footway"})) return true;
  return tag(tags, "place") == "square";
}

bool isLinearBarrier(const Tags& tags) {
  return isOneOf(tag(tags, "barrier"), {"wall", "fence", "retaining_wall", "city_wall", "hedge",
                                        "guard_rail", "handrail"});
}

bool isTrafficSignal(const Tags& tags) {
  return tag(tags, "highway") == "traffic_signals" || tag(tags, "crossing") == "traffic_signals";
}

}  // namespace citytwin::geodata::osm
