"""Every lesson, as a learner meets it: open in JupyterLab, Run All, play with each live graph.

Parametrized over notebooks/[0-9]*.ipynb as they are when the tests run. For
each lesson: clear the stored outputs (so nothing on screen comes from an old
run), Run All, assert no cell ended in an error, then for every live graph
move its first slider one step and assert the numbers on screen changed.
"""

import json
from pathlib import Path

import pytest

from labdriver import NUMBERS_SHOWN, REPO

LESSONS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("[0-9]*.ipynb"))

pytestmark = pytest.mark.browser


def clear_outputs(lab):
    lab.page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    lab.page.wait_for_function(
        "() => document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0")


def stored_live_graphs(lesson):
    """How many live graphs the lesson's stored outputs hold (their text starts 'live graph (')."""
    cells = json.loads((REPO / lesson).read_text())["cells"]
    return sum(1 for c in cells for o in c.get("outputs", [])
               if "".join(o.get("data", {}).get("text/plain", "")).startswith("live graph ("))


@pytest.mark.parametrize("lesson", LESSONS, ids=[Path(p).stem for p in LESSONS])
def test_lesson_runs_and_its_live_graphs_respond(lab, lesson):
    lab.open_notebook(lesson)
    clear_outputs(lab)
    lab.run_all()
    assert lab.errors() == [], f"{lesson} has error outputs after Run All"

    graphs = lab.page.locator(".mgl-live-graph")
    # Every live graph the stored lesson shows must be on screen too (none failed to render).
    assert graphs.count() == stored_live_graphs(lesson)
    for i in range(graphs.count()):
        graph = graphs.nth(i)
        graph.locator(".mgl-numbers-layer svg.mgl-numbers").wait_for()
        before = graph.evaluate(NUMBERS_SHOWN)
        handle = graph.locator(".widget-slider .noUi-handle").first
        start = lab.slider_value(handle)
        moved = lab.press_on_slider(handle, "ArrowRight")
        if moved == start:                          # already at its maximum
            moved = lab.press_on_slider(handle, "ArrowLeft")
        assert moved != start, f"live graph {i} of {lesson}: its first slider did not move"
        lab.page.wait_for_function(
            """([el, seq]) => { const s = el.querySelector('.mgl-numbers-layer svg.mgl-numbers');
                                 return s && Number(s.getAttribute('data-seq')) > seq; }""",
            arg=[graph.element_handle(), before["seq"]], timeout=15_000)
        after = graph.evaluate(NUMBERS_SHOWN)
        assert after["texts"] != before["texts"], f"live graph {i} of {lesson}: the picture did not change"
        assert graph.locator(".mgl-error").count() == 0
