"""The gates themselves can fail: nbval catches a changed output, the drift
check catches a .ipynb that no longer matches its .md, and the sanitize file
hides only the graph SVG's layout, never the values a lesson shows."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = "02_value_object"


def copy_lesson(tmp_path):
    for suffix in (".md", ".ipynb"):
        shutil.copy(ROOT / "notebooks" / f"{LESSON}{suffix}", tmp_path)
    return tmp_path / f"{LESSON}.ipynb"


def nbval(path):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), "-q", str(path)],
        capture_output=True, text=True, cwd=path.parent)


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


def test_nbval_passes_the_stored_lesson_and_ignores_only_svg_layout(tmp_path):
    path = copy_lesson(tmp_path)
    edit(path, lambda nb: drawn_graph_output(nb).update(
        {"image/svg+xml": '<?xml version="1.0"?>\n<svg width="1pt"><g/></svg>\n'}))
    result = nbval(path)
    assert result.returncode == 0, result.stdout[-2000:]


def test_nbval_fails_when_a_graph_value_changes(tmp_path):
    path = copy_lesson(tmp_path)

    def change_a_grad(nb):
        data = drawn_graph_output(nb)
        text = "".join(data["text/plain"])
        assert "-8.0000" in text
        data["text/plain"] = text.replace("-8.0000", "-8.0001")
    edit(path, change_a_grad)
    result = nbval(path)
    assert result.returncode != 0
    assert "-8.0001" in result.stdout


def test_drift_check_fails_when_the_md_changes(tmp_path):
    path = copy_lesson(tmp_path)
    md = path.with_suffix(".md")
    check = [sys.executable, str(ROOT / "tools" / "check_pairs.py"), str(md)]
    assert subprocess.run(check, capture_output=True).returncode == 0
    md.write_text(md.read_text().replace("L = d * f; L.label = \"L\"", "L = d * f * 2; L.label = \"L\"", 1))
    result = subprocess.run(check, capture_output=True, text=True)
    assert result.returncode == 1
    assert "differs" in result.stdout and "make sync" in result.stdout
