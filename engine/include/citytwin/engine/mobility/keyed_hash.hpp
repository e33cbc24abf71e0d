#pragma once
// SipHash-2-4 (J.-P. Aumasson and D. J. Bernstein, 2012): a keyed pseudo-random function with
// a 128-bit key. The privacy stage turns identifiers into pseudonyms with it: without the key a
// pseudonym can be neither reversed nor recomputed from a guessed identifier (a plain hash of a
// MAC address can: there are only 2^48 of them).
#include <array>
#include <cstdint>
#include <string_view>

namespace citytwin::engine::mobility {

using HashKey = std::array<std::uint64_t, 2>;

std::uint64_t sipHash24(const HashKey& key, std::string_view message);

}  // namespace citytwin::engine::mobility
