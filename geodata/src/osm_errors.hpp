#pragma once
// libosmium's and the OS's errors while reading an OSM file, as InputError naming the file.
#include <osmium/io/bzip2_compression.hpp>
#include <osmium/io/error.hpp>
#include <osmium/io/gzip_compression.hpp>
#include <osmium/io/pbf_input.hpp>
#include <osmium/io/xml_input.hpp>

#include <filesystem>
#include <string>
#include <system_error>

#include "citytwin/geodata/error.hpp"

namespace citytwin::geodata {

inline constexpr const char* kIncompleteHint =
    "the extract is incomplete or damaged: export it again with complete ways "
    "(e.g. 'osmium extract --strategy complete_ways') or re-download it";

inline void checkReadable(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw InputError(path, "", "file not found", "check the path");
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path, "", "is a folder, not a file", "name an .osm, .osm.gz or .osm.pbf file");
}

// Runs `fn`, turning libosmium's and the OS's errors into InputError for `path`.
template <typename Fn>
auto withOsmErrors(const std::string& path, Fn&& fn) {
  try {
    return fn();
  } catch (const InputError&) {
    throw;
  } catch (const osmium::xml_error& e) {
    throw InputError(path,
                     "line " + std::to_string(e.line) + ", column " + std::to_string(e.column),
                     std::string("XML error: ") + e.error_string, kIncompleteHint);
  } catch (const osmium::gzip_error& e) {
    throw InputError(path, "", std::string("gzip error: ") + e.what(), kIncompleteHint);
  } catch (const osmium::bzip2_error& e) {
    throw InputError(path, "", std::string("bzip2 error: ") + e.what(), kIncompleteHint);
  } catch (const osmium::pbf_error& e) {
    throw InputError(path, "", std::string("PBF error: ") + e.what(), kIncompleteHint);
  } catch (const osmium::io_error& e) {
    throw InputError(path, "", std::string("cannot read OSM data: ") + e.what(), kIncompleteHint);
  } catch (const std::system_error& e) {
    throw InputError(path, "", std::string("cannot read: ") + e.what(),
                     "check the path and permissions");
  } catch (const std::exception& e) {
    throw InputError(path, "", std::string("cannot read OSM data: ") + e.what(), kIncompleteHint);
  }
}

}  // namespace citytwin::geodata
