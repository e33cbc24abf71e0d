#pragma once
// A SUMO configuration (.sumocfg) as SUMO reads it: the network, route and additional files
// (relative to the configuration's folder), the time window, step length, seed, jam
// resolution and the outputs it names. What CityTwin does not act on is listed, never dropped
// silently.
#include <optional>
#include <string>
#include <vector>

namespace citytwin::engine::traffic {

struct SumoConfig {
  std::string path;
  std::string net_file;
  std::vector<std::string> route_files;
  std::vector<std::string> additional_files;
  double begin_s = 0.0;
  std::optional<double> end_s;
  double step_length_s = 1.0;
  std::optional<std::uint64_t> seed;
  double time_to_teleport_s = 300.0;  ///< SUMO's default; <= 0 switches teleporting off
  std::optional<std::string> tripinfo_output, summary_output, fcd_output, edgedata_output;
  /// Options in the file that CityTwin reads but does not act on (name="value").
  std::vector<std::string> not_supported;
};

/// Reads a .sumocfg. Throws geodata::InputError naming the file and line on malformed XML,
/// a missing net-file, files that do not exist, or values that are not numbers.
SumoConfig readSumoConfig(const std::string& path);

}  // namespace citytwin::engine::traffic
