#include "citytwin/engine/mobility/count_series.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>

#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "csv_rows.hpp"

namespace citytwin::engine::mobility {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool readInt(std::string_view text, std::size_t pos, std::size_t digits, int& out) {
  if (pos + digits > text.size()) return false;
  const char* first = text.data() + pos;
  const auto [end, ec] = std::from_chars(first, first + digits, out);
  return ec == std::errc() && end == first + digits;
}

// HH:MM[:SS[.fff]] at `pos`; seconds after midnight, and where it ended.
bool readClock(std::string_view text, std::size_t pos, double& seconds, std::size_t& end) {
  int h = 0, m = 0;
  if (!readInt(text, pos, 2, h) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
      !readInt(text, pos + 3, 2, m) || h > 24 || m > 59) {
    return false;
  }
  double s = 0.0;
  end = pos + 5;
  if (end < text.size() && text[end] == ':') {
    std::size_t stop = end + 1;
    while (stop < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[stop])) || text[stop] == '.')) {
      ++stop;
    }
    const auto [p, ec] = std::from_chars(text.data() + end + 1, text.data() + stop, s);
    if (ec != std::errc() || p != text.data() + stop || s >= 61.0) return false;
    end = stop;
  }
  seconds = h * 3600.0 + m * 60.0 + s;
  return true;
}

}  // namespace

double parseTimeCell(const std::string& text) {
  const auto fail = [&] {
    return std::invalid_argument(
        "'" + text +
        "' is not a time: use seconds, HH:MM[:SS] or an ISO 8601 date-time such as "
        "2024-06-01T14:00:00+02:00");
  };
  double number = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return number;

  std::size_t stop = 0;
  double clock = 0.0;
  if (text.size() >= 5 && text[2] == ':') {
    if (readClock(text, 0, clock, stop) && stop == text.size()) return clock;
    throw fail();
  }
  int year = 0, month = 0, day = 0;
  if (text.size() < 16 || !readInt(text, 0, 4, year) || text[4] != '-' ||
      !readInt(text, 5, 2, month) || text[7] != '-' || !readInt(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != ' ') || !readClock(text, 11, clock, stop)) {
    throw fail();
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) throw fail();
  double offset = 0.0;  // seconds east of UTC
  if (stop < text.size()) {
    const std::string_view zone = std::string_view(text).substr(stop);
    int zh = 0, zm = 0;
    if (zone == "Z") {
      offset = 0.0;
    } else if ((zone[0] == '+' || zone[0] == '-') && readInt(zone, 1, 2, zh) &&
               ((zone.size() == 6 && zone[3] == ':' && readInt(zone, 4, 2, zm)) ||
                (zone.size() == 5 && readInt(zone, 3, 2, zm)) || zone.size() == 3)) {
      offset = (zone[0] == '+' ? 1.0 : -1.0) * (zh * 3600.0 + zm * 60.0);
    } else {
      throw fail();
    }
  }
  const auto days = std::chrono::sys_days{date}.time_since_epoch().count();
  return static_cast<double>(days) * 86400.0 + clock - offset;
}

double CountSeries::countAt(double time_s) const {
  if (interval_s <= 0.0 || time_s < begin_s) return kNaN;
  const auto i = static_cast<std::size_t>(std::floor((time_s - begin_s) / interval_s));
  return i < counts.size() ? counts[i] : kNaN;
}

const CountSeries* findSeries(const std::vector<CountSeries>& list, const std::string& sensor,
                              const std::string& direction) {
  for (const auto& s : list) {
    if (s.sensor == sensor && s.direction == direction) return &s;
  }
  return nullptr;
}

double CountSeries::total() const {
  double sum = 0.0;
  for (double c : counts) {
    if (!std::isnan(c)) sum += c;
  }
  return sum;
}

std::vector<CountSeries> readCountCsv(const std::string& path, const CountCsvColumns& columns) {
  CsvRows rows(path);
  const std::size_t time_col = rows.column(columns.time, "interval start time");
  const std::size_t count_col = rows.column(columns.count, "count");
  const bool has_sensor = !columns.sensor.empty();
  const bool has_direction = !columns.direction.empty();
  const std::size_t sensor_col = has_sensor ? rows.column(columns.sensor, "sensor id") : 0;
  const std::size_t direction_col = has_direction ? rows.column(columns.direction, "direction") : 0;
  const std::string file_sensor = std::filesystem::path(path).stem().string();

  struct Row {
    double time;
    double count;
    std::size_t line;
  };
  std::vector<std::pair<std::string, std::string>> order;  // first appearance in the file
  std::map<std::pair<std::string, std::string>, std::vector<Row>> by_key;
  std::vector<std::string> cells;
  while (rows.next(cells)) {
    double time = 0.0;
    try {
      time = parseTimeCell(cells[time_col]);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(rows.where() + "column '" + columns.time + "': " + e.what());
    }
    double count = kNaN;
    if (!cells[count_col].empty()) {
      count = parseNumberCell(rows, cells[count_col], columns.count);
      if (count < 0.0 || !std::isfinite(count)) {
        throw std::runtime_error(rows.where() + "column '" + columns.count + "': count " +
                                 cells[count_col] + " is negative or not finite");
      }
    }
    std::pair<std::string, std::string> key{has_sensor ? cells[sensor_col] : file_sensor,
                                            has_direction ? cells[direction_col] : "both"};
    if (key.first.empty()) {
      throw std::runtime_error(rows.where() + "column '" + columns.sensor + "' is empty");
    }
    if (key.second.empty()) key.second = "both";
    auto [it, inserted] = by_key.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back({time, count, rows.line()});
  }

  std::vector<CountSeries> result;
  for (const auto& key : order) {
    auto& list = by_key[key];
    std::stable_sort(list.begin(), list.end(),
                     [](const Row& a, const Row& b) { return a.time < b.time; });
    for (std::size_t i = 1; i < list.size(); ++i) {
      if (list[i].time == list[i - 1].time) {
        throw std::runtime_error(path + ":" + std::to_string(list[i].line) +
                                 ": a second count for sensor '" + key.first + "' direction '" +
                                 key.second + "' at the same time (the first is on line " +
                                 std::to_string(list[i - 1].line) + "); remove one of them");
      }
    }
    double interval = columns.interval_s;
    if (interval <= 0.0) {
      interval = std::numeric_limits<double>::infinity();
      for (std::size_t i = 1; i < list.size(); ++i) {
        const double step = list[i].time - list[i - 1].time;
        if (step > 0.0) interval = std::min(interval, step);
      }
      if (!std::isfinite(interval)) {
        throw std::runtime_error(path + ": sensor '" + key.first + "' direction '" + key.second +
                                 "' has a single time, so its interval length is unknown; "
                                 "give interval (seconds) in the column mapping");
      }
    }
    CountSeries s{key.first, key.second, list.front().time, interval, {}};
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Row& row = list[i];
      const double slot = (row.time - s.begin_s) / interval;
      const double whole = std::round(slot);
      if (std::abs(slot - whole) > 1e-6) {
        throw std::runtime_error(path + ":" + std::to_string(row.line) + ": time " +
                                 std::to_string(row.time) + " of sensor '" + key.first +
                                 "' is not on its " + std::to_string(interval) +
                                 " s interval grid; check the interval or the time column");
      }
      const auto index = static_cast<std::size_t>(whole);
      if (s.counts.size() <= index) s.counts.resize(index + 1, kNaN);
      s.counts[index] = row.count;
    }
    result.push_back(std::move(s));
  }
  if (result.empty()) {
    throw std::runtime_error(path + ": the file has a header but no rows of counts");
  }
  return result;
}

void writeCountCsv(const std::string& path, const std::vector<CountSeries>& series,
                   const PrivacyGate& gate) {
  const std::string temporary = path + ".part";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path + ": cannot write here; check the folder exists");
    out << "time,sensor,direction,count\n";
    char number[64];
    for (const CountSeries& s : series) {
      for (std::size_t i = 0; i < s.counts.size(); ++i) {
        std::snprintf(number, sizeof number, "%.17g", s.intervalBegin(i));
        out << number << ',' << s.sensor << ',' << s.direction << ',';
        const double c = s.counts[i];
        if (!std::isnan(c) && gate.publishable(c)) {
          std::snprintf(number, sizeof number, "%.17g", c);
          out << number;
        }
        out << '\n';
      }
    }
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(temporary);
      throw std::runtime_error(path + ": writing failed (disk full?); nothing was replaced");
    }
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace citytwin::engine::mobility
