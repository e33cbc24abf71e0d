// The citytwin CLI as a user runs it, checked against ogrinfo and an independent SCC count.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "test_support.hpp"

namespace citytwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One import of the default city through the CLI, shared by the tests below.
const fs::path& cliModel() {
  static const fs::path path = [] {
    const fs::path dir = fs::temp_directory_path() / ("citytwin-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path out = dir / "city.gpkg";
    const auto r =
        test::runCli("import -q " + test::quote(test::asset("osm/amsterdam-centrum.osm.gz")) +
                     " --out " + test::quote(out));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return out;
  }();
  return path;
}

const json& cliInfo() {
  static const json info = [] {
    const auto r = test::runCli("info --json " + test::quote(cliModel()));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return json::parse(r.out);
  }();
  return info;
}

// Runs an ogrinfo SQL query on the model and returns the first numeric field of the answer.
double ogrValue(const std::string& sql, const std::string& dialect = "") {
  const auto r =
      test::runCommand("ogrinfo -ro -q " + (dialect.empty() ? "" : "-dialect " + dialect + " ") +
                       test::quote(cliModel()) + " -sql \"" + sql + "\"");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::smatch m;
  static const std::regex value(R"(\) = ([-0-9.eE+]+))");
  EXPECT_TRUE(std::regex_search(r.out, m, value)) << r.out;
  return std::stod(m[1].str());
}

TEST(Cli, VersionAndHelp) {
  auto r = test::runCli("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("citytwin 0.1.0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("GDAL"), std::string::npos);
  r = test::runCli("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("import"), std::string::npos);
  EXPECT_NE(r.out.find("info"), std::string::npos);
  for (const char* sub : {"import --help", "info --help"}) {
    r = test::runCli(sub);
    EXPECT_EQ(r.exit_code, 0) << sub;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << sub << r.out;
  }
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(test::runCli("").exit_code, 2);
  EXPECT_EQ(test::runCli("import").exit_code, 2);
  EXPECT_EQ(test::runCli("info --no-such-option x").exit_code, 2);
  EXPECT_EQ(test::runCli("frobnicate").exit_code, 2);
}

TEST(Cli, MissingInputNamesTheFile) {
  const auto dir = test::freshTempDir();
  const auto r = test::runCli("import /no/such/city.osm --out " + test::quote(dir / "x.gpkg"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("/no/such/city.osm"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hint:"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "x.gpkg"));
  const auto info = test::runCli("info " + test::quote(dir / "absent.gpkg"));
  EXPECT_EQ(info.exit_code, 2);
}

TEST(Cli, BrokenInputLeavesNoFileBehind) {
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "cut.osm") << "<?xml version='1.0'?>\n<osm version='0.6'>\n <node id='1' "
                                    "lat='52.37' lon='4.9'/>\n <way id='2'>";
  const auto r = test::runCli("import " + test::quote(dir / "cut.osm") + " --out " +
                              test::quote(dir / "city.gpkg"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("line"), std::string::npos) << r.out;
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.path().filename() != "cut.osm";
  EXPECT_EQ(files, 0u);
}

TEST(Cli, OsmConvertWritesTheXmlNetconvertReads) {
  const auto dir = test::freshTempDir();
  const std::string pbf = std::string(CITYTWIN_SOURCE_DIR) + "/assets/data/osm/monaco.osm.pbf";
  const auto ok =
      test::runCli("osm-convert " + test::quote(pbf) + " -o " + test::quote(dir / "monaco.osm"));
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  std::ifstream in(dir / "monaco.osm");
  std::string head(200, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  EXPECT_NE(head.find("<osm version=\"0.6\""), std::string::npos) << head;
  const std::regex counts(R"(wrote .*: ([0-9]+) nodes, ([0-9]+) ways, ([0-9]+) relations)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(ok.out, m, counts)) << ok.out;
  EXPECT_GT(std::stoul(m[1]), 100000u);
  EXPECT_GT(std::stoul(m[2]), 10000u);
  // Never replaced without --force; a name it cannot write, or input that is not OSM: exit 2
  // and nothing left behind.
  const auto again =
      test::runCli("osm-convert " + test::quote(pbf) + " -o " + test::quote(dir / "monaco.osm"));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.out.find("--force"), std::string::npos) << again.out;
  const auto txt =
      test::runCli("osm-convert " + test::quote(pbf) + " -o " + test::quote(dir / "out.txt"));
  EXPECT_EQ(txt.exit_code, 2);
  EXPECT_NE(txt.out.find(".osm.pbf"), std::string::npos) << txt.out;
  std::ofstream(dir / "broken.osm.pbf") << "not a protocol buffer";
  const auto broken = test::runCli("osm-convert " + test::quote(dir / "broken.osm.pbf") + " -o " +
                                   test::quote(dir / "broken.osm"));
  EXPECT_EQ(broken.exit_code, 2) << broken.out;
  EXPECT_NE(broken.out.find("broken.osm.pbf"), std::string::npos) << broken.out;
  EXPECT_FALSE(fs::exists(dir / "broken.osm"));
  EXPECT_FALSE(fs::exists(dir / "broken.osm.partial"));
}

TEST(Cli, ExistingOutputIsNeverReplacedSilently) {
  const auto dir = test::freshTempDir();
  std::ofstream(dir / "city.gpkg") << "earlier results";
  const auto r = test::runCli("import -q " + test::quote(test::asset("cityjson/multi_lod.json")) +
                              " --out " + test::quote(dir / "city.gpkg"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--force"), std::string::npos) << r.out;
  std::ifstream in(dir / "city.gpkg");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "earlier results");
  EXPECT_EQ(
      test::runCli("import -q --force " + test::quote(test::asset("cityjson/multi_lod.json")) +
                   " --out " + test::quote(dir / "city.gpkg"))
          .exit_code,
      0);
}

TEST(Cli, InfoJsonHasTheDocumentedKeys) {
  const json& j = cliInfo();
  for (const char* key :
       {"crs", "extent", "signals", "buildings", "walkable_area_m2", "links", "scc_share"})
    EXPECT_TRUE(j.contains(key)) << key;
  for (const char* mode : {"car", "foot", "bike"}) {
    EXPECT_TRUE(j["links"].contains(mode)) << mode;
    EXPECT_TRUE(j["scc_share"].contains(mode)) << mode;
  }
  EXPECT_EQ(j["crs"], "EPSG:28992");
  EXPECT_GE(j["scc_share"]["foot"].get<double>(), 0.9);
  const auto text = test::runCli("info " + test::quote(cliModel()));
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("largest SCC"), std::string::npos) << text.out;
}

TEST(Cli, InfoCountsMatchOgrinfo) {
  const json& j = cliInfo();
  EXPECT_EQ(j["links"]["car"].get<double>(), ogrValue("SELECT COUNT(*) FROM links WHERE car = 1"));
  EXPECT_EQ(j["links"]["foot"].get<double>(),
            ogrValue("SELECT COUNT(*) FROM links WHERE foot = 1"));
  EXPECT_EQ(j["links"]["bike"].get<double>(),
            ogrValue("SELECT COUNT(*) FROM links WHERE bike = 1"));
  EXPECT_EQ(j["links"]["total"].get<double>(), ogrValue("SELECT COUNT(*) FROM links"));
  EXPECT_EQ(j["signals"].get<double>(),
            ogrValue("SELECT COUNT(*) FROM nodes WHERE traffic_signals = 1"));
  EXPECT_EQ(j["buildings"].get<double>(), ogrValue("SELECT COUNT(*) FROM buildings"));
  const double area = ogrValue("SELECT SUM(ST_Area(geom)) FROM walkable", "SQLite");
  EXPECT_NEAR(j["walkable_area_m2"].get<double>(), area, 1e-6 * area);
}

// Kosaraju's algorithm on the links layer as GDAL reads it: independent of the engine.
double independentSccShare(const char* mode) {
  GDALAllRegister();
  GDALDataset* ds = GDALDataset::Open(cliModel().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY);
  std::vector<std::pair<long long, long long>> edges;
  for (auto& f : *ds->GetLayerByName("links"))
    if (f->GetFieldAsInteger(mode) == 1)
      edges.emplace_back(f->GetFieldAsInteger64("from_node"), f->GetFieldAsInteger64("to_node"));
  GDALClose(ds);
  std::map<long long, std::vector<long long>> out, in;
  for (auto [a, b] : edges) out[a].push_back(b), in[b].push_back(a), out[b], in[a];
  std::vector<long long> order;
  std::map<long long, bool> seen;
  for (const auto& [start, _] : out) {  // first pass: finishing order, iteratively
    if (seen[start]) continue;
    std::vector<std::pair<long long, std::size_t>> stack{{start, 0}};
    seen[start] = true;
    while (!stack.empty()) {
      auto& [v, i] = stack.back();
      if (i < out[v].size()) {
        const long long w = out[v][i++];
        if (!seen[w]) seen[w] = true, stack.push_back({w, 0});
      } else {
        order.push_back(v);
        stack.pop_back();
      }
    }
  }
  std::map<long long, int> comp;
  int next = 0;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {  // second pass on the transpose
    if (comp.contains(*it)) continue;
    std::vector<long long> stack{*it};
    comp[*it] = next;
    while (!stack.empty()) {
      const long long v = stack.back();
      stack.pop_back();
      for (long long w : in[v])
        if (!comp.contains(w)) comp[w] = next, stack.push_back(w);
    }
    ++next;
  }
  std::map<int, std::size_t> links_in;
  for (auto [a, b] : edges)
    if (comp[a] == comp[b]) ++links_in[comp[a]];
  std::size_t best = 0;
  for (auto [c, n] : links_in) best = std::max(best, n);
  return edges.empty() ? 0.0 : static_cast<double>(best) / static_cast<double>(edges.size());
}

TEST(Cli, SccSharesAgreeWithAnIndependentComputation) {
  const json& j = cliInfo();
  for (const char* mode : {"car", "foot", "bike", "bus"})
    EXPECT_NEAR(j["scc_share"][mode].get<double>(), independentSccShare(mode), 1e-12) << mode;
  // Central Amsterdam is fragmented for cars inside the box; the foot network is not.
  EXPECT_LT(j["scc_share"]["car"].get<double>(), 0.9);
  EXPECT_GT(j["scc_share_through_outside"]["car"].get<double>(), 0.9);
}

}  // namespace
}  // namespace citytwin
