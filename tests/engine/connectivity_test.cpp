#include "citytwin/engine/connectivity.hpp"

#include <gtest/gtest.h>

namespace citytwin::engine {
namespace {

using geodata::bit;
using geodata::CityModel;
using geodata::Mode;

CityModel graphOf(std::uint32_t nodes,
                  std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> edges,
                  geodata::ModeMask modes = bit(Mode::kCar)) {
  CityModel m;
  m.nodes.resize(nodes);
  for (auto [a, b] : edges) {
    geodata::Link l;
    l.from = a;
    l.to = b;
    l.modes = modes;
    m.links.push_back(l);
  }
  return m;
}

TEST(Connectivity, TarjanFindsCyclesAndSingletons) {
  // 0 -> 1 -> 2 -> 0 is a cycle; 2 -> 3 leads out; 4 <-> 5 is another component.
  const CityModel m = graphOf(6, {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {4, 5}, {5, 4}});
  const auto c = stronglyConnectedComponents(buildModeGraph(m, Mode::kCar));
  EXPECT_EQ(c.count, 3u);  // {0,1,2}, {3}, {4,5}
  EXPECT_EQ(c.component_of_node[0], c.component_of_node[1]);
  EXPECT_EQ(c.component_of_node[1], c.component_of_node[2]);
  EXPECT_NE(c.component_of_node[2], c.component_of_node[3]);
  EXPECT_EQ(c.component_of_node[4], c.component_of_node[5]);
  const auto share = linkConnectivity(m, Mode::kCar);
  EXPECT_EQ(share.links, 6u);
  EXPECT_EQ(share.links_in_largest, 3u);
  EXPECT_DOUBLE_EQ(share.share, 0.5);
}

TEST(Connectivity, OnlyTheModesLinksCount) {
  CityModel m = graphOf(3, {{0, 1}, {1, 0}, {1, 2}});
  m.links[2].modes = bit(Mode::kFoot);
  EXPECT_DOUBLE_EQ(linkConnectivity(m, Mode::kCar).share, 1.0);
  EXPECT_EQ(linkConnectivity(m, Mode::kBus).links, 0u);
  EXPECT_DOUBLE_EQ(linkConnectivity(m, Mode::kBus).share, 0.0);
}

TEST(Connectivity, BoundaryNodesJoinThroughTheOutside) {
  // A one-way street entering the box at node 0 and leaving at node 2.
  CityModel m = graphOf(3, {{0, 1}, {1, 2}});
  m.nodes[0].boundary = m.nodes[2].boundary = true;
  EXPECT_DOUBLE_EQ(linkConnectivity(m, Mode::kCar, false).share, 0.0);  // no link can come back
  EXPECT_DOUBLE_EQ(linkConnectivity(m, Mode::kCar, true).share, 1.0);
}

TEST(Connectivity, LongChainsDoNotOverflowTheStack) {
  CityModel m;
  const std::uint32_t n = 200000;
  m.nodes.resize(n);
  for (std::uint32_t i = 0; i + 1 < n; ++i) {
    geodata::Link l;
    l.from = i;
    l.to = i + 1;
    l.modes = bit(Mode::kCar);
    m.links.push_back(l);
  }
  geodata::Link back;
  back.from = n - 1;
  back.to = 0;
  back.modes = bit(Mode::kCar);
  m.links.push_back(back);
  EXPECT_DOUBLE_EQ(linkConnectivity(m, Mode::kCar).share, 1.0);
}

}  // namespace
}  // namespace citytwin::engine
