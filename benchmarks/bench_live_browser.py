"""Key press to updated graph on screen, in real JupyterLab (headless Chromium).

Opens tests/browser/notebooks/live_widgets.ipynb, Runs All, then for the
neuron graph and the MLP(3, [4, 4, 1]) graph presses an arrow key on a slider
`--presses` times, one at a time, and measures in the page from the keydown
event to two animation frames after the new numbers layer is in the DOM (the
first frame that can show it). Then one fast burst of key presses per graph,
counting how many pictures the kernel sent and checking the last one. Last,
the training view: pictures per second on screen while Play runs, and how
long Pause takes to be acknowledged.

Prints the median and range for each graph. Screenshots go to test-artifacts/.

    python benchmarks/bench_live_browser.py [--presses 30]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from labdriver import NUMBERS_SHOWN, LabServer, lab_page, launch_chromium  # noqa: E402
from micrograd_lite.graph import format_number  # noqa: E402

NOTEBOOK = "tests/browser/notebooks/live_widgets.ipynb"

# Arms a one-shot measurement: keydown on the handle -> numbers layer replaced -> 2 frames.
ARM = """([graph, handle]) => {
  const holder = graph.querySelector('.mgl-numbers-layer');
  const seq0 = Number(holder.querySelector('svg.mgl-numbers').getAttribute('data-seq'));
  window.__latency = new Promise(resolve => {
    let t0 = null;
    handle.addEventListener('keydown', e => { t0 = performance.now(); }, {capture: true, once: true});
    const obs = new MutationObserver(() => {
      const s = holder.querySelector('svg.mgl-numbers');
      if (t0 !== null && s && Number(s.getAttribute('data-seq')) > seq0) {
        obs.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      }
    });
    obs.observe(holder, {childList: true, subtree: true, characterData: true});
  });
}"""


def measure(lab, graph_index, slider, presses):
    graph = lab.page.locator(".mgl-live-graph").nth(graph_index)
    handle = lab.slider_handle(slider, graph)
    handle.scroll_into_view_if_needed()
    handle.focus()
    times = []
    for i in range(presses):
        lab.page.evaluate(ARM, [graph.element_handle(), handle.element_handle()])
        handle.press("ArrowRight" if (i // 5) % 2 == 0 else "ArrowLeft")
        times.append(lab.page.evaluate("() => window.__latency"))
        lab.page.wait_for_timeout(60)
    # A burst: presses as fast as Playwright sends them, no waiting.
    seq0 = graph.evaluate(NUMBERS_SHOWN)["seq"]
    for _ in range(20):
        handle.press("ArrowRight")
    final = lab.slider_value(handle)
    lab.page.wait_for_timeout(1500)
    shown = graph.evaluate(NUMBERS_SHOWN)
    ok = f"data {format_number(final)}" in shown["texts"]
    return times, shown["seq"] - seq0, ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    server = LabServer()
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            with lab_page(server, browser) as lab:
                lab.open_notebook(NOTEBOOK)
                lab.run_all()
                lab.page.wait_for_selector(".mgl-live-graph .mgl-numbers-layer svg.mgl-numbers")
                for name, index, slider in (("neuron graph", 1, "w1"), ("MLP(3,[4,4,1]) graph", 2, "x1")):
                    times, renders, ok = measure(lab, index, slider, args.presses)
                    q = statistics.quantiles(times, n=10)
                    print(f"{name}: key press to picture on screen, median {statistics.median(times):.0f} ms "
                          f"(p10 {q[0]:.0f}, p90 {q[-1]:.0f}, min {min(times):.0f}, max {max(times):.0f} ms, "
                          f"{len(times)} presses); burst of 20 presses -> {renders} pictures sent, "
                          f"final picture {'matches' if ok else 'DOES NOT match'} the slider")
                    lab.page.locator(".mgl-live-graph").nth(index).screenshot(
                        path=str(_artifacts() / f"bench_live_{index}.png"))
                lab.page.locator(".mgl-backward-stepper").screenshot(path=str(_artifacts() / "bench_stepper.png"))
                view = lab.page.locator(".mgl-training-view")
                view.scroll_into_view_if_needed()
                frames = "el => Number(el.querySelector('img').dataset.frames || 0)"
                # Count pictures arriving in the page while Play runs for 6 s.
                view.evaluate("""el => { const img = el.querySelector('img'); img.dataset.frames = 0;
                    new MutationObserver(() => img.dataset.frames = Number(img.dataset.frames) + 1)
                      .observe(img, {attributes: true, attributeFilter: ['src']}); }""")
                view.get_by_role("button", name="Play").click()
                lab.page.wait_for_timeout(6000)
                t0 = time.perf_counter()
                view.get_by_role("button", name="Pause").click()
                lab.page.wait_for_function(
                    "el => [...el.querySelectorAll('button')].some(b => b.textContent.trim() === 'Play')",
                    arg=view.element_handle())
                pause_ms = (time.perf_counter() - t0) * 1e3
                print(f"training view, MLP(2,[16,16,1]) on 100 points: {view.evaluate(frames) / 6:.1f} "
                      f"pictures/s on screen while playing; Pause acknowledged after {pause_ms:.0f} ms")
                view.screenshot(path=str(_artifacts() / "bench_training.png"))
            browser.close()
    finally:
        server.stop()


def _artifacts():
    out = REPO / "test-artifacts"
    out.mkdir(exist_ok=True)
    return out


if __name__ == "__main__":
    main()
