// The privacy stage: keyed pseudonyms, key rotation, small-count suppression, coarsening.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "citytwin/engine/mobility/keyed_hash.hpp"
#include "citytwin/engine/mobility/privacy_gate.hpp"

namespace mobility = citytwin::engine::mobility;

namespace {

std::string bytes(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(i));
  return s;
}

}  // namespace

TEST(KeyedHash, MatchesTheSipHashReferenceVectors) {
  // Key 00 01 .. 0f and messages 00 01 .. (n-1), from the SipHash paper's test vectors.
  const mobility::HashKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  EXPECT_EQ(mobility::sipHash24(key, bytes(0)), 0x726fdb47dd0e0e31ULL);
  EXPECT_EQ(mobility::sipHash24(key, bytes(1)), 0x74f839c593dc67fdULL);
  EXPECT_EQ(mobility::sipHash24(key, bytes(8)), 0x93f5f5799a932462ULL);
  EXPECT_EQ(mobility::sipHash24(key, bytes(15)), 0xa129ca6149be45e5ULL);
}

TEST(PrivacyGate, TheSameIdentifierGetsTheSamePseudonymWithinAKeyPeriodOnly) {
  mobility::PrivacyPolicy policy;
  policy.key_period_s = 3600;
  mobility::PrivacyGate gate(policy);
  const auto a = gate.pseudonymise("a4:5e:60:d2:1c:07", 10.0);
  EXPECT_EQ(a, gate.pseudonymise("a4:5e:60:d2:1c:07", 3599.0));
  EXPECT_NE(a, gate.pseudonymise("a4:5e:60:d2:1c:08", 10.0));
  EXPECT_NE(a, gate.pseudonymise("a4:5e:60:d2:1c:07", 3600.0)) << "the key rotates every hour";
  EXPECT_EQ(gate.keysHeld(), 2u);
}

TEST(PrivacyGate, KeysAreRandomPerProcessSoPseudonymsCannotBeRecomputed) {
  mobility::PrivacyGate first, second;
  EXPECT_NE(first.pseudonymise("NL-12-ABC-3", 0.0), second.pseudonymise("NL-12-ABC-3", 0.0));
  // Test keys are repeatable, so that tests can compare two runs.
  auto t1 = mobility::PrivacyGate::withTestKeys({}, 7);
  auto t2 = mobility::PrivacyGate::withTestKeys({}, 7);
  EXPECT_EQ(t1.pseudonymise("NL-12-ABC-3", 0.0), t2.pseudonymise("NL-12-ABC-3", 0.0));
}

TEST(PrivacyGate, ForgettingOldKeysUnlinksTheFuture) {
  mobility::PrivacyPolicy policy;
  policy.key_period_s = 60;
  auto gate = mobility::PrivacyGate::withTestKeys(policy, 1);
  gate.pseudonymise("x", 0.0);
  gate.pseudonymise("x", 61.0);
  gate.pseudonymise("x", 130.0);
  EXPECT_EQ(gate.keysHeld(), 3u);
  gate.forgetKeysBefore(125.0);
  EXPECT_EQ(gate.keysHeld(), 1u) << "only the current period's key is left";
}

TEST(PrivacyGate, CountsBelowTheMinimumGroupSizeAreNotPublishable) {
  mobility::PrivacyGate gate;  // k = 5
  EXPECT_TRUE(gate.publishable(0));
  for (int c = 1; c < 5; ++c) EXPECT_FALSE(gate.publishable(c)) << c;
  EXPECT_TRUE(gate.publishable(5));
  EXPECT_TRUE(gate.publishable(120));
  EXPECT_FALSE(gate.publishable(2.5)) << "a mean of a few people is still a few people";
}

TEST(PrivacyGate, CoarsensTimeAndSpaceAndKnowsWhatExpired) {
  mobility::PrivacyPolicy policy;
  policy.time_resolution_s = 10;
  policy.space_resolution_m = 5;
  policy.retention_s = 86400 * 30;
  mobility::PrivacyGate gate(policy);
  EXPECT_DOUBLE_EQ(gate.coarsenTime(127.3), 120.0);
  EXPECT_FLOAT_EQ(gate.coarsenSpace(12.2f), 12.5f);
  EXPECT_FLOAT_EQ(gate.coarsenSpace(-0.1f), -2.5f);
  EXPECT_FALSE(gate.expired(0.0, 86400.0 * 30));
  EXPECT_TRUE(gate.expired(0.0, 86400.0 * 30 + 1));
}

TEST(PrivacyGate, RejectsAPolicyThatCannotWork) {
  mobility::PrivacyPolicy policy;
  policy.min_group_size = 0;
  EXPECT_THROW(mobility::PrivacyGate{policy}, std::invalid_argument);
  policy = {};
  policy.key_period_s = 0;
  try {
    mobility::PrivacyGate gate(policy);
    FAIL() << "a zero key period was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("key_period"), std::string::npos) << e.what();
  }
}
