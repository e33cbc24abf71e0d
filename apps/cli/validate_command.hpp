#pragma once
#include <string>

namespace citytwin::cli {

/// `citytwin validate crowd --out DIR`: runs the fundamental-diagram and bottleneck studies
/// against Weidmann, the measured corridor and bottleneck experiments, and writes CSV tables
/// and SVG figures (the ones docs/validation.md shows).
int validateCrowd(const std::string& assets_dir, const std::string& out_dir, int threads);

}  // namespace citytwin::cli
