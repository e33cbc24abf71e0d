#pragma once
// Copies what the view and the charts need out of a running scenario.
#include "citytwin/ui/frame.hpp"

namespace citytwin::engine {
class ScenarioRun;
}

namespace citytwin::ui {

Frame captureFrame(const engine::ScenarioRun& run);

}  // namespace citytwin::ui
