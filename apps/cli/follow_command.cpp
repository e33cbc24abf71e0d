#include "follow_command.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "citytwin/engine/mobility/live_observation.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"
#include "citytwin/geodata/error.hpp"
#include "citytwin/plugins/mqtt_feed.hpp"

namespace citytwin::cli {
namespace {

namespace fs = std::filesystem;
namespace mobility = engine::mobility;

std::atomic<bool> interrupted{false};

extern "C" void onInterrupt(int) {
  interrupted = true;
}

}  // namespace

int runFollow(const FollowOptions& o) {
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
  feed_options.client_id = o.client_id;
  mobility::PrivacyPolicy policy;
  policy.min_group_size = o.min_group_size;
  const mobility::PrivacyGate gate(policy);

  const fs::path out(o.out_dir);
  fs::create_directories(out);
  std::ofstream log(out / "follow.log", std::ios::app);
  std::mutex log_mutex;
  mobility::LiveCountStore store;
  plugins::MqttFeed feed(
      feed_options, [&](const mobility::LiveObservation& obs) { store.add(obs); },
      [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        log << line << std::endl;
        if (!o.quiet) std::cerr << line << "\n";
      });
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  feed.start();

  const auto start = std::chrono::steady_clock::now();
  auto next_write = start;
  const auto write = [&] {
    mobility::writeCountCsv((out / "live_counts.csv").string(), store.series(), gate);
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
  const std::string summary = "followed " + o.broker + ": " + std::to_string(stats.messages) +
                              " messages, " + std::to_string(stats.accepted) + " observations (" +
                              std::to_string(store.duplicates()) + " redelivered), " +
                              std::to_string(stats.rejected) + " rejected, " +
                              std::to_string(stats.connects) + " connections";
  {
    std::lock_guard lock(log_mutex);
    log << summary << std::endl;
  }
  if (!o.quiet) std::cerr << summary << "\nwrote " << (out / "live_counts.csv").string() << "\n";
  return 0;
}

}  // namespace citytwin::cli
