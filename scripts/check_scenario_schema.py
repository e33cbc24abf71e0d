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
           for name in ("scenario", "sweep")}
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
    kind = "sweep" if os.sep + "sweeps" + os.sep in path else "scenario"
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
print(f"checked {len(files)} files and {len(mistakes)} mistakes: {failures} failures")
sys.exit(1 if failures else 0)
