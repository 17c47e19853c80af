"""The gates themselves can fail: nbval passes a lesson synced in another
process and catches any changed output, the SVG of a graph included; the drift
check catches a .ipynb that no longer matches its .md."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = "02_value_object"


@pytest.fixture(scope="module")
def synced_lesson(tmp_path_factory):
    """Lesson 02 as `make sync` writes it, executed in a process of its own."""
    folder = tmp_path_factory.mktemp("synced")
    shutil.copy(ROOT / "notebooks" / f"{LESSON}.md", folder)
    subprocess.run([sys.executable, str(ROOT / "tools" / "sync_notebooks.py"), str(folder / f"{LESSON}.md")],
                   check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "1"})
    return folder


@pytest.fixture
def lesson(synced_lesson, tmp_path):
    """A fresh copy of the synced lesson's pair, to change."""
    for suffix in (".md", ".ipynb"):
        shutil.copy(synced_lesson / f"{LESSON}{suffix}", tmp_path)
    return tmp_path / f"{LESSON}.ipynb"


def nbval(path):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), "-q", str(path)],
        capture_output=True, text=True, cwd=path.parent, env={**os.environ, "PYTHONHASHSEED": "2"})


def drawn_graph_output(nb):
    """The stored output of the lesson's first plain draw_dot(L) cell."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "".join(cell["source"]).rstrip().endswith("draw_dot(L)"):
            return cell["outputs"][0]["data"]
    raise AssertionError("lesson 02 has no draw_dot(L) cell")


def edit(path, change):
    nb = json.loads(path.read_text())
    change(nb)
    path.write_text(json.dumps(nb))


def test_nbval_passes_a_lesson_synced_in_another_process(lesson):
    result = nbval(lesson)
    assert result.returncode == 0, result.stdout[-2000:]


def test_nbval_fails_when_a_graph_picture_changes(lesson):
    def move_one_node(nb):
        data = drawn_graph_output(nb)
        svg = "".join(data["image/svg+xml"])
        moved = re.sub(r'points="(-?\d+)', lambda m: f'points="{int(m.group(1)) + 1}', svg, count=1)
        assert moved != svg
        data["image/svg+xml"] = moved
    edit(lesson, move_one_node)
    result = nbval(lesson)
    assert result.returncode != 0
    assert "image/svg+xml" in result.stdout


def test_nbval_fails_when_a_graph_value_changes(lesson):
    def change_a_grad(nb):
        data = drawn_graph_output(nb)
        text = "".join(data["text/plain"])
        assert "-8.0000" in text
        data["text/plain"] = text.replace("-8.0000", "-8.0001")
    edit(lesson, change_a_grad)
    result = nbval(lesson)
    assert result.returncode != 0
    assert "-8.0001" in result.stdout


def test_drift_check_fails_when_the_md_changes(lesson):
    md = lesson.with_suffix(".md")
    check = [sys.executable, str(ROOT / "tools" / "check_pairs.py"), str(md)]
    assert subprocess.run(check, capture_output=True).returncode == 0
    md.write_text(md.read_text().replace("L = d * f; L.label = \"L\"", "L = d * f * 2; L.label = \"L\"", 1))
    result = subprocess.run(check, capture_output=True, text=True)
    assert result.returncode == 1
    assert "differs" in result.stdout and "make sync" in result.stdout
