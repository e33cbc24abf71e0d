#include "citytwin/engine/traffic/sumo_config.hpp"

#include <cmath>
#include <filesystem>
#include <set>

#include "citytwin/geodata/error.hpp"
#include "xml_scan.hpp"

namespace citytwin::engine::traffic {
namespace {

namespace fs = std::filesystem;
using geodata::InputError;

// SUMO separates file lists with commas (spaces are accepted too).
std::vector<std::string> fileList(const std::string& value) {
  std::vector<std::string> out;
  std::string item;
  for (char c : value + ",") {
    if (c == ',' || c == ' ') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

}  // namespace

SumoConfig readSumoConfig(const std::string& path) {
  SumoConfig c;
  c.path = path;
  const fs::path dir = fs::absolute(path).parent_path();
  auto resolve = [&](const XmlElement& e, const std::string& file) {
    const fs::path p = fs::path(file).is_absolute() ? fs::path(file) : dir / file;
    std::error_code ec;
    if (!fs::exists(p, ec))
      throw InputError(path, e.where(), "file \"" + file + "\" does not exist",
                       "paths in a .sumocfg are relative to its folder");
    return p.lexically_normal().string();
  };
  auto number = [&](const XmlElement& e) {
    const double v = numberAttribute(path, e, "value");
    if (!std::isfinite(v)) throw InputError(path, e.where(), "value is not a finite number");
    return v;
  };
  // Sections and options that carry nothing to act on.
  static const std::set<std::string, std::less<>> kStructure = {
      "configuration", "input",         "output",   "time",      "processing", "routing",
      "report",        "random_number", "gui_only", "emissions", "mesoscopic"};
  static const std::set<std::string, std::less<>> kQuiet = {
      "no-step-log",          "verbose",
      "no-warnings",          "duration-log.statistics",
      "duration-log.disable", "log",
      "message-log",          "error-log",
      "xml-validation",       "xml-validation.net",
      "gui-settings-file",    "start",
      "quit-on-end",          "delay",
      "window-size",          "window-pos"};
  XmlHandlers h;
  h.start = [&](const XmlElement& e) {
    const std::string_view n = e.name();
    if (kStructure.count(n)) return;
    const char* v = e.find("value");
    if (!v) {
      c.not_supported.push_back(std::string(n));
      return;
    }
    const std::string value = v;
    if (n == "net-file" || n == "n") {
      c.net_file = resolve(e, value);
    } else if (n == "route-files" || n == "r") {
      for (const auto& f : fileList(value)) c.route_files.push_back(resolve(e, f));
    } else if (n == "additional-files" || n == "a") {
      for (const auto& f : fileList(value)) c.additional_files.push_back(resolve(e, f));
    } else if (n == "begin" || n == "b") {
      c.begin_s = number(e);
    } else if (n == "end" || n == "e") {
      c.end_s = number(e);
    } else if (n == "step-length") {
      c.step_length_s = number(e);
      if (c.step_length_s <= 0.0 || c.step_length_s > 10.0)
        throw InputError(path, e.where(), "step-length must be in (0, 10] s");
    } else if (n == "seed") {
      const double s = number(e);
      if (s < 0.0) throw InputError(path, e.where(), "seed must not be negative");
      c.seed = static_cast<std::uint64_t>(s);
    } else if (n == "time-to-teleport") {
      c.time_to_teleport_s = number(e);
    } else if (n == "tripinfo-output") {
      c.tripinfo_output = value;
    } else if (n == "summary-output" || n == "summary") {
      c.summary_output = value;
    } else if (n == "fcd-output") {
      c.fcd_output = value;
    } else if (n == "edgedata-output") {
      c.edgedata_output = value;
    } else if (!kQuiet.count(n)) {
      c.not_supported.push_back(std::string(n) + "=\"" + value + "\"");
    }
  };
  scanXml(path, h);
  if (c.net_file.empty())
    throw InputError(path, "", "names no net-file",
                     "add <input><net-file value=\"NET.net.xml\"/></input>");
  if (c.end_s && *c.end_s <= c.begin_s) throw InputError(path, "", "end must be after begin");
  return c;
}

}  // namespace citytwin::engine::traffic
