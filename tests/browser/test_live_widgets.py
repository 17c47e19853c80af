"""The live widgets in real JupyterLab: Run All, press keys on sliders, read the screen.

One page runs the test notebook once for the whole module (a page load and a
Run All cost ~10 s); each test reads the sliders it starts from, so the tests
don't depend on their order.
"""

import math

import pytest

from labdriver import NUMBERS_SHOWN, lab_page
from micrograd_lite import MLP, Value
from micrograd_lite.graph import format_number

NOTEBOOK = "tests/browser/notebooks/live_widgets.ipynb"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def nb(lab_server, chromium):
    with lab_page(lab_server, chromium) as lab:
        try:
            lab.open_notebook(NOTEBOOK)
            # A stored output would make the checks below pass without running anything.
            assert lab.page.locator(".mgl-live-graph").count() == 0
            lab.run_all()
            lab.page.wait_for_selector(".mgl-live-graph .mgl-numbers-layer svg.mgl-numbers")
        except BaseException:
            lab.screenshot("live_widgets-setup-failed")
            raise
        yield lab


def lecture_L(a, b, c, f):
    return (a * b + c) * f


def wait_for_text(lab, widget, text, timeout=15_000):
    lab.page.wait_for_function(
        """([el, text]) => [...el.querySelectorAll('.mgl-numbers-layer text')]
                             .some(t => t.textContent === text)""",
        arg=[widget.element_handle(), text], timeout=timeout)


def values(lab, widget, names):
    return {name: lab.slider_value(lab.slider_handle(name, widget)) for name in names}


def test_run_all_gives_no_error_and_three_live_graphs(nb):
    assert nb.errors() == []
    assert nb.page.locator(".mgl-live-graph").count() == 3


def test_live_graph_follows_the_slider_keys(nb):
    lecture = nb.page.locator(".mgl-live-graph").nth(0)
    start = lecture.evaluate(NUMBERS_SHOWN)
    before = values(nb, lecture, "abcf")
    a = nb.press_on_slider(nb.slider_handle("a", lecture), "ArrowRight")
    assert a == pytest.approx(before["a"] + 0.05)
    v = dict(before, a=a)
    wait_for_text(nb, lecture, f"data {format_number(a)}")
    wait_for_text(nb, lecture, f"data {format_number(lecture_L(**v))}")
    after = lecture.evaluate(NUMBERS_SHOWN)
    assert after["seq"] > start["seq"]
    assert f"grad {format_number(v['b'] * v['f'])}" in after["texts"]      # dL/da
    assert f"grad {format_number(v['a'] * v['f'])}" in after["texts"]      # dL/db


def test_a_burst_of_key_presses_ends_on_the_final_values(nb):
    lecture = nb.page.locator(".mgl-live-graph").nth(0)
    nb.press_on_slider(nb.slider_handle("c", lecture), "PageDown", times=12)   # no waiting between
    nb.press_on_slider(nb.slider_handle("f", lecture), "ArrowLeft", times=7)
    v = values(nb, lecture, "abcf")
    expected = format_number(lecture_L(**v))
    wait_for_text(nb, lecture, f"data {expected}")
    # And it stays there: no late update from a backlog replaces it. After a
    # kernel round trip every update the kernel sent is on screen.
    nb.settle()
    texts = lecture.evaluate(NUMBERS_SHOWN)["texts"]
    assert f"data {expected}" in texts
    assert f"data {format_number(v['c'])}" in texts and f"data {format_number(v['f'])}" in texts


def test_both_layers_of_the_picture_line_up(nb):
    for i in range(3):
        widget = nb.page.locator(".mgl-live-graph").nth(i)
        static = widget.locator(".mgl-static-layer svg").bounding_box()
        numbers = widget.locator(".mgl-numbers-layer svg").bounding_box()
        assert static and numbers
        for key in ("x", "y", "width", "height"):
            assert math.isclose(static[key], numbers[key], abs_tol=0.5), (key, static, numbers)


# JS: how the picture sits in its output area, and whether every number is
# inside a box of the static layer (it would spill out of a field too narrow).
PICTURE_FIT = """el => {
  const box = el.querySelector('.mgl-picture');
  const area = el.closest('.jp-OutputArea-output').getBoundingClientRect();
  const svg = el.querySelector('.mgl-numbers-layer svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const records = [...el.querySelectorAll('.mgl-static-layer g.node polygon')]
                    .map(p => p.getBoundingClientRect());
  const outside = [...svg.querySelectorAll('text')].filter(t => {
    const r = t.getBoundingClientRect();
    return !records.some(b => r.left >= b.left - 0.5 && r.right <= b.right + 0.5
                               && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5); })
    .map(t => t.textContent);
  return {scrolls: box.scrollWidth > box.clientWidth + 1, width: svg.getBoundingClientRect().width,
          area: area.width, textPx: 14 * scale, outside: outside}; }"""


def test_the_lecture_and_neuron_graphs_fit_the_output_area_readably(nb):
    for i in range(2):
        widget = nb.page.locator(".mgl-live-graph").nth(i)
        fit = widget.evaluate(PICTURE_FIT)
        assert not fit["scrolls"] and fit["width"] <= fit["area"] + 0.5, fit
        assert fit["textPx"] >= 11 - 0.01, fit
        assert fit["outside"] == [], fit


def test_the_neuron_graph_follows_its_sliders(nb):
    neuron = nb.page.locator(".mgl-live-graph").nth(1)
    b = nb.press_on_slider(nb.slider_handle("b", neuron), "End")
    assert b == 10.0
    wait_for_text(nb, neuron, "data 10.0000")
    v = values(nb, neuron, ["x1", "x2", "w1", "w2"])
    n = v["x1"] * v["w1"] + v["x2"] * v["w2"] + b
    wait_for_text(nb, neuron, f"data {format_number(math.tanh(n))}")
    assert nb.errors() == []
    assert neuron.locator(".mgl-error").count() == 0
    assert neuron.evaluate(PICTURE_FIT)["outside"] == []


def test_mlp_graph_updates_in_place(nb):
    mlp = nb.page.locator(".mgl-live-graph").nth(2)
    static_before = mlp.locator(".mgl-static-layer").inner_html()
    start = mlp.evaluate(NUMBERS_SHOWN)
    x1 = nb.press_on_slider(nb.slider_handle("x1", mlp), "PageUp")
    v = values(nb, mlp, ["x1", "x2", "x3"])
    assert v["x1"] == x1 != 1.0
    out = MLP(3, [4, 4, 1], seed=0)([Value(v["x1"]), Value(v["x2"]), Value(v["x3"])])
    wait_for_text(nb, mlp, f"data {format_number(x1)}")
    wait_for_text(nb, mlp, f"data {format_number(out.data)}")
    after = mlp.evaluate(NUMBERS_SHOWN)
    assert after["seq"] > start["seq"]
    assert mlp.locator(".mgl-static-layer").inner_html() == static_before     # not laid out again
    fit = mlp.evaluate(PICTURE_FIT)
    # Too wide to fit readably: fitted to the width at first, under a note saying how big it is...
    assert not fit["scrolls"] and fit["width"] <= fit["area"] + 0.5 and fit["outside"] == [], fit
    assert "Values" in mlp.locator(".mgl-size-note").inner_text()
    # ...and at natural size on request: readable, scrolling sideways.
    mlp.get_by_role("button", name="natural size").click()
    nb.page.wait_for_function("el => !/min-width:0px/.test(el.querySelector('.mgl-static-layer svg')"
                              ".getAttribute('style'))", arg=mlp.element_handle())
    natural = mlp.evaluate(PICTURE_FIT)
    assert natural["scrolls"] and natural["textPx"] >= 11 - 0.01 and natural["outside"] == [], natural
    mlp.get_by_role("button", name="fit to width").click()


def test_backward_stepper_steps_with_the_buttons(nb):
    stepper = nb.page.locator(".mgl-backward-stepper")
    assert stepper.count() == 1
    stepper.get_by_role("button", name="Reset").click()
    for _ in range(2):
        stepper.get_by_role("button", name="Next ▶").click()
    nb.page.wait_for_function(
        "el => el.textContent.includes('d.grad += -2.0 × L.grad = -2.0')",
        arg=stepper.element_handle(), timeout=10_000)
    texts = stepper.evaluate(NUMBERS_SHOWN)["texts"]
    assert texts.count("grad 0.0000") == 4          # a, b, e, c: not reached yet
    assert "grad 4.0000" in texts                   # f.grad = d
    stepper.get_by_role("button", name="Reset").click()
    nb.page.wait_for_function(
        "el => el.textContent.includes('step 0 of 4')", arg=stepper.element_handle(), timeout=10_000)


def training_step(view):
    text = view.locator(".mgl-training-status").inner_text()
    return int(text.split("step ")[1].split()[0])


def test_training_view_plays_pauses_steps_and_resets(nb):
    view = nb.page.locator(".mgl-training-view")
    assert view.count() == 1
    view.scroll_into_view_if_needed()
    assert training_step(view) == 0
    first_png = view.locator("img").get_attribute("src")
    view.get_by_role("button", name="Play").click()
    nb.page.wait_for_function("el => /step ([3-9]|\\d\\d+) /.test(el.textContent)",
                              arg=view.element_handle(), timeout=30_000)
    # Pause is handled between two steps: the kernel is never blocked for long.
    view.get_by_role("button", name="Pause").click()
    nb.page.wait_for_function("el => [...el.querySelectorAll('button')].some(b => b.textContent.trim() === 'Play')",
                              arg=view.element_handle(), timeout=5_000)
    nb.settle()                                        # every picture the kernel sent is on screen
    paused_at = training_step(view)
    steps, playing = nb.kernel_eval("print(view.steps, int(view.playing))").split()
    assert (int(steps), playing) == (paused_at, "0")   # it really stopped, at the step shown
    assert view.locator("img").get_attribute("src") != first_png
    view.get_by_role("button", name="Step").click()
    nb.page.wait_for_function(f"el => el.textContent.includes('step {paused_at + 1} ')",
                              arg=view.element_handle(), timeout=10_000)
    # The browser kept the notebook's learning rate (0.3) and shows it as written.
    assert "learning rate 0.3" in view.locator(".mgl-training-status").inner_text()
    assert view.locator(".widget-readout").first.inner_text() == "0.3"
    view.get_by_role("button", name="Reset").click()
    nb.page.wait_for_function("el => el.textContent.includes('step 0 ')", arg=view.element_handle(),
                              timeout=10_000)
    assert nb.errors() == []


def test_the_timing_button_times_into_its_output(nb):
    timer = nb.page.locator(".mgl-timing-button")
    assert timer.count() == 1
    timer.get_by_role("button", name="Time one step").click()
    nb.page.wait_for_function("el => /nothing is about [\\d,.]+ times faster than one step/.test(el.textContent)",
                              arg=timer.element_handle(), timeout=30_000)
    text = timer.locator(".widget-output").inner_text()
    assert text.startswith("one step  ") and " ms per call (" in text
    assert nb.errors() == []
