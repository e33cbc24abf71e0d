#include "citytwin/engine/mobility/observation_set.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <stdexcept>

#include "../scenario_yaml_reader.hpp"
#include "citytwin/engine/mobility/track_formats.hpp"

namespace citytwin::engine::mobility {
namespace {

namespace fs = std::filesystem;

double durationOf(const Reader& r, const YAML::Node& n, const char* key, double fallback) {
  const YAML::Node v = n[key];
  if (!v) return fallback;
  try {
    const double s = parseDuration(v.as<std::string>());
    if (!(s > 0.0)) r.fail(v, std::string("'") + key + "' must be more than zero");
    return s;
  } catch (const std::invalid_argument& e) {
    r.fail(v, std::string("'") + key + "': " + e.what());
  }
}

DataRegisterEntry readRegister(const Reader& r, const YAML::Node& source,
                               const std::string& where) {
  const YAML::Node n = source["register"];
  if (!n) {
    r.fail(source,
           where +
               " needs a 'register' entry (purpose, legal_basis, controller, retention, "
               "access): data about people is only held with a recorded reason",
           "see scenarios/README.md, \"Observations\"");
  }
  r.keys(n, where + " register",
         {"description", "controller", "purpose", "legal_basis", "personal_data", "retention",
          "access", "licence"});
  DataRegisterEntry e;
  e.description = r.get<std::string>(n, "description", "");
  e.controller = r.require<std::string>(n, "controller", where + " register");
  e.purpose = r.require<std::string>(n, "purpose", where + " register");
  e.legal_basis = r.require<std::string>(n, "legal_basis", where + " register");
  e.personal_data = r.get<bool>(n, "personal_data", true);
  e.retention_s = durationOf(r, n, "retention", 0.0);
  e.licence = r.get<std::string>(n, "licence", "");
  if (n["access"]) {
    if (!n["access"].IsSequence()) r.fail(n["access"], "'access' is a list of roles");
    for (const auto& a : n["access"]) e.access.push_back(a.as<std::string>());
  }
  return e;
}

ObservationSource readSource(const Reader& r, const YAML::Node& n, const fs::path& folder) {
  r.keys(n, "a source",
         {"name", "kind", "format", "file", "columns", "fps", "unit", "time_offset", "interval",
          "mode", "register"});
  ObservationSource s;
  s.name = r.require<std::string>(n, "name", "a source");
  const std::string where = "source '" + s.name + "'";
  const auto kind = r.require<std::string>(n, "kind", where);
  if (kind == "counts") {
    s.kind = ObservationSource::Kind::kCounts;
  } else if (kind == "trajectories") {
    s.kind = ObservationSource::Kind::kTrajectories;
  } else {
    r.fail(n["kind"], where + ": unknown kind '" + kind + "'", "use 'counts' or 'trajectories'");
  }
  s.format = r.get<std::string>(n, "format", "csv");
  const bool counts = s.kind == ObservationSource::Kind::kCounts;
  if (counts && s.format != "csv" && s.format != "sensorthings") {
    r.fail(n["format"], where + ": unknown format '" + s.format + "'",
           "counts are read from 'csv' or 'sensorthings' (JSON Observations)");
  }
  if (!counts && findTrackFormat(s.format) == nullptr) {
    std::string known;
    for (const auto& f : trackFormatNames()) known += (known.empty() ? "'" : ", '") + f + "'";
    r.fail(n["format"], where + ": unknown format '" + s.format + "'", "use " + known);
  }
  if (!counts) {
    s.mode = trackFormatMode(s.format);
    if (n["mode"]) {
      const auto mode = r.get<std::string>(n, "mode", "");
      bool found = false;
      for (auto m : {TrackMode::kPedestrian, TrackMode::kCar, TrackMode::kBus, TrackMode::kTruck,
                     TrackMode::kBicycle}) {
        if (mode == trackModeName(m)) {
          s.mode = m;
          found = true;
        }
      }
      if (!found) {
        r.fail(n["mode"], where + ": unknown mode '" + mode + "'",
               "use pedestrian, car, bus, truck or bicycle");
      }
    }
  } else if (n["mode"]) {
    r.fail(n["mode"], where + ": 'mode' is for trajectories", "leave it out of count sources");
  }
  const fs::path file = r.require<std::string>(n, "file", where);
  s.path = (file.is_absolute() ? file : folder / file).lexically_normal().string();
  if (!fs::exists(s.path)) {
    r.fail(n["file"], where + ": file " + s.path + " does not exist",
           "the path is relative to the observation set's folder");
  }
  const YAML::Node columns = n["columns"];
  if (columns) {
    if (counts) {
      r.keys(columns, where + " columns", {"time", "sensor", "direction", "count"});
      s.count_columns.time = r.get<std::string>(columns, "time", s.count_columns.time);
      s.count_columns.sensor = r.get<std::string>(columns, "sensor", s.count_columns.sensor);
      s.count_columns.direction =
          r.get<std::string>(columns, "direction", s.count_columns.direction);
      s.count_columns.count = r.get<std::string>(columns, "count", s.count_columns.count);
    } else {
      r.keys(columns, where + " columns", {"id", "time", "x", "y", "frame"});
      s.track_columns.id = r.get<std::string>(columns, "id", s.track_columns.id);
      s.track_columns.time = r.get<std::string>(columns, "time", s.track_columns.time);
      s.track_columns.x = r.get<std::string>(columns, "x", s.track_columns.x);
      s.track_columns.y = r.get<std::string>(columns, "y", s.track_columns.y);
      if (columns["frame"]) {
        s.track_columns.time = r.get<std::string>(columns, "frame", "");
        s.track_columns.frames_per_second = r.require<double>(n, "fps", where + " (frames)");
      }
    }
  }
  if (counts) s.count_columns.interval_s = durationOf(r, n, "interval", 0.0);
  s.frames_per_second = r.get<double>(n, "fps", 0.0);
  if (s.format == "juelich" && !(s.frames_per_second > 0.0)) {
    r.fail(n, where + ": Juelich trajectories count frames; give 'fps' (frames per second)");
  }
  const auto unit = r.get<std::string>(n, "unit", "m");
  if (unit == "m") {
    s.track_columns.unit_to_m = 1.0;
  } else if (unit == "cm") {
    s.track_columns.unit_to_m = 0.01;
  } else if (unit == "mm") {
    s.track_columns.unit_to_m = 0.001;
  } else {
    r.fail(n["unit"], where + ": unknown unit '" + unit + "'", "use m, cm or mm");
  }
  s.track_columns.time_offset_s = r.get<double>(n, "time_offset", 0.0);
  s.register_entry = readRegister(r, n, where);
  return s;
}

}  // namespace

double parseDuration(const std::string& text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [rest, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || text.empty()) {
    throw std::invalid_argument("'" + text + "' is not a duration (e.g. 90, 15min, 12h, 30d)");
  }
  const std::string unit(rest, end);
  if (unit.empty() || unit == "s") return value;
  if (unit == "min") return value * 60.0;
  if (unit == "h") return value * 3600.0;
  if (unit == "d") return value * 86400.0;
  throw std::invalid_argument("unknown unit '" + unit + "' in '" + text + "' (use s, min, h or d)");
}

ObservationSet loadObservationSet(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw InputError(path, "", "cannot be opened", "check the path");
  } catch (const YAML::ParserException& e) {
    throw InputError(path, "line " + std::to_string(e.mark.line + 1), e.msg,
                     "fix the YAML syntax (indentation, colons, brackets)");
  }
  Reader r(path, nullptr);
  r.keys(root, "the observation set",
         {"name", "crs", "privacy", "sensors", "interval", "begin", "export_tracks", "sources",
          "alerts", "utc_offset"});
  ObservationSet set;
  set.path = path;
  set.name = r.get<std::string>(root, "name", fs::path(path).stem().string());
  if (const YAML::Node p = root["privacy"]) {
    r.keys(p, "privacy",
           {"key_period", "min_group_size", "time_resolution", "space_resolution", "retention"});
    set.privacy.key_period_s = durationOf(r, p, "key_period", set.privacy.key_period_s);
    set.privacy.min_group_size = r.get<int>(p, "min_group_size", set.privacy.min_group_size);
    if (set.privacy.min_group_size < 1) {
      r.fail(p["min_group_size"], "min_group_size must be at least 1 (5 is the usual minimum)");
    }
    set.privacy.time_resolution_s = r.get<double>(p, "time_resolution", 0.0);
    set.privacy.space_resolution_m = r.get<double>(p, "space_resolution", 0.0);
    set.privacy.retention_s = durationOf(r, p, "retention", set.privacy.retention_s);
  }
  set.crs = r.get<std::string>(root, "crs", "local");
  set.interval_s = durationOf(r, root, "interval", set.interval_s);
  if (root["begin"]) set.begin_s = r.timeOfDay(root, "begin", 0.0);
  set.export_tracks = r.get<bool>(root, "export_tracks", false);
  for (const auto& s : root["sensors"]) {
    r.keys(s, "a sensor", {"id", "line", "forward", "backward"});
    CountingLine line;
    line.sensor = r.require<std::string>(s, "id", "a sensor");
    const YAML::Node ends = s["line"];
    if (!ends || !ends.IsSequence() || ends.size() != 2) {
      r.fail(s, "sensor '" + line.sensor + "' needs 'line: [[x, y], [x, y]]'");
    }
    const auto a = r.point(ends[0]), b = r.point(ends[1]);
    line.a = {a.x, a.y};
    line.b = {b.x, b.y};
    if (a.x == b.x && a.y == b.y)
      r.fail(ends, "sensor '" + line.sensor + "': the line has no length");
    line.forward_name = r.get<std::string>(s, "forward", "forward");
    line.backward_name = r.get<std::string>(s, "backward", "backward");
    set.sensors.push_back(line);
  }
  if (root["utc_offset"]) {
    const auto text = r.get<std::string>(root, "utc_offset", "1h");
    try {
      const bool negative = !text.empty() && text[0] == '-';
      set.utc_offset_s = (negative ? -1.0 : 1.0) * parseDuration(negative ? text.substr(1) : text);
    } catch (const std::invalid_argument& e) {
      r.fail(root["utc_offset"], std::string("'utc_offset': ") + e.what(),
             "e.g. 1h (CET) or 2h (CEST)");
    }
  }
  for (const auto& a : root["alerts"]) {
    r.keys(a, "an alert", {"sensor", "zone", "direction", "from", "to", "above", "advice"});
    AlertRule rule;
    if (a["zone"]) {
      rule.zone = r.require<std::string>(a, "zone", "an alert");
      if (a["sensor"] || a["direction"])
        r.fail(a, "alert of zone '" + rule.zone + "': a zone's alert has no sensor or direction",
               "give one alert per zone or per sensor");
    } else {
      rule.sensor = r.require<std::string>(a, "sensor", "an alert (or 'zone')");
    }
    rule.direction = r.get<std::string>(a, "direction", "");
    const std::string who = rule.zone.empty() ? rule.sensor : rule.zone;
    rule.from_s = r.timeOfDay(a, "from", 0.0);
    rule.to_s = r.timeOfDay(a, "to", 86400.0);
    rule.threshold = r.require<double>(a, "above", "alert of '" + who + "'");
    rule.advice = r.require<std::string>(a, "advice", "alert of '" + who + "'");
    if (rule.to_s <= rule.from_s) {
      r.fail(a, "alert of '" + who + "': 'to' must be after 'from'",
             "split a rule over midnight into two");
    }
    set.alerts.push_back(rule);
  }
  // Sources may be left out: sensors alone count a simulation (`citytwin run --sensors`).
  if (root["sources"] && !root["sources"].IsSequence()) {
    r.fail(root["sources"], "'sources' is a list of data sources");
  }
  if (!root["sources"] && !root["sensors"]) {
    r.fail(root, "the observation set has neither 'sources' nor 'sensors'");
  }
  const fs::path folder = fs::path(path).parent_path();
  for (const auto& s : root["sources"]) set.sources.push_back(readSource(r, s, folder));
  for (const auto& s : set.sources) {
    if (s.kind == ObservationSource::Kind::kTrajectories && set.sensors.empty()) {
      r.fail(root,
             "source '" + s.name +
                 "' holds trajectories but the set has no 'sensors' to "
                 "count them on",
             "add counting lines under 'sensors:'");
    }
  }
  return set;
}

double retentionOf(const ObservationSource& source, const PrivacyPolicy& policy) {
  return source.register_entry.retention_s > 0.0
             ? std::min(source.register_entry.retention_s, policy.retention_s)
             : policy.retention_s;
}

void sensorsToLocalFrame(ObservationSet& set, const geodata::LocalFrame& frame) {
  set.frame = frame;
  if (set.crs == "local") return;
  const geodata::CrsTransform to_model(set.crs, frame.crs);
  for (auto& line : set.sensors) {
    for (LinePoint* p : {&line.a, &line.b}) {
      double z = 0.0;
      if (!to_model.apply(p->x, p->y, z)) {
        throw InputError(set.path, "sensor '" + line.sensor + "'",
                         "cannot be transformed from " + set.crs + " into the city's " + frame.crs,
                         "check the observation set's 'crs' and the coordinates");
      }
      const auto local = frame.toLocal(p->x, p->y);
      p->x = local.x;
      p->y = local.y;
    }
  }
}

}  // namespace citytwin::engine::mobility
