#include "citytwin/plugins/gtfs_realtime.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "citytwin/engine/mobility/observation_set.hpp"
#include "citytwin/engine/mobility/track_formats.hpp"

#include "gtfs_realtime_subset.pb.h"

namespace citytwin::plugins {

std::vector<VehiclePositionRecord> readVehiclePositions(std::string_view bytes,
                                                        const std::string& source,
                                                        engine::mobility::PrivacyGate& gate,
                                                        const geodata::LocalFrame& frame,
                                                        std::size_t* skipped) {
  gtfs_rt::FeedMessage feed;
  if (!feed.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw std::runtime_error(source + ": not a GTFS Realtime FeedMessage (protobuf) or cut short");
  }
  // Building a PROJ transform costs milliseconds: keep one per target CRS (per thread).
  thread_local std::map<std::string, geodata::CrsTransform> transforms;
  auto found = transforms.find(frame.crs);
  if (found == transforms.end())
    found = transforms.emplace(frame.crs, geodata::CrsTransform("EPSG:4326", frame.crs)).first;
  const geodata::CrsTransform& to_frame = found->second;
  std::vector<VehiclePositionRecord> records;
  std::vector<double> xs, ys;
  std::size_t left_out = 0;
  const double feed_time = static_cast<double>(feed.header().timestamp());
  for (const auto& entity : feed.entity()) {
    if (entity.is_deleted() || !entity.has_vehicle() || !entity.vehicle().has_position()) {
      ++left_out;
      continue;
    }
    const auto& v = entity.vehicle();
    const auto& p = v.position();
    if (std::abs(p.latitude()) > 90.0f || std::abs(p.longitude()) > 180.0f) {
      ++left_out;
      continue;
    }
    // The vehicle's identity: its id, else its label, else its plate, else the entity id.
    // Whichever it is, only its pseudonym leaves this function.
    const std::string& raw = !v.vehicle().id().empty()              ? v.vehicle().id()
                             : !v.vehicle().label().empty()         ? v.vehicle().label()
                             : !v.vehicle().license_plate().empty() ? v.vehicle().license_plate()
                                                                    : entity.id();
    VehiclePositionRecord r;
    r.time_s = v.has_timestamp() ? static_cast<double>(v.timestamp()) : feed_time;
    r.vehicle = gate.pseudonymise(raw, r.time_s).value;
    r.trip_id = v.trip().trip_id();
    r.route_id = v.trip().route_id();
    r.bearing_deg = p.bearing();
    r.speed_m_s = p.speed();
    records.push_back(std::move(r));
    xs.push_back(p.longitude());
    ys.push_back(p.latitude());
  }
  // All positions into the city's frame in one call.
  std::vector<char> ok;
  to_frame.applyMany(xs.size(), xs.data(), ys.data(), ok);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!ok[i]) {
      ++left_out;
      continue;
    }
    const auto local = frame.toLocal(xs[i], ys[i]);
    records[i].x = local.x;
    records[i].y = local.y;
    if (kept != i) records[kept] = std::move(records[i]);
    ++kept;
  }
  records.resize(kept);
  if (skipped) *skipped = left_out;
  return records;
}

engine::mobility::TrackTable vehicleTracks(const std::vector<VehiclePositionRecord>& records) {
  engine::mobility::TrackTable table;
  std::unordered_map<std::uint64_t, std::uint32_t> numbers;
  for (const auto& r : records) {
    auto [it, inserted] = numbers.try_emplace(r.vehicle, table.track_count);
    if (inserted) ++table.track_count;
    table.push(it->second, r.time_s, static_cast<float>(r.x), static_cast<float>(r.y));
  }
  table.sortByTrackAndTime();
  // Snapshots repeat a vehicle's last position until it reports again: keep one.
  engine::mobility::keepFirstPerTime(table);
  return table;
}

engine::mobility::TrackTable readRecordedFeed(const std::string& path,
                                              engine::mobility::PrivacyGate& gate,
                                              const geodata::LocalFrame& frame) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::directory_iterator(path)) {
      if (entry.is_regular_file() && entry.path().extension() == ".pb") files.push_back(entry);
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw std::runtime_error(path + ": no GTFS Realtime snapshots (*.pb) in it");
  } else {
    files.emplace_back(path);
  }
  std::vector<VehiclePositionRecord> records;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file.string() + ": cannot be read");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto snapshot = readVehiclePositions(bytes, file.string(), gate, frame);
    records.insert(records.end(), std::make_move_iterator(snapshot.begin()),
                   std::make_move_iterator(snapshot.end()));
  }
  auto table = vehicleTracks(records);
  engine::mobility::coarsen(table, gate);
  return table;
}

void registerGtfsRealtimeFormat() {
  engine::mobility::registerTrackFormat(
      "gtfs-rt",
      [](const engine::mobility::ObservationSource& source, engine::mobility::PrivacyGate& gate,
         const engine::mobility::TrackReadContext& context) {
        if (context.frame == nullptr) {
          throw std::runtime_error("source '" + source.name +
                                   "': GTFS Realtime positions are in WGS 84 and need a city to "
                                   "be placed in; give the scenario (--scenario) or open the set "
                                   "in a city");
        }
        return readRecordedFeed(source.path, gate, *context.frame);
      },
      engine::mobility::TrackMode::kBus);
}

}  // namespace citytwin::plugins
