"""Fixtures for the browser tests: one JupyterLab server and one Chromium for the session.

    lab_server   session: `jupyter lab` on 127.0.0.1 with a token, isolated Jupyter state
    chromium     session: Debian's headless Chromium through Playwright
    lab          per test: a fresh page (`labdriver.Lab`) whose kernels stop after it
    notebook7_server  module: `jupyter notebook` (Notebook 7), isolated the same way

When a test fails, a screenshot of every page it used goes to
test-artifacts/<test>.png (the hook below finds them among its fixtures, so
module-scoped pages work too).

Starting JupyterLab takes ~2 s and a page with its kernel ~5 s, so what can
be shared is: the server and the browser live for the whole session, each
test (or test module) gets its own browser context.
"""

import os

import pytest

from labdriver import CHROMIUM, Lab, LabServer, NotebookServer, lab_page, launch_chromium, screenshot_name


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        labs = [v for v in getattr(item, "funcargs", {}).values() if isinstance(v, Lab)]
        for i, lab in enumerate(labs):
            name = screenshot_name(item.nodeid.split("::")[-1]) + (f"-{i}" if i else "")
            try:
                path = lab.screenshot(name)
                report.sections.append(("screenshot", f"screenshot of the failure: {path}"))
            except Exception as exc:              # the page itself may be what broke
                report.sections.append(("screenshot", f"no screenshot: {exc}"))


@pytest.fixture(scope="session")
def lab_server():
    server = LabServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install chromium` "
                    "(make setup does), or point $CHROMIUM at a Chromium binary")
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    browser = launch_chromium(playwright)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def lab(lab_server, chromium):
    with lab_page(lab_server, chromium) as driver:
        yield driver


@pytest.fixture(scope="module")
def notebook7_server():
    # Module scope: only the Notebook 7 tests use it, so it need not outlive them.
    server = NotebookServer()
    yield server
    server.stop()
