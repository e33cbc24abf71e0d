#include "citytwin/geodata/error.hpp"

namespace citytwin::geodata {
namespace {
std::string compose(const std::string& file, const std::string& where, const std::string& what,
                    const std::string& hint) {
  std::string s = file;
  if (!where.empty()) s += ": " + where;
  s += ": " + what;
  if (!hint.empty()) s += "\n  hint: " + hint;
  return s;
}
}  // namespace

InputError::InputError(std::string file, std::string where, std::string what, std::string hint)
    : std::runtime_error(compose(file, where, what, hint)),
      file_(std::move(file)),
      where_(std::move(where)),
      problem_(std::move(what)),
      hint_(std::move(hint)) {}

}  // namespace citytwin::geodata
