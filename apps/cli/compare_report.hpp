#pragma once
// The comparison report: one self-contained HTML page (tables, SVG plots and maps inline; no
// scripts, no network) that a planner or council member can read and check.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "citytwin/engine/scenario_file.hpp"
#include "compare_maps.hpp"
#include "kpis.hpp"

namespace citytwin::cli {

struct ComparedScenario {
  std::string file, name;
  engine::ScenarioFile scenario;
  std::vector<std::filesystem::path> runs;  ///< replication folders
  std::vector<std::vector<Kpi>> kpis;       ///< per run
  std::vector<nlohmann::json> summaries;    ///< per run
};

struct KpiRow {
  Kpi kpi;
  std::vector<MeanCi> per_scenario;
  std::vector<MeanCi> diff;  ///< against the base (empty for the base)
};

struct Maps {
  geodata::LocalFrame frame;
  Grid grid;
  std::vector<std::vector<geodata::Vec2>> context;  ///< the city's streets, drawn in grey
  std::vector<CrowdMap> crowd;                      ///< per scenario (empty: no crowd)
  std::vector<std::vector<geodata::Vec2>> road_lines;
  std::vector<std::string> road_ids, road_names;
  std::vector<RoadMap> roads;  ///< per scenario (empty: no traffic)
  std::vector<MapLayer> cell_layers, road_layers;
};

std::string renderReport(const std::vector<ComparedScenario>& scenarios,
                         const std::vector<KpiRow>& rows, const Maps& maps,
                         const nlohmann::json& provenance);

}  // namespace citytwin::cli
