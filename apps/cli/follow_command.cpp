#include "follow_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "citytwin/engine/mobility/live_observation.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/engine/scenario_file.hpp"
#include "citytwin/geodata/error.hpp"
#include "citytwin/plugins/gtfs_realtime.hpp"
#include "citytwin/plugins/mqtt_feed.hpp"
#include "output_file.hpp"

namespace citytwin::cli {
namespace {

namespace fs = std::filesystem;
namespace mobility = engine::mobility;

std::atomic<bool> interrupted{false};

extern "C" void onInterrupt(int) {
  interrupted = true;
}

// Each vehicle's latest position, under a plain number (never the pseudonym, never the id).
class LiveVehicles {
 public:
  void add(const std::vector<plugins::VehiclePositionRecord>& records) {
    const std::lock_guard lock(mutex_);
    for (const auto& r : records) {
      auto [it, fresh] = index_.try_emplace(r.vehicle, latest_.size());
      if (fresh) latest_.push_back(r);
      auto& kept = latest_[it->second];
      if (r.time_s >= kept.time_s) kept = r;  // a late redelivery never moves a bus back
      now_s_ = std::max(now_s_, r.time_s);
    }
  }
  double now() const {
    const std::lock_guard lock(mutex_);
    return now_s_;
  }
  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return latest_.size();
  }
  void write(const fs::path& path) const {
    const std::lock_guard lock(mutex_);
    OutputFile file(path);
    auto& out = file.stream();
    out << "vehicle,time,route,trip,x,y,bearing_deg,speed_m_s\n";
    char row[160];
    for (std::size_t i = 0; i < latest_.size(); ++i) {
      const auto& r = latest_[i];
      std::snprintf(row, sizeof row, "%zu,%.0f,", i + 1, r.time_s);
      out << row << r.route_id << "," << r.trip_id;
      std::snprintf(row, sizeof row, ",%.2f,%.2f,%.0f,%.1f\n", r.x, r.y,
                    static_cast<double>(r.bearing_deg), static_cast<double>(r.speed_m_s));
      out << row;
    }
    file.commit();
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::vector<plugins::VehiclePositionRecord> latest_;
  double now_s_ = 0.0;
};

}  // namespace

int runFollow(const FollowOptions& o) {
  if (o.topics.empty() && o.gtfs_rt_topics.empty()) {
    throw geodata::InputError("", "follow", "no topics to follow",
                              "give --topic 'v1.1/#' (SensorThings observations) or "
                              "--gtfs-rt-topic TOPIC (vehicle positions)");
  }
  const auto colon = o.broker.rfind(':');
  plugins::MqttFeedOptions feed_options;
  feed_options.host = o.broker.substr(0, colon);
  try {
    feed_options.port = colon == std::string::npos ? 1883 : std::stoi(o.broker.substr(colon + 1));
  } catch (const std::exception&) {
    throw geodata::InputError("", "--broker " + o.broker, "the port is not a number",
                              "give host:port, e.g. localhost:1883");
  }
  feed_options.topics = o.topics;
  feed_options.binary_topics = o.gtfs_rt_topics;
  feed_options.client_id = o.client_id;
  mobility::PrivacyPolicy policy;
  policy.min_group_size = o.min_group_size;
  mobility::PrivacyGate gate(policy);
  std::optional<geodata::LocalFrame> frame;
  if (!o.gtfs_rt_topics.empty()) {
    if (o.scenario.empty()) {
      throw geodata::InputError("", "--gtfs-rt-topic",
                                "vehicle positions are in WGS 84 and need a city to be placed in",
                                "give the scenario with --scenario");
    }
    geodata::CityModel city;
    engine::loadScenarioFile(o.scenario, &city);
    frame = city.frame;
  }

  const fs::path out(o.out_dir);
  fs::create_directories(out);
  std::ofstream log(out / "follow.log", std::ios::app);
  std::mutex log_mutex;
  mobility::LiveCountStore store;
  LiveVehicles vehicles;
  std::mutex gate_mutex;  // the gate's keys are made on first use: one message at a time
  plugins::MqttFeed feed(
      feed_options, [&](const mobility::LiveObservation& obs) { store.add(obs); },
      [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        log << line << std::endl;
        if (!o.quiet) std::cerr << line << "\n";
      });
  feed.setBinaryHandler([&](std::string_view topic, std::string_view payload, std::string& reason) {
    try {
      const std::lock_guard lock(gate_mutex);
      vehicles.add(
          plugins::readVehiclePositions(payload, "message on " + std::string(topic), gate, *frame));
      return true;
    } catch (const std::exception& e) {
      reason = e.what();
      return false;
    }
  });
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  feed.start();

  const auto start = std::chrono::steady_clock::now();
  auto next_write = start;
  const auto write = [&] {
    mobility::writeCountCsv((out / "live_counts.csv").string(), store.series(), gate);
    if (frame) vehicles.write(out / "live_vehicles.csv");
  };
  while (!interrupted) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (o.duration_s > 0.0 && elapsed >= o.duration_s) break;
    if (now >= next_write) {
      write();
      next_write = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(o.write_every_s));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  feed.stop();
  write();
  const auto stats = feed.stats();
  const std::string summary =
      "followed " + o.broker + ": " + std::to_string(stats.messages) + " messages, " +
      std::to_string(stats.accepted) + " observations (" + std::to_string(store.duplicates()) +
      " redelivered), " + std::to_string(stats.rejected) + " rejected, " +
      std::to_string(stats.connects) + " connections" +
      (frame ? ", " + std::to_string(vehicles.size()) + " vehicles, latest position at " +
                   std::to_string(static_cast<long long>(vehicles.now())) + " (Unix s)"
             : std::string());
  {
    std::lock_guard lock(log_mutex);
    log << summary << std::endl;
  }
  if (!o.quiet) std::cerr << summary << "\nwrote " << (out / "live_counts.csv").string() << "\n";
  if (!o.quiet && frame) std::cerr << "wrote " << (out / "live_vehicles.csv").string() << "\n";
  return 0;
}

}  // namespace citytwin::cli
