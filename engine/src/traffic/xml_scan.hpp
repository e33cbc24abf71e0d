#pragma once
// A small streaming XML reader (expat) for SUMO files: calls back per element with its
// attributes and line, reads .gz transparently, and turns malformed XML into an InputError
// naming the file and line.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace citytwin::engine::traffic {

class XmlElement {
 public:
  XmlElement(const char* name, const char** attributes, long line)
      : name_(name), attributes_(attributes), line_(line) {}
  std::string_view name() const { return name_; }
  long line() const { return line_; }
  /// The attribute's value, or nullptr.
  const char* find(std::string_view key) const;
  std::string get(std::string_view key, std::string fallback = {}) const;
  /// Where in the file this element is, for messages: "line 12, <edge id="a">".
  std::string where() const;

 private:
  const char* name_;
  const char** attributes_;
  long line_;
};

struct XmlHandlers {
  std::function<void(const XmlElement&)> start;
  std::function<void(std::string_view name)> end;
};

/// Streams the file through the handlers. Throws geodata::InputError on missing files and
/// malformed XML; the handlers may throw InputError themselves.
void scanXml(const std::string& path, const XmlHandlers& handlers);

/// Parses a number attribute; throws InputError naming the file, element and key when it is
/// missing (and required) or not a number.
double numberAttribute(const std::string& file, const XmlElement& e, std::string_view key);
std::optional<double> optionalNumber(const std::string& file, const XmlElement& e,
                                     std::string_view key);
std::string requiredAttribute(const std::string& file, const XmlElement& e, std::string_view key);

}  // namespace citytwin::engine::traffic
