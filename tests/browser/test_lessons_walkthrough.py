"""Every lesson, as a learner meets it: open in JupyterLab, Run All, play with each live graph.

Parametrized over notebooks/[0-9]*.ipynb as they are when the tests run. For
each lesson: clear the stored outputs (so nothing on screen comes from an old
run), Run All, assert no cell ended in an error, then for every live graph
move its first slider one step and assert the numbers on screen changed, and
for every training view press Step and assert it trained one step.
"""

import json
from pathlib import Path

import pytest

from labdriver import NUMBERS_SHOWN, REPO

LESSONS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("[0-9]*.ipynb"))

pytestmark = pytest.mark.browser


def clear_outputs(lab):
    # Clear again on every poll: outputs still being rendered when the notebook
    # opens (widgets, large images) can appear after a single clear.
    lab.page.wait_for_function(
        """() => {
            const left = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length;
            if (left) window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
            return left === 0;
        }""", polling=500)


def stored_widgets(lesson, text_start):
    """How many outputs of the stored lesson have a text/plain starting with `text_start`."""
    cells = json.loads((REPO / lesson).read_text())["cells"]
    return sum(1 for c in cells for o in c.get("outputs", [])
               if "".join(o.get("data", {}).get("text/plain", "")).startswith(text_start))


@pytest.mark.parametrize("lesson", LESSONS, ids=[Path(p).stem for p in LESSONS])
def test_lesson_runs_and_its_live_graphs_respond(lab, lesson):
    lab.open_notebook(lesson)
    clear_outputs(lab)
    lab.run_all()
    assert lab.errors() == [], f"{lesson} has error outputs after Run All"

    graphs = lab.page.locator(".mgl-live-graph")
    # Every live graph the stored lesson shows must be on screen too (none failed to render).
    assert graphs.count() == stored_widgets(lesson, "live graph (")
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

    views = lab.page.locator(".mgl-training-view")
    assert views.count() == stored_widgets(lesson, "training view:")
    for i in range(views.count()):
        view = views.nth(i)
        view.scroll_into_view_if_needed()
        picture = view.locator("img").get_attribute("src")
        view.get_by_role("button", name="Step").click()
        lab.page.wait_for_function("el => /step [1-9]\\d* /.test(el.textContent)",
                                   arg=view.element_handle(), timeout=30_000)
        assert view.locator("img").get_attribute("src") != picture, f"training view {i} of {lesson}"
        assert view.locator(".mgl-error").count() == 0
