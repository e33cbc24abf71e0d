// Broken scenario files: each kind of mistake gets an error that names the file, the line
// (where there is one) and what to do, and nothing runs.
#include <gtest/gtest.h>

#include <fstream>

#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/geodata/error.hpp"
#include "test_support.hpp"

namespace citytwin {
namespace {

namespace fs = std::filesystem;

/// A valid scenario: a crowd walking to the Dam and the morning-peak traffic, RD New.
std::string valid() {
  return "name: valid\n"
         "city: " +
         test::amsterdamGpkg().string() +
         "\n"
         "crs: EPSG:28992\n"
         "crowd:\n"
         "  duration: 600\n"
         "  stages:\n"
         "    - {name: dam, kind: exit, circle: {center: [121301, 487357], radius: 15}}\n"
         "  journeys:\n"
         "    - {name: to-dam, stages: [dam]}\n"
         "  sources:\n"
         "    - {name: munt, journey: to-dam, agents: 10, circle: {center: [121361, 486683], "
         "radius: 20}}\n"
         "traffic:\n"
         "  begin: 07:00\n"
         "  end: 08:00\n"
         "  zones:\n"
         "    - {name: outside, boundary: true}\n"
         "  od_matrix: od.csv\n";
}

struct Mistake {
  std::string what;      ///< the kind of mistake
  std::string from, to;  ///< replace `from` in the valid text by `to` ("" from: append `to`)
  std::string expect;    ///< in the message
  std::string line;      ///< "line N" expected, or ""
};

TEST(ScenarioMistakes, EveryKindGetsAClearError) {
  const std::vector<Mistake> mistakes = {
      {"YAML syntax", "  duration: 600\n", "  duration: [600\n", "YAML syntax error", "line"},
      {"misspelt top-level key", "crowd:\n", "crwod:\n", "did you mean 'crowd'", "line 4"},
      {"no city", "city: ", "town: ", "unknown key 'town'", "line 2"},
      {"city file missing", test::amsterdamGpkg().string(), "/nowhere/city.gpkg", "nowhere", ""},
      {"wrong type", "duration: 600", "duration: soon", "'duration' has the wrong type", "line 5"},
      {"value out of range", "  duration: 600\n", "  duration: 600\n  time_step: 3\n",
       "time_step must be in", "line 6"},
      {"unknown stage kind", "kind: exit", "kind: door", "unknown stage kind 'door'", "line 7"},
      {"gate without capacity", "kind: exit", "kind: gate", "needs a service_rate", "line 7"},
      {"journey to a missing stage", "stages: [dam]", "stages: [damm]", "no stage named 'damm'",
       "line 9"},
      {"source on a missing journey", "journey: to-dam, agents", "journey: to-dom, agents",
       "no journey named 'to-dom'", "line 11"},
      {"polygon of two points", "circle: {center: [121301, 487357], radius: 15}",
       "polygon: [[121301, 487357], [121310, 487357]]", "at least 3 points", "line 7"},
      {"negative radius", "radius: 15}", "radius: -15}", "radius must be positive", "line 7"},
      {"point with three numbers", "center: [121301, 487357]", "center: [121301, 487357, 2]",
       "a point is [x, y]", "line 7"},
      {"geometry outside the city", "center: [121301, 487357]", "center: [131301, 497357]",
       "lies outside the city", "line 7"},
      {"latitude out of range", "center: [121301, 487357]", "center: {lat: 152.37, lon: 4.89}",
       "lat must be -90 - 90", "line 7"},
      {"degrees without a longitude", "center: [121301, 487357]", "center: {lat: 52.37}",
       "needs both 'lat' and 'lon'", "line 7"},
      {"unknown CRS", "crs: EPSG:28992", "crs: EPSG:999999", "999999", ""},
      {"traffic ends before it begins", "  end: 08:00", "  end: 06:00", "end must be after begin",
       "line 14"},
      {"OD matrix missing", "od.csv", "no-such-od.csv", "cannot be opened", ""},
      {"stage defined twice", "  journeys:\n",
       "    - {name: dam, kind: exit, circle: {center: [121301, 487357], radius: 5}}\n  "
       "journeys:\n",
       "defined twice", "line 8"},
      {"road that does not exist", "",
       "interventions:\n  - close_road: {name: Kloveniersburgwall}\n",
       "did you mean 'Kloveniersburgwal'", "line 19"},
      {"stage an intervention names that does not exist", "",
       "interventions:\n  - gate: {stage: dm, service_rate: 5}\n", "did you mean 'dam'", "line 19"},
      {"GTFS folder missing", "  zones:\n", "  bus_lines: {gtfs: no-such-feed}\n  zones:\n",
       "is not a folder", "line 15"},
  };
  ASSERT_GE(mistakes.size(), 15u);
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "od.csv") << "from,to,begin,end,trips\noutside,outside,07:00,08:00,10\n";
  {
    const fs::path ok = dir / "valid.yaml";
    std::ofstream(ok) << valid();
    EXPECT_NO_THROW(engine::loadScenarioFile(ok.string())) << "the starting point is valid";
  }
  for (std::size_t k = 0; k < mistakes.size(); ++k) {
    const auto& m = mistakes[k];
    std::string text = valid();
    if (m.from.empty()) {
      text += m.to;
    } else {
      const auto at = text.find(m.from);
      ASSERT_NE(at, std::string::npos) << m.what;
      text.replace(at, m.from.size(), m.to);
    }
    const fs::path file = dir / ("mistake" + std::to_string(k) + ".yaml");
    std::ofstream(file) << text;
    try {
      engine::loadScenarioFile(file.string());
      ADD_FAILURE() << m.what << ": accepted";
    } catch (const geodata::InputError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(m.expect), std::string::npos) << m.what << ": " << msg;
      if (!m.line.empty()) {
        EXPECT_NE(msg.find(m.line), std::string::npos) << m.what << ": " << msg;
      }
      EXPECT_FALSE(e.hint().empty()) << m.what << ": " << msg;
    }
  }
}

// A point from a web map, {lat, lon}, lands where the same point in the scenario's CRS does.
TEST(ScenarioPoints, LatitudeAndLongitudeGiveTheSamePlaceAsTheProjectedCrs) {
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "od.csv") << "from,to,begin,end,trips\noutside,outside,07:00,08:00,10\n";
  std::string text = valid();
  std::ofstream(dir / "rd.yaml") << text;
  // RD New (121301, 487357) is lat 52.3730532, lon 4.8923545 (cs2cs EPSG:28992 EPSG:4326).
  text.replace(text.find("center: [121301, 487357]"), 24,
               "center: {lat: 52.3730532, lon: 4.8923545}");
  std::ofstream(dir / "degrees.yaml") << text;
  const auto rd = engine::loadScenarioFile((dir / "rd.yaml").string());
  const auto deg = engine::loadScenarioFile((dir / "degrees.yaml").string());
  const auto a = geodata::bounds(rd.crowd.stages[0].area);
  const auto b = geodata::bounds(deg.crowd.stages[0].area);
  EXPECT_NEAR(a.min_x, b.min_x, 0.05);
  EXPECT_NEAR(a.min_y, b.min_y, 0.05);
  EXPECT_NEAR(a.max_x, b.max_x, 0.05);
}

}  // namespace
}  // namespace citytwin
