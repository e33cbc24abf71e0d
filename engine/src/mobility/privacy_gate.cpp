#include "citytwin/engine/mobility/privacy_gate.hpp"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace citytwin::engine::mobility {
namespace {

std::uint64_t splitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

HashKey randomKey() {
  std::random_device device;
  HashKey key{};
  for (auto& word : key) {
    word = (std::uint64_t{device()} << 32) ^ device();
  }
  return key;
}

// volatile stores are not optimised away, so the key really leaves memory.
void wipe(HashKey& key) {
  volatile std::uint64_t* words = key.data();
  for (std::size_t i = 0; i < key.size(); ++i) words[i] = 0;
}

}  // namespace

void checkPolicy(const PrivacyPolicy& policy) {
  if (!(policy.key_period_s > 0.0)) {
    throw std::invalid_argument("privacy: key_period must be a positive number of seconds (" +
                                std::to_string(policy.key_period_s) + " given)");
  }
  if (policy.min_group_size < 1) {
    throw std::invalid_argument(
        "privacy: min_group_size must be at least 1 (5 is the usual minimum; " +
        std::to_string(policy.min_group_size) + " given)");
  }
  if (policy.time_resolution_s < 0.0 || policy.space_resolution_m < 0.0) {
    throw std::invalid_argument("privacy: time_resolution and space_resolution must be 0 or more");
  }
  if (!(policy.retention_s > 0.0)) {
    throw std::invalid_argument("privacy: retention must be a positive number of seconds");
  }
}

PrivacyGate::PrivacyGate(PrivacyPolicy policy) : PrivacyGate(policy, false, 0) {}

PrivacyGate::PrivacyGate(PrivacyPolicy policy, bool test_keys, std::uint64_t seed)
    : policy_(policy), test_keys_(test_keys), test_seed_(seed) {
  checkPolicy(policy_);
}

PrivacyGate PrivacyGate::withTestKeys(PrivacyPolicy policy, std::uint64_t seed) {
  return PrivacyGate(policy, true, seed);
}

PrivacyGate::PrivacyGate(PrivacyGate&& other) noexcept
    : policy_(other.policy_),
      test_keys_(other.test_keys_),
      test_seed_(other.test_seed_),
      keys_(std::move(other.keys_)) {
  other.keys_.clear();
}

PrivacyGate::~PrivacyGate() {
  for (auto& [period, key] : keys_) wipe(key);
}

std::int64_t PrivacyGate::periodOf(double time_s) const {
  return static_cast<std::int64_t>(std::floor(time_s / policy_.key_period_s));
}

const HashKey& PrivacyGate::keyFor(std::int64_t period) {
  auto found = keys_.find(period);
  if (found != keys_.end()) return found->second;
  HashKey key;
  if (test_keys_) {
    std::uint64_t state = test_seed_ ^ (static_cast<std::uint64_t>(period) * 0x2545f4914f6cdd1dULL);
    key = {splitMix64(state), splitMix64(state)};
  } else {
    key = randomKey();
  }
  return keys_.emplace(period, key).first->second;
}

Pseudonym PrivacyGate::pseudonymise(std::string_view raw_id, double time_s) {
  return Pseudonym{sipHash24(keyFor(periodOf(time_s)), raw_id)};
}

void PrivacyGate::forgetKeysBefore(double time_s) {
  const std::int64_t current = periodOf(time_s);
  for (auto it = keys_.begin(); it != keys_.end() && it->first < current;) {
    wipe(it->second);
    it = keys_.erase(it);
  }
}

double PrivacyGate::coarsenTime(double time_s) const {
  const double step = policy_.time_resolution_s;
  return step > 0.0 ? std::floor(time_s / step) * step : time_s;
}

float PrivacyGate::coarsenSpace(float metres) const {
  const double step = policy_.space_resolution_m;
  // The centre of the grid cell, so that coarsening does not shift everyone the same way.
  return step > 0.0 ? static_cast<float>((std::floor(metres / step) + 0.5) * step) : metres;
}

bool PrivacyGate::expired(double record_time_s, double now_s) const {
  return now_s - record_time_s > policy_.retention_s;
}

bool PrivacyGate::publishable(double count) const {
  return publishableCount(count, policy_.min_group_size);
}

}  // namespace citytwin::engine::mobility
