#include "citytwin/plugins/mqtt_feed.hpp"

#include <mosquitto.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace citytwin::plugins {
namespace {

void initialiseLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string where(const MqttFeedOptions& o) {
  return "mqtt://" + o.host + ":" + std::to_string(o.port);
}

}  // namespace

// libmosquitto calls plain functions with the feed as user data.
struct MqttFeed::Callbacks {
  static void onConnect(struct mosquitto* client, void* self, int rc) {
    auto& feed = *static_cast<MqttFeed*>(self);
    if (rc != 0) {
      feed.log_(where(feed.options_) + ": connection refused (" + mosquitto_connack_string(rc) +
                "); retrying");
      return;
    }
    feed.connected_ = true;
    ++feed.connects_;
    feed.log_(where(feed.options_) + ": connected as " + feed.options_.client_id);
    // With a persistent session the broker still has the subscriptions; subscribing again is
    // harmless and covers a broker that lost its state.
    std::vector<std::string> all = feed.options_.topics;
    all.insert(all.end(), feed.options_.binary_topics.begin(), feed.options_.binary_topics.end());
    for (const auto& topic : all) {
      const int s = mosquitto_subscribe(client, nullptr, topic.c_str(), feed.options_.qos);
      if (s != MOSQ_ERR_SUCCESS) {
        feed.log_(where(feed.options_) + ": cannot subscribe to " + topic + ": " +
                  mosquitto_strerror(s));
      }
    }
  }

  static void onDisconnect(struct mosquitto*, void* self, int rc) {
    auto& feed = *static_cast<MqttFeed*>(self);
    feed.connected_ = false;
    ++feed.disconnects_;
    if (rc != 0 && feed.running_) {
      feed.log_(where(feed.options_) + ": connection lost; reconnecting with back-off (" +
                std::to_string(feed.options_.reconnect_min_s) + " - " +
                std::to_string(feed.options_.reconnect_max_s) + " s)");
    }
  }

  static void onMessage(struct mosquitto*, void* self, const struct mosquitto_message* m) {
    auto& feed = *static_cast<MqttFeed*>(self);
    ++feed.messages_;
    const std::string_view topic = m->topic ? m->topic : "";
    const std::string_view payload(static_cast<const char*>(m->payload),
                                   static_cast<std::size_t>(std::max(0, m->payloadlen)));
    std::string reason;
    if (feed.isBinary(m->topic)) {
      if (!feed.on_binary_ || !feed.on_binary_(topic, payload, reason)) {
        ++feed.rejected_;
        feed.log_(std::string("message on ") + std::string(topic) + " rejected: " +
                  (feed.on_binary_ ? reason : std::string("nothing reads binary messages")));
        return;
      }
      ++feed.accepted_;
      return;
    }
    const auto observation = engine::mobility::parseSensorThingsObservation(topic, payload, reason);
    if (!observation) {
      ++feed.rejected_;
      // The reason, never the payload: it may hold anything, identifiers included.
      feed.log_(std::string("message on ") + std::string(topic) + " rejected: " + reason);
      return;
    }
    ++feed.accepted_;
    feed.on_observation_(*observation);
  }
};

MqttFeed::MqttFeed(MqttFeedOptions options, ObservationHandler on_observation, LogHandler log)
    : options_(std::move(options)),
      on_observation_(std::move(on_observation)),
      log_(log ? std::move(log) : LogHandler([](const std::string&) {})) {
  if (options_.client_id.empty()) {
    throw std::invalid_argument(
        "mqtt feed: give a client id; the broker keeps the session under it");
  }
  if (options_.port <= 0 || options_.port > 65535) {
    throw std::invalid_argument("mqtt feed: port " + std::to_string(options_.port) +
                                " is not a TCP port");
  }
  if (options_.qos < 0 || options_.qos > 2) {
    throw std::invalid_argument("mqtt feed: qos must be 0, 1 or 2");
  }
  if (options_.topics.empty() && options_.binary_topics.empty()) {
    throw std::invalid_argument(
        "mqtt feed: no topics to follow; e.g. v1.1/Datastreams(7)/Observations or v1.1/#");
  }
  initialiseLibrary();
  client_ = mosquitto_new(options_.client_id.c_str(), !options_.persistent_session, this);
  if (client_ == nullptr) throw std::runtime_error("mqtt feed: cannot create a client");
  mosquitto_connect_callback_set(client_, &Callbacks::onConnect);
  mosquitto_disconnect_callback_set(client_, &Callbacks::onDisconnect);
  mosquitto_message_callback_set(client_, &Callbacks::onMessage);
  mosquitto_reconnect_delay_set(client_, static_cast<unsigned>(options_.reconnect_min_s),
                                static_cast<unsigned>(options_.reconnect_max_s), true);
  if (!options_.username.empty()) {
    mosquitto_username_pw_set(client_, options_.username.c_str(),
                              options_.password.empty() ? nullptr : options_.password.c_str());
  }
}

MqttFeed::~MqttFeed() {
  stop();
  mosquitto_destroy(client_);
}

void MqttFeed::start() {
  if (running_.exchange(true)) return;
  const int rc =
      mosquitto_connect_async(client_, options_.host.c_str(), options_.port, options_.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    log_(where(options_) + ": not reachable yet (" + mosquitto_strerror(rc) + "); retrying");
  }
  const int loop = mosquitto_loop_start(client_);
  if (loop != MOSQ_ERR_SUCCESS) {
    running_ = false;
    throw std::runtime_error("mqtt feed: cannot start the network thread: " +
                             std::string(mosquitto_strerror(loop)));
  }
}

void MqttFeed::stop() {
  if (!running_.exchange(false)) return;
  mosquitto_disconnect(client_);
  // Not forced: cancelling the thread can leave a library mutex locked (the next connect
  // would wait for it forever); after the disconnect the loop ends by itself.
  mosquitto_loop_stop(client_, false);
  connected_ = false;
}

bool MqttFeed::isBinary(const char* topic) const {
  for (const auto& filter : options_.binary_topics) {
    bool match = false;
    if (topic && mosquitto_topic_matches_sub(filter.c_str(), topic, &match) == MOSQ_ERR_SUCCESS &&
        match)
      return true;
  }
  return false;
}

MqttFeedStats MqttFeed::stats() const {
  return {messages_, accepted_, rejected_, connects_, disconnects_};
}

}  // namespace citytwin::plugins
