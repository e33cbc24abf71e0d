#include "provenance.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>

#include "citytwin/geodata/file_hash.hpp"
#include "citytwin/version.hpp"

namespace citytwin::cli {

using nlohmann::json;

std::string licenceOf(const std::string& path) {
  const std::string p = std::filesystem::path(path).generic_string();
  struct Rule {
    const char* part;
    const char* licence;
  };
  static constexpr Rule kRules[] = {
      {"/osm/", "ODbL 1.0, (c) OpenStreetMap contributors"},
      {"/cityjson/", "CC BY 4.0 (3D BAG / municipal open data, see assets/data/README.md)"},
      {"/pedestrians/",
       "Juelich Pedestrian Dynamics Data Archive (cite, see assets/data/README.md)"},
      {"/emissions/PHEMlight", "EPL-2.0 or GPL-2.0-or-later (Eclipse SUMO)"},
      {"/gtfs/amsterdam-demo", "CC0, a demonstration timetable (not an operator's)"},
      {"/scenarios/", "part of CityTwin (the project's licence)"},
  };
  for (const auto& r : kRules)
    if (p.find(r.part) != std::string::npos) return r.licence;
  return "not recorded: add the data's licence to the scenario's data register";
}

json inputRecords(const std::vector<std::string>& files) {
  json out = json::array();
  for (const auto& f : files)
    out.push_back({{"path", std::filesystem::absolute(f).lexically_normal().string()},
                   {"sha256", geodata::sha256File(f)},
                   {"licence", licenceOf(f)}});
  return out;
}

json softwareAndMachine() {
  utsname u{};
  uname(&u);
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return {{"citytwin", {{"version", kVersion}, {"commit", kGitCommit}}},
          {"machine",
           {{"host", host},
            {"os", std::string(u.sysname) + " " + u.release},
            {"architecture", u.machine},
            {"hardware_threads", std::thread::hardware_concurrency()}}},
          {"written_at", when}};
}

}  // namespace citytwin::cli
