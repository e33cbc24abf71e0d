#pragma once
// The frames recorded while a scenario runs, to scrub back through. Memory is bounded: when
// the budget is full, every other frame is dropped and frames are kept twice as far apart.
#include <cstddef>
#include <vector>

#include "citytwin/ui/frame.hpp"

namespace citytwin::ui {

class FrameHistory {
 public:
  explicit FrameHistory(std::size_t budget_bytes = std::size_t{768} << 20, double spacing_s = 1.0);

  /// Keeps the frame when it is at least the current spacing after the last one kept.
  void add(const FramePtr& frame);
  void clear();
  /// The recorded frame nearest to `elapsed_s` (null when none).
  FramePtr at(double elapsed_s) const;
  std::size_t size() const { return frames_.size(); }
  std::size_t bytes() const { return bytes_; }
  double spacing() const { return spacing_; }
  double first() const;
  double last() const;
  const std::vector<FramePtr>& frames() const { return frames_; }
  /// Key figures of every frame kept, in time order (for the charts).
  std::vector<Kpis> kpiSeries() const;

 private:
  void thin();

  std::vector<FramePtr> frames_;
  std::size_t budget_, bytes_ = 0;
  double spacing_;
};

}  // namespace citytwin::ui
