#include "xml_scan.hpp"

#include <expat.h>
#include <zlib.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

#include "citytwin/geodata/error.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

const char* XmlElement::find(std::string_view key) const {
  for (const char** a = attributes_; a && *a; a += 2)
    if (key == a[0]) return a[1];
  return nullptr;
}

std::string XmlElement::get(std::string_view key, std::string fallback) const {
  const char* v = find(key);
  return v ? std::string(v) : std::move(fallback);
}

std::string XmlElement::where() const {
  std::string w = "line " + std::to_string(line_) + ", <" + std::string(name_);
  if (const char* id = find("id")) w += std::string(" id=\"") + id + "\"";
  return w + ">";
}

namespace {

struct ScanState {
  const XmlHandlers* handlers;
  XML_Parser parser;
  std::exception_ptr error;
};

void onStart(void* user, const XML_Char* name, const XML_Char** attributes) {
  auto* s = static_cast<ScanState*>(user);
  if (s->error || !s->handlers->start) return;
  try {
    s->handlers->start(
        XmlElement(name, attributes, static_cast<long>(XML_GetCurrentLineNumber(s->parser))));
  } catch (...) {
    s->error = std::current_exception();
    XML_StopParser(s->parser, XML_FALSE);
  }
}

void onEnd(void* user, const XML_Char* name) {
  auto* s = static_cast<ScanState*>(user);
  if (s->error || !s->handlers->end) return;
  try {
    s->handlers->end(name);
  } catch (...) {
    s->error = std::current_exception();
    XML_StopParser(s->parser, XML_FALSE);
  }
}

}  // namespace

void scanXml(const std::string& path, const XmlHandlers& handlers) {
  if (!std::filesystem::is_regular_file(path))
    throw InputError(path, "", "does not exist or is not a file", "check the path");
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain files too
  if (!f) throw InputError(path, "", std::string("cannot be opened: ") + std::strerror(errno));
  std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(f, gzclose);
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                 XML_ParserFree);
  ScanState state{&handlers, parser.get(), nullptr};
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), onStart, onEnd);
  std::vector<char> buf(1 << 16);
  for (;;) {
    const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int code = 0;
      const char* msg = gzerror(f, &code);
      throw InputError(path, "", std::string("cannot be read: ") + msg,
                       "the file is damaged; take a fresh copy");
    }
    const bool last = n == 0;
    if (XML_Parse(parser.get(), buf.data(), n, last ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR) {
      if (state.error) std::rethrow_exception(state.error);
      throw InputError(
          path, "line " + std::to_string(XML_GetCurrentLineNumber(parser.get())),
          std::string("is not well-formed XML: ") + XML_ErrorString(XML_GetErrorCode(parser.get())),
          "the file may be truncated or edited by hand; re-export it");
    }
    if (state.error) std::rethrow_exception(state.error);
    if (last) break;
  }
}

std::optional<double> optionalNumber(const std::string& file, const XmlElement& e,
                                     std::string_view key) {
  const char* v = e.find(key);
  if (!v) return std::nullopt;
  double out = 0.0;
  const char* end = v + std::strlen(v);
  const auto [ptr, ec] = std::from_chars(v, end, out);
  if (ec != std::errc() || ptr != end || !std::isfinite(out))
    throw InputError(file, e.where(),
                     "attribute " + std::string(key) + "=\"" + v + "\" is not a number",
                     "write a plain decimal number");
  return out;
}

double numberAttribute(const std::string& file, const XmlElement& e, std::string_view key) {
  if (auto v = optionalNumber(file, e, key)) return *v;
  throw InputError(file, e.where(), "attribute " + std::string(key) + " is missing",
                   "add it; see SUMO's file format documentation");
}

std::string requiredAttribute(const std::string& file, const XmlElement& e, std::string_view key) {
  if (const char* v = e.find(key)) return v;
  throw InputError(file, e.where(), "attribute " + std::string(key) + " is missing",
                   "add it; see SUMO's file format documentation");
}

}  // namespace citytwin::engine::traffic
