"""The conda environment must offer every dependency pyproject.toml declares."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {requirement_name(s) for s in project["dependencies"]}
    declared |= {requirement_name(s) for s in project["optional-dependencies"]["test"]}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    offered = {requirement_name(s) for s in environment["dependencies"] if isinstance(s, str)}
    missing = sorted(declared - offered)
    assert not missing, f"environment.yml mist: {', '.join(missing)}"


def test_environment_installs_this_package():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_entries = next(e["pip"] for e in environment["dependencies"] if isinstance(e, dict))
    assert "-e ." in pip_entries
