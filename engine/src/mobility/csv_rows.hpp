#pragma once
// Reading delimited text (comma or semicolon, as Dutch exports often use) row by row with line
// numbers for error messages. Quoted cells ("a;b", "say ""hi""") are understood; gzip-compressed
// files (.gz) are read as they are.
#include <cstddef>
#include <string>
#include <vector>

namespace citytwin::engine::mobility {

class CsvRows {
 public:
  /// Opens `path` and reads its header; throws std::runtime_error if it cannot.
  explicit CsvRows(const std::string& path);
  ~CsvRows();
  CsvRows(const CsvRows&) = delete;
  CsvRows& operator=(const CsvRows&) = delete;

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
  void readHeader();
  /// The next line without its line break; false at the end. Throws on a read error.
  bool readLine(std::string& text);

  std::string path_;
  void* file_ = nullptr;  // zlib's gzFile: reads plain and gzip-compressed files alike
  char delimiter_ = ',';
  std::vector<std::string> header_;
  std::size_t line_ = 0;
};

double parseNumberCell(const CsvRows& rows, const std::string& text, const std::string& column);

}  // namespace citytwin::engine::mobility
