#pragma once
// GTFS Realtime vehicle positions (protobuf FeedMessage) through the privacy stage: the
// vehicle's id, label and licence plate become a pseudonym at the door; the trip and route
// (timetable facts, not personal) are kept; positions (WGS 84) go into the city's local frame.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/engine/mobility/tracks.hpp"
#include "citytwin/geodata/frame.hpp"

namespace citytwin::plugins {

struct VehiclePositionRecord {
  std::uint64_t vehicle = 0;  ///< pseudonym of the vehicle (id, else label, else plate)
  std::string trip_id, route_id;
  double time_s = 0.0;      ///< Unix seconds: the position's timestamp, else the feed's
  double x = 0.0, y = 0.0;  ///< local frame
  float bearing_deg = 0.0f, speed_m_s = 0.0f;
};

/// Parses one FeedMessage. Entities without a vehicle position, deleted ones and positions
/// outside WGS 84 are skipped and counted in `skipped`. Throws std::runtime_error when the
/// bytes are not a FeedMessage (naming `source`).
std::vector<VehiclePositionRecord> readVehiclePositions(std::string_view bytes,
                                                        const std::string& source,
                                                        engine::mobility::PrivacyGate& gate,
                                                        const geodata::LocalFrame& frame,
                                                        std::size_t* skipped = nullptr);

/// The records as tracks (one per vehicle pseudonym), for replay and the virtual sensors. A
/// position repeated by later snapshots (same vehicle, same timestamp) is kept once.
engine::mobility::TrackTable vehicleTracks(const std::vector<VehiclePositionRecord>& records);

/// A recorded feed: one FeedMessage file, or a folder of snapshots (every `*.pb`, in name
/// order), as tracks with the gate's coarsening applied. Throws std::runtime_error naming the
/// file that is not a FeedMessage.
engine::mobility::TrackTable readRecordedFeed(const std::string& path,
                                              engine::mobility::PrivacyGate& gate,
                                              const geodata::LocalFrame& frame);

/// Makes "gtfs-rt" a trajectory format of observation sets (buses by default). The
/// applications call it at startup.
void registerGtfsRealtimeFormat();

}  // namespace citytwin::plugins
