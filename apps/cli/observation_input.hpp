#pragma once
// Reading an observation set's sources for a command: through the privacy stage, retention
// measured against the clock now, and a reader's error (naming the file, line and column,
// never an identifier) turned into an input error of the observation set.
#include <functional>
#include <string>

#include "citytwin/engine/mobility/observation_replay.hpp"

namespace citytwin::cli {

engine::mobility::ObservationReplay readObservations(
    const engine::mobility::ObservationSet& set, engine::mobility::PrivacyGate& gate, double step_s,
    const std::function<void(const std::string&, double)>& progress = {});

}  // namespace citytwin::cli
