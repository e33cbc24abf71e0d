#include "citytwin/engine/mobility/live_observation.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace citytwin::engine::mobility {
namespace {

using json = nlohmann::json;

// "Datastreams(7)/Observations" or "Datastreams('gate-3')/Observations" anywhere in the topic.
std::string datastreamFromTopic(std::string_view topic) {
  const std::string_view key = "Datastreams(";
  const auto at = topic.find(key);
  if (at == std::string_view::npos) return {};
  const auto start = at + key.size();
  const auto close = topic.find(')', start);
  if (close == std::string_view::npos) return {};
  std::string id(topic.substr(start, close - start));
  if (id.size() >= 2 && id.front() == '\'' && id.back() == '\'') id = id.substr(1, id.size() - 2);
  return id;
}

std::string idText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return {};
}

std::optional<LiveObservation> parseObservationObject(std::string_view topic, const json& j,
                                                      std::string& reason) {
  if (!j.is_object()) {
    reason = "not a JSON object";
    return std::nullopt;
  }
  LiveObservation o;
  o.datastream = datastreamFromTopic(topic);
  if (o.datastream.empty() && j.contains("Datastream") && j["Datastream"].is_object() &&
      j["Datastream"].contains("@iot.id")) {
    o.datastream = idText(j["Datastream"]["@iot.id"]);
  }
  if (o.datastream.empty()) {
    reason =
        "no datastream: publish on .../Datastreams(ID)/Observations or add "
        "\"Datastream\": {\"@iot.id\": ID}";
    return std::nullopt;
  }
  if (j.contains("@iot.id")) o.id = idText(j["@iot.id"]);
  if (!j.contains("result") || !j["result"].is_number()) {
    reason = "'result' is missing or not a number";
    return std::nullopt;
  }
  o.result = j["result"].get<double>();
  if (!std::isfinite(o.result) || o.result < 0.0) {
    reason = "'result' is negative or not finite; counts are 0 or more";
    return std::nullopt;
  }
  if (!j.contains("phenomenonTime") || !j["phenomenonTime"].is_string()) {
    reason = "'phenomenonTime' is missing or not a string";
    return std::nullopt;
  }
  const std::string time = j["phenomenonTime"].get<std::string>();
  try {
    const auto slash = time.find('/');
    o.begin_s = parseTimeCell(time.substr(0, slash));
    o.end_s = slash == std::string::npos ? o.begin_s : parseTimeCell(time.substr(slash + 1));
  } catch (const std::invalid_argument& e) {
    reason = std::string("'phenomenonTime': ") + e.what();
    return std::nullopt;
  }
  if (o.end_s < o.begin_s) {
    reason = "'phenomenonTime' ends before it starts";
    return std::nullopt;
  }
  return o;
}

}  // namespace

std::optional<LiveObservation> parseSensorThingsObservation(std::string_view topic,
                                                            std::string_view payload,
                                                            std::string& reason) {
  json j;
  try {
    j = json::parse(payload);
  } catch (const json::parse_error& e) {
    reason = "not JSON (byte " + std::to_string(e.byte) + ")";
    return std::nullopt;
  }
  return parseObservationObject(topic, j, reason);
}

std::vector<CountSeries> readSensorThingsObservations(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the file; check the path");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(path + ": not valid JSON (byte " + std::to_string(e.byte) +
                             "); export the Observations as JSON");
  }
  const json* list = &j;
  if (j.is_object() && j.contains("value")) list = &j["value"];
  if (!list->is_array()) {
    throw std::runtime_error(path +
                             ": expected a list of Observations, or {\"value\": [...]} "
                             "as the SensorThings API answers");
  }
  LiveCountStore store;
  std::size_t index = 0;
  for (const json& o : *list) {
    std::string reason;
    const auto observation = parseObservationObject("", o, reason);
    if (!observation) {
      throw std::runtime_error(path + ": Observation " + std::to_string(index) +
                               (o.is_object() && o.contains("@iot.id")
                                    ? " (@iot.id " + idText(o["@iot.id"]) + ")"
                                    : std::string()) +
                               ": " + reason);
    }
    store.add(*observation);
    ++index;
  }
  if (index == 0) throw std::runtime_error(path + ": holds no Observations");
  return store.series();
}

LiveCountStore::LiveCountStore(double instant_interval_s)
    : instant_interval_s_(instant_interval_s), now_s_(std::numeric_limits<double>::quiet_NaN()) {}

bool LiveCountStore::add(const LiveObservation& o) {
  std::lock_guard lock(mutex_);
  auto found = stream_index_.find(o.datastream);
  if (found == stream_index_.end()) {
    Stream s;
    s.name = o.datastream;
    s.origin_s = o.begin_s;
    s.interval_s = o.end_s > o.begin_s ? o.end_s - o.begin_s : instant_interval_s_;
    streams_.push_back(std::move(s));
    found = stream_index_.emplace(o.datastream, streams_.size() - 1).first;
  }
  Stream& s = streams_[found->second];
  if (!o.id.empty() && !s.ids.insert(o.id).second) {
    ++duplicates_;
    return false;
  }
  const auto index =
      static_cast<long long>(std::floor((o.begin_s - s.origin_s) / s.interval_s + 1e-9));
  s.counts[index] += o.result;
  ++observations_;
  if (std::isnan(now_s_) || o.end_s > now_s_) now_s_ = o.end_s;
  return true;
}

double LiveCountStore::now() const {
  std::lock_guard lock(mutex_);
  return now_s_;
}

std::size_t LiveCountStore::observations() const {
  std::lock_guard lock(mutex_);
  return observations_;
}

std::size_t LiveCountStore::duplicates() const {
  std::lock_guard lock(mutex_);
  return duplicates_;
}

std::vector<CountSeries> LiveCountStore::series() const {
  std::lock_guard lock(mutex_);
  std::vector<CountSeries> out;
  for (const Stream& s : streams_) {
    CountSeries c;
    c.sensor = s.name;
    c.direction = "both";
    c.interval_s = s.interval_s;
    if (!s.counts.empty()) {
      const long long first = s.counts.begin()->first, last = s.counts.rbegin()->first;
      c.begin_s = s.origin_s + static_cast<double>(first) * s.interval_s;
      c.counts.assign(static_cast<std::size_t>(last - first + 1),
                      std::numeric_limits<double>::quiet_NaN());
      for (const auto& [index, count] : s.counts) {
        c.counts[static_cast<std::size_t>(index - first)] = count;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace citytwin::engine::mobility
