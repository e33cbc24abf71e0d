#include "svg_plot.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace citytwin::cli {

std::string renderSvg(const Plot& p, int width, int height) {
  const double left = 70, right = 20, top = 40, bottom = 55;
  const double w = width - left - right, h = height - top - bottom;
  auto X = [&](double x) { return left + (x - p.x_min) / (p.x_max - p.x_min) * w; };
  auto Y = [&](double y) { return top + h - (y - p.y_min) / (p.y_max - p.y_min) * h; };
  std::ostringstream s;
  char buf[256];
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
       "fill=\"white\"/>\n";
  s << "<text x=\"" << width / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">"
    << p.title << "</text>\n";
  // Grid and ticks: 5 divisions on each axis.
  for (int k = 0; k <= 5; ++k) {
    const double xv = p.x_min + (p.x_max - p.x_min) * k / 5,
                 yv = p.y_min + (p.y_max - p.y_min) * k / 5;
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                  X(xv), top, X(xv), top + h);
    s << buf;
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left,
                  Y(yv), left + w, Y(yv));
    s << buf;
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                  X(xv), top + h + 18, std::round(xv * 100) / 100);
    s << buf;
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                  left - 6, Y(yv) + 4, std::round(yv * 100) / 100);
    s << buf;
  }
  std::snprintf(buf, sizeof buf,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                "stroke=\"#333\"/>\n",
                left, top, w, h);
  s << buf;
  s << "<text x=\"" << left + w / 2 << "\" y=\"" << height - 12 << "\" text-anchor=\"middle\">"
    << p.x_label << "</text>\n";
  s << "<text transform=\"translate(18," << top + h / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
    << p.y_label << "</text>\n";
  int legend = 0;
  for (const auto& ser : p.series) {
    if (ser.line && ser.points.size() > 1) {
      s << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << ser.colour << "\" points=\"";
      for (const auto& [x, y] : ser.points) s << X(x) << "," << Y(y) << " ";
      s << "\"/>\n";
    } else {
      for (const auto& [x, y] : ser.points)
        s << "<circle cx=\"" << X(x) << "\" cy=\"" << Y(y) << "\" r=\"4\" fill=\"" << ser.colour
          << "\"/>\n";
    }
    const double ly = top + 14 + 16 * legend++;
    s << "<rect x=\"" << left + w - 330 << "\" y=\"" << ly - 9
      << "\" width=\"12\" height=\"10\" fill=\"" << ser.colour << "\"/>\n";
    s << "<text x=\"" << left + w - 313 << "\" y=\"" << ly << "\">" << ser.label << "</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace citytwin::cli
