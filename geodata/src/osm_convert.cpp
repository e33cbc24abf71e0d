#include "citytwin/geodata/osm_convert.hpp"

#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/io/any_output.hpp>
#include <osmium/visitor.hpp>

#include <filesystem>

#include "osm_errors.hpp"

namespace citytwin::geodata {

namespace fs = std::filesystem;

namespace {

struct Counter : osmium::handler::Handler {
  OsmConversion counts;
  void node(const osmium::Node&) { ++counts.nodes; }
  void way(const osmium::Way&) { ++counts.ways; }
  void relation(const osmium::Relation&) { ++counts.relations; }
};

osmium::io::File outputFile(const std::string& output) {
  osmium::io::File file{output};
  if (file.format() == osmium::io::file_format::unknown)
    throw InputError(output, "", "is not an OSM file name this can write",
                     "end it in .osm, .osm.gz, .osm.bz2 or .osm.pbf");
  return file;
}

}  // namespace

OsmConversion convertOsm(const std::string& input, const std::string& output, bool replace) {
  checkReadable(input);
  std::error_code ec;
  if (fs::exists(output, ec) && !replace)
    throw InputError(output, "", "exists already", "pass --force to replace it");
  const osmium::io::File out_file = outputFile(output);
  const fs::path temporary = fs::path(output).concat(".partial");
  Counter counter;
  try {
    withOsmErrors(input, [&] {
      osmium::io::Reader reader{input};
      osmium::io::Header header = reader.header();
      header.set("generator", "CityTwin");
      osmium::io::File temp_file{temporary.string()};
      temp_file.set_compression(out_file.compression());
      temp_file.set_format(out_file.format());
      osmium::io::Writer writer{temp_file, header, osmium::io::overwrite::allow};
      while (osmium::memory::Buffer buffer = reader.read()) {
        osmium::apply(buffer, counter);
        writer(std::move(buffer));
      }
      writer.close();
      reader.close();
    });
    if (counter.counts.nodes + counter.counts.ways == 0)
      throw InputError(input, "", "has no nodes or ways", "check that it is an OSM extract");
    fs::rename(temporary, output);
  } catch (...) {
    fs::remove(temporary, ec);
    throw;
  }
  return counter.counts;
}

}  // namespace citytwin::geodata
