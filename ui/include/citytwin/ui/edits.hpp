#pragma once
// Turns what a planner does in the view into interventions (see scenarios/README.md): a
// clicked street, a drawn fence, a gate's new capacity, a signal's new green times.
#include <optional>
#include <string>
#include <vector>

#include "citytwin/ui/variant_document.hpp"

namespace citytwin::engine {
class ScenarioRun;
}

namespace citytwin::ui {

/// Closes the street nearest to `click` (within 15 m): to all traffic where the scenario has
/// traffic (`close_road` by OSM way), else to pedestrians over 30 m of it (`close_area`).
/// Nothing when no street is near.
std::optional<InterventionEdit> closeStreetEdit(const engine::ScenarioRun& run,
                                                const VariantDocument& doc,
                                                const geodata::Vec2& click);
/// A fence along the points drawn (at least two).
InterventionEdit barrierEdit(const VariantDocument& doc, const std::string& name,
                             const std::vector<geodata::Vec2>& line);
/// A gate's new capacity (people per second) and opening time (s; < 0 unchanged).
InterventionEdit gateEdit(const VariantDocument& doc, const std::string& stage, double service_rate,
                          double opens_at_s, const geodata::Vec2& where);
/// New green times for the signal (or signal cluster within `radius_m`) nearest `near`.
InterventionEdit signalPlanEdit(const VariantDocument& doc, const geodata::Vec2& near,
                                double radius_m, const std::vector<double>& green_s);

}  // namespace citytwin::ui
