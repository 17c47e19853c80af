"""The training view obeys its controls in real JupyterLab: Pause, Reset, a re-run cell, Kernel > Interrupt.

Pause latency is measured in the page: a MutationObserver notes the last
time the status line or the picture changed; the test clicks Pause and,
once the kernel has answered a round trip (so every picture it sent is in
the page), takes the last change minus the click. The goal is 200 ms in the
lessons that have a training view; the median of several tries is what is
asserted, as one try can land on a busy moment of a shared machine.
"""

import statistics

import pytest

from labdriver import lab_page

NOTEBOOK = "tests/browser/notebooks/live_widgets.ipynb"
LESSONS = {"09": "notebooks/09_gradient_descent.ipynb", "10": "notebooks/10_classification.ipynb"}
PAUSE_GOAL_MS = 200
TRIES = 5

pytestmark = pytest.mark.browser

# JS: start noting when the view's status or picture last changed.
WATCH = """el => {
  el.__changes = [];
  const note = () => el.__changes.push(performance.now());
  el.__watch && el.__watch.disconnect();
  el.__watch = new MutationObserver(note);
  el.__watch.observe(el.querySelector('.mgl-training-status'), {subtree: true, childList: true, characterData: true});
  el.__watch.observe(el.querySelector('img'), {attributes: true, attributeFilter: ['src']});
}"""

# JS: click a button of the view now; returns the time of the click.
CLICK = """([el, name]) => { const b = [...el.querySelectorAll('button')].find(b => b.textContent.trim() === name);
  const t = performance.now(); b.click(); return t; }"""

# JS: a SHA-256 of the picture's PNG bytes.
PICTURE_HASH = """async el => { const bytes = await (await fetch(el.querySelector('img').src)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join(''); }"""


def status(view):
    return view.locator(".mgl-training-status").inner_text()


def shown_step(view):
    return int(status(view).split("step ")[1].split()[0])


def wait_for_button(lab, view, name, timeout=10_000):
    lab.page.wait_for_function(
        "([el, name]) => [...el.querySelectorAll('button')].some(b => b.textContent.trim() === name)",
        arg=[view.element_handle(), name], timeout=timeout)


def wait_for_steps(lab, view, at_least, timeout=30_000):
    lab.page.wait_for_function(
        """([el, n]) => { const m = /step (\\d+) /.exec(el.querySelector('.mgl-training-status').textContent);
                          return m && Number(m[1]) >= n; }""",
        arg=[view.element_handle(), at_least], timeout=timeout)


def pause_latencies(lab, view, tries=TRIES):
    """Play, then Pause `tries` times; each: ms from the click to the last change on screen."""
    latencies, button_back = [], []
    for _ in range(tries):
        start = shown_step(view)
        lab.page.evaluate(CLICK, [view.element_handle(), "Play"])
        wait_for_steps(lab, view, start + 2)
        view.evaluate(WATCH)
        clicked = lab.page.evaluate(CLICK, [view.element_handle(), "Pause"])
        wait_for_button(lab, view, "Play")
        button_back.append(lab.page.evaluate("() => performance.now()") - clicked)
        lab.settle()                                   # every picture sent before the pause is here
        changes = view.evaluate("el => el.__changes")
        latencies.append(max([0.0] + [t - clicked for t in changes]))
    return latencies, button_back


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_pause_takes_effect_within_200_ms(lab_server, chromium, lesson):
    with lab_page(lab_server, chromium) as lab:
        lab.open_notebook(LESSONS[lesson])
        lab.run_up_to("training_view(")
        view = lab.page.locator(".mgl-training-view").first
        view.scroll_into_view_if_needed()
        latencies, button_back = pause_latencies(lab, view)
        median = statistics.median(latencies)
        # The button turns back into Play when the step under way has ended
        # (and been undone): reported, not the goal.
        print(f"lesson {lesson}: Pause -> last change on screen, median {median:.0f} ms "
              f"of {', '.join(f'{t:.0f}' for t in latencies)} ms; the button reads Play again after "
              f"{', '.join(f'{t:.0f}' for t in button_back)} ms")
        assert median <= PAUSE_GOAL_MS, latencies
        assert lab.errors() == []


@pytest.fixture(scope="module")
def nb(lab_server, chromium):
    with lab_page(lab_server, chromium) as lab:
        try:
            lab.open_notebook(NOTEBOOK)
            assert lab.page.locator(".mgl-training-view").count() == 0
            lab.run_all()
            lab.page.wait_for_selector(".mgl-training-view img")
        except BaseException:
            lab.screenshot("training_controls-setup-failed")
            raise
        yield lab


def training_cell(lab):
    return lab.page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'code')
        .findIndex(c => c.model.sharedModel.getSource().includes('training_view('))""")


def kernel_numbers(lab, code):
    return [int(x) for x in lab.kernel_eval(code).split()]


def test_after_the_cell_is_run_again_exactly_one_loop_trains(nb):
    view = nb.page.locator(".mgl-training-view")
    nb.page.evaluate(CLICK, [view.element_handle(), "Play"])
    wait_for_steps(nb, view, 2)
    nb.kernel_eval("old = view")
    old_element = view.element_handle()
    nb.run_cell(training_cell(nb))                     # as Shift+Enter on the cell
    nb.page.wait_for_function("el => !el.isConnected", arg=old_element, timeout=30_000)   # its output went
    view = nb.page.locator(".mgl-training-view")
    view.locator("img").wait_for()
    nb.page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.session"
                              ".kernel.status === 'idle'")
    code = ("from micrograd_lite.live.training import playing_views\n"
            "print(len(playing_views()), int(old.playing), old.steps, view.steps)")
    playing, old_playing, old_steps, new_steps = kernel_numbers(nb, code)
    assert (playing, old_playing, new_steps) == (0, 0, 0)
    nb.page.evaluate(CLICK, [view.element_handle(), "Play"])
    wait_for_steps(nb, view, 5)
    playing, old_playing, old_steps_later, trained = kernel_numbers(nb, code)
    assert playing == 1 and old_playing == 0 and trained >= 5
    assert old_steps_later == old_steps                # the old view trained no step meanwhile
    nb.page.evaluate(CLICK, [view.element_handle(), "Pause"])
    wait_for_button(nb, view, "Play")
    assert nb.errors() == []


def test_kernel_interrupt_stops_play(nb):
    view = nb.page.locator(".mgl-training-view")
    start = shown_step(view)
    nb.page.evaluate(CLICK, [view.element_handle(), "Play"])
    wait_for_steps(nb, view, start + 2)
    nb.menu("Kernel", "kernelmenu:interrupt")
    wait_for_button(nb, view, "Play")
    nb.settle()
    assert "paused by Kernel > Interrupt" in status(view)
    stopped = shown_step(view)
    playing, steps = kernel_numbers(nb, "print(int(view.playing), view.steps)")
    assert playing == 0 and steps == stopped           # the kernel lives on, and trains no more
    # Play works again afterwards, and the note goes.
    nb.page.evaluate(CLICK, [view.element_handle(), "Play"])
    wait_for_steps(nb, view, stopped + 1)
    nb.page.evaluate(CLICK, [view.element_handle(), "Pause"])
    wait_for_button(nb, view, "Play")
    assert "Interrupt" not in status(view)
    assert nb.errors() == []


def test_reset_resets_the_axes_and_the_picture(nb):
    view = nb.page.locator(".mgl-training-view")
    view.get_by_role("button", name="Reset").click()
    nb.page.wait_for_function("el => el.textContent.includes('step 0 ')", arg=view.element_handle())
    nb.settle()
    first = view.evaluate(PICTURE_HASH)
    nb.kernel_eval("view.learning_rate = 5")            # overshoots: the loss axis grows
    nb.page.evaluate(CLICK, [view.element_handle(), "Play"])
    wait_for_steps(nb, view, 12)                       # and the step axis goes past 10
    nb.page.evaluate(CLICK, [view.element_handle(), "Pause"])
    wait_for_button(nb, view, "Play")
    nb.settle()
    assert view.evaluate(PICTURE_HASH) != first
    nb.kernel_eval("view.learning_rate = 0.3")
    view.get_by_role("button", name="Reset").click()
    nb.page.wait_for_function("el => el.textContent.includes('step 0 ')", arg=view.element_handle())
    nb.settle()
    assert view.evaluate(PICTURE_HASH) == first        # the same picture as at the start: axes included
    assert "learning rate 0.3" in status(view)


# JS: how the controls and the picture sit at the current window size.
FIT = """el => {
  const row = el.querySelector('.widget-hbox');
  const buttons = [...row.querySelectorAll('button')].map(b => ({text: b.textContent.trim(),
      cut: b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > row.getBoundingClientRect().right + 1}));
  const img = el.querySelector('img'), box = img.getBoundingClientRect();
  const first = row.children[0].getBoundingClientRect();
  const rows = 1 + [...row.children].filter(c => c.getBoundingClientRect().top >= first.bottom).length;
  return {buttons: buttons, rows: rows, rowOverflows: row.scrollWidth > row.clientWidth + 1,
          shown: box.width / box.height, natural: img.naturalWidth / img.naturalHeight,
          imgRight: box.right, area: el.closest('.jp-OutputArea-output').getBoundingClientRect().right}; }"""  # noqa: E501


def wait_for_layout(lab, view):
    """JupyterLab lays its panels out again a moment after the window changes: wait until it is done."""
    lab.page.wait_for_function("""el => new Promise(done => {
        const size = () => { const a = el.closest('.jp-OutputArea-output').getBoundingClientRect();
                             const n = document.querySelector('.jp-NotebookPanel').getBoundingClientRect();
                             return [a.width, n.right, window.innerWidth].join(); };
        const before = size();
        setTimeout(() => requestAnimationFrame(() => done(size() === before
            && document.querySelector('.jp-NotebookPanel').getBoundingClientRect().right <= window.innerWidth)), 100);
      })""", arg=view.element_handle(), timeout=10_000)


def test_at_900_px_the_controls_wrap_and_the_picture_keeps_its_shape(nb):
    view = nb.page.locator(".mgl-training-view")
    try:
        for width in (1280, 900):
            nb.page.set_viewport_size({"width": width, "height": 800})
            nb.page.wait_for_function("w => window.innerWidth === w", arg=width)
            wait_for_layout(nb, view)
            view.scroll_into_view_if_needed()
            fit = view.evaluate(FIT)
            view.screenshot(path=str(nb.screenshot_dir() / f"training_view_{width}.png"))
            assert not any(b["cut"] for b in fit["buttons"]) and not fit["rowOverflows"], fit
            assert fit["shown"] == pytest.approx(fit["natural"], rel=0.02), fit     # not squashed
            assert fit["imgRight"] <= fit["area"] + 1, (width, fit)
        assert fit["rows"] >= 2, fit                   # at 900 px the row wrapped
    finally:
        nb.page.set_viewport_size({"width": 1500, "height": 1000})


# JS: the status text's contrast ratio against what is behind it (WCAG 2).
CONTRAST = """el => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const text = el.querySelector('.mgl-training-status span');
  let fg = rgba(getComputedStyle(text).color), node = text, bg = null;
  while (node && !bg) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) bg = c;
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255, 1];
  const mix = (f, b) => f.slice(0, 3).map((v, i) => v * f[3] + b[i] * (1 - f[3]));
  fg = mix(fg, bg);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  return {ratio: (hi + 0.05) / (lo + 0.05), fg: fg, bg: bg}; }"""  # noqa: E501


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_the_status_line_reads_in_both_themes(nb, theme):
    view = nb.page.locator(".mgl-training-view")
    try:
        nb.set_theme(theme)
        view.scroll_into_view_if_needed()
        contrast = view.evaluate(CONTRAST)
        view.screenshot(path=str(nb.screenshot_dir() / f"training_view_{theme.split()[-1].lower()}.png"))
        print(f"{theme}: status text contrast {contrast['ratio']:.1f}:1")
        assert contrast["ratio"] >= 4.5, contrast
    finally:
        nb.set_theme("JupyterLab Light")
