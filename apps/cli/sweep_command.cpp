#include "sweep_command.hpp"

#include <yaml-cpp/yaml.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "citytwin/geodata/error.hpp"
#include "kpis.hpp"
#include "output_file.hpp"
#include "progress_bar.hpp"
#include "run_command.hpp"

namespace citytwin::cli {

namespace fs = std::filesystem;
using geodata::InputError;

namespace {

struct Sweep {
  std::vector<std::string> scenarios;  ///< absolute paths
  std::vector<std::string> parameter_names;
  std::vector<std::vector<std::string>> parameter_values;  ///< as YAML text
  int replications = 1;
  int parallel = 1;
};

[[noreturn]] void fail(const std::string& file, const YAML::Node& n, const std::string& what,
                       const std::string& hint) {
  const auto m = n.Mark();
  throw InputError(file, m.line >= 0 ? "line " + std::to_string(m.line + 1) : "", what, hint);
}

Sweep readSweep(const std::string& file) {
  if (!fs::exists(file)) throw InputError(file, "", "file not found", "check the path");
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::ParserException& e) {
    throw InputError(file, "line " + std::to_string(e.mark.line + 1), "YAML syntax error: " + e.msg,
                     "fix the indentation or quoting there");
  }
  if (!root.IsMap()) fail(file, root, "a sweep file is a mapping", "see scenarios/README.md");
  for (const auto& kv : root) {
    const auto key = kv.first.as<std::string>();
    if (key != "scenarios" && key != "parameters" && key != "replications" && key != "parallel" &&
        key != "name" && key != "description")
      fail(file, kv.first, "unknown key '" + key + "' in the sweep",
           "use name, description, scenarios, parameters, replications, parallel");
  }
  Sweep s;
  const auto dir = fs::absolute(file).parent_path();
  if (!root["scenarios"] || !root["scenarios"].IsSequence() || root["scenarios"].size() == 0)
    fail(file, root, "the sweep needs 'scenarios': a list of scenario files (a base, variants)",
         "e.g. scenarios: [base.yaml, closed-street.yaml]");
  for (const auto& n : root["scenarios"]) {
    const auto p = (dir / n.as<std::string>()).lexically_normal();
    if (!fs::exists(p))
      fail(file, n, "scenario '" + n.as<std::string>() + "' not found",
           "give its path relative to the sweep file");
    s.scenarios.push_back(p.string());
  }
  if (const auto params = root["parameters"]) {
    if (!params.IsMap())
      fail(file, params, "parameters is a mapping: key path -> list of values",
           "e.g. traffic.truck_share: [0, 0.08, 0.16]");
    for (const auto& kv : params) {
      s.parameter_names.push_back(kv.first.as<std::string>());
      std::vector<std::string> values;
      if (!kv.second.IsSequence() || kv.second.size() == 0)
        fail(file, kv.second, "parameter '" + s.parameter_names.back() + "' needs a list of values",
             "e.g. [20, 30, 40]");
      for (const auto& v : kv.second) {
        YAML::Emitter e;
        e << YAML::Flow << v;
        values.emplace_back(e.c_str());
      }
      s.parameter_values.push_back(std::move(values));
    }
  }
  try {
    s.replications = root["replications"] ? root["replications"].as<int>() : 1;
    s.parallel = root["parallel"] ? root["parallel"].as<int>() : 1;
  } catch (const YAML::Exception&) {
    fail(file, root, "replications and parallel are whole numbers", "e.g. replications: 3");
  }
  if (s.replications < 1 || s.parallel < 1)
    fail(file, root, "replications and parallel must be 1 or more", "e.g. replications: 3");
  return s;
}

struct Point {
  std::size_t scenario = 0;
  std::vector<std::size_t> level;  ///< per parameter
};

std::vector<Point> design(const Sweep& s) {
  std::vector<Point> out;
  std::vector<std::size_t> level(s.parameter_names.size(), 0);
  for (std::size_t sc = 0; sc < s.scenarios.size(); ++sc) {
    std::fill(level.begin(), level.end(), 0);
    for (;;) {
      out.push_back({sc, level});
      std::size_t k = 0;
      for (; k < level.size(); ++k) {
        if (++level[k] < s.parameter_values[k].size()) break;
        level[k] = 0;
      }
      if (k == level.size()) break;
    }
  }
  return out;
}

std::string pointName(std::size_t k) {
  std::string n = std::to_string(k + 1);
  return "point-" + std::string(n.size() < 4 ? 4 - n.size() : 0, '0') + n;
}

std::string csvCell(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string o = "\"";
  for (char c : v) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

}  // namespace

int runSweep(const SweepOptions& o) {
  const Sweep sweep = readSweep(o.sweep_file);
  const auto points = design(sweep);
  const fs::path out = o.out_dir;
  fs::create_directories(out / "runs");
  {
    OutputFile f(out / "design.csv");
    f.stream() << "point,scenario";
    for (const auto& n : sweep.parameter_names) f.stream() << "," << csvCell(n);
    f.stream() << "\n";
    for (std::size_t k = 0; k < points.size(); ++k) {
      f.stream() << pointName(k) << ","
                 << csvCell(fs::path(sweep.scenarios[points[k].scenario]).filename().string());
      for (std::size_t p = 0; p < sweep.parameter_names.size(); ++p)
        f.stream() << "," << csvCell(sweep.parameter_values[p][points[k].level[p]]);
      f.stream() << "\n";
    }
    f.commit();
  }
  if (o.list) {
    std::cout << points.size() << " design points x " << sweep.replications
              << " replications: " << (out / "design.csv").string() << "\n";
    return 0;
  }
  if (o.only < 0 || o.only > static_cast<int>(points.size()))
    throw InputError(o.sweep_file, "",
                     "--only " + std::to_string(o.only) + " is not a design point",
                     "points are 1 - " + std::to_string(points.size()) + " (see --list)");
  // Check every scenario with every override before running anything.
  auto overridesOf = [&](const Point& pt) {
    std::vector<engine::ScenarioOverride> ov;
    for (std::size_t p = 0; p < sweep.parameter_names.size(); ++p)
      ov.push_back({sweep.parameter_names[p], sweep.parameter_values[p][pt.level[p]]});
    return ov;
  };
  for (const auto& pt : points)
    engine::loadScenarioFile(sweep.scenarios[pt.scenario], nullptr, overridesOf(pt));

  std::vector<std::size_t> todo;
  for (std::size_t k = 0; k < points.size(); ++k)
    if (o.only == 0 || static_cast<int>(k) + 1 == o.only) todo.push_back(k);
  const int parallel = std::max(1, std::min<int>(o.parallel > 0 ? o.parallel : sweep.parallel,
                                                 static_cast<int>(todo.size())));
  const int cores = o.threads > 0
                        ? o.threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::atomic<std::size_t> next{0}, done{0};
  std::vector<std::string> errors(points.size());
  auto worker = [&] {
    for (std::size_t i; (i = next++) < todo.size();) {
      const std::size_t k = todo[i];
      RunOptions r;
      r.scenario = sweep.scenarios[points[k].scenario];
      r.out_dir = (out / "runs" / pointName(k)).string();
      r.threads = std::max(1, cores / parallel);
      r.force = o.force;
      r.quiet = true;
      r.overrides = overridesOf(points[k]);
      try {
        runReplications(r, sweep.replications, true);
      } catch (const std::exception& e) {
        errors[k] = e.what();  // one failed point does not stop the others
      }
      ++done;
    }
  };
  ProgressBar bar(!o.quiet);
  std::vector<std::thread> workers;
  for (int t = 0; t < parallel; ++t) workers.emplace_back(worker);
  while (done < todo.size()) {
    bar.update(std::to_string(done.load()) + " of " + std::to_string(todo.size()) + " points",
               static_cast<double>(done) / static_cast<double>(todo.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  for (auto& w : workers) w.join();
  bar.update("done", 1.0);
  bar.finish();
  // Results: one row per run, for every point that has finished runs (on any machine).
  std::vector<std::vector<std::string>> rows;
  std::set<std::string> kpi_keys;
  std::vector<std::map<std::string, double>> values;
  for (std::size_t k = 0; k < points.size(); ++k)
    for (int rep = 1; rep <= sweep.replications; ++rep) {
      char name[16];
      std::snprintf(name, sizeof name, "rep-%03d", rep);
      const fs::path run = out / "runs" / pointName(k) / name;
      std::vector<std::string> row{
          pointName(k), fs::path(sweep.scenarios[points[k].scenario]).filename().string()};
      for (std::size_t p = 0; p < sweep.parameter_names.size(); ++p)
        row.push_back(sweep.parameter_values[p][points[k].level[p]]);
      row.push_back(std::to_string(rep));
      std::map<std::string, double> v;
      if (!errors[k].empty()) {
        row.push_back("failed: " + errors[k]);
      } else if (!fs::exists(run / "summary.json")) {
        row.push_back("not run");
      } else {
        row.push_back("done");
        for (const auto& kpi : readKpis(run)) v[kpi.key] = kpi.value, kpi_keys.insert(kpi.key);
      }
      rows.push_back(std::move(row));
      values.push_back(std::move(v));
    }
  OutputFile f(out / "results.csv");
  f.stream() << "point,scenario";
  for (const auto& n : sweep.parameter_names) f.stream() << "," << csvCell(n);
  f.stream() << ",replication,status";
  for (const auto& k : kpi_keys) f.stream() << "," << csvCell(k);
  f.stream() << "\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      f.stream() << (c ? "," : "") << csvCell(rows[r][c]);
    for (const auto& k : kpi_keys) {
      const auto it = values[r].find(k);
      f.stream() << ",";
      if (it != values[r].end()) f.stream() << it->second;
    }
    f.stream() << "\n";
  }
  f.commit();
  std::size_t failed = 0;
  for (const auto& e : errors) failed += !e.empty();
  if (!o.quiet) {
    std::cerr << "wrote " << (out / "results.csv").string() << " (" << points.size() << " points x "
              << sweep.replications << " replications";
    if (failed) std::cerr << "; " << failed << " points failed, see the status column";
    std::cerr << ")\n";
    for (std::size_t k = 0; k < errors.size(); ++k)
      if (!errors[k].empty()) std::cerr << pointName(k) << ": " << errors[k] << "\n";
  }
  return failed ? 2 : 0;
}

}  // namespace citytwin::cli
