#include <algorithm>
#include <map>
#include <unordered_map>

#include "citytwin/engine/traffic/sumo_net.hpp"
#include "citytwin/geodata/error.hpp"
#include "sumo_signal_phase.hpp"

namespace citytwin::engine::traffic {

using geodata::InputError;

SignalPhase readSumoPhase(const std::string& file, const XmlElement& e) {
  SignalPhase ph;
  ph.duration = static_cast<float>(numberAttribute(file, e, "duration"));
  const std::string state = requiredAttribute(file, e, "state");
  for (char c : state) {
    const auto s = signalStateFromChar(c);
    if (!s)
      throw InputError(file, e.where(), std::string("unknown signal state '") + c + "'",
                       "states are made of r u y Y G g O o s");
    ph.states.push_back(*s);
  }
  if (ph.duration <= 0.0f) throw InputError(file, e.where(), "phase duration must be positive");
  return ph;
}

SignalProgramsRead readSumoSignalPrograms(const std::string& path, Network& net) {
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t k = 0; k < net.signals.size(); ++k) by_id[net.signals[k].id] = k;
  // The states a program must have: one per signal index its links use.
  std::vector<std::size_t> needed(net.signals.size(), 0);
  for (const Link& l : net.links)
    if (l.signal >= 0) {
      auto& n = needed[static_cast<std::size_t>(l.signal)];
      n = std::max<std::size_t>(n, l.signal_index + 1);
    }
  SignalProgramsRead read;
  std::map<std::string, std::size_t> ignored;
  SignalProgram program;
  std::size_t target = 0;
  std::string where;
  bool open = false;
  XmlHandlers h;
  h.start = [&](const XmlElement& e) {
    const auto n = e.name();
    if (n == "tlLogic") {
      const std::string id = requiredAttribute(path, e, "id");
      const auto it = by_id.find(id);
      if (it == by_id.end())
        throw InputError(path, e.where(), "signal \"" + id + "\" is not in the network",
                         "check that the file belongs to network " + net.source);
      const std::string type = e.get("type", "static");
      if (type != "static")
        ++ignored["type=\"" + type + "\" programs run as fixed-time (their phase durations)"];
      program = SignalProgram{};
      program.id = id;
      program.program_id = e.get("programID");
      program.offset = static_cast<float>(optionalNumber(path, e, "offset").value_or(0.0));
      target = it->second;
      where = e.where();
      open = true;
    } else if (n == "phase" && open) {
      program.phases.push_back(readSumoPhase(path, e));
    } else if (n == "WAUT" || n == "wautSwitch" || n == "wautJunction") {
      ++ignored["<" + std::string(n) + "> (program switches by time of day)"];
    }
  };
  h.end = [&](std::string_view n) {
    if (n != "tlLogic" || !open) return;
    open = false;
    if (program.phases.empty()) throw InputError(path, where, "signal program has no <phase>");
    for (const auto& ph : program.phases)
      if (ph.states.size() < needed[target])
        throw InputError(path, where,
                         "signal program has " + std::to_string(ph.states.size()) +
                             " states per phase; the network's signal \"" + program.id +
                             "\" controls " + std::to_string(needed[target]) + " links",
                         "write the program for this network (netconvert --tllogic-output)");
    // As in SUMO, the program loaded last is the one that runs.
    net.signals[target] = std::move(program);
    ++read.programs;
  };
  scanXml(path, h);
  for (const auto& [what, count] : ignored)
    read.warnings.push_back(path + ": " + std::to_string(count) + " x " + what +
                            " (not supported yet)");
  return read;
}

}  // namespace citytwin::engine::traffic
