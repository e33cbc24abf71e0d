#pragma once
// Content hashes of input files, for provenance records.
#include <string>

namespace citytwin::geodata {

/// SHA-256 of a file's bytes as lowercase hex; empty when it cannot be read.
std::string sha256File(const std::string& path);

}  // namespace citytwin::geodata
