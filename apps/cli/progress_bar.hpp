#pragma once
// A terminal progress bar with elapsed time and ETA on stderr. On a non-terminal (CI logs)
// it prints one line per stage instead of redrawing.
#include <chrono>
#include <string>

namespace citytwin::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  void update(const std::string& stage, double fraction);
  void finish();

 private:
  bool enabled_;
  bool tty_;
  std::string last_stage_;
  double last_fraction_ = -1.0, last_print_s_ = -1e9;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace citytwin::cli
