#include "citytwin/engine/crowd/distance_field_set.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace citytwin::engine::crowd {

DistanceFieldSet::DistanceFieldSet(const CrowdScenario& s, int threads)
    : grid_(s.walkable, s.nav_cell_m), walls_(s.walkable, s.barriers) {
  std::vector<std::pair<Vec2f, Vec2f>> segments;
  for (const auto& w : walls_.segments()) segments.emplace_back(w.a, w.b);
  grid_.blockLinksCrossedBy(segments);
  fields_.resize(s.stages.size());
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, s.stages.size(), [&](std::size_t k) {
      fields_[k] = DistanceField(grid_, s.stages[k].area, s.wall_clearance_m);
    });
  });
}

void DistanceFieldSet::reroute(const CrowdScenario& s, const std::vector<float>& congestion,
                               int threads) {
  std::vector<DistanceField> next(s.stages.size());
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, s.stages.size(), [&](std::size_t k) {
      next[k] = DistanceField(grid_, s.stages[k].area, s.wall_clearance_m, 2.0f, &congestion);
    });
  });
  dynamic_ = std::move(next);
}

std::size_t DistanceFieldSet::bytes() const {
  std::size_t b = grid_.wallDistance().size() * (sizeof(float) + 1);
  for (const auto& f : fields_) b += f.bytes();
  for (const auto& f : dynamic_) b += f.bytes();
  return b;
}

}  // namespace citytwin::engine::crowd
