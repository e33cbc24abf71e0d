#pragma once
// The lanes (or junctions, or edges) that have work in a step, so that a step costs what the
// vehicles on the road cost, not what the network's size costs: a city of 40,000 lanes with
// 200 vehicles on it steps as fast as a village. Internal to the engine.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace citytwin::engine::traffic {

/// A sorted list of indices with membership flags: marking is O(1), refreshing (dropping the
/// members that no longer qualify, adding the marked ones, sorting) is O(k log k) in the
/// number of members. Iterating the sorted list visits members in the same order as a loop
/// over every index would, so results do not depend on it.
class ActiveSet {
 public:
  void resize(std::size_t n) { member_.assign(n, 0), items_.clear(), added_.clear(); }
  void mark(std::uint32_t i) {
    if (member_[i]) return;
    member_[i] = 1;
    added_.push_back(i);
  }
  /// Keeps the members for which `keep(i)` holds and adds the marked ones.
  template <typename Keep>
  void refresh(Keep&& keep) {
    std::size_t out = 0;
    for (std::uint32_t i : items_) {
      if (keep(i))
        items_[out++] = i;
      else
        member_[i] = 0;
    }
    items_.resize(out);
    if (added_.empty()) return;
    std::sort(added_.begin(), added_.end());
    const auto middle = static_cast<std::ptrdiff_t>(items_.size());
    items_.insert(items_.end(), added_.begin(), added_.end());
    std::inplace_merge(items_.begin(), items_.begin() + middle, items_.end());
    added_.clear();
  }
  const std::vector<std::uint32_t>& items() const { return items_; }

 private:
  std::vector<std::uint8_t> member_;
  std::vector<std::uint32_t> items_, added_;
};

}  // namespace citytwin::engine::traffic
