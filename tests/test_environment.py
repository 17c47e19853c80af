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
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    # conda-forge packages, plus those that only PyPI has (in the pip: section)
    conda = dict(split(d) for d in env["dependencies"] + pip_section
                 if isinstance(d, str) and not d.startswith("-"))
    for name, spec in wanted.items():
        conda_name = CONDA_NAME.get(name, name)
        assert conda_name in conda, f"environment.yml lacks {conda_name} (pyproject.toml asks for {name}{spec})"
        assert conda[conda_name] == spec, f"{conda_name}: environment.yml says {conda[conda_name]!r}, pyproject.toml {spec!r}"
    python = project["requires-python"]
    assert conda["python"] == python, f"python: environment.yml {conda['python']!r}, pyproject.toml {python!r}"
    assert any(line.endswith("-e .") for line in pip_section), "environment.yml must install micrograd_lite itself"


def test_every_lesson_is_paired_as_jupytext_toml_says():
    config = tomllib.loads((ROOT / "jupytext.toml").read_text())
    lessons = sorted((ROOT / "notebooks").glob("[0-9]*.md"))
    assert lessons, "no lessons found"
    for md in lessons:
        front = yaml.safe_load(md.read_text().split("---")[1])
        assert front["jupytext"]["formats"] == config["formats"], f"{md.name} pairs differently"
        assert front["kernelspec"]["name"] == "python3", f"{md.name}: kernel must be python3"
        assert md.with_suffix(".ipynb").exists(), f"{md.name} has no paired .ipynb; run make sync"
