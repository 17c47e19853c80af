"""The live widgets of the course pages, against the package itself.

Each lesson's widgets saved a page record when the lesson ran
(micrograd_lite/live/page_record.py); book/_static/live_pages.js replays it
with no Python behind the page. Here, on the built site in headless Chromium:

* every live graph: slider moves on the page give the numbers, highlights and
  grad colours that the package's own LiveGraph gives for the same slider
  values (the lesson's code is run here, in Python, up to that widget);
* every backward stepper: Next, Back, Reset and Play show the package's steps;
* every training view: Reset and Play draw the recorded run, frame by frame;
* every widget without a record: its controls are switched off.
"""

import html
import os
import re

import pytest

from test_book import (  # noqa: F401  (fixtures)
    LESSONS,
    SRCDIR,
    WIDGET_STATE,
    WIDGET_VIEW,
    assert_clean,
    book_browser,
    book_html,
    book_page,
    book_url,
    notebook,
    open_page,
    screenshot_on_failure,
)

pytestmark = pytest.mark.browser

KINDS = {"mgl-live-graph": "live_graph", "mgl-backward-stepper": "stepper", "mgl-training-view": "training"}


# ------------------------------------------------------------- notebook facts

def saved_widgets(nb):
    """(kind or None, has a record, code cell index) of every saved widget output, in page order."""
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    found = []
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            model_id = output.get("data", {}).get(WIDGET_VIEW, {}).get("model_id")
            if model_id not in state:
                continue
            model = state[model_id]["state"]
            kind = next((KINDS[c] for c in model.get("_dom_classes", []) if c in KINDS), None)
            children = [state.get(c.replace("IPY_MODEL_", ""), {}).get("state", {})
                        for c in model.get("children", [])]
            record = any("mgl-record" in c.get("_dom_classes", []) for c in children)
            found.append((kind, record, index))
    return found


def lessons_with(kind):
    return [d for d in LESSONS if any(k == kind for k, _, _ in saved_widgets(notebook(d)))]


def run_lesson(docname, upto):
    """Run the lesson's code cells 0..upto in one IPython shell, as the notebook
    ran them; the value of each code cell's last line, by cell index."""
    from IPython.core.interactiveshell import InteractiveShell

    os.environ.setdefault("MPLBACKEND", "Agg")
    shell = InteractiveShell.instance()
    shell.reset(new_session=True)
    values = {}
    here = os.getcwd()
    os.chdir((SRCDIR / docname).parent)
    try:
        for index, cell in enumerate(notebook(docname)["cells"][:upto + 1]):
            if cell["cell_type"] != "code":
                continue
            result = shell.run_cell("".join(cell["source"]), store_history=False, silent=False)
            values[index] = result.result
    finally:
        os.chdir(here)
    return values


def lesson_objects(docname, kind):
    """The package's own widgets of `kind`, in page order, with their page index."""
    widgets = saved_widgets(notebook(docname))
    wanted = [(i, cell) for i, (k, _, cell) in enumerate(widgets) if k == kind]
    values = run_lesson(docname, max(cell for _, cell in wanted))
    return [(i, values[cell]) for i, cell in wanted]


# ----------------------------------------------------------------- page facts

NUMBERS_OF = """(root) => root.querySelector('.mgl-numbers-layer svg').outerHTML"""


def page_numbers(widget):
    from micrograd_lite.live.page_record import numbers_shown

    return numbers_shown(widget.evaluate(NUMBERS_OF))


def page_slider_values(widget):
    return widget.evaluate("""(root) => [...root.querySelectorAll('.widget-slider .slider')]
                                         .map((s) => Number(s.noUiSlider.get()))""")


def plain(text):
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def require_records(docname, kind):
    missing = [i + 1 for i, (k, record, _) in enumerate(saved_widgets(notebook(docname)))
               if k == kind and not record]
    assert not missing, (f"{docname}: widget(s) {missing} ({kind}) saved no page record, so the page can "
                         "only show a snapshot: the widget's __init__ should end with "
                         "attach_page_record(self) (micrograd_lite/live/page_record.py), then re-sync the lesson")


# ---------------------------------------------------------------------- tests

# Key presses on one slider's handle, then the next; each one is replayed in Python.
MOVES = [(0, ["ArrowRight"] * 3), (1, ["PageDown"]), (0, ["End"]), (-1, ["Home"]), (1, ["ArrowLeft"] * 2)]


@pytest.mark.parametrize("docname", lessons_with("live_graph"))
def test_live_graph_on_the_page_matches_python(book_page, docname):  # noqa: F811
    require_records(docname, "live_graph")
    objects = lesson_objects(docname, "live_graph")
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        for index, graph in objects:
            widget = book_page.locator(".widget-subarea").nth(index).locator(".mgl-live-graph")
            widget.scroll_into_view_if_needed()
            assert "mgl-live" in (widget.get_attribute("class") or ""), \
                f"live graph {index + 1}: the page script did not take it over"
            names = list(graph.sliders)
            graph.set(**dict(zip(names, page_slider_values(widget))))
            assert page_numbers(widget) == _python_numbers(graph), "the page starts from another picture"
            handles = widget.locator(".widget-slider .noUi-handle")
            for slider, keys in MOVES:
                handle = handles.nth(slider % len(names))
                handle.focus()
                for key in keys:
                    handle.press(key)
                    moved = dict(zip(names, page_slider_values(widget)))
                    if moved != {n: s.value for n, s in graph.sliders.items()}:
                        graph.set(**moved)        # in a kernel, a slider that did not move sends nothing
                values = dict(zip(names, page_slider_values(widget)))
                page, python = page_numbers(widget), _python_numbers(graph)
                wrong = [(i, p, q) for i, (p, q) in enumerate(zip(page, python)) if p != q]
                assert not wrong and len(page) == len(python), \
                    f"live graph {index + 1} at {values}: (node, page, Python) {wrong[:4]}"
        assert_clean(book_page)


def _python_numbers(graph):
    from micrograd_lite.live.page_record import numbers_shown

    return numbers_shown(graph.numbers_layer.value)


@pytest.mark.parametrize("docname", lessons_with("stepper"))
def test_stepper_on_the_page_steps_like_python(book_page, docname):  # noqa: F811
    require_records(docname, "stepper")
    objects = lesson_objects(docname, "stepper")
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        for index, stepper in objects:
            widget = book_page.locator(".widget-subarea").nth(index).locator(".mgl-backward-stepper")
            widget.scroll_into_view_if_needed()
            back, next_, reset = (widget.locator(".widget-button").nth(k) for k in range(3))
            text = widget.locator(".widget-html-content").first

            def shows(k):
                stepper.step = k  # noqa: B023
                assert plain(text.inner_html()) == plain(stepper.text_box.value), f"stepper {index + 1}, step {k}"  # noqa: B023
                assert page_numbers(widget) == _python_numbers(stepper), f"stepper {index + 1}, step {k}: picture"  # noqa: B023
                assert back.is_disabled() == (k == 0) and next_.is_disabled() == (k == stepper.steps)  # noqa: B023

            shows(0)
            for k in range(1, stepper.steps + 1):
                next_.click()
                shows(k)
            back.click()
            shows(stepper.steps - 1)
            reset.click()
            shows(0)
            widget.locator(".widget-play button").first.click()      # Play runs in the page
            book_page.wait_for_function(
                "(el) => el.textContent.includes('step 2 of')", arg=text.element_handle(), timeout=10_000)
        assert_clean(book_page)


@pytest.mark.parametrize("docname", lessons_with("training"))
def test_training_view_plays_back_its_recorded_run(book_page, docname):  # noqa: F811
    require_records(docname, "training")
    widgets = saved_widgets(notebook(docname))
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        for index in [i for i, (k, _, _) in enumerate(widgets) if k == "training"]:
            widget = book_page.locator(".widget-subarea").nth(index).locator(".mgl-training-view")
            widget.scroll_into_view_if_needed()
            record = widget.evaluate("(root) => JSON.parse(root.querySelector('code.mgl-record').textContent)")
            play, step, reset = (widget.locator(".widget-button").nth(k) for k in range(3))
            status = widget.locator(".widget-html-content").first
            image = widget.locator("img").first
            last = len(record["frames"]) - 1
            # Before any click: the trained state, the lesson's main picture.
            assert widget.get_attribute("data-mgl-frame") == str(last)
            assert plain(status.inner_html()) == plain(record["statuses"][last])
            assert f"step {record['steps']}" in status.inner_text()
            assert image.get_attribute("src") == record["frames"][last]
            assert step.is_disabled()
            reset.click()
            assert widget.get_attribute("data-mgl-frame") == "0" and "step 0" in status.inner_text()
            step.click()
            assert widget.get_attribute("data-mgl-frame") == "1"
            assert image.get_attribute("src") == record["frames"][1]
            play.click()
            book_page.wait_for_function("(root) => root.getAttribute('data-mgl-frame') === '3'",
                                        arg=widget.element_handle(), timeout=10_000)
            assert "Pause" in play.inner_text()
            assert image.evaluate("(img) => img.complete && img.naturalWidth > 0"), "a frame did not draw"
            book_page.wait_for_function(f"(root) => root.getAttribute('data-mgl-frame') === '{last}'",
                                        arg=widget.element_handle(), timeout=20_000)
            book_page.wait_for_timeout(400)
            assert "Play" in play.inner_text(), "Play should come back once the run is over"
            assert widget.locator(".widget-slider .slider").first.get_attribute("disabled") is not None, \
                "the learning rate cannot change in a recorded run: its slider should be off"
        assert_clean(book_page)


@pytest.mark.parametrize("docname", [d for d in LESSONS
                                     if any(not record for _, record, _ in saved_widgets(notebook(d)))])
def test_widgets_without_a_record_are_switched_off(book_page, docname):  # noqa: F811
    widgets = saved_widgets(notebook(docname))
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        book_page.wait_for_function("() => [...document.querySelectorAll('.widget-subarea')]"
                                    ".every((o) => o.dataset.mglDone)", timeout=10_000)
        for index, (_, record, _) in enumerate(widgets):
            if record:
                continue
            output = book_page.locator(".widget-subarea").nth(index)
            assert output.get_attribute("data-mgl-done") == "inert"
            buttons = output.locator("button, input")
            assert all(buttons.nth(k).is_disabled() for k in range(buttons.count())), \
                f"widget {index + 1} has no record, yet some of its controls look usable"
            note = book_page.locator(".widget-snapshot-note").nth(index)
            assert "switched off" in note.inner_text()
        assert_clean(book_page)
