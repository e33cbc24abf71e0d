#pragma once
// Reading back the CSV files a run writes (timeseries.csv, edge_aggregates.csv): a header and
// comma-separated rows, no quoting (those files have none).
#include <filesystem>
#include <string>
#include <vector>

namespace citytwin::cli {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< only rows with as many cells as the header
  /// Index of a column, or -1.
  int column(const std::string& name) const;
  double number(std::size_t row, int column) const;
};

/// An empty table when the file cannot be read.
CsvTable readCsv(const std::filesystem::path& file);

}  // namespace citytwin::cli
