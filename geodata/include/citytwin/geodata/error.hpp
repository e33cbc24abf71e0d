#pragma once
#include <stdexcept>
#include <string>

namespace citytwin::geodata {

/// Bad input: names the file, where in it (line, feature id), what is wrong and what to do.
/// The CLI turns it into a message on stderr and exit code 2.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string where, std::string what, std::string hint = {});
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& hint() const { return hint_; }

 private:
  std::string file_, where_, problem_, hint_;
};

}  // namespace citytwin::geodata
