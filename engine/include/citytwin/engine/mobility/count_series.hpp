#pragma once
// Counts per sensor, direction and interval: what counting cameras, wifi sensors and loop
// detectors deliver, and what virtual sensors in the simulation produce.
#include <cstddef>
#include <string>
#include <vector>

namespace citytwin::engine::mobility {

class PrivacyGate;

/// True for a time with a date: Unix seconds from 1973 on. Smaller times are seconds or times
/// of day, which carry no date (and so no age for retention, no weekday for forecasts).
inline bool isDated(double time_s) {
  return time_s >= 1.0e8;
}

struct CountSeries {
  std::string sensor;     ///< the sensor's id: a place, not a person
  std::string direction;  ///< as the source names it ("in", "out"); "both" when it has none
  double begin_s = 0.0;   ///< start of the first interval (see readCountCsv for the clock)
  double interval_s = 0.0;
  std::vector<double> counts;  ///< per interval; NaN where there is no value (missing, withheld)

  double intervalBegin(std::size_t i) const {
    return begin_s + static_cast<double>(i) * interval_s;
  }
  /// The count of the interval holding `time_s`, NaN outside the series.
  double countAt(double time_s) const;
  double total() const;  ///< sum of the known counts
};

/// The series of `sensor` and `direction` in `list`; null when there is none.
const CountSeries* findSeries(const std::vector<CountSeries>& list, const std::string& sensor,
                              const std::string& direction);

/// Which column of a count CSV holds what. Column names are matched exactly (case-sensitive).
struct CountCsvColumns {
  std::string time = "time";            ///< start of the interval
  std::string sensor = "sensor";        ///< empty: the file is one sensor, named after the file
  std::string direction = "direction";  ///< empty: one direction, "both"
  std::string count = "count";
  /// Interval length in seconds; 0 takes the smallest step between a sensor's times.
  double interval_s = 0.0;
};

/// Reads a count table with a header row, separated by commas or semicolons (taken from the
/// header). Times are seconds (a number), a time of day (HH:MM or HH:MM:SS, as seconds after
/// midnight) or ISO 8601 date-times (2024-06-01T14:00:00, optionally with Z or +02:00; as Unix
/// seconds, UTC). Intervals without a row are NaN. Throws std::runtime_error naming the file,
/// line and column on a missing column, a bad number or time, a negative count, a time off
/// the interval grid, or the same sensor, direction and time twice.
std::vector<CountSeries> readCountCsv(const std::string& path, const CountCsvColumns& columns = {});

/// Writes `time,sensor,direction,count` rows (times in seconds). A count the gate does not
/// allow to be published (from 1 to k - 1) is written as an empty cell, as is a missing one.
/// Writes to a temporary file and renames it, so that a failure leaves any earlier file whole.
void writeCountCsv(const std::string& path, const std::vector<CountSeries>& series,
                   const PrivacyGate& gate);

/// Seconds for a time cell (see readCountCsv); throws std::invalid_argument on anything else.
double parseTimeCell(const std::string& text);

}  // namespace citytwin::engine::mobility
