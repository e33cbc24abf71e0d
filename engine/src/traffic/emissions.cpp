#include "citytwin/engine/traffic/emissions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "citytwin/geodata/error.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

namespace {

constexpr double kGravity = 9.81;
constexpr double kAirDensity = 1.182;  // kg/m3, as PHEMlight
// Power reaching the wheels is 95 % of the engine's (PHEMlight's transmission efficiency).
constexpr double kToEngineKw = 1.0 / 950.0;

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r,");
  const auto b = s.find_last_not_of(" \t\r,");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

double number(const std::string& text, const std::string& file, long line) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    throw InputError(file, "line " + std::to_string(line), "'" + text + "' is not a number",
                     "the PHEMlight file is damaged; take a fresh copy");
  return v;
}

/// The values of a .PHEMLight.veh file, each under the comment line naming it.
std::map<std::string, std::string> readVehicle(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot be opened", "check the emission data folder");
  std::map<std::string, std::string> values;
  std::string line, label;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == 'c') {
      label = trim(line.substr(1));
      continue;
    }
    if (!label.empty() && !values.count(label)) values[label] = trim(line);
  }
  return values;
}

}  // namespace

double EmissionModel::Curve::at(double p) const {
  if (power.empty()) return 0.0;
  if (p <= power.front()) return value.front();
  if (p >= power.back()) return value.back();
  const auto it = std::upper_bound(power.begin(), power.end(), p);
  const std::size_t k = static_cast<std::size_t>(it - power.begin());
  const double f = (p - power[k - 1]) / (power[k] - power[k - 1]);
  return value[k - 1] + f * (value[k] - value[k - 1]);
}

EmissionModel EmissionModel::readPhemlight(const std::string& dir, const std::string& name) {
  EmissionModel m;
  m.name_ = name;
  const std::string veh = dir + "/" + name + ".PHEMLight.veh";
  const auto v = readVehicle(veh);
  auto get = [&](const std::string& prefix) {
    for (const auto& [label, value] : v)
      if (label.rfind(prefix, 0) == 0) return number(value, veh, 0);
    throw InputError(veh, "", "has no value for '" + prefix + "'",
                     "the PHEMlight vehicle file is incomplete");
  };
  m.mass_ = get("Vehicle mass");
  m.loading_ = get("Vehicle loading");
  m.cd_ = get("Cd value");
  m.area_ = get("Cross sectional area");
  m.mass_rot_ = get("Wheels equivalent rotational inertia");
  m.rated_power_ = get("Engine rated power");
  m.f0_ = get("Fr0");
  m.f1_ = get("Fr1");
  m.f4_ = get("Fr4");
  for (const auto& [label, value] : v)
    if (label == "FueltypeforPHEMlight" && value == "D") m.co2_per_fuel_ = 3.16;

  // Curves: columns over normalised power, the first data row "idle". Pollutants are
  // normalised by the power in the third line's "Pdrive (Engine)= ...", fuel by rated power.
  auto readCurves = [&](const std::string& file, double scale_from_header,
                        const std::vector<std::string>& wanted, std::vector<Curve*> out) {
    std::ifstream in(file);
    if (!in) throw InputError(file, "", "cannot be opened", "check the emission data folder");
    std::string line;
    std::vector<std::string> header;
    std::getline(in, line);
    {
      std::stringstream ss(line);
      for (std::string c; std::getline(ss, c, ',');) header.push_back(trim(c));
    }
    std::getline(in, line);  // units
    std::getline(in, line);  // normalising power
    double norm = scale_from_header;
    if (scale_from_header <= 0.0) {
      const auto eq = line.find('=');
      const auto comma = line.find(',', eq);
      if (eq == std::string::npos)
        throw InputError(file, "line 3", "has no 'Pdrive (Engine)= ...'",
                         "the PHEMlight curve file is damaged");
      norm = number(trim(line.substr(eq + 1, comma - eq - 1)), file, 3);
    }
    std::vector<std::size_t> columns;
    for (const auto& w : wanted) {
      const auto it = std::find(header.begin(), header.end(), w);
      if (it == header.end())
        throw InputError(file, "line 1", "has no column " + w, "the PHEMlight file is damaged");
      columns.push_back(static_cast<std::size_t>(it - header.begin()));
    }
    long n = 3;
    while (std::getline(in, line)) {
      ++n;
      if (trim(line).empty()) continue;
      std::vector<std::string> cells;
      std::stringstream ss(line);
      for (std::string c; std::getline(ss, c, ',');) cells.push_back(trim(c));
      if (cells.size() < header.size())
        throw InputError(file, "line " + std::to_string(n), "has too few columns");
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const double value = number(cells[columns[c]], file, n);
        if (cells[0] == "idle") {
          out[c]->idle = value;
        } else {
          out[c]->power.push_back(number(cells[0], file, n) * norm);
          out[c]->value.push_back(value);
        }
      }
    }
  };
  readCurves(dir + "/" + name + ".csv", 0.0, {"NOx", "PM"}, {&m.nox_, &m.pm_});
  readCurves(dir + "/" + name + "_FC.csv", m.rated_power_, {"FC"}, {&m.fuel_});
  // FC is given per kW of rated power.
  for (auto& f : m.fuel_.value) f *= m.rated_power_;
  m.fuel_.idle *= m.rated_power_;
  return m;
}

double EmissionModel::power(double v, double a) const {
  const double m = mass_ + loading_;
  const double v2 = v * v;
  double p = m * kGravity * (f0_ + f1_ * v + f4_ * v2 * v2) * v;
  p += 0.5 * kAirDensity * cd_ * area_ * v * v * v;
  p += (m + mass_rot_) * a * v;
  return p * kToEngineKw;
}

EmissionRates EmissionModel::rates(double speed, double accel) const {
  EmissionRates r;
  const bool idle = speed < 0.5;
  const double p = power(speed, accel);
  const double fuel_g_h = idle ? fuel_.idle : fuel_.at(p);
  r.fuel = std::max(0.0, fuel_g_h) / 3600.0;
  r.co2 = r.fuel * co2_per_fuel_;
  r.nox = std::max(0.0, idle ? nox_.idle : nox_.at(p)) / 3600.0;
  r.pm10 = std::max(0.0, idle ? pm_.idle : pm_.at(p)) / 3600.0;
  return r;
}

std::string defaultDataDir() {
  if (const char* env = std::getenv("CITYTWIN_DATA")) return env;
  return CITYTWIN_DEFAULT_DATA_DIR;
}

}  // namespace citytwin::engine::traffic
