#include "traffic_run_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "citytwin/engine/traffic/demand.hpp"
#include "citytwin/engine/traffic/emissions.hpp"
#include "citytwin/engine/traffic/induction_loops.hpp"
#include "citytwin/engine/traffic/noise.hpp"
#include "citytwin/engine/traffic/sumo_config.hpp"
#include "citytwin/engine/traffic/sumo_net.hpp"
#include "citytwin/engine/traffic/sumo_outputs.hpp"
#include "citytwin/engine/traffic/traffic_simulation.hpp"
#include "citytwin/geodata/error.hpp"
#include "citytwin/version.hpp"
#include "output_file.hpp"
#include "progress_bar.hpp"

namespace citytwin::cli {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace citytwin::engine::traffic;

namespace {

void writeTripinfo(const TrafficSimulation& sim, const fs::path& path) {
  OutputFile f(path);
  auto& o = f.stream();
  o << "id,depart_s,arrival_s,duration_s,route_length_m,time_loss_s,waiting_time_s,"
       "depart_delay_s,co2_g,nox_g,pm10_g,fuel_g\n";
  char line[256];
  for (const auto& r : sim.trips()) {
    const int n = std::snprintf(
        line, sizeof line, ",%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.4f,%.5f,%.2f\n", r.depart_s,
        r.arrival_s, r.arrival_s - r.depart_s, r.route_length_m, r.time_loss_s, r.waiting_time_s,
        r.depart_delay_s, r.co2_g, r.nox_g, r.pm10_g, r.fuel_g);
    o << sim.demand().trips[r.trip].id;
    o.write(line, n);
  }
  f.commit();
}

void writeAggregates(const TrafficSimulation& sim, const fs::path& path) {
  OutputFile f(path);
  auto& o = f.stream();
  o << "begin_s,end_s,edge,entered,left,density_veh_per_km,mean_speed_m_s,mean_travel_time_s,"
       "co2_g,nox_g,pm10_g,noise_lw_dba_per_m,noise_laeq_10m_dba\n";
  const Network& net = sim.network();
  for (const auto& a : sim.edgeAggregates()) {
    const Edge& e = net.edges[a.edge];
    const double span = std::max(1e-9, a.end_s - a.begin_s);
    const double density = a.sampled_seconds / span / (e.length / 1000.0) /
                           static_cast<double>(std::max<std::uint32_t>(1, e.lane_count));
    o << a.begin_s << "," << a.end_s << "," << e.id << "," << a.entered << "," << a.left << ","
      << density << "," << (a.sampled_seconds > 0 ? a.speed_sum / a.sampled_seconds : 0.0) << ","
      << (a.left > 0 ? a.travel_time_sum / a.left : 0.0) << "," << a.co2_g << "," << a.nox_g << ","
      << a.pm10_g << ",";
    const double lw = soundPowerPerMetreDbA(a.noise_power_seconds, span, a.noise_length_m);
    o << lw << "," << lineSourceLevelDbA(lw, 10.0) << "\n";
  }
  f.commit();
}

/// Every stop call of every bus: timetable against what happened.
void writeBusStops(const TrafficSimulation& sim, const fs::path& path) {
  OutputFile f(path);
  auto& o = f.stream();
  o << "trip,line,stop,sequence,scheduled_arrival_s,arrival_s,delay_s,scheduled_departure_s,"
       "departure_s,dwell_s\n";
  for (const auto& r : sim.stops()) {
    const Trip& t = sim.demand().trips[r.trip];
    const TripStop& st = t.stops[r.stop];
    o << t.id << "," << t.line << ",\"" << st.name << "\"," << r.stop + 1 << ",";
    if (st.arrival_s >= 0.0)  // stops without a timetable leave the scheduled columns empty
      o << st.arrival_s << "," << r.arrival_s << "," << r.arrival_s - st.arrival_s << ","
        << st.departure_s << ",";
    else
      o << "," << r.arrival_s << ",,,";
    o << r.departure_s << "," << r.departure_s - r.arrival_s << "\n";
  }
  f.commit();
}

}  // namespace

int runSumoScenario(const TrafficRunOptions& o) {
  if (o.sumo_routes.empty())
    throw geodata::InputError(o.sumo_net, "", "has no demand to run",
                              "add --sumo-routes ROUTES.rou.xml (or a .trips.xml)");
  const fs::path out = o.out_dir;
  prepareOutputFolder(out, o.force);
  ProgressBar bar(!o.quiet);
  bar.update("reading " + fs::path(o.sumo_net).filename().string(), 0.0);
  Network net = readSumoNetwork(o.sumo_net);
  Demand demand;
  std::size_t signal_programs = 0;
  std::vector<InductionLoop> loops;
  for (const auto& r : o.sumo_routes) {
    bar.update("reading " + fs::path(r).filename().string(), 0.0);
    auto signals = readSumoSignalPrograms(r, net);
    signal_programs += signals.programs;
    for (auto& w : signals.warnings) demand.warnings.push_back(std::move(w));
    auto detectors = readSumoInductionLoops(r, net);
    for (auto& d : detectors.loops) loops.push_back(std::move(d));
    for (auto& w : detectors.warnings) demand.warnings.push_back(std::move(w));
    readSumoRoutes(r, net, demand, static_cast<std::uint64_t>(o.seed));
  }
  bar.update("routing trips", 0.0);
  finishDemand(net, demand, o.threads);
  TrafficConfig config;
  config.begin_s = o.begin_s;
  config.end_s = o.end_s;
  config.time_step_s = o.step_s;
  if (o.stuck_after_s > 0.0) config.stuck_after_s = o.stuck_after_s;
  config.seed = static_cast<std::uint64_t>(o.seed);
  config.aggregate_interval_s = o.aggregate_s;
  json j;
  if (!o.sumo_config.empty()) j["sumo_config"] = fs::absolute(o.sumo_config).string();
  j["network"] = fs::absolute(o.sumo_net).string();
  j["routes"] = json::array();
  for (const auto& r : o.sumo_routes) j["routes"].push_back(fs::absolute(r).string());
  j["signal_programs_from_additional_files"] = signal_programs;
  // Devices fed after each step: induction loops, SUMO's summary, then the caller's.
  InductionLoopRecorder recorder(std::move(loops), config.begin_s);
  SumoSummaryRecorder sumo_summary;
  TrafficRunOptions with_devices = o;
  const bool loops_on = !recorder.loops().empty(), summary_on = !o.sumo_summary_file.empty();
  if (loops_on || summary_on)
    with_devices.after_step = [&, after = o.after_step](const TrafficSimulation& sim) {
      if (loops_on) recorder.observe(sim);
      if (summary_on) sumo_summary.observe(sim);
      if (after) after(sim);
    };
  runTraffic(net, demand, config, with_devices, bar, j, [&](const TrafficSimulation& sim) {
    if (!o.sumo_tripinfo_file.empty()) {
      OutputFile f(out / o.sumo_tripinfo_file);
      writeSumoTripinfo(f.stream(), sim);
      f.commit();
    }
  });
  if (summary_on) {
    OutputFile f(out / o.sumo_summary_file);
    sumo_summary.write(f.stream());
    f.commit();
  }
  if (!recorder.loops().empty()) {
    recorder.finish(config.end_s);
    // One output per file the detectors name, in the output folder (never beside the input).
    std::set<std::string> files;
    for (const auto& d : recorder.loops()) files.insert(d.file);
    j["detector_outputs"] = json::array();
    for (const auto& file : files) {
      const fs::path name = fs::path(file).filename();
      OutputFile f(out / name);
      recorder.writeSumoXml(f.stream(), file);
      f.commit();
      j["detector_outputs"].push_back(name.string());
    }
    j["induction_loops"] = recorder.loops().size();
  }
  j["citytwin"] = {{"version", kVersion}, {"commit", kGitCommit}};
  OutputFile summary(out / "summary.json");
  summary.stream() << j.dump(2) << "\n";
  summary.commit();
  if (!o.quiet) {
    std::cerr << "wrote " << out.string() << ": " << j["vehicles_inserted"] << " inserted, "
              << j["vehicles_arrived"] << " arrived, " << j["vehicles_stuck"] << " stuck, "
              << j["vehicles_running"] << " still driving; mean trip "
              << static_cast<long>(j["mean_trip_duration_s"].get<double>()) << " s\n";
    for (const auto& w : demand.warnings) std::cerr << "warning: " << w << "\n";
  }
  return 0;
}

int runSumoConfig(TrafficRunOptions o, bool end_given, bool step_given, bool seed_given) {
  const SumoConfig c = readSumoConfig(o.sumo_config);
  o.sumo_net = c.net_file;
  // Additional files first: the vTypes and routes that route files refer to.
  o.sumo_routes = c.additional_files;
  o.sumo_routes.insert(o.sumo_routes.end(), c.route_files.begin(), c.route_files.end());
  if (c.route_files.empty())
    throw geodata::InputError(o.sumo_config, "", "names no route-files",
                              "add <route-files value=\"ROUTES.rou.xml\"/> under <input>");
  o.begin_s = c.begin_s;
  if (!end_given && c.end_s) o.end_s = *c.end_s;
  if (!step_given) o.step_s = c.step_length_s;
  if (!seed_given && c.seed) o.seed = static_cast<long long>(*c.seed);
  o.stuck_after_s = c.time_to_teleport_s;
  // The outputs the configuration names, in SUMO's formats, under their own names in the
  // output folder (never where the configuration points: nothing outside --out is written).
  const auto outputName = [](const std::string& named, const char* fallback) {
    std::string name = fs::path(named).filename().string();
    if (name.empty()) name = fallback;
    for (const char* ours :
         {"summary.json", "tripinfo.csv", "edge_aggregates.csv", "bus_stops.csv"})
      if (name == ours) name = "sumo_" + name;
    return name;
  };
  if (c.fcd_output) o.fcd = true, o.fcd_file = outputName(*c.fcd_output, "fcd.xml");
  if (c.tripinfo_output) o.sumo_tripinfo_file = outputName(*c.tripinfo_output, "tripinfo.xml");
  if (c.summary_output) o.sumo_summary_file = outputName(*c.summary_output, "summary.xml");
  if (!o.quiet) {
    if (c.edgedata_output)
      std::cerr << "note: " << o.sumo_config << " names edgedata-output \"" << *c.edgedata_output
                << "\"; CityTwin writes per-edge counts, speeds and travel times to "
                   "edge_aggregates.csv\n";
    if (!c.not_supported.empty()) {
      std::string list;
      for (const auto& s : c.not_supported) list += (list.empty() ? "" : ", ") + s;
      std::cerr << "warning: " << o.sumo_config << ": options not supported and left out: " << list
                << "\n";
    }
    if (c.time_to_teleport_s > 0.0)
      std::cerr << "note: time-to-teleport " << c.time_to_teleport_s
                << " s: vehicles standing that long are counted as stuck (CityTwin does not "
                   "teleport them)\n";
  }
  return runSumoScenario(o);
}

void runTraffic(const Network& net, const Demand& demand, const TrafficConfig& config,
                const TrafficRunOptions& o, ProgressBar& bar, json& j,
                const std::function<void(const TrafficSimulation&)>& write_more) {
  const fs::path out = o.out_dir;
  const auto t0 = std::chrono::steady_clock::now();
  TrafficConfig with_emissions = config;
  if (with_emissions.emission_data_dir.empty())
    with_emissions.emission_data_dir = defaultDataDir() + "/emissions";
  TrafficSimulation sim(net, demand, with_emissions, o.threads);
  std::unique_ptr<OutputFile> fcd;
  if (o.fcd) {
    fcd = std::make_unique<OutputFile>(out / o.fcd_file);
    fcd->stream() << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- CityTwin " << kVersion
                  << ", floating car data in SUMO's fcd-export format -->\n<fcd-export>\n";
  }
  const auto t1 = std::chrono::steady_clock::now();
  char line[320];
  std::size_t steps = 0;
  while (!sim.finished()) {
    if (o.before_step) o.before_step(sim);
    sim.step();
    if (o.after_step) o.after_step(sim);
    ++steps;
    if (fcd) {
      auto& f = fcd->stream();
      std::snprintf(line, sizeof line, "    <timestep time=\"%.2f\">\n", sim.time());
      f << line;
      sim.forEachVehicle([&](const VehicleView& v) {
        double heading = 0.0;
        const auto p = sim.position(v, &heading);
        // SUMO's angle: degrees clockwise from north.
        double angle = 90.0 - heading * 180.0 / 3.141592653589793;
        if (angle < 0.0) angle += 360.0;
        const bool internal = v.lane >= net.lanes.size();
        std::string lane_id;
        if (!internal) {
          const Lane& l = net.lanes[v.lane];
          lane_id = net.edges[l.edge].id + "_" + std::to_string(l.index);
        } else {
          lane_id = ":" + net.junctions[net.links[v.lane - net.lanes.size()].junction].id;
        }
        const int n = std::snprintf(
            line, sizeof line,
            "        <vehicle id=\"%s\" x=\"%.2f\" y=\"%.2f\" angle=\"%.2f\" type=\"%s\" "
            "speed=\"%.2f\" pos=\"%.2f\" lane=\"%s\" slope=\"0.00\"/>\n",
            demand.trips[v.trip].id.c_str(), p.x, p.y, angle,
            demand.types[demand.trips[v.trip].type].id.c_str(), v.speed, v.pos, lane_id.c_str());
        f.write(line, n);
      });
      f << "    </timestep>\n";
    }
    if (steps % 60 == 0)
      bar.update("t = " + std::to_string(static_cast<long>(sim.time())) + " s, " +
                     std::to_string(sim.runningCount()) + " vehicles",
                 std::min(1.0, (sim.time() - config.begin_s) /
                                   std::max(1.0, config.end_s - config.begin_s)));
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const double setup = std::chrono::duration<double>(t1 - t0).count();
  bar.update("done", 1.0);
  bar.finish();
  if (fcd) {
    fcd->stream() << "</fcd-export>\n";
    fcd->commit();
  }
  writeTripinfo(sim, out / "tripinfo.csv");
  if (write_more) write_more(sim);
  writeAggregates(sim, out / "edge_aggregates.csv");
  const TrafficSummary s = sim.summary();
  if (s.bus_trips > 0) writeBusStops(sim, out / "bus_stops.csv");
  j["vehicles_total"] = s.vehicles_total;
  j["vehicles_inserted"] = s.vehicles_inserted;
  j["vehicles_arrived"] = s.vehicles_arrived;
  j["vehicles_running"] = s.vehicles_running;
  j["vehicles_waiting_to_insert"] = s.vehicles_waiting;
  j["vehicles_stuck"] = s.vehicles_stuck;
  j["trips_unroutable"] = demand.unroutable;
  j["mean_trip_duration_s"] = s.mean_trip_duration_s;
  j["mean_time_loss_s"] = s.mean_time_loss_s;
  j["mean_route_length_m"] = s.mean_route_length_m;
  j["mean_waiting_time_s"] = s.mean_waiting_time_s;
  j["mean_depart_delay_s"] = s.mean_depart_delay_s;
  j["mean_speed_m_s"] = s.mean_speed_m_s;
  j["emergency_brakes"] = s.emergency_brakes;
  j["stuck_now"] = json::array();
  for (const auto& [edge, count] : s.stuck_now) {
    const auto at = net.junctions[net.edges[edge].to].position;
    j["stuck_now"].push_back({{"edge", net.edges[edge].id},
                              {"name", net.edges[edge].name},
                              {"vehicles", count},
                              {"junction_x", at.x + o.report_offset_x},
                              {"junction_y", at.y + o.report_offset_y}});
  }
  // Gridlocks: cycles of vehicles each waiting for the next, named by vehicle and road.
  j["gridlocks"] = json::array();
  const auto cycles = sim.gridlocks();
  for (std::size_t c = 0; c < std::min<std::size_t>(cycles.size(), 10); ++c) {
    json vehicles = json::array(), roads = json::array();
    for (const std::uint32_t v : cycles[c]) {
      if (vehicles.size() < 50) vehicles.push_back(demand.trips[v].id);
      if (const auto where = sim.vehicle(v); where && where->lane < net.lanes.size()) {
        const Edge& e = net.edges[net.lanes[where->lane].edge];
        const std::string road = e.name.empty() ? e.id : e.name;
        if (std::find(roads.begin(), roads.end(), road) == roads.end()) roads.push_back(road);
      }
    }
    const auto where = sim.vehicle(cycles[c].front());
    const auto at = where ? sim.position(*where) : geodata::Vec2{};
    j["gridlocks"].push_back({{"vehicles_in_cycle", cycles[c].size()},
                              {"vehicles", vehicles},
                              {"roads", roads},
                              {"x", at.x + o.report_offset_x},
                              {"y", at.y + o.report_offset_y}});
  }
  j["stuck_queue_heads"] = json::object();
  for (const auto& [why, count] : sim.stuckQueueHeads())
    j["stuck_queue_heads"][waitReasonName(why)] = count;
  j["stuck_now_crs"] = o.report_crs.empty()
                           ? (net.crs.empty() ? "the network's own coordinates" : net.crs)
                           : o.report_crs;
  if (s.bus_trips > 0) {
    j["bus_trips"] = s.bus_trips;
    j["bus_stop_calls"] = s.bus_stop_calls;
    j["bus_stops_skipped"] = s.bus_stops_skipped;
    j["mean_bus_delay_s"] = s.mean_bus_delay_s;
    j["bus_on_time_share"] = s.bus_on_time_share;
  }
  j["reroutes"] = s.reroutes;
  j["stranded_reroutes"] = s.stranded_reroutes;
  j["reroute_failures"] = s.reroute_failures;
  j["trips_cut_short"] = s.trips_cut_short;
  j["co2_kg"] = s.co2_kg;
  j["nox_g"] = s.nox_g;
  j["pm10_g"] = s.pm10_g;
  j["fuel_kg"] = s.fuel_kg;
  j["emission_model"] = {{"name", "PHEMlight (TU Graz), sample vehicles from SUMO 1.15 (EPL-2.0)"},
                         {"data", with_emissions.emission_data_dir + "/PHEMlight"},
                         {"classes", s.emission_classes},
                         {"vehicle_types_without_data", s.types_without_emissions}};
  j["noise_model"] = {
      {"name", "CNOSSOS-EU road traffic source model, Directive (EU) 2015/996 Annex II"},
      {"output",
       "edge_aggregates.csv: noise_lw_dba_per_m (sound power per metre of road) and "
       "noise_laeq_10m_dba (free field at 10 m, no screening)"},
      {"categories", "car 1, bus 2, truck 3; bicycles none"},
      {"assumptions",
       "reference road surface, 20 C, no acceleration correction, speeds below "
       "20 km/h at 20 km/h"}};
  j["traffic_steps"] = s.steps;
  j["traffic_simulated_time_s"] = s.simulated_time_s;
  j["vehicle_updates"] = s.vehicle_updates;
  j["traffic_wall_time_s"] = wall;
  j["traffic_setup_time_s"] = setup;
  j["wall_time_s"] = j.value("wall_time_s", 0.0) + wall;
  j["vehicle_updates_per_second"] = wall > 0 ? static_cast<double>(s.vehicle_updates) / wall : 0.0;
  j["threads"] = sim.threads();
  j["seed"] = config.seed;
  j["traffic_state_hash"] = sim.stateHash();
  j["traffic_warnings"] = demand.warnings;
  j["traffic_model"] = {
      {"car_following", "Intelligent Driver Model (Treiber, Hennecke & Helbing 2000)"},
      {"lane_changing", "MOBIL (Kesting, Treiber & Helbing 2007) and route lanes"},
      {"time_step_s", config.time_step_s},
      {"reroute_interval_s", config.reroute_interval_s},
      {"network_edges", net.edges.size()},
      {"network_junctions", net.junctions.size()},
      {"signals", net.signals.size()}};
  j["vehicle_types"] = json::array();
  for (const auto& t : demand.types)
    j["vehicle_types"].push_back({{"id", t.id},
                                  {"length_m", t.length},
                                  {"min_gap_m", t.min_gap},
                                  {"max_speed_m_s", t.max_speed},
                                  {"accel_m_s2", t.accel},
                                  {"decel_m_s2", t.decel},
                                  {"time_headway_s", t.time_headway},
                                  {"delta", t.delta},
                                  {"speed_factor", t.speed_factor},
                                  {"speed_factor_dev", t.speed_factor_dev}});
}

}  // namespace citytwin::cli
