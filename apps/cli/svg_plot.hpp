#pragma once
// A small self-contained SVG line/scatter plot, for the figures in docs/ (no plotting library
// in Debian's C++ stack that would not pull in a GUI).
#include <string>
#include <vector>

namespace citytwin::cli {

struct Series {
  std::string label;
  std::string colour;  ///< CSS colour
  bool line = true;    ///< a line through the points, else markers only
  std::vector<std::pair<double, double>> points;
};

struct Plot {
  std::string title, x_label, y_label;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  std::vector<Series> series;
};

std::string renderSvg(const Plot& plot, int width = 720, int height = 460);

}  // namespace citytwin::cli
