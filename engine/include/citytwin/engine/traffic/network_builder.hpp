#pragma once
// Builds a traffic network from junctions and edges: lane geometry beside the edge's axis,
// links with their direction, junction paths and speeds, and per junction the conflicts
// between links and who gives way (main road, turning traffic, right before left). Used for
// networks from the city model and for test networks; SUMO networks bring their own.
#include <string>
#include <vector>

#include "citytwin/engine/traffic/network.hpp"

namespace citytwin::engine::traffic {

class NetworkBuilder {
 public:
  static constexpr double kLaneWidth = 3.2;
  static constexpr double kJunctionRadius = 6.0;  ///< lanes end this far before a junction

  std::uint32_t addJunction(std::string id, geodata::Vec2 position,
                            JunctionKind kind = JunctionKind::kPriority);
  /// An edge along `axis` (default: the straight line between its junctions), lanes to the
  /// right of it, lane 0 outermost. Lanes stop kJunctionRadius short of a junction with more
  /// than one other edge.
  std::uint32_t addEdge(std::string id, std::uint32_t from, std::uint32_t to, std::uint32_t lanes,
                        float speed, int priority = 1, ClassMask allow = kClassAllVehicles,
                        std::vector<geodata::Vec2> axis = {}, std::string name = {});
  /// A link from lane `from_lane` of `from_edge` to lane `to_lane` of `to_edge`.
  void addLink(std::uint32_t from_edge, std::uint32_t from_lane, std::uint32_t to_edge,
               std::uint32_t to_lane);
  /// Links from `from_edge` onto `to_edge` with the usual lane use: right turns from the
  /// right lane, left turns and turning back from the left lane, straight on lane by lane.
  void connect(std::uint32_t from_edge, std::uint32_t to_edge);
  /// Connects every edge into each junction with every edge out of it, except turning back
  /// where another way on exists.
  void connectAll();
  /// Drops the links from `from_edge` onto `to_edge` (a turn ban).
  void removeLinks(std::uint32_t from_edge, std::uint32_t to_edge);
  /// Drops the links from `from_edge` onto any edge but `to_edge` (an "only" turn).
  void keepOnlyLinks(std::uint32_t from_edge, std::uint32_t to_edge);
  /// A signal program; returns its index. Give links their state index with setSignal.
  std::uint32_t addSignal(SignalProgram program);
  /// Makes every link of `junction` signal-controlled by `program`, link i of the junction's
  /// request order reading state index i.
  void setJunctionSignal(std::uint32_t junction, std::uint32_t program);
  /// Two-phase fixed-time plan for a signalised junction, made at build(): approaches grouped
  /// by axis; green `green_s`, yellow 3 s, 2 s all-red; turns across traffic yield on green.
  void addTwoPhaseSignal(std::uint32_t junction, float green_s = 30.0f, float offset_s = 0.0f);

  /// Computes link geometry, conflicts and right of way, and returns the network.
  Network build();

  Network& network() { return net_; }

 private:
  struct PendingLink {
    std::uint32_t from_edge, from_lane, to_edge, to_lane;
  };
  double heading(std::uint32_t edge, bool at_end) const;
  void makeLanes();
  void makeLinks();
  void computeRightOfWay();
  void makeSignals();
  /// Gives every lane of `edge` without a link the way on of its nearest neighbour's.
  void linkDeadLanes(std::uint32_t edge);

  Network net_;
  std::vector<std::vector<geodata::Vec2>> axes_;
  std::vector<PendingLink> pending_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> junction_signals_;
  struct TwoPhase {
    std::uint32_t junction;
    float green, offset;
  };
  std::vector<TwoPhase> two_phase_;
};

}  // namespace citytwin::engine::traffic
