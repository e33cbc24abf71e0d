#include "expire_command.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/geodata/error.hpp"
#include "output_file.hpp"

namespace citytwin::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct FileRule {
  const char* file;
  const char* retention_key;  ///< in summary.json's "retention"
  std::size_t time_column;
};
constexpr FileRule kRules[] = {{"tracks.csv", "tracks_s", 1},
                               {"sensor_counts.csv", "sensor_counts_s", 0},
                               {"observed_counts.csv", "observed_counts_s", 0}};

std::string cell(const std::string& line, std::size_t column) {
  std::size_t begin = 0;
  for (std::size_t k = 0; k < column; ++k) {
    begin = line.find(',', begin);
    if (begin == std::string::npos) return {};
    ++begin;
  }
  return line.substr(begin, line.find(',', begin) - begin);
}

struct Outcome {
  std::size_t rows = 0, deleted = 0;
};

// Rewrites `path` without the rows older than `retention_s` at `now_s`.
Outcome expireFile(const fs::path& path, std::size_t time_column, double retention_s, double now_s,
                   bool dry_run) {
  std::ifstream in(path);
  if (!in) throw geodata::InputError(path.string(), "", "cannot be read");
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> kept;
  Outcome o;
  std::size_t line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    ++o.rows;
    double t = 0.0;
    try {
      t = std::stod(cell(line, time_column));
    } catch (const std::exception&) {
      throw geodata::InputError(path.string(), "line " + std::to_string(line_number),
                                "the time is not a number; nothing was deleted",
                                "was the file edited by hand?");
    }
    if (engine::mobility::isDated(t) && now_s - t > retention_s) {
      ++o.deleted;
      continue;
    }
    kept.push_back(std::move(line));
  }
  if (o.deleted == 0 || dry_run) return o;
  OutputFile file(path);
  file.stream() << header << "\n";
  for (const auto& k : kept) file.stream() << k << "\n";
  file.commit();
  return o;
}

std::string days(double seconds) {
  std::ostringstream s;
  s << seconds / 86400.0 << " d";
  return s.str();
}

}  // namespace

int runExpire(const ExpireOptions& o) {
  double now_s =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (!o.now.empty()) {
    try {
      now_s = engine::mobility::parseTimeCell(o.now);
    } catch (const std::exception& e) {
      throw geodata::InputError("", "--now " + o.now, e.what(), "e.g. 2026-12-02T06:00:00Z");
    }
  }
  for (const auto& folder : o.folders) {
    const fs::path dir(folder);
    const fs::path summary_path = dir / "summary.json";
    std::ifstream in(summary_path);
    if (!in) {
      throw geodata::InputError(summary_path.string(), "", "no summary.json here",
                                "give the folder of a `citytwin replay`");
    }
    json summary;
    try {
      summary = json::parse(in);
    } catch (const json::exception& e) {
      throw geodata::InputError(summary_path.string(), "", std::string("not JSON: ") + e.what());
    }
    if (!summary.contains("retention")) {
      throw geodata::InputError(summary_path.string(), "",
                                "records no retention limits (written by an older version)",
                                "run the replay again, then expire it");
    }
    const json& retention = summary["retention"];
    std::vector<std::string> log_lines;
    for (const FileRule& rule : kRules) {
      const fs::path path = dir / rule.file;
      if (!fs::exists(path) || !retention.contains(rule.retention_key) ||
          retention[rule.retention_key].is_null())
        continue;  // not written, or kept without a limit
      const double limit = retention[rule.retention_key].get<double>();
      const Outcome r = expireFile(path, rule.time_column, limit, now_s, o.dry_run);
      log_lines.push_back(std::string(rule.file) + ": " + std::to_string(r.deleted) + " of " +
                          std::to_string(r.rows) + " rows " + (o.dry_run ? "would be " : "") +
                          "deleted as older than " + days(limit));
    }
    const std::string when = "at " + std::to_string(static_cast<long long>(now_s)) + " (Unix s)";
    if (!o.dry_run) {
      std::ofstream log(dir / "retention.log", std::ios::app);
      for (const auto& l : log_lines) log << when << ": " << l << "\n";
      if (!log)
        throw geodata::InputError((dir / "retention.log").string(), "", "cannot be written");
    }
    if (!o.quiet) {
      for (const auto& l : log_lines) std::cerr << folder << ": " << l << "\n";
    }
  }
  return 0;
}

}  // namespace citytwin::cli
