#pragma once
#include <string>
#include <vector>

namespace citytwin::cli {

struct CompareOptions {
  std::vector<std::string> scenarios;  ///< the base first, then the variants
  std::string out_dir;
  int replications = 0;  ///< 0: the base scenario's (default 1)
  int threads = 0;
  double cell_m = 5.0;  ///< crowd map resolution
  bool force = false;   ///< run everything again instead of reusing finished runs
  bool quiet = false;
};

/// `citytwin compare BASE VARIANT... --out DIR`: runs (or reuses) every scenario with the same
/// seeds, and writes report.html, kpis.csv, kpis.json, layers.gpkg (plus GeoTIFF maps) and
/// provenance.json into DIR. Runs live in DIR/runs/NAME/rep-NNN.
int runCompare(const CompareOptions& options);

}  // namespace citytwin::cli
