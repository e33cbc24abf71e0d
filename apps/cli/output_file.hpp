#pragma once
// A result file written to NAME.partial and renamed on commit(), so a folder never holds half
// a result and an interrupted run leaves the earlier files as they were.
#include <filesystem>
#include <fstream>

namespace citytwin::cli {

/// Creates the results folder; refuses one that holds a finished run (summary.json) unless
/// `force`, so earlier results are never replaced by accident.
void prepareOutputFolder(const std::filesystem::path& out, bool force);

class OutputFile {
 public:
  explicit OutputFile(std::filesystem::path path);
  std::ofstream& stream() { return out_; }
  void commit();

 private:
  std::filesystem::path path_, tmp_;
  std::ofstream out_;
};

}  // namespace citytwin::cli
