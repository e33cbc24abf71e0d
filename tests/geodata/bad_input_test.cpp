// Fuzz-style: truncated and corrupted copies of the real inputs give a clear InputError (or,
// where the damage happens to leave valid data, a model), and never any other failure.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <random>
#include <sstream>

#include "citytwin/geodata/error.hpp"
#include "citytwin/geodata/import.hpp"
#include "test_support.hpp"

namespace citytwin::geodata {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string gunzip(const fs::path& p) {
  gzFile f = gzopen(p.c_str(), "rb");
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  gzclose(f);
  return out;
}

enum class Outcome { kModel, kInputError };

// Imports and classifies; any other exception fails the test with the case's name.
Outcome importOutcome(const fs::path& file, const std::string& label) {
  try {
    importCity({file.string()});
    return Outcome::kModel;
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), file.string()) << label;
    EXPECT_FALSE(e.problem().empty()) << label;
    EXPECT_FALSE(e.hint().empty()) << label << ": " << e.what();
    return Outcome::kInputError;
  } catch (const std::exception& e) {
    ADD_FAILURE() << label << ": not an InputError: " << e.what();
  }
  return Outcome::kInputError;
}

std::string corrupt(std::string bytes, std::uint32_t seed, int flips) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> pos(0, bytes.size() - 1);
  std::uniform_int_distribution<int> value(0, 255);
  for (int i = 0; i < flips; ++i) bytes[pos(rng)] = static_cast<char>(value(rng));
  return bytes;
}

TEST(BadInput, TruncatedOsmXmlIsAnInputErrorWithALine) {
  const auto dir = test::freshTempDir();
  const std::string xml = gunzip(test::asset("osm/amsterdam-centrum.osm.gz"));
  ASSERT_GT(xml.size(), 1000000u);
  for (double f : {0.001, 0.1, 0.33, 0.5, 0.77, 0.999}) {
    const fs::path p = dir / "cut.osm";
    writeFile(p, xml.substr(0, static_cast<std::size_t>(f * static_cast<double>(xml.size()))));
    const std::string label = "OSM cut at " + std::to_string(f);
    EXPECT_EQ(importOutcome(p, label), Outcome::kInputError) << label;
    try {
      importCity({p.string()});
    } catch (const InputError& e) {
      EXPECT_NE(e.where().find("line"), std::string::npos) << e.what();
    }
  }
}

TEST(BadInput, TruncatedGzipIsAnInputError) {
  const auto dir = test::freshTempDir();
  const std::string gz = readFile(test::asset("osm/amsterdam-centrum.osm.gz"));
  for (double f : {0.01, 0.5, 0.99}) {
    const fs::path p = dir / "cut.osm.gz";
    writeFile(p, gz.substr(0, static_cast<std::size_t>(f * static_cast<double>(gz.size()))));
    EXPECT_EQ(importOutcome(p, "gzip cut at " + std::to_string(f)), Outcome::kInputError);
  }
}

TEST(BadInput, CorruptedOsmNeverFailsOtherwise) {
  const auto dir = test::freshTempDir();
  const std::string xml = gunzip(test::asset("osm/amsterdam-centrum.osm.gz"));
  int errors = 0;
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    const fs::path p = dir / "bad.osm";
    writeFile(p, corrupt(xml, seed, 40));
    errors +=
        importOutcome(p, "OSM corrupted, seed " + std::to_string(seed)) == Outcome::kInputError;
  }
  EXPECT_GT(errors, 0);
  const std::string gz = readFile(test::asset("osm/amsterdam-centrum.osm.gz"));
  for (std::uint32_t seed = 1; seed <= 4; ++seed) {
    const fs::path p = dir / "bad.osm.gz";
    writeFile(p, corrupt(gz, seed, 8));
    EXPECT_EQ(importOutcome(p, "gzip corrupted, seed " + std::to_string(seed)),
              Outcome::kInputError);
  }
}

TEST(BadInput, DanglingNodeReferenceNamesTheWayAndTheNode) {
  const auto dir = test::freshTempDir();
  writeFile(dir / "dangling.osm", R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" lat="52.3700" lon="4.8950"/>
 <node id="2" lat="52.3702" lon="4.8955"/>
 <way id="77"><nd ref="1"/><nd ref="2"/><nd ref="99"/><tag k="highway" v="footway"/></way>
</osm>
)");
  try {
    importCity({(dir / "dangling.osm").string()});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "way 77");
    EXPECT_NE(e.problem().find("node 99"), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find("complete"), std::string::npos);
  }
}

TEST(BadInput, TruncatedAndCorruptedCityJsonIsAnInputError) {
  const auto dir = test::freshTempDir();
  for (const char* name :
       {"delft.json", "multi_lod.json", "rotterdam_subset.json", "DH_01_subs.city.json"}) {
    const std::string json = readFile(test::asset(std::string("cityjson/") + name));
    for (double f : {0.05, 0.5, 0.95}) {
      const fs::path p = dir / name;
      writeFile(p, json.substr(0, static_cast<std::size_t>(f * static_cast<double>(json.size()))));
      const std::string label = std::string(name) + " cut at " + std::to_string(f);
      EXPECT_EQ(importOutcome(p, label), Outcome::kInputError) << label;
    }
    for (std::uint32_t seed = 1; seed <= 5; ++seed) {
      const fs::path p = dir / name;
      writeFile(p, corrupt(json, seed, 12));
      importOutcome(p, std::string(name) + " corrupted, seed " + std::to_string(seed));
    }
  }
}

TEST(BadInput, BrokenCityJsonVertexIndexNamesTheObject) {
  const auto dir = test::freshTempDir();
  writeFile(dir / "broken.city.json", R"({"type":"CityJSON","version":"2.0",
 "transform":{"scale":[0.001,0.001,0.001],"translate":[85000,447500,0]},
 "metadata":{"referenceSystem":"https://www.opengis.net/def/crs/EPSG/0/7415"},
 "CityObjects":{"house-1":{"type":"Building","geometry":[{"type":"MultiSurface","lod":"1",
   "boundaries":[[[0,1,2]],[[0,2,7]]]}]}},
 "vertices":[[0,0,0],[1000,0,0],[1000,1000,0]]})");
  try {
    importCity({(dir / "broken.city.json").string()});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "CityObject 'house-1'");
    EXPECT_NE(e.problem().find("vertex index 7"), std::string::npos) << e.what();
  }
}

TEST(BadInput, UnknownCrsInCityJsonIsAnInputError) {
  const auto dir = test::freshTempDir();
  writeFile(dir / "crs.city.json", R"({"type":"CityJSON","version":"2.0",
 "metadata":{"referenceSystem":"https://www.opengis.net/def/crs/EPSG/0/999999"},
 "CityObjects":{},"vertices":[[85000,447500,0]]})");
  try {
    importCity({(dir / "crs.city.json").string()});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(e.problem().find("EPSG:999999"), std::string::npos) << e.what();
  }
}

TEST(BadInput, MissingFileFolderAndEmptyInputs) {
  EXPECT_THROW(importCity({"/nonexistent/city.osm"}), InputError);
  EXPECT_THROW(importCity({test::asset("cityjson").string()}), InputError);
  EXPECT_THROW(importCity({}), InputError);
  ImportOptions geographic;
  geographic.frame_crs = "EPSG:4326";
  EXPECT_THROW(importCity({test::asset("cityjson/multi_lod.json").string()}, geographic),
               InputError);
}

}  // namespace
}  // namespace citytwin::geodata

#include <bzlib.h>

namespace citytwin::geodata {
namespace {

TEST(BadInput, Bzip2OsmReadsLikeGzipAndFailsCleanlyWhenCut) {
  const auto dir = test::freshTempDir();
  std::string xml = gunzip(test::asset("osm/amsterdam-centrum.osm.gz"));
  std::string bz(xml.size() / 3 + 600, '\0');
  unsigned int len = static_cast<unsigned int>(bz.size());
  ASSERT_EQ(BZ2_bzBuffToBuffCompress(bz.data(), &len, xml.data(),
                                     static_cast<unsigned int>(xml.size()), 9, 0, 0),
            BZ_OK);
  bz.resize(len);
  writeFile(dir / "city.osm.bz2", bz);
  const CityModel m = importCity({(dir / "city.osm.bz2").string()});
  EXPECT_EQ(m.links.size(), test::amsterdam().links.size());
  EXPECT_TRUE(m.nodes == test::amsterdam().nodes);
  writeFile(dir / "cut.osm.bz2", bz.substr(0, bz.size() / 2));
  EXPECT_EQ(importOutcome(dir / "cut.osm.bz2", "bzip2 cut"), Outcome::kInputError);
}

}  // namespace
}  // namespace citytwin::geodata
