#!/usr/bin/env python3
"""Builds a SUMO scenario of Monaco with SUMO's own tools, as a third party would publish one.

From the bundled OpenStreetMap extract (assets/data/osm/monaco.osm.pbf) it writes into OUT:
  monaco.net.xml      netconvert --osm-files, guessed and joined signals, ramps, roundabouts
  vtypes.add.xml      seven vTypes of five vClasses in two vTypeDistributions ("private",
                      "commercial") and a bus type
  stops.add.xml       the bus stops netconvert finds in OSM (busStop)
  signals.add.xml     a second signal program for every signal ("morning": the net's phases
                      with main greens 20 % longer), loaded last so SUMO runs it
  detectors.add.xml   one induction loop per lane on one edge of every main named road
  routes.rou.xml      a morning of random trips (randomTrips.py + duarouter), drawn from the
                      two distributions
  buses.rou.xml       bus flows on the OSM bus lines with stops (ptlines2flows.py)
  monaco.sumocfg      the configuration naming them all, with tripinfo, summary and detector
                      outputs
Deterministic for a seed. Needs SUMO 1.15 (scripts/install-deps.sh --sumo) and the citytwin
binary (for the PBF -> OSM XML step: netconvert reads only XML).
"""
import argparse
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

VTYPES = """<additional>
    <vTypeDistribution id="private">
        <vType id="car_petrol" vClass="passenger" probability="0.55" emissionClass="HBEFA3/PC_G_EU4"/>
        <vType id="car_diesel" vClass="passenger" probability="0.25" emissionClass="HBEFA3/PC_D_EU4" accel="2.2"/>
        <vType id="car_electric" vClass="evehicle" probability="0.08" accel="3.0"/>
        <vType id="scooter" vClass="motorcycle" probability="0.12" length="2.2" minGap="1.5" maxSpeed="25"/>
    </vTypeDistribution>
    <vTypeDistribution id="commercial">
        <vType id="van" vClass="delivery" probability="0.7" length="6.5" accel="2.0"/>
        <vType id="lorry" vClass="truck" probability="0.2" length="9.0" accel="1.3" maxSpeed="25"/>
        <vType id="taxi" vClass="taxi" probability="0.1"/>
    </vTypeDistribution>
</additional>
"""


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"make_monaco_sumo: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
    return p


def second_signal_program(net_path, out_path):
    """Every signal of the net again as program "morning": green phases of main directions
    (those with a 'G') 20 % longer. Loaded after the net, SUMO makes it the active program."""
    root = ET.Element("additional")
    for tl in ET.parse(net_path).getroot().iter("tlLogic"):
        prog = ET.SubElement(root, "tlLogic", id=tl.get("id"), type="static", programID="morning",
                             offset=tl.get("offset", "0"))
        for ph in tl.iter("phase"):
            duration = float(ph.get("duration"))
            if "G" in ph.get("state") and duration >= 10:
                duration = round(duration * 1.2)
            ET.SubElement(prog, "phase", duration=f"{duration:g}", state=ph.get("state"))
    ET.indent(root)
    ET.ElementTree(root).write(out_path, encoding="UTF-8", xml_declaration=True)
    return len(root)


def detectors(net_path, out_path):
    """One induction loop per lane on the longest edge of each named main road (primary,
    secondary, trunk), half-way along it."""
    main = ("highway.primary", "highway.secondary", "highway.trunk")
    best = {}
    for e in ET.parse(net_path).getroot().iter("edge"):
        if e.get("function") == "internal" or e.get("type") not in main or not e.get("name"):
            continue
        lanes = [ln for ln in e.iter("lane") if "passenger" not in (ln.get("disallow") or "")]
        if not lanes:
            continue
        length = float(lanes[0].get("length"))
        if length >= 30 and (e.get("name") not in best or length > best[e.get("name")][0]):
            best[e.get("name")] = (length, lanes)
    root = ET.Element("additional")
    for name in sorted(best):
        length, lanes = best[name]
        for ln in lanes:
            ET.SubElement(root, "inductionLoop", id=f"det_{ln.get('id')}", lane=ln.get("id"),
                          pos=f"{length / 2:.1f}", freq="900", file="detectors.out.xml")
    ET.indent(root)
    ET.ElementTree(root).write(out_path, encoding="UTF-8", xml_declaration=True)
    return len(best), len(root)


def drop_short_stops(net_path, stops_path, buses_path, min_length=15.0):
    """Leaves out bus stops on lanes shorter than a bus (OSM stop nodes netconvert puts on a
    0.2 m lane between junctions): SUMO 1.15 warns and, in its Debian build, fails an assertion
    when a bus stops there. Returns the stops left out."""
    lane_length = {ln.get("id"): float(ln.get("length")) for ln in ET.parse(net_path).getroot().iter("lane")}
    stops = ET.parse(stops_path)
    short = {s.get("id") for s in stops.getroot() if s.tag == "busStop"
             and lane_length.get(s.get("lane"), 0.0) < min_length}
    for s in [s for s in stops.getroot() if s.get("id") in short]:
        stops.getroot().remove(s)
    stops.write(stops_path, encoding="UTF-8", xml_declaration=True)
    buses = ET.parse(buses_path)
    for parent in buses.getroot().iter():
        for stop in [c for c in parent if c.tag == "stop" and c.get("busStop") in short]:
            parent.remove(stop)
    buses.write(buses_path, encoding="UTF-8", xml_declaration=True)
    return len(short)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--citytwin", default=os.path.join(REPO, "build/release/apps/cli/citytwin"))
    ap.add_argument("--osm", default=os.path.join(REPO, "assets/data/osm/monaco.osm.pbf"))
    ap.add_argument("--out", required=True, help="folder to write (created; must be empty or absent)")
    ap.add_argument("--begin", type=float, default=7 * 3600, help="first departure, s (07:00)")
    ap.add_argument("--end", type=float, default=10 * 3600, help="last departure, s (10:00)")
    ap.add_argument("--period", type=float, default=2.0, help="s between private trips")
    ap.add_argument("--commercial-period", type=float, default=12.0, help="s between commercial trips")
    ap.add_argument("--bus-period", type=float, default=900, help="s between buses of a line")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    sumo_home = os.environ.get("SUMO_HOME", "/usr/share/sumo")
    os.environ["SUMO_HOME"] = sumo_home
    for tool in ("netconvert", "duarouter", "sumo"):
        if not shutil.which(tool):
            sys.exit(f"make_monaco_sumo: {tool} not found; install SUMO (scripts/install-deps.sh --sumo)")
    tools = os.path.join(sumo_home, "tools")
    if not os.path.exists(os.path.join(tools, "randomTrips.py")):
        sys.exit(f"make_monaco_sumo: {tools}/randomTrips.py not found; install sumo-tools or set SUMO_HOME")
    if not os.access(a.citytwin, os.X_OK):
        sys.exit(f"make_monaco_sumo: {a.citytwin} is not an executable; build CityTwin or pass --citytwin")
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"make_monaco_sumo: {a.out} exists and is not empty; name a new folder")
    os.makedirs(a.out, exist_ok=True)
    out = lambda name: os.path.join(a.out, name)

    run([a.citytwin, "osm-convert", a.osm, "-o", out("monaco.osm"), "--force"])
    # Debian's SUMO 1.15 cannot validate its built-in type map: validation off. No internal
    # junction lanes: with them, buses and lorries on Monaco's short lanes make Debian's SUMO
    # 1.15 (built with assertions) abort in MSLane::resetPartialOccupation (SUMO issue 10845).
    run(["netconvert", "--xml-validation", "never", "--osm-files", out("monaco.osm"),
         "--tls.guess-signals", "true", "--tls.discard-simple", "--tls.join", "--junctions.join",
         "--tls.ignore-internal-junction-jam",
         "--ramps.guess", "--roundabouts.guess", "--remove-edges.isolated", "--geometry.remove",
         "--edges.join", "--no-internal-links",
         "--keep-edges.by-vclass", "passenger,bus,delivery,truck,motorcycle,taxi,evehicle",
         "--output.street-names", "--ptstop-output", out("stops.add.xml"),
         "--ptline-output", out("ptlines.xml"), "-o", out("monaco.net.xml")])
    os.remove(out("monaco.osm"))
    with open(out("vtypes.add.xml"), "w") as f:
        f.write(VTYPES)
    programs = second_signal_program(out("monaco.net.xml"), out("signals.add.xml"))
    roads, loops = detectors(out("monaco.net.xml"), out("detectors.add.xml"))

    random_trips = os.path.join(tools, "randomTrips.py")
    common = ["-n", out("monaco.net.xml"), "-a", out("vtypes.add.xml"), "-b", str(a.begin), "-e", str(a.end),
              "--fringe-factor", "5", "--min-distance", "300", "--validate", "--remove-loops"]
    run([sys.executable, random_trips, *common, "-p", str(a.period), "--seed", str(a.seed),
         "--vclass", "passenger", "--prefix", "p", "--trip-attributes", 'type="private" departLane="best"',
         "-o", out("private.trips.xml"), "-r", out("private.rou.xml")], cwd=a.out)
    run([sys.executable, random_trips, *common, "-p", str(a.commercial_period), "--seed", str(a.seed + 1),
         "--vclass", "delivery", "--prefix", "c", "--trip-attributes", 'type="commercial" departSpeed="max"',
         "-o", out("commercial.trips.xml"), "-r", out("commercial.rou.xml")], cwd=a.out)
    # One route file: the two demands merged, sorted by departure.
    # duarouter draws each vehicle's type from its distribution and routes it for that type's
    # class; the route file keeps the type drawn.
    vehicles = []
    for name in ("private.rou.xml", "commercial.rou.xml"):
        vehicles += list(ET.parse(out(name)).getroot().iter("vehicle"))
    vehicles.sort(key=lambda v: (float(v.get("depart")), v.get("id")))
    root = ET.Element("routes")
    root.extend(vehicles)
    ET.indent(root)
    ET.ElementTree(root).write(out("routes.rou.xml"), encoding="UTF-8", xml_declaration=True)

    run([sys.executable, os.path.join(tools, "ptlines2flows.py"), "-n", out("monaco.net.xml"),
         "-s", out("stops.add.xml"), "-l", out("ptlines.xml"), "-o", out("buses.rou.xml"),
         "-p", str(a.bus_period), "-b", str(a.begin), "-e", str(a.end), "--seed", str(a.seed),
         "--types", "bus", "--ignore-errors", "--min-stops", "2"], cwd=a.out)
    short_stops = drop_short_stops(out("monaco.net.xml"), out("stops.add.xml"), out("buses.rou.xml"))
    for name in ("ptlines.xml", "private.trips.xml", "commercial.trips.xml", "private.rou.alt.xml",
                 "commercial.rou.alt.xml", "private.rou.xml", "commercial.rou.xml", "trips.trips.xml",
                 "trips.trips.xml.errorlog", "stopinfos.xml", "vehroutes.xml"):
        if os.path.exists(out(name)):
            os.remove(out(name))

    cfg = f"""<configuration>
    <input>
        <net-file value="monaco.net.xml"/>
        <route-files value="routes.rou.xml,buses.rou.xml"/>
        <additional-files value="vtypes.add.xml,stops.add.xml,signals.add.xml,detectors.add.xml"/>
    </input>
    <time>
        <begin value="{a.begin:g}"/>
        <end value="{a.end + 3600:g}"/>
        <step-length value="1"/>
    </time>
    <processing>
        <time-to-teleport value="300"/>
    </processing>
    <random_number>
        <seed value="{a.seed}"/>
    </random_number>
    <output>
        <tripinfo-output value="tripinfo.xml"/>
        <summary-output value="summary.xml"/>
    </output>
    <report>
        <xml-validation value="never"/>
        <duration-log.statistics value="true"/>
        <no-step-log value="true"/>
    </report>
</configuration>
"""
    with open(out("monaco.sumocfg"), "w") as f:
        f.write(cfg)
    buses = sum(1 for _ in ET.parse(out("buses.rou.xml")).getroot().iter("flow"))
    print(f"wrote {a.out}: {len(vehicles)} trips, {buses} bus flows, {programs} signal programs, "
          f"{loops} induction loops on {roads} main roads; {short_stops} bus stops on lanes "
          "shorter than a bus left out")


if __name__ == "__main__":
    main()
