#!/usr/bin/env python3
"""Runs SUMO and CityTwin on the same network and demand and compares them.

Either on a SUMO configuration (--sumo-config X.sumocfg: `sumo -c X` against
`citytwin run --sumo-config X`), or, without it, on a grid network generated with netgenerate
and random trips from SUMO's randomTrips.py (the reference case of the traffic issue). Writes
DIR/comparison.json and DIR/comparison.md: mean trip duration, route length, time loss and
waiting time of both, teleports, the vehicles SUMO completes that CityTwin does not, per-edge
counts (GEH on hourly flows) and the vehicle updates per second of both on this machine.

Needs SUMO 1.15 (Debian: apt-get install sumo sumo-tools; scripts/install-deps.sh --sumo).
"""
import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET


def run(cmd, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"sumo_compare: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--citytwin", required=True, help="path of the citytwin binary")
    ap.add_argument("--sumo-config", help="compare on this SUMO configuration instead of a generated grid")
    ap.add_argument("--out", required=True, help="folder for the generated files and results")
    ap.add_argument("--grid-number", type=int, default=20)
    ap.add_argument("--grid-length", type=float, default=200)
    ap.add_argument("--lanes", type=int, default=2)
    ap.add_argument("--end", type=float, default=3600)
    ap.add_argument("--period", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-tls", action="store_true", help="priority junctions instead of signals")
    a = ap.parse_args()

    sumo_home = os.environ.get("SUMO_HOME", "/usr/share/sumo")
    os.environ["SUMO_HOME"] = sumo_home  # randomTrips.py finds duarouter through it
    for tool in ("netgenerate", "sumo"):
        if not shutil.which(tool):
            sys.exit(f"sumo_compare: {tool} not found; install SUMO (scripts/install-deps.sh --sumo)")
    random_trips = os.path.join(sumo_home, "tools", "randomTrips.py")
    if not os.path.exists(random_trips):
        sys.exit(f"sumo_compare: {random_trips} not found; install sumo-tools or set SUMO_HOME")
    os.makedirs(a.out, exist_ok=True)
    if a.sumo_config:
        compare(a, case_from_config(a))
    else:
        compare(a, generated_grid(a, random_trips))


def case_from_config(a):
    """SUMO and CityTwin command lines for a .sumocfg as it is."""
    if not os.path.exists(a.sumo_config):
        sys.exit(f"sumo_compare: {a.sumo_config} not found")
    root = ET.parse(a.sumo_config).getroot()
    value = lambda name, default: next((e.get("value") for e in root.iter(name)), default)
    begin, end = float(value("begin", 0)), value("end", None)
    hours = (float(end) - begin) / 3600 if end else None
    return {
        "description": {"sumo_config": os.path.abspath(a.sumo_config), "begin_s": begin, "end_s": end},
        "sumo": ["sumo", "-c", a.sumo_config],
        "citytwin": [a.citytwin, "run", "--sumo-config", a.sumo_config],
        "hours": hours,
    }


def generated_grid(a, random_trips):
    """A netgenerate grid with randomTrips demand, written into the output folder."""
    net = os.path.join(a.out, "grid.net.xml")
    rou = os.path.join(a.out, "routes.rou.xml")
    gen = ["netgenerate", "--grid", f"--grid.number={a.grid_number}", f"--grid.length={a.grid_length}",
           f"--default.lanenumber={a.lanes}", "-o", net]
    if not a.no_tls:
        gen += ["--tls.guess", "true"]
    run(gen)
    run([sys.executable, random_trips, "-n", net, "-o", os.path.join(a.out, "trips.xml"), "-r", rou,
         "-e", str(a.end), "-p", str(a.period), "--seed", str(a.seed), "--validate"], cwd=a.out)
    return {
        "description": {"grid_number": a.grid_number, "grid_length_m": a.grid_length, "lanes": a.lanes,
                        "traffic_lights": not a.no_tls, "end_s": a.end, "period_s": a.period, "seed": a.seed},
        "sumo": ["sumo", "--xml-validation", "never", "-n", net, "-r", rou, "--seed", str(a.seed)],
        "citytwin": [a.citytwin, "run", "--sumo-net", net, "--sumo-routes", rou, "--seed", str(a.seed)],
        "hours": a.end / 3600,
    }


def edge_counts_sumo(vehroutes):
    """Vehicles per edge of the routes SUMO's vehicles drove."""
    counts = {}
    for v in ET.parse(vehroutes).getroot().iter("vehicle"):
        routes = list(v.iter("route"))
        if routes:
            for e in routes[-1].get("edges").split():
                counts[e] = counts.get(e, 0) + 1
    return counts


def edge_counts_citytwin(aggregates):
    counts = {}
    for r in csv.DictReader(open(aggregates)):
        counts[r["edge"]] = counts.get(r["edge"], 0) + int(r["entered"])
    return counts


def geh(m, c):
    return (2 * (m - c) ** 2 / (m + c)) ** 0.5 if m + c > 0 else 0.0


def compare(a, case):
    tripinfo = os.path.join(a.out, "sumo_tripinfo.xml")
    vehroutes = os.path.join(a.out, "sumo_vehroutes.xml")
    p, sumo_wall = run(case["sumo"] + ["--no-step-log", "--duration-log.statistics", "--tripinfo-output", tripinfo,
                                       "--vehroute-output", vehroutes])
    log = p.stdout + p.stderr
    ups = re.search(r"UPS: ([0-9.]+)", log)
    teleports = re.search(r"Teleports: ([0-9]+)", log)
    sumo_trips = {t.get("id"): t for t in ET.parse(tripinfo).getroot().iter("tripinfo")}

    ct_out = os.path.join(a.out, "citytwin")
    _, ct_wall = run(case["citytwin"] + ["--out", ct_out, "--force", "-q", "-j", str(a.threads)])
    summary = json.load(open(os.path.join(ct_out, "summary.json")))
    ct_trips = {r["id"]: r for r in csv.DictReader(open(os.path.join(ct_out, "tripinfo.csv")))}

    def mean(values):
        values = list(values)
        return sum(values) / len(values) if values else 0.0

    sumo_side = {
        "vehicles_arrived": len(sumo_trips),
        "mean_trip_duration_s": mean(float(t.get("duration")) for t in sumo_trips.values()),
        "mean_route_length_m": mean(float(t.get("routeLength")) for t in sumo_trips.values()),
        "mean_time_loss_s": mean(float(t.get("timeLoss")) for t in sumo_trips.values()),
        "mean_waiting_time_s": mean(float(t.get("waitingTime")) for t in sumo_trips.values()),
        "vehicle_updates_per_second": float(ups.group(1)) if ups else None,
        "teleports": int(teleports.group(1)) if teleports else 0,
        "wall_time_s": sumo_wall,
        "threads": 1,
    }
    ct_side = {
        "vehicles_arrived": summary["vehicles_arrived"],
        "vehicles_stuck": summary["vehicles_stuck"],
        # CityTwin does not teleport: vehicles that stand for time-to-teleport count as stuck.
        "teleports": 0,
        "mean_trip_duration_s": summary["mean_trip_duration_s"],
        "mean_route_length_m": summary["mean_route_length_m"],
        "mean_time_loss_s": summary["mean_time_loss_s"],
        "mean_waiting_time_s": summary["mean_waiting_time_s"],
        "vehicle_updates_per_second": summary["vehicle_updates_per_second"],
        "wall_time_s": ct_wall,
        "threads": summary["threads"],
    }
    missing = sorted(set(sumo_trips) - set(ct_trips), key=lambda s: (len(s), s))
    sumo_counts = edge_counts_sumo(vehroutes)
    ct_counts = edge_counts_citytwin(os.path.join(ct_out, "edge_aggregates.csv"))
    hours = case["hours"] or 1.0
    gehs = [geh(sumo_counts.get(e, 0) / hours, ct_counts.get(e, 0) / hours) for e in set(sumo_counts) | set(ct_counts)]
    geh_share = sum(g < 5 for g in gehs) / len(gehs) if gehs else None
    rel = lambda k: (ct_side[k] - sumo_side[k]) / sumo_side[k] if sumo_side[k] else None
    result = {
        "case": dict(case["description"], vehicles=summary["vehicles_total"]),
        "sumo": sumo_side,
        "citytwin": ct_side,
        "difference": {k: rel(k) for k in ("mean_trip_duration_s", "mean_route_length_m",
                                           "mean_time_loss_s", "mean_waiting_time_s")},
        "completed_by_sumo_not_citytwin": missing[:50],
        "completed_by_sumo_not_citytwin_count": len(missing),
        "edges_counted": len(gehs),
        "edges_geh_below_5_share": geh_share,
        "geh_flow_hours": hours,
        "speed_ratio_updates": (ct_side["vehicle_updates_per_second"] / sumo_side["vehicle_updates_per_second"]
                                if sumo_side["vehicle_updates_per_second"] else None),
        "speed_ratio_wall": sumo_wall / ct_wall if ct_wall > 0 else None,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "sumo_version": (re.search(r"Version ([0-9.]+)", run(["sumo", "--version"])[0].stdout) or [None, None])[1],
    }
    json.dump(result, open(os.path.join(a.out, "comparison.json"), "w"), indent=2)
    with open(os.path.join(a.out, "comparison.md"), "w") as f:
        f.write("| | SUMO %s | CityTwin | difference |\n|---|---|---|---|\n" % result["sumo_version"])
        for k, label in (("mean_trip_duration_s", "mean trip duration (s)"),
                         ("mean_route_length_m", "mean route length (m)"),
                         ("mean_time_loss_s", "mean time loss (s)"),
                         ("mean_waiting_time_s", "mean waiting time (s)")):
            f.write(f"| {label} | {sumo_side[k]:.1f} | {ct_side[k]:.1f} | {100 * rel(k):+.1f} % |\n")
        f.write(f"| vehicles arrived | {sumo_side['vehicles_arrived']} | {ct_side['vehicles_arrived']} | "
                f"{len(missing)} of SUMO's not completed |\n")
        f.write(f"| teleports | {sumo_side['teleports']} | {ct_side['teleports']} | |\n")
        f.write(f"| edges with GEH < 5 (hourly flows) | | | {100 * (geh_share or 0):.1f} % of {len(gehs)} |\n")
        f.write(f"| vehicle updates per second | {sumo_side['vehicle_updates_per_second']:,.0f} (1 core) | "
                f"{ct_side['vehicle_updates_per_second']:,.0f} ({ct_side['threads']} threads) | "
                f"{result['speed_ratio_updates']:.1f} x |\n")
        f.write(f"| wall time (s) | {sumo_wall:.1f} | {ct_wall:.1f} | {result['speed_ratio_wall']:.1f} x |\n")
    print(open(os.path.join(a.out, "comparison.md")).read())


if __name__ == "__main__":
    main()
