#include "validate_command.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "citytwin/engine/crowd/studies.hpp"
#include "citytwin/engine/trajectories.hpp"
#include "svg_plot.hpp"

namespace citytwin::cli {

using namespace citytwin::engine;

int validateCrowd(const std::string& assets, const std::string& out_dir, int threads) {
  namespace fs = std::filesystem;
  fs::create_directories(out_dir);
  struct Experiment {
    const char* file;
    std::uint32_t first, last;
  };
  const Experiment experiments[] = {
      {"uo-050-180-180", 211, 800},  {"uo-060-180-180", 243, 771},  {"uo-070-180-180", 203, 1113},
      {"uo-100-180-180", 200, 790},  {"uo-145-180-180", 300, 1097}, {"uo-180-180-070", 500, 1399},
      {"uo-180-180-095", 400, 1350}, {"uo-180-180-120", 300, 1099}, {"uo-180-180-180", 400, 1284}};
  crowd::CorridorOptions corridor;
  corridor.threads = threads;
  Plot fd{"Speed-density: CityTwin against Weidmann and measurements",
          "density (1/m2)",
          "speed (m/s)",
          0,
          5.5,
          0,
          1.6,
          {}};
  Series weidmann{"Weidmann (1993)", "#444", true, {}},
      sim{"CityTwin, periodic corridor 3 m", "#d62728", true, {}};
  Series measured{"measured, Zhang et al. 2011", "#1f77b4", false, {}},
      sim_exp{"CityTwin at the measured densities (1.8 m)", "#ff7f0e", false, {}};
  std::ofstream csv(fs::path(out_dir) / "fundamental_diagram.csv");
  csv << "source,density_per_m2,speed_m_s,reference_speed_m_s\n";
  for (double rho = 0.25; rho <= 5.3; rho += 0.05)
    weidmann.points.push_back({rho, crowd::weidmannSpeed(rho)});
  double sq_w = 0;
  int n_w = 0;
  for (double rho : {0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0}) {
    const double v = crowd::periodicCorridorSpeed(rho, corridor);
    sim.points.push_back({rho, v});
    csv << "simulated_3m," << rho << "," << v << "," << crowd::weidmannSpeed(rho) << "\n";
    if (rho <= 4.0) sq_w += std::pow(v - crowd::weidmannSpeed(rho), 2), ++n_w;
  }
  corridor.width_m = 1.8;
  double sq_m = 0;
  for (const auto& e : experiments) {
    const auto t = readJuelichTrajectories(
        assets + "/pedestrians/unidirectional/" + e.file + ".txt.gz", 16.0, 0.01);
    const auto m = measureArea(t, {0.0f, -2.0f, 1.8f, 0.0f}, e.first, e.last);
    const double v = crowd::periodicCorridorSpeed(m.density, corridor);
    measured.points.push_back({m.density, m.speed});
    sim_exp.points.push_back({m.density, v});
    csv << "measured_" << e.file << "," << m.density << "," << m.speed << ",\n";
    csv << "simulated_1.8m," << m.density << "," << v << "," << m.speed << "\n";
    sq_m += (v - m.speed) * (v - m.speed);
  }
  fd.series = {weidmann, sim, measured, sim_exp};
  std::ofstream(fs::path(out_dir) / "fundamental_diagram.svg") << renderSvg(fd);

  Plot bn{
      "Flow through a bottleneck against its width", "width (m)", "flow (1/s)", 0, 2.6, 0, 4.5, {}};
  Series bsim{"CityTwin (150 people, 4 m long)", "#d62728", true, {}},
      bref{"1.9 / m / s (Seyfried et al. 2009)", "#444", true, {}};
  Series bmeas{"measured, 0.5 m (Juelich archive)", "#1f77b4", false, {}};
  std::ofstream bcsv(fs::path(out_dir) / "bottleneck.csv");
  bcsv << "source,width_m,flow_per_s\n";
  for (double w : {0.5, 0.8, 1.0, 1.2, 1.6, 2.0, 2.4}) {
    const double j = crowd::bottleneckFlow(w, 150, 1, threads);
    bsim.points.push_back({w, j});
    bcsv << "simulated," << w << "," << j << "\n";
  }
  bref.points = {{0.0, 0.0}, {2.4, 1.9 * 2.4}};
  const auto bt =
      readJuelichTrajectories(assets + "/pedestrians/bottleneck/040_c_56_h-.txt.gz", 25.0);
  const double jm = crossingFlow(bt, -0.5f);
  bmeas.points = {{0.5, jm}};
  bcsv << "measured,0.5," << jm << "\n";
  bn.series = {bref, bsim, bmeas};
  std::ofstream(fs::path(out_dir) / "bottleneck.svg") << renderSvg(bn);

  std::cout << "RMSE against Weidmann (0.5 - 4 /m2): " << std::sqrt(sq_w / n_w) << " m/s\n"
            << "RMSE against the corridor experiments: " << std::sqrt(sq_m / std::size(experiments))
            << " m/s\n"
            << "measured bottleneck flow (0.5 m): " << jm << " /s\n"
            << "wrote " << out_dir << "/fundamental_diagram.{csv,svg} and bottleneck.{csv,svg}\n";
  return 0;
}

}  // namespace citytwin::cli
