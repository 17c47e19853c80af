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
    in the same output, for places with no widgets; a timing button carries a
    picture of itself, which the page replaces with the button."""
    state = saved_widget_state(nb)

    def draws_picture(output):
        classes = state[output["data"][WIDGET_VIEW]["model_id"]]["state"].get("_dom_classes", [])
        return bool({"image/png", "image/svg+xml"} & set(output["data"])) and "mgl-timing-button" not in classes

    return [(o["data"][WIDGET_VIEW]["model_id"], draws_picture(o))
            for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
            if WIDGET_VIEW in o.get("data", {}) and o["data"][WIDGET_VIEW]["model_id"] in state]


def picture_outputs(nb):
    """How many outputs (widgets aside) are a plot or a graph, outside folded outputs
    (solutions, and the predict-first outputs tagged hide-output)."""
    return sum(1 for c in nb["cells"] if c["cell_type"] == "code"
               and not {"solution", "hide-output"} & set(c.get("metadata", {}).get("tags", []))
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
    page.wait_for_function("() => [...document.images].every((i) => i.complete)", timeout=10_000)


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

        # Pictures inside a folded solution or output are hidden on purpose (checked below).
        pictures = book_page.locator(".cell:not(.tag_solution):not(.tag_hide-output) "
                                     ".cell_output img:not(.widget-subarea img)")
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
            book_page.wait_for_load_state("networkidle")   # a click away aborts what is still loading
            pages.append(here())
            assert len(pages) <= len(expected), f"{link} links run past the end: {pages}"
        return pages

    with screenshot_on_failure(book_page):
        open_page(book_page, "index")
        assert follow("a.right-next") == expected, \
            "next links should go from the landing page through every lesson in order"
        assert follow("a.left-prev") == expected[::-1], "previous links should walk back to the landing page"
        assert_clean(book_page)


# ------------------------------------------------------- taking the course away

ZIP_NAME = "micrograd_lite_course.zip"
PHONE = {"width": 390, "height": 844}


def fetch(url):
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:
        return response.read()


@pytest.mark.parametrize("docname", LESSONS)
def test_each_lesson_page_offers_its_notebook_and_source(book_page, docname):
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        links = book_page.locator(".course-downloads a[download]")
        hrefs = [links.nth(k).evaluate("a => a.href") for k in range(links.count())]
        for suffix in (".ipynb", ".md"):
            url = next((h for h in hrefs if h.endswith(Path(docname).name + suffix)), None)
            assert url, f"no {suffix} download under the title (links: {hrefs})"
            assert fetch(url) == (SRCDIR / f"{docname}{suffix}").read_bytes(), \
                f"{url} is not the lesson's own {suffix}"
        assert any(h.endswith(ZIP_NAME) for h in hrefs), "no link to the whole course"
        assert_clean(book_page)


@pytest.fixture(scope="module")
def course_zip(course_zip_url, tmp_path_factory):
    import zipfile

    path = tmp_path_factory.mktemp("zip") / ZIP_NAME
    path.write_bytes(fetch(course_zip_url))
    return zipfile.ZipFile(path)


@pytest.fixture(scope="module")
def course_zip_url(book_browser, book_url):
    """The course zip's address, as the landing page links it."""
    page = book_browser.new_page()
    page.goto(urljoin(book_url, "index.html"))
    hrefs = page.eval_on_selector_all(f"a[href$='{ZIP_NAME}']", "as => as.map(a => a.href)")
    page.close()
    assert hrefs, "the landing page does not link the course zip"
    return hrefs[0]


def test_the_course_zip_holds_the_course(course_zip):
    names = {n.split("/", 1)[1] for n in course_zip.namelist() if "/" in n}
    roots = {n.split("/", 1)[0] for n in course_zip.namelist()}
    assert roots == {"micrograd_lite_course"}, f"everything should sit in one folder, not {roots}"
    for needed in ("Makefile", "README.md", "environment.yml", "pyproject.toml", "micrograd_lite/engine.py",
                   "micrograd_lite/live/page_record.py", "tests/test_engine_grads.py"):
        assert needed in names, f"the zip lacks {needed}"
    for lesson in LESSONS:
        for suffix in (".ipynb", ".md"):
            assert f"{lesson}{suffix}" in names, f"the zip lacks {lesson}{suffix}"
    if (REPO / "LICENSE").is_file():
        assert "LICENSE" in names
    tools = set(re.findall(r"tools/[\w.-]+", (REPO / "Makefile").read_text()))
    assert tools <= names, f"the Makefile runs {sorted(tools - names)}, which the zip lacks"
    assert not [n for n in names if re.search(r"(^|/)(\.venv|_build|__pycache__|\.git)/", n)]


def test_the_unit_tests_pass_in_a_tree_unpacked_from_the_zip(course_zip, tmp_path):
    course_zip.extractall(tmp_path)
    tree = tmp_path / "micrograd_lite_course"
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    where = subprocess.run([sys.executable, "-c", "import micrograd_lite; print(micrograd_lite.__file__)"],
                           cwd=tree, env=env, capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(tree), \
        f"the unpacked tree imports micrograd_lite from {where.stdout.strip()}, not from itself"
    run = subprocess.run([sys.executable, "-m", "pytest", "tests", "-m", "not browser and not wheel and not lessons",
                          "-q", "-p", "no:cacheprovider"], cwd=tree, env=env, capture_output=True, text=True)
    assert run.returncode == 0, f"unit tests fail in the unpacked zip:\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"


def test_the_landing_page_links_the_student_edition_without_solutions(book_page, tmp_path):
    """Beside the whole course, a link to the student edition (tools/student_edition.py,
    tests/test_student_edition.py), and what it downloads really is that edition."""
    import zipfile

    student = "micrograd_lite_student"
    with screenshot_on_failure(book_page):
        open_page(book_page, "index")
        link = book_page.locator(f"section:has(a[href$='{ZIP_NAME}']) a[href$='{student}.zip'][download]")
        assert link.count() >= 1, "the landing page has no download of the student edition beside the course zip"
        assert_on_screen(link.first, "the student edition's link")
        path = tmp_path / f"{student}.zip"
        path.write_bytes(fetch(link.first.evaluate("a => a.href")))
        assert_clean(book_page)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert {n.split("/", 1)[0] for n in names} == {student}, "everything should sit in one folder"
        lessons = sorted(n for n in names if re.fullmatch(rf"{student}/notebooks/\d\d_\w+\.ipynb", n))
        assert [Path(n).stem for n in lessons] == [p.stem for p in sorted(REPO.glob("notebooks/[0-9]*.ipynb"))]
        assert f"{student}/README.md" in names and f"{student}/micrograd_lite/engine.py" in names
        for name in lessons:
            cells = json.loads(archive.read(name))["cells"]
            solutions = [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
            assert not solutions, f"{name} still holds {len(solutions)} solution cell(s)"
        marked = [n for n in names if not n.startswith(f"{student}/micrograd_lite/")
                  and re.search(rb"%%solution|Solution: expand to compare", archive.read(n))]
        assert not marked, f"solution cells' marks left in {marked}"


# ----------------------------------------------------------- reading the pages

@pytest.mark.parametrize("docname", ["index", *LESSONS])
def test_pages_fit_a_phone(book_browser, book_url, docname):
    context = book_browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    page.problems = PageProblems(page, book_url)
    page.base_url = book_url
    page.test_name = f"phone-{docname.replace('/', '_')}"
    try:
        with screenshot_on_failure(page):
            open_page(page, docname)
            page.wait_for_timeout(300)
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"] + 2, f"the page scrolls sideways on a phone ({width} px wide)"
            distorted = page.evaluate("""() => [...document.querySelectorAll('img')]
                .filter((i) => i.naturalWidth && i.offsetParent).filter((i) => {
                  const r = i.getBoundingClientRect();
                  return r.width > 2 && r.height > 2
                    && Math.abs((r.width / r.height) / (i.naturalWidth / i.naturalHeight) - 1) > 0.03;
                }).map((i) => i.alt || i.src.slice(0, 60))""")
            assert not distorted, f"pictures squeezed out of shape on a phone: {distorted}"
            for name in ("button", ".widget-readout"):
                cut = page.evaluate(f"""() => [...document.querySelectorAll('.cell_output {name}')]
                    .filter((b) => b.offsetParent && b.getBoundingClientRect().right > {PHONE['width']} + 1)
                    .length""")
                assert not cut, f"{cut} {name} element(s) run off the right edge of a phone"
            assert_clean(page)
    finally:
        context.close()


@pytest.mark.parametrize("docname", LESSONS)
def test_code_has_copy_buttons_and_pictures_say_what_they_show(book_page, docname):
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        code = book_page.locator(".cell_input div.highlight pre")
        assert code.count() == 0 or book_page.locator(".cell_input button.copybtn").count() == code.count(), \
            "every code cell should have a copy button"
        pictures = book_page.locator(".cell_output img")
        for k in range(pictures.count()):
            alt = pictures.nth(k).get_attribute("alt") or ""
            assert alt and not re.search(r"\.(svg|png)$", alt) and "/" not in alt.split(" ")[0], \
                f"picture {k + 1} has no alt text that says what it shows: {alt!r}"
            if "mgl-graph" in (pictures.nth(k).get_attribute("class") or ""):
                assert alt.startswith("Computation graph") and "=" in alt, alt
        assert_clean(book_page)


@pytest.mark.parametrize("docname", LESSONS)
def test_graph_text_is_readable_on_a_desktop(book_page, docname):
    """No graph text under 10 px: a wide graph scrolls sideways instead of shrinking."""
    with screenshot_on_failure(book_page):
        open_page(book_page, docname)
        sizes = book_page.evaluate("""async () => {
            const out = [];
            for (const img of document.querySelectorAll('.cell_output img.mgl-graph')) {
              if (!img.offsetParent || !img.src.endsWith('.svg')) continue;
              const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), 'image/svg+xml');
              const box = svg.documentElement.getAttribute('viewBox').split(/\\s+/).map(Number);
              const font = Math.min(...[...svg.querySelectorAll('text')].map((t) => Number(t.getAttribute('font-size')) || 14));
              out.push([img.getBoundingClientRect().width / box[2] * font, img.alt.slice(0, 40)]);
            }
            return out;
        }""")  # noqa: E501
        small = [(round(px, 1), alt) for px, alt in sizes if px < 10]
        assert not small, f"graph text under 10 px: {small}"


def test_titles_descriptions_and_previews(book_html):
    index = (book_html / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", index, re.S).group(1).strip()
    assert title.count("micrograd_lite") == 1, f"the landing page's title repeats itself: {title!r}"
    for docname in ["index", *LESSONS]:
        page = (book_html / f"{docname}.html").read_text(encoding="utf-8")
        description = re.search(r'<meta name="description" content="([^"]+)"', page)
        assert description and len(description.group(1)) > 30, f"{docname}: no meta description"
        image = re.search(r'<meta property="og:image" content="([^"]+)"', page)
        assert image, f"{docname}: no social preview image"
        target = (book_html / docname).parent / image.group(1) if "://" not in image.group(1) else None
        assert target is None or target.resolve().is_file(), f"{docname}: the preview image is missing"
        assert "fontawesome" not in page, f"{docname} still loads fontawesome"
