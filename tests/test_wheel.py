"""The built wheel is complete: installed (not editable) into a clean venv with only
the course extra, it runs every lesson's cells and draws their graphs with no `dot`
on PATH.

The wheel is built from a copy of the sources, so nothing is written into the
checkout. pip installs the course's packages from its index the first time and
from its own cache after that.
"""

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "micrograd_lite"
BIN = "Scripts" if sys.platform.startswith("win") else "bin"

pytestmark = pytest.mark.wheel


def run(*command, **kwargs):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def pip(python, *args):
    """This interpreter's pip, installing into another environment's `python`."""
    return run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", *args)


def new_venv(folder):
    """An empty venv (no pip of its own: this interpreter's pip installs into it)."""
    run(sys.executable, "-m", "venv", "--without-pip", folder)
    return folder / BIN / ("python.exe" if BIN == "Scripts" else "python")


def package_files():
    return sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    for name in package_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((ROOT / name).read_bytes())
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, source)
    (built,) = dist.glob("micrograd_lite-*.whl")
    return built


def test_wheel_holds_every_file_of_the_package_and_the_license(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert [n for n in sorted(names) if n.startswith("micrograd_lite/")] == package_files()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = next(zipfile.ZipFile(wheel).read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in metadata


def test_without_graphviz_pure_a_graph_says_what_to_install(wheel, tmp_path):
    python = new_venv(tmp_path / "venv")
    pip(python, "--no-deps", wheel, "graphviz")   # the package and the DOT writer, no layout program
    code = textwrap.dedent("""
        from micrograd_lite import Value, draw_dot
        from micrograd_lite.render import RendererMissing, render
        bundle = draw_dot(Value(2.0, "a") * 3)._repr_mimebundle_()
        print(sorted(bundle))
        print(bundle["text/plain"])
        try:
            render("digraph { a -> b }")
        except RendererMissing:
            print("RendererMissing raised")
    """)
    out = run(python, "-c", code, cwd=tmp_path, env={**os.environ, "PATH": str(tmp_path)})
    assert "['text/plain']" in out
    assert "pip install graphviz-pure" in out and "MICROGRAD_LITE_DOT=system" in out
    assert "RendererMissing raised" in out


LESSON_RUNNER = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    from pathlib import Path
    import jupytext
    from nbclient import NotebookClient
    import micrograd_lite

    # The installed copy, not the checkout; and every module imports.
    print("package at", micrograd_lite.__file__)
    for module in pkgutil.walk_packages(micrograd_lite.__path__, "micrograd_lite."):
        importlib.import_module(module.name)

    report = {}
    for md in sorted(Path(sys.argv[1]).glob("[0-9]*.md")):
        notebook = jupytext.read(md)
        NotebookClient(notebook, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(md.parent)}}).execute()
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        report[md.stem] = {
            "errors": [o.get("ename", "") + ": " + o.get("evalue", "") for o in outputs if o.output_type == "error"],
            "graphs": sum("<svg" in o.get("data", {}).get("image/svg+xml", "") for o in outputs),
            "not drawn": sum("Can't draw" in o.get("data", {}).get("text/plain", "") for o in outputs),
        }
    print(json.dumps(report))
""")


def test_installed_wheel_runs_every_lesson_with_no_dot_on_path(wheel, tmp_path):
    python = new_venv(tmp_path / "venv")
    pip(python, f"{wheel}[course]")
    lessons = tmp_path / "notebooks"
    lessons.mkdir()
    for md in (ROOT / "notebooks").glob("[0-9]*.md"):
        (lessons / md.name).write_text(md.read_text())
    # PATH holds only the venv's own programs: no system dot, nothing of the checkout's venv.
    env = {**os.environ, "PATH": str(python.parent), "MPLBACKEND": "module://matplotlib_inline.backend_inline",
           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env.pop("MICROGRAD_LITE_DOT", None)
    env.pop("PYTHONPATH", None)
    out = run(python, "-c", LESSON_RUNNER, lessons, cwd=tmp_path, env=env)
    assert f"package at {tmp_path / 'venv'}" in out
    report = __import__("json").loads(out.splitlines()[-1])
    assert len(report) == len(list(lessons.glob("*.md")))
    assert {name: r["errors"] for name, r in report.items() if r["errors"]} == {}
    assert {name: r["not drawn"] for name, r in report.items() if r["not drawn"]} == {}
    # The lessons that draw graphs drew them: with no `dot` on PATH, by the graphviz-pure
    # that came with the package.
    assert report["02_value_object"]["graphs"] > 0 and report["08_mlp"]["graphs"] > 0
    assert sum(r["graphs"] for r in report.values()) >= 10
