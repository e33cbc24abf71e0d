#include "citytwin/geodata/frame.hpp"

#include <cpl_conv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <regex>

#include "citytwin/geodata/error.hpp"

namespace citytwin::geodata {

std::string chooseFrameCrs(double lon_deg, double lat_deg) {
  // RD New's area of use (EPSG:28992): the Netherlands onshore and its coastal zone.
  if (lon_deg >= 3.2 && lon_deg <= 7.22 && lat_deg >= 50.75 && lat_deg <= 53.7) return "EPSG:28992";
  int zone = static_cast<int>(std::floor((lon_deg + 180.0) / 6.0)) + 1;
  zone = std::clamp(zone, 1, 60);
  return "EPSG:" + std::to_string((lat_deg >= 0 ? 32600 : 32700) + zone);
}

std::string normaliseCrs(const std::string& crs) {
  static const std::regex url(R"(^https?://www\.opengis\.net/def/crs/([A-Za-z]+)/[^/]+/(\d+)/?$)");
  static const std::regex urn(R"(^urn:ogc:def:crs:([A-Za-z]+):[^:]*:(\d+)$)");
  std::smatch m;
  if (std::regex_match(crs, m, url) || std::regex_match(crs, m, urn))
    return m[1].str() + ":" + m[2].str();
  return crs;
}

namespace {
bool importCrs(OGRSpatialReference& srs, const std::string& text) {
  if (text.empty()) return false;
  CPLPushErrorHandler(CPLQuietErrorHandler);
  const OGRErr err = srs.SetFromUserInput(normaliseCrs(text).c_str());
  CPLPopErrorHandler();
  if (err != OGRERR_NONE) return false;
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return true;
}
}  // namespace

bool isKnownCrs(const std::string& crs) {
  OGRSpatialReference srs;
  return importCrs(srs, crs);
}

struct CrsTransform::Impl {
  std::unique_ptr<OGRCoordinateTransformation> ct;  // null: identity
};

CrsTransform::CrsTransform(const std::string& source_crs, const std::string& target_crs)
    : impl_(std::make_unique<Impl>()) {
  OGRSpatialReference src, dst;
  if (!importCrs(src, source_crs))
    throw InputError(source_crs, "", "unknown coordinate reference system",
                     "give an EPSG code such as EPSG:28992 or EPSG:4326");
  if (!importCrs(dst, target_crs))
    throw InputError(target_crs, "", "unknown coordinate reference system",
                     "give an EPSG code such as EPSG:28992 or EPSG:4326");
  // A compound CRS (RD New + NAP height, EPSG:7415) is the frame's horizontal CRS with a
  // height: keep z as it is and skip a needless transform.
  OGRSpatialReference src_h(src);
  if (src_h.IsCompound()) src_h.StripVertical();
  if (src_h.IsSame(&dst)) return;
  CPLPushErrorHandler(CPLQuietErrorHandler);
  impl_->ct.reset(OGRCreateCoordinateTransformation(&src_h, &dst));
  CPLPopErrorHandler();
  if (!impl_->ct)
    throw InputError(source_crs, "", "PROJ has no transformation to " + target_crs,
                     "check the CRS of the input, or choose another frame with --crs");
}

CrsTransform::~CrsTransform() = default;
CrsTransform::CrsTransform(CrsTransform&&) noexcept = default;
CrsTransform& CrsTransform::operator=(CrsTransform&&) noexcept = default;

bool CrsTransform::identity() const {
  return !impl_->ct;
}

bool CrsTransform::apply(double& x, double& y, double& z) const {
  if (!impl_->ct) return true;
  const double keep_z = z;
  const bool ok = impl_->ct->Transform(1, &x, &y, &z) != 0;
  z = keep_z;  // heights stay in their vertical datum; only the horizontal position moves
  return ok && std::isfinite(x) && std::isfinite(y);
}

void CrsTransform::applyMany(std::size_t n, double* x, double* y, std::vector<char>& ok) const {
  ok.assign(n, 1);
  if (!impl_->ct || n == 0) return;
  std::vector<int> success(n, 0);
  impl_->ct->Transform(n, x, y, nullptr, success.data());
  for (std::size_t i = 0; i < n; ++i)
    ok[i] = success[i] != 0 && std::isfinite(x[i]) && std::isfinite(y[i]);
}

}  // namespace citytwin::geodata
