#pragma once
// "Did you mean ...?": the valid name nearest to a misspelt one (Levenshtein distance), for
// error messages on scenario keys, stage and zone names. Internal to the engine.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace citytwin::engine {

inline std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> d(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t prev = d[0];
    d[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cur = d[j];
      d[j] = std::min({d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return d[b.size()];
}

/// The candidate nearest to `name` (the first of equals), or "" when there are none.
/// `name_of` maps a candidate to its name.
template <typename Range, typename NameOf>
std::string nearestName(std::string_view name, const Range& candidates, NameOf name_of) {
  std::string best;
  std::size_t best_d = static_cast<std::size_t>(-1);
  for (const auto& c : candidates) {
    const std::string_view n = name_of(c);
    if (const std::size_t d = editDistance(name, n); d < best_d) best_d = d, best = n;
  }
  return best;
}

}  // namespace citytwin::engine
