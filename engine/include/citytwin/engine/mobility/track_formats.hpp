#pragma once
// Trajectory formats an observation set may name. The engine reads 'csv', 'juelich' and
// 'sumo-fcd' itself; a plugin adds a format (GTFS Realtime, say) by registering a reader at
// startup. Every reader gets the privacy gate: identifiers become pseudonyms as they are read.
#include <functional>
#include <string>
#include <vector>

#include "citytwin/engine/mobility/tracks.hpp"

namespace citytwin::geodata {
struct LocalFrame;
}

namespace citytwin::engine::mobility {

struct ObservationSource;

struct TrackReadContext {
  /// The city's frame once the set was placed in a city (sensorsToLocalFrame); null before.
  /// Readers of georeferenced data (WGS 84 positions) need it.
  const geodata::LocalFrame* frame = nullptr;
};

/// Reads one source. Throws std::runtime_error (naming the file and what is wrong) on bad data.
using TrackFormatReader =
    std::function<TrackTable(const ObservationSource&, PrivacyGate&, const TrackReadContext&)>;

/// Adds (or replaces) the reader of `format`, with who moves in such data unless a source says
/// (`mode`). Call before loading observation sets that use it.
void registerTrackFormat(const std::string& format, TrackFormatReader reader,
                         TrackMode default_mode = TrackMode::kPedestrian);
/// The reader of `format`; null when the format is unknown.
const TrackFormatReader* findTrackFormat(const std::string& format);
/// Who moves in data of `format` unless a source says (pedestrians for an unknown format).
TrackMode trackFormatMode(const std::string& format);
/// The known formats, built-in first, for error messages.
std::vector<std::string> trackFormatNames();

}  // namespace citytwin::engine::mobility
