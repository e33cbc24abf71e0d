#include "citytwin/engine/mobility/tracks.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "../traffic/xml_scan.hpp"
#include "citytwin/engine/mobility/count_series.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/engine/trajectories.hpp"
#include "csv_rows.hpp"

namespace citytwin::engine::mobility {
namespace {

// Pseudonyms to track numbers, in order of first appearance.
class TrackNumbers {
 public:
  explicit TrackNumbers(TrackTable& table) : table_(table) {}
  std::uint32_t of(Pseudonym p) {
    auto [it, inserted] = numbers_.try_emplace(p.value, table_.track_count);
    if (inserted) ++table_.track_count;
    return it->second;
  }

 private:
  TrackTable& table_;
  std::unordered_map<std::uint64_t, std::uint32_t> numbers_;
};

template <typename Keep>
std::size_t keepOnly(TrackTable& t, Keep keep) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!keep(i)) continue;
    t.time[out] = t.time[i];
    t.x[out] = t.x[i];
    t.y[out] = t.y[i];
    t.track[out] = t.track[i];
    ++out;
  }
  const std::size_t removed = t.size() - out;
  t.time.resize(out);
  t.x.resize(out);
  t.y.resize(out);
  t.track.resize(out);
  return removed;
}

}  // namespace

const char* trackModeName(TrackMode mode) {
  switch (mode) {
    case TrackMode::kPedestrian:
      return "pedestrian";
    case TrackMode::kCar:
      return "car";
    case TrackMode::kBus:
      return "bus";
    case TrackMode::kTruck:
      return "truck";
    case TrackMode::kBicycle:
      return "bicycle";
  }
  return "pedestrian";
}

void TrackTable::sortByTrackAndTime() {
  // The readers leave tables sorted and replay sorts again: skip the copy when nothing moves.
  bool in_order = true;
  for (std::size_t i = 1; i < size() && in_order; ++i) {
    in_order = track[i - 1] < track[i] || (track[i - 1] == track[i] && time[i - 1] <= time[i]);
  }
  if (in_order) return;
  std::vector<std::size_t> order(size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return track[a] != track[b] ? track[a] < track[b] : time[a] < time[b];
  });
  TrackTable sorted;
  sorted.track_count = track_count;
  sorted.time.reserve(size());
  sorted.x.reserve(size());
  sorted.y.reserve(size());
  sorted.track.reserve(size());
  for (std::size_t i : order) sorted.push(track[i], time[i], x[i], y[i]);
  *this = std::move(sorted);
}

TrackTable readTrackCsv(const std::string& path, const TrackCsvColumns& columns,
                        PrivacyGate& gate) {
  CsvRows rows(path);
  const std::size_t id_col = rows.column(columns.id, "track identifier");
  const std::size_t time_col = rows.column(columns.time, "time");
  const std::size_t x_col = rows.column(columns.x, "x coordinate");
  const std::size_t y_col = rows.column(columns.y, "y coordinate");
  TrackTable table;
  TrackNumbers numbers(table);
  std::vector<std::string> cells;
  while (rows.next(cells)) {
    double t = 0.0;
    if (columns.frames_per_second > 0.0) {
      t = parseNumberCell(rows, cells[time_col], columns.time) / columns.frames_per_second;
    } else {
      try {
        t = parseTimeCell(cells[time_col]);
      } catch (const std::invalid_argument& e) {
        throw std::runtime_error(rows.where() + "column '" + columns.time + "': " + e.what());
      }
    }
    t += columns.time_offset_s;
    const double px = parseNumberCell(rows, cells[x_col], columns.x) * columns.unit_to_m;
    const double py = parseNumberCell(rows, cells[y_col], columns.y) * columns.unit_to_m;
    if (cells[id_col].empty()) {
      throw std::runtime_error(rows.where() + "column '" + columns.id +
                               "' is empty; every sample needs its track's identifier");
    }
    // The identifier's only use: the cell is overwritten by the next row.
    const Pseudonym p = gate.pseudonymise(cells[id_col], t);
    table.push(numbers.of(p), t, static_cast<float>(px), static_cast<float>(py));
  }
  coarsen(table, gate);
  return table;
}

TrackTable readSumoFcd(const std::string& path, PrivacyGate& gate, double time_offset_s) {
  TrackTable table;
  TrackNumbers numbers(table);
  double now = 0.0;
  traffic::XmlHandlers handlers;
  handlers.start = [&](const traffic::XmlElement& e) {
    if (e.name() == "timestep") {
      now = traffic::numberAttribute(path, e, "time") + time_offset_s;
    } else if (e.name() == "vehicle" || e.name() == "person") {
      const char* id = e.find("id");
      if (id == nullptr) {
        throw std::runtime_error(path + ": " + e.where() + " has no id");
      }
      const double px = traffic::numberAttribute(path, e, "x");
      const double py = traffic::numberAttribute(path, e, "y");
      table.push(numbers.of(gate.pseudonymise(id, now)), now, static_cast<float>(px),
                 static_cast<float>(py));
    }
  };
  traffic::scanXml(path, handlers);
  coarsen(table, gate);
  return table;
}

TrackTable tracksFromTrajectories(const Trajectories& trajectories, PrivacyGate& gate,
                                  double time_offset_s) {
  if (!(trajectories.fps > 0.0)) {
    throw std::invalid_argument("trajectories without a frame rate cannot be replayed");
  }
  TrackTable table;
  TrackNumbers numbers(table);
  for (const TrajectoryPoint& p : trajectories.points) {
    const double t = p.frame / trajectories.fps + time_offset_s;
    table.push(numbers.of(gate.pseudonymise(std::to_string(p.id), t)), t, p.x, p.y);
  }
  coarsen(table, gate);
  return table;
}

std::size_t coarsen(TrackTable& table, const PrivacyGate& gate) {
  table.sortByTrackAndTime();
  const PrivacyPolicy& policy = gate.policy();
  if (policy.space_resolution_m > 0.0) {
    for (std::size_t i = 0; i < table.size(); ++i) {
      table.x[i] = gate.coarsenSpace(table.x[i]);
      table.y[i] = gate.coarsenSpace(table.y[i]);
    }
  }
  if (!(policy.time_resolution_s > 0.0)) return 0;
  for (std::size_t i = 0; i < table.size(); ++i) table.time[i] = gate.coarsenTime(table.time[i]);
  // After snapping, keep the first sample of each track in each time step.
  return keepFirstPerTime(table);
}

std::size_t keepFirstPerTime(TrackTable& table) {
  return keepOnly(table, [&](std::size_t i) {
    return i == 0 || table.track[i] != table.track[i - 1] || table.time[i] != table.time[i - 1];
  });
}

std::size_t deleteExpired(TrackTable& table, const PrivacyGate& gate, double now_s) {
  return keepOnly(table, [&](std::size_t i) { return !gate.expired(table.time[i], now_s); });
}

}  // namespace citytwin::engine::mobility
