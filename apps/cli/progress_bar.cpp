#include "progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace citytwin::cli {

ProgressBar::ProgressBar(bool enabled)
    : enabled_(enabled),
      tty_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(const std::string& stage, double fraction) {
  if (!enabled_) return;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (!tty_) {
    // Logs: a line when the stage changes, at most every 5 % or 10 s (and at the end).
    const bool due =
        fraction >= last_fraction_ + 0.05 || elapsed >= last_print_s_ + 10.0 || fraction >= 1.0;
    if (stage != last_stage_ && due) {
      std::fprintf(stderr, "[%6.1fs] %3.0f%% %s\n", elapsed, fraction * 100, stage.c_str());
      last_stage_ = stage;
      last_fraction_ = fraction;
      last_print_s_ = elapsed;
    }
    return;
  }
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '-');
  char eta[32] = "--";
  if (fraction > 0.02) std::snprintf(eta, sizeof eta, "%.0fs", elapsed * (1 - fraction) / fraction);
  std::fprintf(stderr, "\r[%s] %3.0f%% %-28.28s elapsed %.1fs, ETA %s   ", bar.c_str(),
               fraction * 100, stage.c_str(), elapsed, eta);
  std::fflush(stderr);
  last_stage_ = stage;
}

void ProgressBar::finish() {
  if (enabled_ && tty_) std::fprintf(stderr, "\n");
}

}  // namespace citytwin::cli
