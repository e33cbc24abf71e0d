#include "test_support.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <memory>

#include "citytwin/geodata/gpkg_store.hpp"
#include "citytwin/geodata/import.hpp"

namespace citytwin::test {
namespace fs = std::filesystem;

fs::path asset(const std::string& relative) {
  return fs::path(CITYTWIN_ASSETS_DIR) / relative;
}

fs::path freshTempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "citytwin";
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  const fs::path dir =
      fs::temp_directory_path() / ("citytwin-test-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

const geodata::CityModel& amsterdam() {
  static const geodata::CityModel model =
      geodata::importCity({asset("osm/amsterdam-centrum.osm.gz").string()});
  return model;
}

const fs::path& amsterdamGpkg() {
  static const fs::path path = [] {
    const fs::path dir =
        fs::temp_directory_path() / ("citytwin-test-" + std::to_string(::getpid())) / "shared";
    fs::create_directories(dir);
    const fs::path p = dir / "amsterdam.gpkg";
    geodata::saveGeoPackage(amsterdam(), p.string(), true);
    return p;
  }();
  return path;
}

std::string quote(const fs::path& p) {
  return "'" + p.string() + "'";
}

CommandResult runCommand(const std::string& command) {
  CommandResult r;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen((command + " 2>&1").c_str(), "r"), ::pclose);
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe.get())) r.out += buf.data();
  const int status = ::pclose(pipe.release());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

void writeRdGeoTiff(const fs::path& path, int width, int height, double west, double north,
                    double cell, const std::vector<float>& z, const float* nodata) {
  GDALAllRegister();
  GDALDataset* ds = GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), width, height, 1, GDT_Float32, nullptr);
  ASSERT_NE(ds, nullptr) << path;
  double gt[6] = {west, cell, 0.0, north, 0.0, -cell};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(28992);
  ds->SetSpatialRef(&srs);
  if (nodata) ds->GetRasterBand(1)->SetNoDataValue(*nodata);
  EXPECT_EQ(
      ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, width, height, const_cast<float*>(z.data()),
                                     width, height, GDT_Float32, 0, 0),
      CE_None);
  GDALClose(ds);
}

CommandResult runCli(const std::string& args) {
  return runCommand(std::string("'") + CITYTWIN_CLI_PATH + "' " + args);
}

}  // namespace citytwin::test
