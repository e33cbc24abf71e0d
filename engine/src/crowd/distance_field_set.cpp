#include "citytwin/engine/crowd/distance_field_set.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

namespace citytwin::engine::crowd {

DistanceFieldSet::DistanceFieldSet(const CrowdScenario& s, int threads)
    : walls_(s.walkable, s.barriers),
      grid_(s.walkable, s.nav_cell_m, &walls_, std::max(s.wall_clearance_m, 0.3f)) {
  // Where the people heading for each stage come from.
  must_reach_.resize(s.stages.size());
  for (const auto& src : s.sources)
    if (src.journey < s.journeys.size() && !s.journeys[src.journey].stages.empty()) {
      const auto first = s.journeys[src.journey].stages.front();
      if (first < s.stages.size()) must_reach_[first].push_back(src.area);
    }
  for (const auto& j : s.journeys)
    for (std::size_t k = 1; k < j.stages.size(); ++k)
      if (j.stages[k] < s.stages.size() && j.stages[k - 1] < s.stages.size())
        must_reach_[j.stages[k]].push_back(s.stages[j.stages[k - 1]].area);
  for (auto e : s.evacuation.exits) {
    if (e >= s.stages.size()) continue;
    for (const auto& src : s.sources) must_reach_[e].push_back(src.area);
    for (std::size_t k = 0; k < s.stages.size(); ++k)
      if (k != e) must_reach_[e].push_back(s.stages[k].area);
  }
  fields_ = build(s, nullptr, threads);
  grid_.releaseRowCache();
}

std::vector<DistanceField> DistanceFieldSet::build(
    const CrowdScenario& s, const std::shared_ptr<const CongestionMap>& congestion, int threads) {
  std::vector<DistanceField> out(s.stages.size());
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, s.stages.size(), [&](std::size_t k) {
      FieldOptions options;
      options.wall_clearance = s.wall_clearance_m;
      options.congestion = congestion;
      out[k] = DistanceField(grid_, s.stages[k].area, options, must_reach_[k]);
    });
  });
  return out;
}

void DistanceFieldSet::reroute(const CrowdScenario& s,
                               std::shared_ptr<const CongestionMap> congestion, int threads) {
  dynamic_ = build(s, congestion, threads);
  grid_.releaseRowCache();
}

std::size_t DistanceFieldSet::bytes() const {
  std::size_t b = grid_.bytes() + walls_.bytes();
  for (const auto& f : fields_) b += f.bytes();
  for (const auto& f : dynamic_) b += f.bytes();
  return b;
}

}  // namespace citytwin::engine::crowd
