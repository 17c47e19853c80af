"""The course in Jupyter Notebook 7: a lesson runs, its live graph answers a slider, its solutions stay folded.

Notebook 7 is built from JupyterLab's components, but in its own shell, with
its own header, menus and URLs, so the JupyterLab tests say nothing about it.
One Notebook 7 server and one page serve the module: lesson 02 is opened, its
stored outputs cleared (nothing on screen may come from the stored run), what
its solution cells show is recorded, then Run All.

Notebook 7 runs its keyboard shortcuts before a widget sees the key, so the
arrow keys move the cell cursor, not a focused slider (the last test records
that); the slider test moves it with PageUp/PageDown and with the mouse.
"""

import ast
import json

import pytest

from labdriver import NUMBERS_SHOWN, REPO, notebook7_page
from micrograd_lite import Value
from micrograd_lite.engine import topological_order
from micrograd_lite.graph import format_number

# Lesson 02 has both a live graph that redraws fast and four solution cells.
LESSON = "notebooks/02_value_object.ipynb"

pytestmark = pytest.mark.browser

# JS: for each solution cell, what of its code a reader can see. A line of the
# solution also written in another cell (the exercise stub, the prose) may be
# on screen for that reason, so only the solution's own lines count page-wide.
_SOLUTIONS_SHOWN = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const isSolution = c => (c.model.getMetadata('tags') || []).includes('solution');
  const elsewhere = nb.widgets.filter(c => !isSolution(c)).map(c => c.model.sharedModel.getSource()).join('\\n');
  const visible = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const page = document.body.innerText;
  return nb.widgets.map((c, i) => [c, i]).filter(([c]) => isSolution(c)).map(([c, i]) => {
    // The first line, '# Solution: expand to compare with yours', is all a folded cell shows: meant to.
    const lines = c.model.sharedModel.getSource().split('\\n').slice(1).map(l => l.trim()).filter(l => l);
    return {cell: i, lines: lines.length, inputHidden: c.inputHidden,
            placeholder: visible(c.node.querySelector('.jp-InputPlaceholder')),
            editor: [...c.node.querySelectorAll('.jp-InputArea-editor')].some(visible),
            inCell: lines.filter(l => c.node.innerText.includes(l)),
            onPage: lines.filter(l => !elsewhere.includes(l) && page.includes(l))};
  });
}"""


def stored_cells(tag=None):
    cells = json.loads((REPO / LESSON).read_text())["cells"]
    return [c for c in cells if tag is None or tag in c.get("metadata", {}).get("tags", [])]


def solution_leaks(shown):
    """What is wrong with the solution cells as `_SOLUTIONS_SHOWN` saw them; [] when all stay folded."""
    leaks = []
    for s in shown:
        if not s["inputHidden"] or not s["placeholder"] or s["editor"]:
            leaks.append(f"cell {s['cell']}: not folded (hidden={s['inputHidden']}, "
                         f"placeholder={s['placeholder']}, editor={s['editor']})")
        if s["inCell"] or s["onPage"]:
            leaks.append(f"cell {s['cell']}: its code is on screen: {(s['inCell'] + s['onPage'])[:3]}")
    return leaks


def clear_outputs(nb):
    # Clear again on every poll: outputs still being rendered when the notebook
    # opens (widgets, large images) can appear after a single clear.
    nb.page.wait_for_function(
        """() => {
            const left = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length;
            if (left) window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
            return left === 0;
        }""", polling=500)


@pytest.fixture(scope="module")
def notebook7(notebook7_server, chromium):
    """The lesson's page in Notebook 7; `solutions_at_open` is what its solution cells showed before Run All."""
    with notebook7_page(notebook7_server, chromium) as nb:
        try:
            nb.open_notebook(LESSON)
            clear_outputs(nb)
            assert nb.page.locator(".mgl-live-graph").count() == 0
            nb.solutions_at_open = nb.page.evaluate(_SOLUTIONS_SHOWN)
            nb.run_all()
        except BaseException:
            nb.screenshot("notebook7-setup-failed")
            raise
        yield nb


def test_the_lesson_runs_without_error(notebook7):
    assert notebook7.errors() == []
    code = [c for c in stored_cells() if c["cell_type"] == "code"]
    counts = [c["count"] for c in notebook7.notebook_state()["cells"]]
    assert len(counts) == len(code) and None not in counts, "not every code cell ran"
    assert notebook7.page.locator(".mgl-live-graph").count() == 1


def test_solutions_stay_folded(notebook7):
    expected = len(stored_cells("solution"))
    assert expected > 0
    for when, shown in (("when opened", notebook7.solutions_at_open),
                        ("after Run All", notebook7.page.evaluate(_SOLUTIONS_SHOWN))):
        assert len(shown) == expected and all(s["lines"] for s in shown), when
        assert solution_leaks(shown) == [], f"a solution shows {when}"

    # The check itself can fail: unfold one solution, as a click on it would, and it must notice.
    page = notebook7.page
    page.evaluate("() => { const c = window.jupyterapp.shell.currentWidget.content.widgets"
                  ".find(c => (c.model.getMetadata('tags') || []).includes('solution')); c.inputHidden = false; }")
    try:
        assert solution_leaks(page.evaluate(_SOLUTIONS_SHOWN)) != []
    finally:
        page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets"
                      ".filter(c => (c.model.getMetadata('tags') || []).includes('solution'))"
                      ".forEach(c => { c.inputHidden = true; })")
    assert solution_leaks(page.evaluate(_SOLUTIONS_SHOWN)) == []
    page.locator(".jp-InputPlaceholder").first.scroll_into_view_if_needed()
    page.screenshot(path=str(notebook7.screenshot_dir() / "notebook7-02_solution_folded.png"))


def lesson_build():
    """The lesson's own `build_L`, taken from its cell and run here with our Value: what Python computes."""
    source = next("".join(c["source"]) for c in stored_cells() if "def build_L" in "".join(c["source"]))
    tree = ast.parse(source)
    tree.body = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "build_L"]
    namespace = {}
    exec(compile(tree, LESSON, "exec"), namespace)
    return namespace["build_L"]


def expected_texts(values):
    """The numbers the live graph should print for these slider values: each node's data and grad."""
    root = lesson_build()(**{name: Value(x, label=name) for name, x in values.items()})
    root.backward()
    nodes = topological_order(root)
    return sorted([f"data {format_number(v.data)}" for v in nodes] + [f"grad {format_number(v.grad)}" for v in nodes])


def graph_after(nb, graph, before):
    """The numbers `graph` shows once the move after `before` has reached it, and every later update too."""
    nb.page.wait_for_function(
        """([el, seq]) => { const s = el.querySelector('.mgl-numbers-layer svg.mgl-numbers');
                             return s && Number(s.getAttribute('data-seq')) > seq; }""",
        arg=[graph.element_handle(), before["seq"]], timeout=15_000)
    nb.settle()
    return graph.evaluate(NUMBERS_SHOWN)


def drag_handle(nb, handle, dx):
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    nb.page.mouse.move(x, y)
    nb.page.mouse.down()
    nb.page.mouse.move(x + dx, y, steps=8)
    nb.page.mouse.up()


def test_the_live_graph_follows_its_slider(notebook7):
    """Keyboard and mouse each move the first slider; the graph then shows what Python computes."""
    nb = notebook7
    graph = nb.page.locator(".mgl-live-graph").first
    graph.locator(".mgl-numbers-layer svg.mgl-numbers").wait_for()
    handle = graph.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()

    def values():
        return {name: nb.slider_value(nb.slider_handle(name, graph)) for name in "abcf"}

    before, start = graph.evaluate(NUMBERS_SHOWN), values()
    assert sorted(before["texts"]) == expected_texts(start)

    # Keyboard: PageUp or PageDown, five steps. (The arrow keys don't reach a slider here: see the last test.)
    moved = nb.press_on_slider(handle, "PageDown" if start["a"] > 0 else "PageUp")
    assert moved != start["a"], "the slider did not move"
    after = graph_after(nb, graph, before)
    assert after["texts"] != before["texts"], "the graph's numbers did not change"
    assert sorted(after["texts"]) == expected_texts(dict(start, a=moved))

    # Mouse: drag the handle, as the lesson tells the learner to.
    before, start = after, values()
    drag_handle(nb, handle, 60 if start["a"] < 0 else -60)
    moved = nb.slider_value(handle)
    assert moved != start["a"], "the drag did not move the slider"
    after = graph_after(nb, graph, before)
    assert after["texts"] != before["texts"], "the graph's numbers did not change"
    assert sorted(after["texts"]) == expected_texts(dict(start, a=moved))
    assert graph.locator(".mgl-error").count() == 0

    nb.page.screenshot(path=str(nb.screenshot_dir() / "notebook7-02_value_object.png"))


@pytest.mark.xfail(strict=True, reason="Notebook 7 runs its keyboard shortcuts before the page's own key handlers "
                   "(JupyterLab runs them after), so ArrowLeft/Right/Up/Down move the notebook's cell cursor "
                   "instead of a focused slider. PageUp/PageDown, Home/End and the mouse work. Strict: when a "
                   "Notebook 7 release fixes it, this turns red, and the README's note can go.")
def test_arrow_keys_move_a_focused_slider(notebook7):
    handle = notebook7.page.locator(".mgl-live-graph .widget-slider .noUi-handle").first
    start = notebook7.slider_value(handle)
    assert notebook7.press_on_slider(handle, "ArrowRight" if start < 0 else "ArrowLeft") != start
