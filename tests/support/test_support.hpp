#pragma once
// Shared helpers for CityTwin's tests: bundled data, temporary folders, running the CLI.
#include <filesystem>
#include <string>
#include <vector>

#include "citytwin/geodata/city_model.hpp"

namespace citytwin::test {

std::filesystem::path asset(const std::string& relative);
/// A fresh, empty folder under the system temp dir, unique per test.
std::filesystem::path freshTempDir();

/// The Amsterdam extract imported once per test binary (it takes about a second).
const geodata::CityModel& amsterdam();
/// The Amsterdam extract saved once as a GeoPackage in a temp folder.
const std::filesystem::path& amsterdamGpkg();

struct CommandResult {
  int exit_code = -1;  ///< -1 when the process did not exit normally (a crash)
  std::string out;     ///< stdout and stderr together
};
/// Runs a shell command, capturing its output.
CommandResult runCommand(const std::string& command);
/// Runs the citytwin CLI with the given argument string.
CommandResult runCli(const std::string& args);
std::string quote(const std::filesystem::path& p);

/// Writes a one-band Float32 GeoTIFF in RD New (EPSG:28992), north-up, `cell` metres square,
/// north-west corner at (west, north); `z` is row-major, width * height values.
void writeRdGeoTiff(const std::filesystem::path& path, int width, int height, double west,
                    double north, double cell, const std::vector<float>& z,
                    const float* nodata = nullptr);

}  // namespace citytwin::test
