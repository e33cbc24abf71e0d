#include "csv_rows.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <zlib.h>

namespace citytwin::engine::mobility {

CsvRows::CsvRows(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
  if (file_ == nullptr) throw std::runtime_error(path + ": cannot open the file; check the path");
  try {
    readHeader();
  } catch (...) {
    gzclose(static_cast<gzFile>(file_));  // the destructor does not run for a throwing constructor
    file_ = nullptr;
    throw;
  }
}

void CsvRows::readHeader() {
  std::string text;
  while (readLine(text)) {
    ++line_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    // A UTF-8 byte order mark, as spreadsheet programs write.
    if (line_ == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (text.empty() || text[0] == '#') continue;
    const auto commas = std::count(text.begin(), text.end(), ',');
    const auto semicolons = std::count(text.begin(), text.end(), ';');
    delimiter_ = semicolons > commas ? ';' : ',';
    split(text, header_);
    return;
  }
  throw std::runtime_error(path_ + ": the file is empty; it needs a header row naming its columns");
}

bool CsvRows::hasColumn(const std::string& name) const {
  return std::find(header_.begin(), header_.end(), name) != header_.end();
}

std::size_t CsvRows::column(const std::string& name, const std::string& what) const {
  auto found = std::find(header_.begin(), header_.end(), name);
  if (found != header_.end()) return static_cast<std::size_t>(found - header_.begin());
  std::string there;
  for (const auto& h : header_) there += (there.empty() ? "" : ", ") + h;
  throw std::runtime_error(path_ + ": no column '" + name + "' for the " + what +
                           " (columns: " + there + "); name the right column in the mapping");
}

bool CsvRows::next(std::vector<std::string>& cells) {
  std::string text;
  while (readLine(text)) {
    ++line_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty() || text[0] == '#') continue;
    split(text, cells);
    if (cells.size() < header_.size()) {
      throw std::runtime_error(where() + "the row has " + std::to_string(cells.size()) +
                               " cells, the header " + std::to_string(header_.size()) +
                               "; check the separator and quotes on this line");
    }
    return true;
  }
  return false;
}

CsvRows::~CsvRows() {
  if (file_ != nullptr) gzclose(static_cast<gzFile>(file_));
}

bool CsvRows::readLine(std::string& text) {
  text.clear();
  char buffer[4096];
  const auto file = static_cast<gzFile>(file_);
  while (gzgets(file, buffer, sizeof buffer) != nullptr) {
    text += buffer;
    if (!text.empty() && text.back() == '\n') {
      text.pop_back();
      return true;
    }
  }
  int error = Z_OK;
  gzerror(file, &error);
  if (error != Z_OK && error != Z_STREAM_END) {
    throw std::runtime_error(path_ + ": cannot read after line " + std::to_string(line_) +
                             " (a cut or damaged file?)");
  }
  return !text.empty();  // a last line without a line break
}

std::string CsvRows::where() const {
  return path_ + ":" + std::to_string(line_) + ": ";
}

void CsvRows::split(const std::string& text, std::vector<std::string>& cells) const {
  cells.clear();
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter_) {
      cells.push_back(std::move(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(std::move(cell));
  for (auto& s : cells) {
    const auto first = s.find_first_not_of(" \t");
    const auto last = s.find_last_not_of(" \t");
    s = first == std::string::npos ? std::string{} : s.substr(first, last - first + 1);
  }
}

double parseNumberCell(const CsvRows& rows, const std::string& text, const std::string& column) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw std::runtime_error(rows.where() + "column '" + column + "': '" + text +
                             "' is not a number (use a point as the decimal separator)");
  }
  return value;
}

}  // namespace citytwin::engine::mobility
