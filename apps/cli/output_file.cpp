#include "output_file.hpp"

#include "citytwin/geodata/error.hpp"

namespace citytwin::cli {

void prepareOutputFolder(const std::filesystem::path& out, bool force) {
  std::filesystem::create_directories(out);
  if (std::filesystem::exists(out / "summary.json") && !force)
    throw geodata::InputError(out.string(), "",
                              "already holds a finished run (summary.json); it is left as it is",
                              "choose another --out, or pass --force to replace it");
}

OutputFile::OutputFile(std::filesystem::path path)
    : path_(std::move(path)), tmp_(path_.string() + ".partial"), out_(tmp_) {
  if (!out_)
    throw geodata::InputError(path_.string(), "", "cannot write",
                              "check that the folder is writable");
}

void OutputFile::commit() {
  out_.close();
  std::filesystem::rename(tmp_, path_);
}

}  // namespace citytwin::cli
