"""The page record (micrograd_lite/live/page_record.py) and the page script
that replays it (book/_static/live_pages.js), run in node: the same numbers,
text and colours as Python, for every op the engine has."""

import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from micrograd_lite import Value
from micrograd_lite.graph import format_number
from micrograd_lite.live import backward_stepper, live_graph
from micrograd_lite.live.layout import node_texts
from micrograd_lite.live.page_record import attach_page_record, numbers_shown, page_record, record_html

SCRIPT = Path(__file__).resolve().parents[1] / "book" / "_static" / "live_pages.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed (apt-get install nodejs)")


def to_json(x):
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if x != x else ("inf" if x > 0 else "-inf")
    return x


def run_js(body, data):
    """Run `body` in node with `live` = the page script's functions and
    `input` = data; returns what it prints as JSON."""
    program = (f"const live = require({json.dumps(str(SCRIPT))});\n"
               f"const input = JSON.parse(process.argv[1]);\n"
               "const num = (x) => x === 'inf' ? Infinity : x === '-inf' ? -Infinity : x === 'nan' ? NaN : x;\n"
               f"{body}\n")
    out = subprocess.run([NODE, "-e", program, json.dumps(data)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def everything(a, b, c):
    """Every op the engine has, each fed by the sliders."""
    s = a + b; s.label = "s"
    d = a - c; d.label = "d"
    m = s * d; m.label = "m"
    q = m / (b + 0.5); q.label = "q"
    p = a ** 2; p.label = "p"
    pv = (c * c + 1.0) ** b; pv.label = "pv"
    n = -p; n.label = "n"
    e = (a * 0.1).exp(); e.label = "e"
    lg = (b * b + 0.01).log(); lg.label = "lg"
    t = q.tanh(); t.label = "t"
    sg = pv.sigmoid(); sg.label = "sg"
    r = d.relu(); r.label = "r"
    out = t + sg + r + n + e + lg + 2 ** c
    out.label = "out"
    return out


# ------------------------------------------------------------------ the record

def test_live_graph_record_names_each_slider_leaf_and_op():
    def build(x, y):
        x.label = "renamed"                   # a build may relabel an input
        return (x * 3.0 + y) ** 2
    w = live_graph(build, x=(-2, 2, 1.0), y=(-2, 2, 0.5))
    record = page_record(w)
    assert record["live"] and record["kind"] == "live_graph"
    nodes = record["nodes"]
    by_slider = {n["slider"]: i for i, n in enumerate(nodes) if "slider" in n}
    assert nodes[by_slider["x"]]["label"] == "renamed" and nodes[by_slider["y"]]["label"] == "y"
    assert [n for n in nodes if not n["args"] and "slider" not in n] == \
        [{"op": "", "args": [], "label": "", "data": 3.0}]
    assert nodes[-1]["op"] == "**" and nodes[-1]["exponent"] == 2.0


def test_a_graph_that_changes_with_the_sliders_is_inert():
    w = live_graph(lambda a: a * 2 if a.data > 0 else a + 1, a=(-1, 1, 0.5))
    record = page_record(w)
    assert record["live"] is False and "shape" in record["why"]
    rng = random.Random(0)
    w = live_graph(lambda a: a * rng.random(), a=(-1, 1, 0.5))
    record = page_record(w)
    assert record["live"] is False and "constants" in record["why"]


def test_record_html_is_safe_inside_the_saved_state():
    record = page_record(live_graph(lambda a: a * 2, a=(-1, 1, 0.5)))
    text = record_html(record)
    assert "</script" not in text.lower() and "<svg" not in text
    assert text.startswith('<code class="mgl-record" hidden>')


def test_no_record_outside_a_recorded_run(monkeypatch):
    monkeypatch.delenv("MICROGRAD_LITE_PAGE_RECORD", raising=False)
    w = live_graph(lambda a: a * 2, a=(-1, 1, 0.5))
    before = len(w.children)
    assert attach_page_record(w) is None and len(w.children) == before


def test_attach_page_record_adds_a_hidden_child_that_follows_a_new_layout(monkeypatch):
    monkeypatch.setenv("MICROGRAD_LITE_PAGE_RECORD", "1")
    w = live_graph(lambda a: a * 2, a=(-1e6, 1e6, 0.5))
    before = len(w.children)
    holder = attach_page_record(w)
    assert len(w.children) == before + 1 and w.children[-1] is holder
    assert holder.layout.display == "none"
    first = holder.value
    w.set(a=987654.0)                          # a wider number: laid out again
    assert w.layout_runs == 2 and holder.value != first


def test_stepper_record_holds_every_step_as_the_widget_draws_it():
    a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    L = a * b; L.label = "L"
    s = backward_stepper(L)
    s.step = 1
    record = page_record(s)
    assert s.step == 1                         # put back where it was
    assert len(record["steps"]) == s.steps + 1
    for k, saved in enumerate(record["steps"]):
        s.step = k
        assert saved["numbers"] == s.numbers_layer.value
        assert f"step {k} of {s.steps}" in saved["text"]


# ------------------------------------------------------------ the page script

NUMBERS = [0.0, -0.0, 1.0, -1.0, 0.03125, -0.03125, 0.00005, 0.00015, 0.5, 2.5e-5, 1 / 3, -2 / 3,
           99999.99994, 99999.99995, 99999.99996, 1e5, -1e5, 123455.0, 123465.0, -123455.0,
           1.5e300, -2.064e7, 5e-324, 1e-300, 12345.67885, 0.30000000000000004, 2 ** 53,
           float("inf"), float("-inf"), float("nan")]


@needs_node
def test_js_formats_numbers_as_python_does():
    rng = random.Random(1)
    numbers = NUMBERS + [rng.uniform(-1e6, 1e6) for _ in range(300)] \
        + [rng.choice([-1, 1]) * 10 ** rng.uniform(-8, 12) for _ in range(300)] \
        + [k / 20000 for k in range(-200, 200)] + [k / 32 for k in range(-64, 64)]
    shown = run_js("console.log(JSON.stringify(input.map((x) => live.formatNumber(num(x)))));",
                   [to_json(x) for x in numbers])
    expected = [format_number(x) for x in numbers]
    wrong = [(x, js, py) for x, js, py in zip(numbers, shown, expected) if js != py]
    assert not wrong, f"{len(wrong)} numbers format differently (x, js, python): {wrong[:10]}"


@needs_node
def test_js_recomputes_every_op_as_the_engine_does():
    w = live_graph(everything, a=(-3, 3, 1.0), b=(-3, 3, 0.7), c=(-3, 3, -0.4))
    record = page_record(w)
    assert record["live"], record.get("why")
    rng = random.Random(2)
    positions = [{"a": 1.0, "b": 0.7, "c": -0.4}, {"a": 0.0, "b": -0.5, "c": 0.0},
                 {"a": -3.0, "b": 3.0, "c": 3.0}, {"a": 3.0, "b": -3.0, "c": -3.0}]
    positions += [{k: round(rng.uniform(-3, 3), 2) for k in "abc"} for _ in range(20)]
    results = run_js("""
        console.log(JSON.stringify(input.positions.map((values) => {
          const { data, grad } = live.evaluate(input.record, values);
          return data.map((d, i) => [live.formatNumber(d), live.formatNumber(grad[i]),
                                     live.gradFill(grad[i], input.record.colours)]);
        })));""", {"record": record, "positions": positions})
    for values, page in zip(positions, results):
        w.set(**values)
        python = numbers_shown(w.numbers_layer.value)
        texts = node_texts(w.nodes)
        for i, ((data, grad, fill), want, text) in enumerate(zip(page, python, texts)):
            where = f"node {i} ({record['nodes'][i]['op'] or 'leaf'}) at {values}"
            assert (data, grad) == text[:2], f"{where}: page {data, grad}, Python {text[:2]}"
            if want["fill"] is None:
                assert fill is None, f"{where}: the page colours a grad field Python leaves blank"
            else:
                assert fill and fill[0] == want["fill"][0] and abs(float(fill[1]) - want["fill"][1]) < 1e-9, \
                    f"{where}: grad colour on the page {fill}, in Python {want['fill']}"


@needs_node
def test_js_gives_inf_and_nan_where_the_engine_does():
    def edge(a, b):
        return (a / b).log() + (a ** -1.0) + b.exp() * 0.0 + (a ** b)
    w = live_graph(edge, a=(-2, 2, 1.0), b=(-1000, 1000, 2.0))
    record = page_record(w)
    positions = [{"a": 0.0, "b": 0.0}, {"a": -1.0, "b": 0.5}, {"a": 1.0, "b": 1000.0},
                 {"a": -0.0, "b": -3.0}, {"a": 2.0, "b": -1000.0}]
    results = run_js("""
        console.log(JSON.stringify(input.positions.map((values) => {
          const { data, grad } = live.evaluate(input.record, values);
          return data.map((d, i) => [live.formatNumber(d), live.formatNumber(grad[i])]);
        })));""", {"record": record, "positions": positions})
    for values, page in zip(positions, results):
        w.set(**values)
        assert page == [list(t[:2]) for t in node_texts(w.nodes)], f"at {values}"


def test_training_record_replays_a_run_and_leaves_the_view_untrained():
    from micrograd_lite import MLP
    from micrograd_lite.datasets import make_moons
    from micrograd_lite.live import training_view

    points, labels = make_moons(12, seed=0)

    def loss_fn(model, points, labels):
        losses = [(1 - y * model(list(x))).relu() for x, y in zip(points, labels)]
        return sum(losses) * (1.0 / len(losses))

    model = MLP(2, [4, 1], seed=1)
    start = [p.data for p in model.parameters()]
    view = training_view(model, points, labels, loss_fn, lr=0.1)
    record = page_record(view)
    assert record["live"], record.get("why")
    assert record["steps"] == 60 and len(record["losses"]) == 61
    assert len(record["frames"]) == len(record["statuses"]) == 61 // record["every"] + 1
    assert all(f.startswith("data:image/png;base64,") for f in record["frames"])
    assert "step 60" in record["statuses"][-1] and "step 0" in record["statuses"][0]
    assert view.steps == 0 and [p.data for p in model.parameters()] == start
    # the same run, trained for real, gives the same losses
    view.run(60)
    assert record["losses"] == view.losses
