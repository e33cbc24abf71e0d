#include "observation_input.hpp"

#include <chrono>
#include <stdexcept>

#include "citytwin/geodata/error.hpp"

namespace citytwin::cli {

engine::mobility::ObservationReplay readObservations(
    const engine::mobility::ObservationSet& set, engine::mobility::PrivacyGate& gate, double step_s,
    const std::function<void(const std::string&, double)>& progress) {
  const double now_s =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  try {
    return engine::mobility::replayObservations(set, gate, step_s, now_s, progress);
  } catch (const geodata::InputError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw geodata::InputError(set.path, "", e.what(),
                              "fix the source file, or its column mapping in the observation set");
  }
}

}  // namespace citytwin::cli
