"""environment.yml (conda, Binder) and pyproject.toml must ask for the same packages."""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:   # Python 3.10: the test extra brings the backport
    import tomli as tomllib

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
        assert conda[conda_name] == spec, \
            f"{conda_name}: environment.yml says {conda[conda_name]!r}, pyproject.toml {spec!r}"
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


# tomllib is in the standard library from 3.11; on 3.10 the tests import tomli instead.
NEWER_STDLIB = {"tomllib"}


# Where the benchmarks find the test helpers they share (labdriver.py), and
# where the course pages keep their own Sphinx extensions.
HELPER_FOLDERS = [ROOT / "tests", ROOT / "tests" / "browser", ROOT / "book" / "_ext", ROOT / "tools"]


def is_local(module, path):
    """A module of this repository: next to `path`, in a folder above it, or a test helper."""
    folders = [p for p in path.parents if p.is_relative_to(ROOT)] + HELPER_FOLDERS
    return any((folder / f"{module}.py").exists() or (folder / module / "__init__.py").exists()
               for folder in folders)


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(path):
    """Top-level names of the absolute imports in one file, and of a Sphinx `extensions = [...]`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "extensions" for t in node.targets):
            yield from (e.value.split(".")[0] for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant))


def test_every_imported_package_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    declared = {normalized(split(r)[0]) for r in requirements}
    # A module that is not installed here (tomli on 3.11+) is looked for under its own name.
    distributions = importlib.metadata.packages_distributions()
    sources = [p for folder in ("micrograd_lite", "tools", "tests", "benchmarks", "book")
               for p in (ROOT / folder).rglob("*.py")]
    missing = {}
    for path in sources:
        for module in imported_modules(path):
            if module in sys.stdlib_module_names or module in NEWER_STDLIB or is_local(module, path):
                continue
            if not any(normalized(d) in declared for d in distributions.get(module, [module])):
                missing.setdefault(module, path.relative_to(ROOT).as_posix())
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
