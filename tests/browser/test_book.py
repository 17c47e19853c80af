"""The course pages (`make book`), opened in headless Chromium.

Builds the site from book/ into a temporary folder with the same script as
`make book`, serves it on 127.0.0.1 and opens every page. A page must load
with no console error, no failed request and no request to any other host;
its plots, graphs and widget snapshots must really be on screen; solutions
must stay folded until clicked; next/previous links must walk the lessons in
order both ways. A failing check leaves a screenshot in test-artifacts/.

BOOK_SRCDIR=path runs the same checks on another copy of book/ (for example
one whose notebooks/ link points at a folder of trial lessons).
"""

import contextlib
import functools
import json
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SRCDIR = Path(os.environ.get("BOOK_SRCDIR", REPO / "book"))
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--disable-dev-shm-usage", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

LESSONS = [p.relative_to(SRCDIR).with_suffix("").as_posix()
           for p in sorted(SRCDIR.glob("notebooks/[0-9]*.ipynb"))]
PAGES = ["index", *LESSONS, "genindex", "search"]


# ------------------------------------------------------------------- notebook facts

def notebook(docname):
    return json.loads((SRCDIR / f"{docname}.ipynb").read_text(encoding="utf-8"))


def notebook_title(docname):
    for cell in notebook(docname)["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def saved_widget_state(nb):
    return nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def widget_views(nb):
    """(model id, draws a picture?) of each widget output whose state the
    notebook saved. A widget that draws a graph carries a static picture of it
    in the same output, for places with no widgets."""
    state = saved_widget_state(nb)
    return [(o["data"][WIDGET_VIEW]["model_id"], bool({"image/png", "image/svg+xml"} & set(o["data"])))
            for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
            if WIDGET_VIEW in o.get("data", {}) and o["data"][WIDGET_VIEW]["model_id"] in state]


def picture_outputs(nb):
    """How many outputs (widgets aside) are a plot or a graph, outside the folded solutions."""
    return sum(1 for c in nb["cells"] if c["cell_type"] == "code"
               and "solution" not in c.get("metadata", {}).get("tags", [])
               for o in c.get("outputs", [])
               if WIDGET_VIEW not in o.get("data", {})
               and {"image/png", "image/svg+xml"} & set(o.get("data", {})))


def slider_values(nb, model_id):
    """What each slider inside the widget `model_id` was saved at, in DOM order:
    (kind, value, step, base); a selection slider's value is its option label."""
    state = saved_widget_state(nb)
    found = []

    def walk(ref):
        model = state.get(ref.replace("IPY_MODEL_", ""))
        if model is None:
            return
        name, s = model["model_name"], model["state"]
        if name in ("FloatSliderModel", "IntSliderModel"):
            found.append(("linear", s["value"], s.get("step") or 0, None))
        elif name == "FloatLogSliderModel":
            found.append(("log", s["value"], s.get("step") or 0, s.get("base", 10)))
        elif name == "SelectionSliderModel":
            found.append(("option", s["_options_labels"][s["index"]], 0, None))
        for child in s.get("children", []):
            walk(child)
    walk(model_id)
    return found


def readout_matches(text, saved):
    """A slider's readout shows its saved value. The handle snaps to the
    slider's step and the readout rounds, so the two agree when the values the
    readout may stand for overlap those within half a step of the saved one."""
    kind, value, step, base = saved
    if kind == "option":
        return text == value
    try:
        shown = float(text.replace("\u2212", "-"))
    except ValueError:
        return False
    mantissa, _, exponent = text.lower().partition("e")
    rounding = 0.5 * 10 ** (int(exponent or 0) - len(mantissa.partition(".")[2]))
    if kind == "linear":
        low, high = value - step / 2, value + step / 2
    else:
        low, high = value * base ** (-step / 2), value * base ** (step / 2)
    overlap = min(shown + rounding, high) - max(shown - rounding, low)
    return overlap > 1e-12 or abs(shown - value) <= 1e-9


def solution_cells(nb):
    return sum(1 for c in nb["cells"]
               if c["cell_type"] == "code" and "solution" in c.get("metadata", {}).get("tags", []))


# ---------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def book_html(tmp_path_factory):
    """A fresh build of the site, made exactly as `make book` makes it."""
    out = tmp_path_factory.mktemp("book") / "html"
    env = dict(os.environ, BIN=str(Path(sys.executable).parent))
    run = subprocess.run(["bash", str(REPO / "tools" / "book_build.sh"), str(out), str(SRCDIR)],
                         cwd=REPO, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        pytest.fail(f"the site does not build (exit {run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}")
    return out


@pytest.fixture(scope="module")
def book_url(book_html):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(book_html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def book_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """Everything a page did wrong while it loaded and ran."""

    def __init__(self, page, base_url):
        self.errors = []
        host = urlparse(base_url).netloc

        def on_route(route):
            url = route.request.url
            if urlparse(url).netloc != host:
                self.errors.append(f"request to another host: {url}")
                route.abort()
            else:
                route.continue_()

        page.route("**/*", on_route)
        page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"console error: {m.text} ({m.location.get('url')})"))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught exception: {e}"))
        page.on("requestfailed", lambda r: urlparse(r.url).netloc == host and self.errors.append(
            f"failed request: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"HTTP {r.status}: {r.url}"))


@pytest.fixture
def book_page(book_browser, book_url, request):
    context = book_browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.problems = PageProblems(page, book_url)
    page.base_url = book_url
    page.test_name = re.sub(r"[^\w.-]+", "_", request.node.name)
    yield page
    context.close()


@contextlib.contextmanager
def screenshot_on_failure(page):
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"book-{page.test_name}.png"), full_page=True)
        raise


def open_page(page, docname):
    """Load a page and wait until its widgets and maths are drawn."""
    page.goto(urljoin(page.base_url, f"{docname}.html"), wait_until="load")
    page.wait_for_load_state("networkidle")
    wait_until_drawn(page)


def wait_until_drawn(page):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"""() => document.querySelectorAll('script[type="{WIDGET_VIEW}"]').length
                      === document.querySelectorAll('.widget-subarea').length""", timeout=10_000)
    except PlaywrightTimeout:
        page.problems.errors.append("the widgets were not drawn within 10 s")
    page.evaluate("""() => (window.MathJax && MathJax.startup && MathJax.startup.promise)
                           ? MathJax.startup.promise.then(() => true) : true""")


def assert_clean(page):
    errors = page.problems.errors
    assert not errors, f"{len(errors)} problem(s) on {page.url}:\n" + "\n".join(errors)


def in_viewport(box):
    return (box is not None and box["width"] > 0 and box["height"] > 0
            and box["y"] < VIEWPORT["height"] and box["y"] + box["height"] > 0
            and box["x"] < VIEWPORT["width"] and box["x"] + box["width"] > 0)


def assert_on_screen(locator, what):
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert in_viewport(box), f"{what} is not on screen after scrolling to it (box {box})"
    assert locator.is_visible(), f"{what} is hidden"


# ------------------------------------------------------------------------- tests

def test_every_lesson_is_on_the_landing_page(book_html):
    index = (book_html / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<ul class="course-lessons[^"]*">(.*?)</ul>', index, re.S)
    assert LESSONS == [] or listed, "the landing page has no lesson list"
    links = re.findall(r'href="([^"#]+)\.html"', listed[0]) if listed else []
    assert links == LESSONS, "the lesson list should link every lesson, in order"
    for docname in LESSONS:
        page = (book_html / f"{docname}.html").read_text(encoding="utf-8")
        title = notebook_title(docname)
        assert title and title.replace("`", "") in re.sub(r"<[^>]+>", "", page), \
            f"{docname}: the page does not show the lesson's title {title!r}"
    for path in book_html.glob("notebooks/*.html"):
        assert path.relative_to(book_html).with_suffix("").as_posix() in LESSONS, \
            f"{path.name} is on the site but is not a lesson (only notebooks/[0-9]*.ipynb should be)"


@pytest.mark.parametrize("docname", PAGES)
def test_page_loads_cleanly(book_page, docname):
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        book_page.wait_for_timeout(300)     # let late console messages arrive
        assert_clean(book_page)
        assert book_page.locator("main#main-content").is_visible()


@pytest.mark.parametrize("docname", LESSONS)
def test_plots_graphs_and_widgets_are_visible(book_page, docname):
    nb = notebook(docname)
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)

        # Pictures inside a folded solution are hidden on purpose (checked below).
        pictures = book_page.locator(".cell:not(.tag_solution) .cell_output img:not(.widget-subarea img)")
        assert pictures.count() == picture_outputs(nb), \
            "every plot and graph in the lesson's outputs should be an image on the page"
        for i in range(pictures.count()):
            picture = pictures.nth(i)
            assert_on_screen(picture, f"picture {i + 1}")
            assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), \
                f"picture {i + 1} ({picture.get_attribute('src')}) did not load"

        views = widget_views(nb)
        snapshots = book_page.locator(".widget-subarea")
        assert snapshots.count() == len(views), "every saved widget should be drawn"
        for i, (model_id, draws_picture) in enumerate(views):
            snapshot = snapshots.nth(i)
            assert_on_screen(snapshot, f"widget {i + 1}")
            readouts = snapshot.locator(".widget-slider .widget-readout")
            shown = [readouts.nth(k).inner_text().strip() for k in range(readouts.count())]
            saved = slider_values(nb, model_id)
            assert len(shown) == len(saved) and all(map(readout_matches, shown, saved)), \
                f"widget {i + 1}: the sliders read {shown}, the lesson saved {saved} (kind, value, step, base)"
            if draws_picture:
                graphs = snapshot.locator("svg, img")
                assert graphs.count() > 0, f"widget {i + 1} shows no picture"
                assert_on_screen(graphs.first, f"the picture in widget {i + 1}")
            note = book_page.locator(".widget-snapshot-note").nth(i)
            assert_on_screen(note, f"the note under widget {i + 1}")
            assert "JupyterLab" in note.inner_text()

        for i in range(book_page.locator(".math").count()):
            math = book_page.locator(".math").nth(i)
            assert math.locator("mjx-container").count() == 1, f"maths {i + 1} was not typeset"
        assert book_page.locator("mjx-merror").count() == 0, "MathJax could not typeset some maths"
        assert_clean(book_page)


@pytest.mark.parametrize("docname", LESSONS)
def test_solutions_stay_hidden_until_clicked(book_page, docname):
    expected = solution_cells(notebook(docname))
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        toggles = book_page.locator(".cell.tag_solution details.hide")
        assert toggles.count() == expected, "every solution cell should be folded away"
        for i in range(expected):
            toggle = toggles.nth(i)
            code = toggle.locator("pre").first
            outputs = toggle.locator(".cell_output")
            assert toggle.get_attribute("open") is None
            assert not code.is_visible(), f"solution {i + 1} is shown before it is asked for"
            assert all(not outputs.nth(k).is_visible() for k in range(outputs.count())), \
                f"the output of solution {i + 1} (the checked answer) is shown before it is asked for"
            summary = toggle.locator("summary")
            summary.scroll_into_view_if_needed()
            assert "solution" in summary.inner_text().lower()
            summary.click()
            assert_on_screen(code, f"solution {i + 1} after clicking")
            if outputs.count():
                assert outputs.first.is_visible(), f"the output of solution {i + 1} stays hidden after clicking"
        assert_clean(book_page)


def test_next_and_previous_links_walk_the_lessons(book_page):
    expected = ["index", *LESSONS]

    def here():
        path = urlparse(book_page.url).path
        return re.sub(r"\.html$", "", path.lstrip("/")) or "index"

    def follow(link):
        """Click `link` until a page has none; the pages visited, the first included."""
        pages = [here()]
        while book_page.locator(link).count():
            book_page.locator(link).first.click()
            book_page.wait_for_load_state("load")
            pages.append(here())
            assert len(pages) <= len(expected), f"{link} links run past the end: {pages}"
        return pages

    with screenshot_on_failure(book_page):
        open_page(book_page, "index")
        assert follow("a.right-next") == expected, \
            "next links should go from the landing page through every lesson in order"
        assert follow("a.left-prev") == expected[::-1], "previous links should walk back to the landing page"
        assert_clean(book_page)
