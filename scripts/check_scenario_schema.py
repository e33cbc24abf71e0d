#!/usr/bin/env python3
"""Checks every bundled scenario and sweep file against scenarios/schema/*.schema.json, and that
the schema rejects typical mistakes (so a check that passes means something)."""
import glob
import json
import os
import sys

import jsonschema
import yaml

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schemas = {name: json.load(open(os.path.join(root, "scenarios", "schema", name + ".schema.json")))
           for name in ("scenario", "sweep", "observations")}
failures = 0


def check(path, document, kind, expect_valid=True):
    global failures
    errors = list(jsonschema.Draft202012Validator(schemas[kind]).iter_errors(document))
    if expect_valid and errors:
        failures += 1
        for e in errors[:3]:
            print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    if not expect_valid and not errors:
        failures += 1
        print(f"{path}: the schema accepts a mistake")


files = sorted(glob.glob(os.path.join(root, "scenarios", "**", "*.yaml"), recursive=True))
for path in files:
    kind = "scenario"
    if os.sep + "sweeps" + os.sep in path:
        kind = "sweep"
    elif os.sep + "observations" + os.sep in path or os.path.basename(path) == "observations.yaml":
        kind = "observations"
    with open(path) as f:
        check(path, yaml.safe_load(f), kind)
base = yaml.safe_load(open(os.path.join(root, "scenarios", "amsterdam-event", "base.yaml")))
mistakes = {
    "unknown key": dict(base, crwod={}),
    "no city": {k: v for k, v in base.items() if k != "city"},
    "unknown stage kind": dict(base, crowd=dict(base["crowd"], stages=[{"name": "x", "kind": "door",
                                                                      "circle": {"center": [0, 0], "radius": 1}}])),
    "time step too long": dict(base, crowd=dict(base["crowd"], time_step=3)),
    "two interventions in one item": {"base": "b.yaml", "interventions": [
        {"close_road": {"name": "A"}, "speed_limit": {"name": "A", "kmh": 30}}]},
    "variant with a crowd": {"base": "b.yaml", "interventions": [], "crowd": {}},
    "unknown mode": {"base": "b.yaml", "interventions": [{"close_road": {"name": "A", "modes": ["tram"]}}]},
}
for what, document in mistakes.items():
    check("mistake: " + what, document, "scenario", expect_valid=False)
observations = yaml.safe_load(open(os.path.join(root, "scenarios", "observations",
                                                "juelich-bottleneck.yaml")))
source = observations["sources"][1]
observation_mistakes = {
    "source without a register": dict(observations, sources=[
        {k: v for k, v in source.items() if k != "register"}]),
    "register without a legal basis": dict(observations, sources=[dict(source, register={
        k: v for k, v in source["register"].items() if k != "legal_basis"})]),
    "unknown source kind": dict(observations, sources=[dict(source, kind="photos")]),
    "misspelt privacy key": dict(observations, privacy={"min_groupsize": 5}),
}
for what, document in observation_mistakes.items():
    check("mistake: " + what, document, "observations", expect_valid=False)
mistakes.update(observation_mistakes)
print(f"checked {len(files)} files and {len(mistakes)} mistakes: {failures} failures")
sys.exit(1 if failures else 0)
