#pragma once
#include <string>
#include <vector>

namespace citytwin::cli {

struct ExpireOptions {
  std::vector<std::string> folders;  ///< results of `citytwin replay`
  std::string now;                   ///< ISO 8601 or Unix seconds; empty: the clock now
  bool dry_run = false;
  bool quiet = false;
};

/// `citytwin expire DIR...`: applies the retention limits a replay recorded in its summary.json
/// to the files it wrote: rows of tracks.csv, observed_counts.csv and sensor_counts.csv older
/// than their source's retention are deleted (each file rewritten whole, never half), and what
/// was deleted is appended to retention.log. Rows without a date are kept (their age is
/// unknown). Run it from a daily job so that results never outlive what the register allows.
int runExpire(const ExpireOptions& options);

}  // namespace citytwin::cli
