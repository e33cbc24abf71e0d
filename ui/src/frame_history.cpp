#include "citytwin/ui/frame_history.hpp"

#include <algorithm>
#include <cmath>

namespace citytwin::ui {

FrameHistory::FrameHistory(std::size_t budget_bytes, double spacing_s)
    : budget_(budget_bytes), spacing_(spacing_s) {}

void FrameHistory::add(const FramePtr& frame) {
  if (!frames_.empty() && frame->elapsed_s < frames_.back()->elapsed_s + spacing_ - 1e-9 &&
      !frame->finished)
    return;
  frames_.push_back(frame);
  bytes_ += frame->bytes();
  while (bytes_ > budget_ && frames_.size() > 2) thin();
}

void FrameHistory::thin() {
  // Keep the first and every frame on the doubled spacing, and always the latest one.
  spacing_ *= 2.0;
  std::vector<FramePtr> kept;
  kept.reserve(frames_.size() / 2 + 2);
  double next = frames_.front()->elapsed_s;
  for (std::size_t k = 0; k < frames_.size(); ++k) {
    const bool last = k + 1 == frames_.size();
    if (frames_[k]->elapsed_s + 1e-9 >= next || last) {
      kept.push_back(frames_[k]);
      next = frames_[k]->elapsed_s + spacing_;
    }
  }
  bytes_ = 0;
  for (const auto& f : kept) bytes_ += f->bytes();
  frames_ = std::move(kept);
}

void FrameHistory::clear() {
  frames_.clear();
  bytes_ = 0;
}

FramePtr FrameHistory::at(double t) const {
  if (frames_.empty()) return nullptr;
  auto it = std::lower_bound(frames_.begin(), frames_.end(), t,
                             [](const FramePtr& f, double v) { return f->elapsed_s < v; });
  if (it == frames_.end()) return frames_.back();
  if (it != frames_.begin() &&
      std::abs((*(it - 1))->elapsed_s - t) <= std::abs((*it)->elapsed_s - t))
    --it;
  return *it;
}

double FrameHistory::first() const {
  return frames_.empty() ? 0.0 : frames_.front()->elapsed_s;
}

double FrameHistory::last() const {
  return frames_.empty() ? 0.0 : frames_.back()->elapsed_s;
}

std::vector<Kpis> FrameHistory::kpiSeries() const {
  std::vector<Kpis> out;
  out.reserve(frames_.size());
  for (const auto& f : frames_) out.push_back(f->kpis);
  return out;
}

}  // namespace citytwin::ui
