#pragma once
// Provenance: which files (with their SHA-256 and licence), models, parameters, seeds,
// software version and machine produced a result, so that a council can check it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace citytwin::cli {

/// Each file as {path, sha256, licence}.
nlohmann::json inputRecords(const std::vector<std::string>& files);

/// The licence of a bundled data file (by where it lies under assets/data), or a note that it
/// is not recorded.
std::string licenceOf(const std::string& path);

/// CityTwin version and commit, host, operating system, processor threads, and the time.
nlohmann::json softwareAndMachine();

}  // namespace citytwin::cli
