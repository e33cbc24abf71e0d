#pragma once
// Reading delimited text (comma or semicolon, as Dutch exports often use) row by row with line
// numbers for error messages. Quoted cells ("a;b", "say ""hi""") are understood.
#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

namespace citytwin::engine::mobility {

class CsvRows {
 public:
  /// Opens `path` and reads its header; throws std::runtime_error if it cannot.
  explicit CsvRows(const std::string& path);

  /// The index of a header column; throws naming the file, the column and the ones there are.
  std::size_t column(const std::string& name, const std::string& what) const;
  bool hasColumn(const std::string& name) const;

  /// The next non-empty row; false at the end. Throws naming the line when the row has fewer
  /// cells than the header.
  bool next(std::vector<std::string>& cells);
  std::size_t line() const { return line_; }
  const std::string& path() const { return path_; }
  /// "file:line: " for messages.
  std::string where() const;

 private:
  void split(const std::string& text, std::vector<std::string>& cells) const;

  std::string path_;
  std::ifstream in_;
  char delimiter_ = ',';
  std::vector<std::string> header_;
  std::size_t line_ = 0;
};

double parseNumberCell(const CsvRows& rows, const std::string& text, const std::string& column);

}  // namespace citytwin::engine::mobility
