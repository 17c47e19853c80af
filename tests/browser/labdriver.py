"""Drive real JupyterLab in headless Chromium: the browser tests and bench_live_browser.py use this.

`LabServer` starts `jupyter lab` on 127.0.0.1 with a random token and every
bit of Jupyter state (config, data, runtime, IPython, settings, workspaces) in
a temp dir, so neither the learner's own settings nor a previous run can leak
in. `Lab` wraps one Playwright page with what the tests do as a person would:
open a notebook, wait for its kernel, Run All, press keys on a slider, click
a menu item; and what a person can't: run code in the notebook's kernel
(`kernel_eval`) to read what the widgets hold.

Traps this avoids, each handled where its name appears below:
- Playwright must use Debian's Chromium (`executable_path`); `playwright
  install` downloads fail on machines without network access. Without
  `--disable-background-networking` and friends Chromium keeps calling out.
- `jupyter lab` refuses to run as root without `--allow-root` (CI is root).
- `/api` answers without a token: readiness is an authenticated call.
- A stale workspace reopens old tabs: open `/lab/tree/<nb>?reset`.
- The news toast, autosave (it writes outputs back into the notebook) and
  windowing (cells off screen are not in the DOM) are turned off in settings.
- The toolbar says idle before any kernel is attached, and a Run All then
  does nothing: wait for the status bar's kernel item, then for a prompt to
  turn into [*] or [n].
- The "Select Kernel" dialog appears when a notebook names an unknown kernel.
- Stale saved outputs can make a test pass without running anything: clear
  them (or check they are absent) and wait for value-specific text.
- Slider keys: arrows move one step, PageUp/PageDown five, Home/End to the
  ends; any other key falls through to notebook shortcuts (a, b, dd edit cells).
- Closing a page leaves its kernel running: shut the sessions down.
- Widget updates from the kernel arrive when they arrive: wait for a
  condition (`wait_for_function`, or `kernel_eval` as a round trip after
  which every earlier message has reached the page), never a fixed time.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage", "--no-sandbox", "--disable-gpu",
    # Without these Chromium keeps calling out to a network that isn't there.
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
]

# User settings that keep pop-ups and background writes out of the way.
SETTINGS = {
    # The news toast would cover cells and calls out to the network.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Autosave would write the test's outputs back into the notebook files.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # With windowing on, cells off screen are not in the DOM at all.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """`jupyter lab` serving `root` (the repo by default) until stop()."""

    def __init__(self, root=REPO, startup_timeout=60):
        self.root = Path(root)
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state = Path(tempfile.mkdtemp(prefix="mgl-jupyter-"))
        env = dict(os.environ)
        for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                         ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
            (self.state / sub).mkdir()
            env[var] = str(self.state / sub)
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        for plugin, values in SETTINGS.items():
            path = self.state / "settings" / (plugin + ".jupyterlab-settings")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        jupyter = Path(sys.executable).with_name("jupyter")
        cmd = [
            str(jupyter), "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            # window.jupyterapp: lets a test read cell outputs from the notebook model.
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            cmd.append("--allow-root")           # CI runs as root; jupyter refuses it otherwise
        self.log_path = self.state / "server.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        cwd=self.root)
        self._wait_ready(startup_timeout)

    def api(self, method, path, timeout=10):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def _wait_ready(self, timeout):
        # /api answers without a token; /api/kernelspecs needs it, so it proves auth works.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early:\n{self.log_path.read_text()}")
            try:
                self.api("GET", "/api/kernelspecs", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer within {timeout}s:\n{self.log_path.read_text()}")

    def lab_url(self, notebook):
        # ?reset: start from an empty workspace, so no tab from an old run reopens.
        return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"

    def shutdown_kernels(self):
        """Closing a page leaves its kernel running; stop them all between tests."""
        for session in self.api("GET", "/api/sessions"):
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError:
                pass

    def stop(self):
        try:
            self.api("POST", "/api/shutdown", timeout=5)
            self.process.wait(timeout=15)
        except Exception:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()
        shutil.rmtree(self.state, ignore_errors=True)


def launch_chromium(playwright):
    # Never `playwright install`: browser downloads fail here; use Debian's Chromium.
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def lab_page(server, browser, width=1500, height=1000):
    """A fresh browser context and page on `server`; its kernels stop afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield Lab(server, page)
    finally:
        context.close()
        server.shutdown_kernels()


def screenshot_name(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


# ---- one page --------------------------------------------------------------

KERNEL_STATUS = "#jp-main-statusbar .jp-StatusBar-TextItem"
RUN_ALL = ".lm-Menu-item[data-command='runmenu:run-all']"

# JS run in the page: facts about the open notebook, read from its model.
_NOTEBOOK_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const nb = panel && panel.content;
  if (!nb || !nb.model) return null;
  const cells = [];
  for (const cell of nb.widgets) {
    const m = cell.model;
    if (m.type !== 'code') continue;
    const outputs = [];
    for (let i = 0; i < m.outputs.length; i++) {
      const o = m.outputs.get(i).toJSON();
      outputs.push({type: o.output_type, name: o.name || '', ename: o.ename || '',
                    evalue: o.evalue || '', text: o.text ? [].concat(o.text).join('') : ''});
    }
    cells.push({count: m.executionCount, outputs: outputs});
  }
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return {cells: cells, kernel: kernel ? kernel.status : null};
}"""


# JS: run code in the notebook's kernel, collect what it prints and any error.
_KERNEL_EVAL = """async ([code, timeout]) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code: code, silent: false, store_history: false});
  let out = '', error = '';
  future.onIOPub = msg => {
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    if (msg.header.msg_type === 'error') error += msg.content.ename + ': ' + msg.content.evalue;
  };
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error('no reply')), timeout));
  await Promise.race([future.done, late]);
  return {out: out, error: error};
}"""


class Lab:
    """A Playwright page pointed at a LabServer."""

    def __init__(self, server, page):
        self.server = server
        self.page = page

    def open_notebook(self, path, timeout=60_000):
        self.page.goto(self.server.lab_url(path))
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout)
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                                    "&& window.jupyterapp.shell.currentWidget.content "
                                    "&& window.jupyterapp.shell.currentWidget.content.model",
                                    timeout=timeout)
        self.accept_kernel_dialog()

    def accept_kernel_dialog(self):
        # Shown when the notebook's kernelspec is unknown; ours name python3.
        dialog = self.page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
        if dialog.count():
            dialog.first.click()

    def wait_for_kernel(self, timeout=60_000):
        """Wait until a kernel is attached and idle.

        The toolbar says idle before any kernel is attached, and a Run All
        then does nothing; the status bar's kernel item shows the real state.
        """
        self.page.wait_for_function(
            """sel => { const el = [...document.querySelectorAll(sel)]
                          .find(e => /\\|\\s*Idle\\s*$/.test(e.textContent));
                        const p = window.jupyterapp.shell.currentWidget;
                        const k = p && p.sessionContext.session && p.sessionContext.session.kernel;
                        return !!el && !!k && k.status === 'idle'; }""",
            arg=KERNEL_STATUS, timeout=timeout)

    def notebook_state(self):
        return self.page.evaluate(_NOTEBOOK_STATE)

    def run_all(self, timeout=180_000):
        """Run All from the Run menu, and wait until every code cell has run."""
        self.wait_for_kernel()
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        self.page.locator(RUN_ALL).click()
        # Proof that it started: a prompt turns into [*] or [n].
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                       .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""", timeout=30_000)
        self.page.wait_for_function(
            """() => { const p = window.jupyterapp.shell.currentWidget;
                       const cells = p.content.widgets.filter(c => c.model.type === 'code');
                       const k = p.sessionContext.session && p.sessionContext.session.kernel;
                       const busy = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                                      .some(e => e.textContent.includes('*'));
                       return !busy && k && k.status === 'idle'
                              && cells.every(c => c.model.executionCount !== null
                                                  || c.model.sharedModel.getSource().trim() === ''); }""",
            timeout=timeout, polling=250)

    def errors(self):
        """Error outputs (tracebacks) of the open notebook, as 'Name: message' strings."""
        found = []
        for i, cell in enumerate(self.notebook_state()["cells"]):
            for o in cell["outputs"]:
                if o["type"] == "error":
                    found.append(f"cell {i}: {o['ename']}: {o['evalue']}")
                elif o["type"] == "stream" and o["name"] == "stderr" and "Traceback" in o["text"]:
                    found.append(f"cell {i}: {o['text'][-300:]}")
        return found

    def kernel_eval(self, code, timeout=30_000):
        """Run `code` in the open notebook's kernel, out of sight of the notebook; return what it printed.

        It waits for the kernel to go idle after the code, and iopub keeps
        order: every widget update the kernel sent before is in the page too.
        """
        result = self.page.evaluate(_KERNEL_EVAL, [code, timeout])
        if result["error"]:
            raise AssertionError(f"kernel_eval({code!r}) raised {result['error']}")
        return result["out"]

    def settle(self):
        """A kernel round trip, then two animation frames: what the kernel sent so far is on screen."""
        self.kernel_eval("")
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def menu(self, menu, command):
        """Click menu bar item `menu`, then its item that runs `command` (e.g. "kernelmenu:interrupt")."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
        self.page.locator(f".lm-Menu-item[data-command='{command}']").click()

    def run_cell(self, index):
        """Make code cell `index` (counting code cells from 0) the active cell and run it, as Shift+Enter."""
        self.page.evaluate("""i => { const nb = window.jupyterapp.shell.currentWidget.content;
            const code = nb.widgets.map((c, k) => [c, k]).filter(([c]) => c.model.type === 'code');
            nb.activeCellIndex = code[i][1]; }""", index)
        return self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")

    def run_up_to(self, text):
        """Clear the outputs, run every cell from the top up to and including the first code cell with `text`.

        Returns that cell's index among the code cells.
        """
        self.wait_for_kernel()
        # Stored outputs and counts first: nothing on screen may come from an old run.
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        index = self.page.evaluate("""text => { const nb = window.jupyterapp.shell.currentWidget.content;
            const code = nb.widgets.filter(c => c.model.type === 'code');
            const i = code.findIndex(c => c.model.sharedModel.getSource().includes(text));
            if (i < 0) return -1;
            nb.activeCellIndex = nb.widgets.indexOf(code[i]);
            return i; }""", text)
        assert index >= 0, f"no code cell contains {text!r}"
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-above')")
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
        self.page.wait_for_function(
            """i => { const p = window.jupyterapp.shell.currentWidget;
                      const cell = p.content.widgets.filter(c => c.model.type === 'code')[i];
                      const k = p.sessionContext.session && p.sessionContext.session.kernel;
                      return cell.model.executionCount !== null && k && k.status === 'idle'; }""",
            arg=index, timeout=180_000, polling=250)
        return index

    def set_theme(self, theme):
        """"JupyterLab Light" or "JupyterLab Dark"; returns once the page has it."""
        self.page.evaluate("t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
        light = "true" if theme == "JupyterLab Light" else "false"
        self.page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")

    # ---- widgets ----------------------------------------------------------

    def slider_handle(self, name, within=None):
        """The handle of the slider whose description is `name`."""
        scope = within if within is not None else self.page
        slider = scope.locator(".widget-slider").filter(
            has=self.page.locator(".widget-label", has_text=name))
        return slider.locator(".noUi-handle").first

    def press_on_slider(self, handle, key, times=1):
        """Focus a slider handle and press a key on it.

        Arrow keys move one step, PageUp/PageDown five, Home/End to the ends.
        Only those: other keys fall through to notebook shortcuts (a, b, dd
        edit cells).
        """
        assert key in ("ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End")
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(times):
            handle.press(key)
        return self.slider_value(handle)

    def slider_value(self, handle):
        # aria-valuenow keeps the first value in ipywidgets 8.1; aria-valuetext
        # follows the handle. Read it a frame on, after noUiSlider's update.
        text = handle.evaluate(
            "h => new Promise(r => requestAnimationFrame(() => r(h.getAttribute('aria-valuetext'))))")
        return float(text.replace("\u2212", "-"))

    def open_and_run(self, path):
        """Open a notebook and Run All; a screenshot if that fails."""
        try:
            self.open_notebook(path)
            self.run_all()
        except Exception:
            self.screenshot("run-all-failed_" + screenshot_name(path))
            raise

    def screenshot_dir(self):
        """test-artifacts/ (git-ignored), where screenshots go."""
        out = REPO / "test-artifacts"
        out.mkdir(exist_ok=True)
        return out

    def screenshot(self, name):
        path = self.screenshot_dir() / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


# JS: the numbers a live widget shows now: {"seq": n, "texts": [...]}
NUMBERS_SHOWN = """el => { const svg = el.querySelector('.mgl-numbers-layer svg.mgl-numbers');
  if (!svg) return null;
  return {seq: Number(svg.getAttribute('data-seq')),
          texts: [...svg.querySelectorAll('text')].map(t => t.textContent)}; }"""


# ---- Jupyter Notebook 7 ----------------------------------------------------
#
# Notebook 7 is JupyterLab's components in another shell: the same notebook
# model, commands, menus and user settings, so `Lab`'s methods work there too,
# except what touches the shell: the URL of a notebook, and the kernel state,
# which Notebook 7 shows in its header instead of a status bar.

def _isolated_state(prefix):
    """A temp dir holding every bit of Jupyter state, the env that points there, and SETTINGS written in it."""
    state = Path(tempfile.mkdtemp(prefix=prefix))
    env = dict(os.environ)
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
        (state / sub).mkdir()
        env[var] = str(state / sub)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for plugin, values in SETTINGS.items():
        path = state / "settings" / (plugin + ".jupyterlab-settings")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return state, env


class NotebookServer(LabServer):
    """`jupyter notebook` (Notebook 7) serving `root`, isolated like LabServer; stop() as there."""

    def __init__(self, root=REPO, startup_timeout=60):
        self.root = Path(root)
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Notebook 7 reads the same user settings dir: autosave and windowing stay off.
        self.state, env = _isolated_state("mgl-notebook7-")
        jupyter = Path(sys.executable).with_name("jupyter")
        cmd = [
            str(jupyter), "notebook", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            # Notebook 7's own app class; LabApp's options don't reach it.
            "--JupyterNotebookApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            cmd.append("--allow-root")
        self.log_path = self.state / "server.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        cwd=self.root)
        self._wait_ready(startup_timeout)

    def notebook_url(self, notebook):
        # Notebook 7's notebook view: one document per browser tab, no workspace to reset.
        return f"{self.url}/notebooks/{notebook}?token={self.token}"


@contextlib.contextmanager
def notebook7_page(server, browser, width=1500, height=1000):
    """A fresh browser context and page on a NotebookServer; its kernels stop afterwards."""
    with lab_page(server, browser, width, height) as lab:
        yield NotebookView(server, lab.page)


class NotebookView(Lab):
    """A Playwright page on one notebook in Notebook 7's notebook view."""

    def open_notebook(self, path, timeout=60_000):
        self.page.goto(self.server.notebook_url(path))
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout)
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                                    "&& window.jupyterapp.shell.currentWidget.content "
                                    "&& window.jupyterapp.shell.currentWidget.content.model",
                                    timeout=timeout)
        self.accept_kernel_dialog()

    def wait_for_kernel(self, timeout=60_000):
        """Wait until a kernel is attached, connected and idle.

        No status bar here: the header's kernel status says "Kernel
        Initializing", "Kernel Connecting" and so on, and is empty once idle.
        """
        self.page.wait_for_function(
            """() => { const el = document.querySelector('.jp-NotebookKernelStatus');
                       const p = window.jupyterapp.shell.currentWidget;
                       const k = p && p.sessionContext.session && p.sessionContext.session.kernel;
                       return !!el && el.textContent.trim() === '' && !!k && k.status === 'idle'
                              && k.connectionStatus === 'connected'; }""",
            timeout=timeout)
