#pragma once
// A live feed from an MQTT broker (libmosquitto): subscribes to SensorThings-style observation
// topics, keeps its session on the broker (so that what is published while it is away, or
// while the broker restarts, is delivered when it is back), reconnects with exponential
// back-off, and hands each valid observation to the engine; a malformed message is logged with
// the reason and skipped. The network runs on libmosquitto's own thread.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "citytwin/engine/mobility/live_observation.hpp"

struct mosquitto;  // libmosquitto's client, kept out of this header

namespace citytwin::plugins {

struct MqttFeedOptions {
  std::string host = "localhost";
  int port = 1883;
  /// A stable id: the broker keeps the session (subscriptions and undelivered messages) under
  /// it while the feed is away. Required.
  std::string client_id;
  /// e.g. "v1.1/Datastreams(7)/Observations", or "v1.1/#" for everything a server publishes.
  std::vector<std::string> topics;
  /// Topics whose messages are binary (GTFS Realtime, say): they go to the binary handler,
  /// not to the SensorThings reader.
  std::vector<std::string> binary_topics;
  int qos = 1;  ///< 1: at least once (redeliveries are recognised by @iot.id)
  bool persistent_session = true;
  int keepalive_s = 30;
  int reconnect_min_s = 1;  ///< first wait after a lost connection; doubles up to the max
  int reconnect_max_s = 30;
  std::string username, password;
};

struct MqttFeedStats {
  std::size_t messages = 0;  ///< received
  std::size_t accepted = 0;
  std::size_t rejected = 0;  ///< malformed, logged
  std::size_t connects = 0;
  std::size_t disconnects = 0;
};

class MqttFeed {
 public:
  using ObservationHandler = std::function<void(const engine::mobility::LiveObservation&)>;
  using LogHandler = std::function<void(const std::string&)>;
  /// Takes a message of a binary topic; false (with the reason) rejects it.
  using BinaryHandler =
      std::function<bool(std::string_view topic, std::string_view payload, std::string& reason)>;

  /// Throws std::invalid_argument on unusable options (no client id, a bad port or QoS).
  MqttFeed(MqttFeedOptions options, ObservationHandler on_observation, LogHandler log);
  ~MqttFeed();
  MqttFeed(const MqttFeed&) = delete;
  MqttFeed& operator=(const MqttFeed&) = delete;

  /// Where the messages of `binary_topics` go (set before start()).
  void setBinaryHandler(BinaryHandler handler) { on_binary_ = std::move(handler); }
  /// Starts connecting in the background; a broker that is not there yet is retried.
  void start();
  /// Disconnects and stops the network thread (the broker keeps the session).
  void stop();
  bool connected() const { return connected_; }
  MqttFeedStats stats() const;

 private:
  bool isBinary(const char* topic) const;
  struct Callbacks;
  MqttFeedOptions options_;
  ObservationHandler on_observation_;
  BinaryHandler on_binary_;
  LogHandler log_;
  ::mosquitto* client_ = nullptr;
  std::atomic<bool> connected_{false};
  std::atomic<bool> running_{false};
  std::atomic<std::size_t> messages_{0}, accepted_{0}, rejected_{0}, connects_{0}, disconnects_{0};
};

}  // namespace citytwin::plugins
