#include "output_file.hpp"

#include "citytwin/geodata/error.hpp"

namespace citytwin::cli {

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
