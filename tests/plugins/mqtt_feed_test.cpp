// The live feed against a real Mosquitto broker (acceptance 2 of the mobility-data issue):
// observations arrive live; what the broker kept while the feed was away, and across a broker
// restart, is delivered; malformed messages are logged with a reason and skipped.
#include <gtest/gtest.h>
#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "citytwin/engine/mobility/live_observation.hpp"
#include "citytwin/plugins/mqtt_feed.hpp"
#include "gtfs_realtime_subset.pb.h"
#include "mosquitto_broker.hpp"

namespace fs = std::filesystem;
namespace gtfs_rt = citytwin::gtfs_rt;
namespace mobility = citytwin::engine::mobility;
using citytwin::plugins::MqttFeed;
using citytwin::plugins::MqttFeedOptions;
using citytwin::test::MosquittoBroker;

namespace {

template <typename Condition>
bool waitFor(Condition condition, double seconds = 20.0) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// A QoS 1 publisher that counts the broker's acknowledgements: an acknowledged message is one
// the broker has taken responsibility for.
class Publisher {
 public:
  explicit Publisher(int port) {
    mosquitto_lib_init();
    client_ = mosquitto_new(nullptr, true, this);
    mosquitto_connect_callback_set(client_, [](mosquitto*, void* self, int rc) {
      if (rc == 0) static_cast<Publisher*>(self)->connected_ = true;
    });
    mosquitto_publish_callback_set(
        client_, [](mosquitto*, void* self, int) { ++static_cast<Publisher*>(self)->acked_; });
    mosquitto_connect(client_, "127.0.0.1", port, 30);
    mosquitto_loop_start(client_);
    waitFor([&] { return connected_.load(); }, 10.0);
  }
  ~Publisher() {
    mosquitto_disconnect(client_);
    mosquitto_loop_stop(client_, false);
    mosquitto_destroy(client_);
  }
  bool connected() const { return connected_; }
  void publish(const std::string& topic, const std::string& payload) {
    ++sent_;
    mosquitto_publish(client_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                      payload.data(), 1, false);
  }
  bool allAcknowledged() {
    return waitFor([&] { return acked_.load() == sent_; }, 30.0);
  }

 private:
  mosquitto* client_ = nullptr;
  std::atomic<bool> connected_{false};
  std::atomic<int> acked_{0};
  int sent_ = 0;
};

struct Published {
  int next_id = 1;
  std::map<std::string, double> sum;  // per datastream
  std::size_t count = 0;

  // `n` observations spread over 4 datastreams, one-minute intervals from 10:00 UTC.
  void send(Publisher& p, int n) {
    for (int i = 0; i < n; ++i, ++next_id) {
      const std::string stream = "gate-" + std::to_string(next_id % 4);
      const int minute = next_id / 4;
      char time[96];
      std::snprintf(time, sizeof time, "2026-12-01T%02d:%02d:00Z/2026-12-01T%02d:%02d:00Z",
                    10 + minute / 60, minute % 60, 10 + (minute + 1) / 60, (minute + 1) % 60);
      const int result = next_id % 37;
      p.publish("v1.1/Datastreams(" + stream + ")/Observations",
                "{\"@iot.id\": " + std::to_string(next_id) + ", \"phenomenonTime\": \"" + time +
                    "\", \"result\": " + std::to_string(result) + "}");
      sum[stream] += result;
      ++count;
    }
  }
};

}  // namespace

TEST(LiveFeed, ReceivesLiveKeepsWhatTheBrokerKeptAcrossRestartsAndSkipsMalformedMessages) {
  const fs::path folder =
      fs::temp_directory_path() / ("citytwin-mqtt-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  MosquittoBroker broker(folder);
  ASSERT_NO_THROW(broker.start());

  mobility::LiveCountStore store;
  std::mutex log_mutex;
  std::vector<std::string> log;
  MqttFeedOptions options;
  options.host = "127.0.0.1";
  options.port = broker.port();
  options.client_id = "citytwin-test-feed";
  options.topics = {"v1.1/#"};
  options.reconnect_min_s = 1;
  options.reconnect_max_s = 2;
  MqttFeed feed(
      options, [&](const mobility::LiveObservation& o) { store.add(o); },
      [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        log.push_back(line);
      });
  feed.start();
  ASSERT_TRUE(waitFor([&] { return feed.connected(); })) << broker.log();

  Published published;
  // 1. Live.
  {
    Publisher publisher(broker.port());
    ASSERT_TRUE(publisher.connected());
    published.send(publisher, 200);
    ASSERT_TRUE(publisher.allAcknowledged());
    ASSERT_TRUE(waitFor([&] { return store.observations() == 200; }))
        << store.observations() << " of 200 arrived";

    // 2. Malformed messages: each rejected with a reason, and the feed goes on.
    for (const char* bad : {"not json at all", "[1, 2, 3]", "{\"result\": 4}",
                            "{\"phenomenonTime\": \"yesterday\", \"result\": 3}",
                            "{\"phenomenonTime\": \"2026-12-01T10:00:00Z\", \"result\": -2}"}) {
      publisher.publish("v1.1/Datastreams(gate-1)/Observations", bad);
    }
    publisher.publish("v1.1/Things(5)", "{\"name\": \"a counting camera\"}");
    published.send(publisher, 20);
    ASSERT_TRUE(publisher.allAcknowledged());
    ASSERT_TRUE(waitFor([&] { return store.observations() == 220; }));
    EXPECT_EQ(feed.stats().rejected, 6u);
    std::lock_guard lock(log_mutex);
    std::string all;
    for (const auto& line : log) all += line + "\n";
    EXPECT_NE(all.find("rejected: not JSON"), std::string::npos) << all;
    EXPECT_NE(all.find("rejected: not a JSON object"), std::string::npos) << all;
    EXPECT_NE(all.find("'phenomenonTime' is missing"), std::string::npos) << all;
    EXPECT_NE(all.find("'yesterday' is not a time"), std::string::npos) << all;
    EXPECT_NE(all.find("negative"), std::string::npos) << all;
    EXPECT_NE(all.find("v1.1/Things(5) rejected: no datastream"), std::string::npos) << all;
  }

  // 3. The feed is away (the engine restarting, say) and the broker restarts meanwhile: what the
  //    broker acknowledged is delivered when the feed is back.
  feed.stop();
  {
    Publisher publisher(broker.port());
    published.send(publisher, 1000);
    ASSERT_TRUE(publisher.allAcknowledged());
  }
  EXPECT_EQ(store.observations(), 220u) << "nothing arrives while the feed is away";
  broker.stop();
  ASSERT_NO_THROW(broker.start());
  feed.start();
  ASSERT_TRUE(waitFor([&] { return store.observations() == 1220; }))
      << store.observations() << " of 1220 arrived\n"
      << broker.log();

  // 4. The broker restarts under a running feed: it reconnects with back-off and goes on.
  broker.stop();
  ASSERT_TRUE(waitFor([&] { return !feed.connected(); }));
  ASSERT_NO_THROW(broker.start());
  ASSERT_TRUE(waitFor([&] { return feed.connected(); }, 30.0)) << "no reconnection";
  {
    Publisher publisher(broker.port());
    published.send(publisher, 200);
    ASSERT_TRUE(publisher.allAcknowledged());
  }
  ASSERT_TRUE(waitFor([&] { return store.observations() == 1420; }))
      << store.observations() << " of 1420 arrived";

  // Every observation counted once (redeliveries recognised), in its own interval.
  EXPECT_EQ(store.observations(), published.count);
  for (const auto& s : store.series()) {
    EXPECT_DOUBLE_EQ(s.total(), published.sum[s.sensor]) << s.sensor;
    EXPECT_DOUBLE_EQ(s.interval_s, 60.0);
  }
  EXPECT_EQ(store.series().size(), 4u);
  // "now" follows the feed: the end of the newest interval published.
  const int last_minute = (published.next_id - 1) / 4 + 1;
  EXPECT_DOUBLE_EQ(store.now(), mobility::parseTimeCell("2026-12-01T10:00:00Z") + last_minute * 60);
  EXPECT_GE(feed.stats().connects, 3u);
  EXPECT_GE(feed.stats().disconnects, 1u);
  {
    std::lock_guard lock(log_mutex);
    std::string all;
    for (const auto& line : log) all += line + "\n";
    EXPECT_NE(all.find("connection lost; reconnecting with back-off"), std::string::npos) << all;
  }
  feed.stop();
  broker.stop();
  fs::remove_all(folder);
}

TEST(LiveFeed, UnusableOptionsAreRefusedWithWhatToDo) {
  MqttFeedOptions options;
  options.topics = {"v1.1/#"};
  EXPECT_THROW(MqttFeed(options, {}, {}), std::invalid_argument);  // no client id
  options.client_id = "x";
  options.port = 70000;
  EXPECT_THROW(MqttFeed(options, {}, {}), std::invalid_argument);
  options.port = 1883;
  options.topics.clear();
  try {
    MqttFeed feed(options, {}, {});
    FAIL() << "a feed without topics was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Datastreams"), std::string::npos) << e.what();
  }
}

TEST(SensorThings, ParsesObservationsAndSaysWhyNot) {
  std::string why;
  auto o = mobility::parseSensorThingsObservation(
      "v1.1/Datastreams(7)/Observations",
      R"({"@iot.id": 981, "phenomenonTime": "2024-06-01T14:00:00+02:00/2024-06-01T14:15:00+02:00", "result": 42})",
      why);
  ASSERT_TRUE(o) << why;
  EXPECT_EQ(o->datastream, "7");
  EXPECT_EQ(o->id, "981");
  EXPECT_DOUBLE_EQ(o->end_s - o->begin_s, 900.0);
  EXPECT_DOUBLE_EQ(o->result, 42.0);
  o = mobility::parseSensorThingsObservation(
      "city/counts",
      R"({"phenomenonTime": "2024-06-01T12:00:00Z", "result": 3, "Datastream": {"@iot.id": "dam-n"}})",
      why);
  ASSERT_TRUE(o) << why;
  EXPECT_EQ(o->datastream, "dam-n");
  EXPECT_EQ(o->begin_s, o->end_s);
  EXPECT_FALSE(mobility::parseSensorThingsObservation("city/counts", R"({"result": 1})", why));
  EXPECT_NE(why.find("no datastream"), std::string::npos) << why;
  EXPECT_FALSE(mobility::parseSensorThingsObservation(
      "v1.1/Datastreams(7)/Observations",
      R"({"phenomenonTime": "2024-06-01T12:10:00Z/2024-06-01T12:00:00Z", "result": 1})", why));
  EXPECT_NE(why.find("ends before"), std::string::npos) << why;
}

TEST(SensorThings, TheStoreCountsARedeliveryOnceAndFollowsTheNewestTime) {
  mobility::LiveCountStore store;
  EXPECT_TRUE(std::isnan(store.now()));
  mobility::LiveObservation a{"7", "1", 600, 660, 10};
  EXPECT_TRUE(store.add(a));
  EXPECT_FALSE(store.add(a)) << "an MQTT redelivery";
  EXPECT_TRUE(store.add({"7", "2", 720, 780, 5}));
  EXPECT_TRUE(store.add({"7", "", 540, 600, 1}));  // no id: cannot be recognised, counted
  const auto series = store.series();
  ASSERT_EQ(series.size(), 1u);
  EXPECT_DOUBLE_EQ(series[0].begin_s, 540);
  ASSERT_EQ(series[0].counts.size(), 4u);
  EXPECT_EQ(series[0].counts[0], 1);
  EXPECT_EQ(series[0].counts[1], 10);
  EXPECT_TRUE(std::isnan(series[0].counts[2])) << "nothing reported for 11:00 - 12:00";
  EXPECT_EQ(series[0].counts[3], 5);
  EXPECT_DOUBLE_EQ(store.now(), 780);
  EXPECT_EQ(store.duplicates(), 1u);
}

namespace {

// `citytwin follow` against the broker in a thread, with `args` and --out `out`; returns once its
// log says it connected as `client_id` (false if it did not within `seconds`).
bool startFollow(std::thread& follower, int& exit_code, int port, const std::string& args,
                 const std::string& client_id, const fs::path& out, double seconds) {
  follower = std::thread([&exit_code, port, args, client_id, out] {
    const std::string command =
        std::string(CITYTWIN_CLI_PATH) + " follow --broker 127.0.0.1:" + std::to_string(port) +
        " --client-id " + client_id + " " + args + " --out '" + out.string() + "'";
    exit_code = std::system(command.c_str());
  });
  return waitFor(
      [&] {
        std::ifstream log(out / "follow.log");
        std::string text((std::istreambuf_iterator<char>(log)), {});
        return text.find("connected as " + client_id) != std::string::npos;
      },
      seconds);
}

}  // namespace

TEST(LiveFeed, TheFollowCommandKeepsLiveCountsWithSmallCountsWithheld) {
  const fs::path folder =
      fs::temp_directory_path() / ("citytwin-follow-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  MosquittoBroker broker(folder / "broker");
  ASSERT_NO_THROW(broker.start());
  const fs::path out = folder / "out";
  int exit_code = -1;
  std::thread follower;
  ASSERT_TRUE(startFollow(follower, exit_code, broker.port(),
                          "--topic 'v1.1/#' --duration 6 --write-every 1 -q",
                          "citytwin-follow-test", out, 20.0));
  {
    Publisher publisher(broker.port());
    // Datastream "busy": 12 per minute; "quiet": 2 per minute (below k = 5).
    for (int minute = 0; minute < 3; ++minute) {
      for (const auto& [stream, count] : {std::pair{"busy", 12}, std::pair{"quiet", 2}}) {
        char body[200];
        std::snprintf(body, sizeof body,
                      "{\"@iot.id\": \"%s-%d\", \"phenomenonTime\": "
                      "\"2026-12-01T10:%02d:00Z/2026-12-01T10:%02d:00Z\", \"result\": %d}",
                      stream, minute, minute, minute + 1, count);
        publisher.publish(std::string("v1.1/Datastreams(") + stream + ")/Observations", body);
      }
    }
    publisher.publish("v1.1/Datastreams(busy)/Observations", "{broken");
    ASSERT_TRUE(publisher.allAcknowledged());
  }
  follower.join();
  EXPECT_EQ(exit_code, 0);
  std::ifstream csv(out / "live_counts.csv");
  std::string text((std::istreambuf_iterator<char>(csv)), {});
  EXPECT_NE(text.find(",busy,both,12\n"), std::string::npos) << text;
  EXPECT_EQ(text.find(",quiet,both,2"), std::string::npos) << "a count below k was written";
  EXPECT_NE(text.find(",quiet,both,\n"), std::string::npos) << text;
  std::ifstream log(out / "follow.log");
  std::string log_text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(log_text.find("rejected: not JSON"), std::string::npos) << log_text;
  EXPECT_NE(log_text.find("6 observations"), std::string::npos) << log_text;
  broker.stop();
  fs::remove_all(folder);
}

TEST(LiveFeed, TheFollowCommandPlacesGtfsRealtimeBusesFromTheBrokerInTheCity) {
  const fs::path folder =
      fs::temp_directory_path() / ("citytwin-follow-gtfs-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  MosquittoBroker broker(folder / "broker");
  ASSERT_NO_THROW(broker.start());
  const fs::path out = folder / "out";
  int exit_code = -1;
  std::thread follower;
  ASSERT_TRUE(startFollow(follower, exit_code, broker.port(),
                          "--gtfs-rt-topic 'gtfs-rt/#' --duration 6 --write-every 1 -q "
                          "--scenario '" +
                              std::string(CITYTWIN_SOURCE_DIR) +
                              "/scenarios/amsterdam-traffic/base.yaml'",
                          "citytwin-follow-gtfs", out, 60.0));
  {
    Publisher publisher(broker.port());
    // Two buses, three snapshots 30 s apart; the last snapshot moves bus GVB-4021 to the Dam.
    const std::uint64_t t0 = 1796169600;  // 2026-12-02 00:00 UTC
    for (int k = 0; k < 3; ++k) {
      gtfs_rt::FeedMessage feed;
      feed.mutable_header()->set_gtfs_realtime_version("2.0");
      feed.mutable_header()->set_timestamp(t0 + 30 * k);
      for (const auto& [id, lon] :
           {std::pair{"GVB-4021", 4.8890 + 0.0002 * k}, std::pair{"GVB-4022", 4.9020}}) {
        auto* e = feed.add_entity();
        e->set_id(std::string("entity-") + id);
        auto* v = e->mutable_vehicle();
        v->mutable_vehicle()->set_id(id);
        v->mutable_vehicle()->set_license_plate(std::string("BX-") + id);
        v->mutable_trip()->set_route_id("D1");
        v->mutable_trip()->set_trip_id("D1-0712");
        v->mutable_position()->set_latitude(52.3731f);
        v->mutable_position()->set_longitude(static_cast<float>(lon));
        v->set_timestamp(t0 + 30 * k);
      }
      std::string bytes;
      ASSERT_TRUE(feed.SerializeToString(&bytes));
      publisher.publish("gtfs-rt/vehicle-positions", bytes);
    }
    publisher.publish("gtfs-rt/vehicle-positions", std::string("\x0a\xff\xff not protobuf", 17));
    ASSERT_TRUE(publisher.allAcknowledged());
  }
  follower.join();
  EXPECT_EQ(exit_code, 0);
  std::ifstream csv(out / "live_vehicles.csv");
  std::vector<std::string> rows;
  for (std::string line; std::getline(csv, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 3u) << "a header and two buses";
  EXPECT_EQ(rows[0], "vehicle,time,route,trip,x,y,bearing_deg,speed_m_s");
  // Bus 1 at its latest report (t0 + 60): 0.0004 degrees (about 27 m) east of where it began.
  EXPECT_EQ(rows[1].rfind("1,1796169660,D1,D1-0712,", 0), 0u) << rows[1];
  const auto x_of = [](const std::string& row) {
    std::size_t at = 0;
    for (int k = 0; k < 4; ++k) at = row.find(',', at) + 1;
    return std::stod(row.substr(at));
  };
  EXPECT_NEAR(x_of(rows[2]) - x_of(rows[1]), (4.9020 - 4.8894) * 68000.0, 30.0);
  // The log: the broken message rejected with a reason; no vehicle id or plate anywhere.
  std::ifstream log(out / "follow.log");
  std::string log_text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(log_text.find("rejected: message on gtfs-rt/vehicle-positions: not a GTFS Realtime"),
            std::string::npos)
      << log_text;
  EXPECT_NE(log_text.find("2 vehicles"), std::string::npos) << log_text;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text.find("GVB-40"), std::string::npos) << entry.path();
    EXPECT_EQ(text.find("BX-"), std::string::npos) << entry.path();
  }
  broker.stop();
  fs::remove_all(folder);
}
