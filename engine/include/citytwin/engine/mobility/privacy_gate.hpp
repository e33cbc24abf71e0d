#pragma once
// Privacy at the door: the stage every mobility input passes before anything else sees it.
// Identifiers (MAC addresses, device, vehicle and tag ids) become keyed pseudonyms whose key
// changes every period and exists only in this process's memory; counts below the minimum
// group size are withheld from display and export; trajectories can be coarsened in time and
// space; records older than the retention limit are deleted.
#include <cstdint>
#include <limits>
#include <map>
#include <string_view>

#include "citytwin/engine/mobility/keyed_hash.hpp"

namespace citytwin::engine::mobility {

struct PrivacyPolicy {
  /// Pseudonyms link records of one person within one period only (s).
  double key_period_s = 86400.0;
  /// k: a count from 1 to k - 1 could single someone out and is never shown or exported.
  int min_group_size = 5;
  /// Trajectories are kept at one sample per this many seconds (0: as measured).
  double time_resolution_s = 0.0;
  /// Trajectory positions are snapped to a grid of this many metres (0: as measured).
  double space_resolution_m = 0.0;
  /// Records older than this (s, against the newest time seen) are deleted.
  double retention_s = std::numeric_limits<double>::infinity();
};

struct Pseudonym {
  std::uint64_t value = 0;
  friend bool operator==(Pseudonym, Pseudonym) = default;
};

class PrivacyGate {
 public:
  /// Keys are drawn from the operating system's random source, one per period, on first use.
  explicit PrivacyGate(PrivacyPolicy policy = {});
  /// Repeatable keys, for tests that need the same pseudonyms in two runs. Never in production.
  static PrivacyGate withTestKeys(PrivacyPolicy policy, std::uint64_t seed);
  ~PrivacyGate();  // overwrites the keys
  PrivacyGate(const PrivacyGate&) = delete;
  PrivacyGate& operator=(const PrivacyGate&) = delete;
  PrivacyGate(PrivacyGate&& other) noexcept;
  PrivacyGate& operator=(PrivacyGate&&) = delete;

  /// The pseudonym of `raw_id` seen at `time_s`: the same for the same identifier within one
  /// key period, unrelated across periods and across processes.
  Pseudonym pseudonymise(std::string_view raw_id, double time_s);
  /// Drops the keys of periods that ended before `time_s` (live feeds call this as time goes
  /// on): from then on nobody, this process included, can link later records to earlier ones.
  void forgetKeysBefore(double time_s);
  std::size_t keysHeld() const { return keys_.size(); }

  double coarsenTime(double time_s) const;
  float coarsenSpace(float metres) const;
  /// True when a record of `record_time_s` is older than the retention limit at `now_s`.
  bool expired(double record_time_s, double now_s) const;
  /// True when a count may be shown or exported (0, or at least k).
  bool publishable(double count) const;

  const PrivacyPolicy& policy() const { return policy_; }

 private:
  PrivacyGate(PrivacyPolicy policy, bool test_keys, std::uint64_t seed);
  std::int64_t periodOf(double time_s) const;
  const HashKey& keyFor(std::int64_t period);

  PrivacyPolicy policy_;
  bool test_keys_ = false;
  std::uint64_t test_seed_ = 0;
  std::map<std::int64_t, HashKey> keys_;
};

/// True when a count may be shown or exported under a minimum group size of `k`: 0, or at
/// least k (from 1 to k - 1 could single someone out).
inline bool publishableCount(double count, int k) {
  return !(count > 0.0 && count < k);
}

/// Validates a policy; throws std::invalid_argument naming the setting and what to do.
void checkPolicy(const PrivacyPolicy& policy);

}  // namespace citytwin::engine::mobility
