#include "csv_table.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace citytwin::cli {

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::stringstream ss(line); std::getline(ss, cell, ',');) cells.push_back(cell);
  return cells;
}

}  // namespace

int CsvTable::column(const std::string& name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

double CsvTable::number(std::size_t row, int c) const {
  return std::strtod(rows[row][static_cast<std::size_t>(c)].c_str(), nullptr);
}

CsvTable readCsv(const std::filesystem::path& file) {
  CsvTable t;
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return t;
  t.header = split(line);
  while (std::getline(in, line)) {
    auto cells = split(line);
    if (cells.size() == t.header.size()) t.rows.push_back(std::move(cells));
  }
  return t;
}

}  // namespace citytwin::cli
