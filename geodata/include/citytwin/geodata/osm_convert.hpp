#pragma once
// Rewrites an OSM file in another OSM format (e.g. a .osm.pbf as the .osm XML that SUMO's
// netconvert reads). Nothing is filtered or changed: the same nodes, ways and relations.
#include <cstddef>
#include <string>

namespace citytwin::geodata {

struct OsmConversion {
  std::size_t nodes = 0, ways = 0, relations = 0;
};

/// Reads `input` (.osm, .osm.gz, .osm.bz2, .osm.pbf) and writes `output` in the format its
/// name says. Writes to a temporary file beside `output` and renames it at the end, so a
/// failed conversion leaves nothing behind. Throws InputError naming the file on unreadable
/// input, an unknown output format, or an existing `output` without `replace`.
OsmConversion convertOsm(const std::string& input, const std::string& output, bool replace);

}  // namespace citytwin::geodata
