"""environment.yml (conda, Binder) and pyproject.toml must ask for the same packages."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAME = {"graphviz": "python-graphviz"}   # PyPI name -> conda-forge name, where they differ


def split(requirement):
    name, spec = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower(), spec.replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(split(r) for r in project["dependencies"] + project["optional-dependencies"]["course"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(split(d) for d in env["dependencies"] if isinstance(d, str))
    for name, spec in wanted.items():
        conda_name = CONDA_NAME.get(name, name)
        assert conda_name in conda, f"environment.yml lacks {conda_name} (pyproject.toml asks for {name}{spec})"
        assert conda[conda_name] == spec, f"{conda_name}: environment.yml says {conda[conda_name]!r}, pyproject.toml {spec!r}"
    assert "graphviz" in conda, "environment.yml must bring the `dot` program (conda-forge graphviz)"
    python = project["requires-python"]
    assert conda["python"] == python, f"python: environment.yml {conda['python']!r}, pyproject.toml {python!r}"
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.endswith("-e .") for line in pip_section), "environment.yml must install micrograd_lite itself"
