#pragma once
// An observation set (YAML): the measured data a replay or a calibration uses, each source with
// its entry in the data register (why it is held, on what legal basis, for how long, who may
// see it), the privacy policy every source passes, and the sensors (counting lines) that real
// and virtual counts are compared on. Documented in scenarios/README.md, "Observations".
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/counting_line.hpp"
#include "citytwin/engine/mobility/forecast.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/engine/mobility/tracks.hpp"
#include "citytwin/geodata/frame.hpp"

namespace citytwin::engine::mobility {

/// One source's entry in the data register (GDPR art. 30 style record of processing).
struct DataRegisterEntry {
  std::string description;
  std::string controller;           ///< who is responsible for the data
  std::string purpose;              ///< what it is used for here (purpose limitation)
  std::string legal_basis;          ///< e.g. "public task (AVG art. 6(1)(e))"
  bool personal_data = true;        ///< identifiers or traces of people, even pseudonymised
  double retention_s = 0.0;         ///< how long it may be kept (0: the policy's)
  std::vector<std::string> access;  ///< roles that may see it
  std::string licence;
};

struct ObservationSource {
  enum class Kind { kCounts, kTrajectories };
  std::string name;
  Kind kind = Kind::kCounts;
  /// counts: "csv", "sensorthings"; trajectories: "csv", "juelich", "sumo-fcd" or a plugin's
  /// (trackFormatNames())
  std::string format;
  std::string path;  ///< resolved against the set's folder
  CountCsvColumns count_columns;
  TrackCsvColumns track_columns;
  double frames_per_second = 0.0;  ///< juelich
  /// Trajectories: who moves (key `mode`); else the format's default (trackFormatMode:
  /// pedestrians, cars for SUMO FCD, buses for GTFS Realtime).
  TrackMode mode = TrackMode::kPedestrian;
  DataRegisterEntry register_entry;
};

struct ObservationSet {
  std::string path;
  std::string name;
  PrivacyPolicy privacy;
  std::vector<CountingLine> sensors;
  /// CRS of the sensors' coordinates ("local": the city model's own frame, or as measured).
  std::string crs = "local";
  double interval_s = 60.0;  ///< counting interval of the virtual sensors
  /// Start of the first interval; NaN: the first sample's time, rounded down to the interval.
  double begin_s = std::numeric_limits<double>::quiet_NaN();
  bool export_tracks = false;  ///< write replayed tracks (pseudonymous, coarsened) to the output
  std::vector<ObservationSource> sources;
  /// Thresholds per sensor and time of day for `citytwin forecast` (advice, never action).
  std::vector<AlertRule> alerts;
  double utc_offset_s = 3600.0;  ///< local time = UTC + this, for times of day in forecasts
  /// The city's frame once sensorsToLocalFrame placed the set in a city; georeferenced
  /// sources (GTFS Realtime) are read into it.
  std::optional<geodata::LocalFrame> frame;
};

/// Reads an observation set. Throws geodata::InputError naming the file, the line and the key
/// (and the nearest valid key for a misspelt one).
ObservationSet loadObservationSet(const std::string& path);

/// Transforms the sensors from the set's `crs` into the city model's local frame (nothing for
/// "local") and keeps the frame for the sources. Throws geodata::InputError naming a sensor that
/// cannot be transformed.
void sensorsToLocalFrame(ObservationSet& set, const geodata::LocalFrame& frame);

/// How long the records of `source` may be kept: its register's retention within the policy's
/// (the policy's alone where the register gives none).
double retentionOf(const ObservationSource& source, const PrivacyPolicy& policy);

/// Seconds from a number or a number with a unit: "90", "15min", "12h", "30d".
double parseDuration(const std::string& text);

}  // namespace citytwin::engine::mobility
