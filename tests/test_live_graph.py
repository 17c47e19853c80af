"""live_graph without a browser: move sliders from Python, read what the picture says.

The numbers are read back from the SVG layer the browser would receive, not
from the Values, so these tests check what a learner sees.
"""

import random
import xml.etree.ElementTree as ET

import pytest

from lecture import SLIDERS, build_L
from micrograd_lite import MLP, Value
from micrograd_lite.graph import format_number
from micrograd_lite.live import live_graph
from micrograd_lite.live.live_graph import round_step, slider_spec

NS = {"s": "http://www.w3.org/2000/svg"}


def shown(w):
    """{node name: (data text, grad text)} as drawn in the numbers layer."""
    root = ET.fromstring(w.numbers_layer.value)
    out = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("data-node"):
            data, grad = (t.text for t in g.findall("s:text", NS))
            out[g.get("data-node")] = (data.removeprefix("data "), grad.removeprefix("grad "))
    return out


def by_label(w):
    names = {f"v{i}": v.label or f"v{i}" for i, v in enumerate(w.nodes)}
    return {names[k]: v for k, v in shown(w).items()}


@pytest.fixture
def lecture_widget():
    return live_graph(build_L, **SLIDERS)


def test_first_picture_shows_forward_and_backward(lecture_widget):
    s = by_label(lecture_widget)
    assert s == {
        "a": ("2.0000", "6.0000"), "b": ("-3.0000", "-4.0000"), "e": ("-6.0000", "-2.0000"),
        "c": ("10.0000", "-2.0000"), "d": ("4.0000", "-2.0000"), "f": ("-2.0000", "4.0000"),
        "L": ("-8.0000", "1.0000"),
    }
    assert lecture_widget.highlighted == []


def test_inputs_are_labelled_with_slider_names():
    w = live_graph(lambda a, b: a * b, a=(-1, 1, 0.5), b=(-1, 1, 0.25))
    assert [v.label for v in w.nodes if not v._prev] == ["a", "b"]


def test_a_label_set_in_build_is_kept():
    def build(a):
        a.label = "x"
        return a * 2
    w = live_graph(build, a=(-1, 1, 0.5))
    assert w.nodes[0].label == "x"


def test_moving_c_changes_and_highlights_exactly_what_depends_on_it(lecture_widget):
    lecture_widget.sliders["c"].value = 4.0
    s = by_label(lecture_widget)
    assert s["c"] == ("4.0000", "-2.0000")
    assert s["d"] == ("-2.0000", "-2.0000")
    assert s["L"] == ("4.0000", "1.0000")
    assert s["f"] == ("-2.0000", "-2.0000")      # dL/df = d
    assert s["a"] == ("2.0000", "6.0000")        # untouched
    highlighted = sorted(lecture_widget.nodes[i].label for i in lecture_widget.highlighted)
    assert highlighted == ["L", "c", "d", "f"]
    # The highlight is drawn: one outline per highlighted node.
    assert lecture_widget.numbers_layer.value.count('class="mark"') == 4


def test_grads_are_coloured_by_sign(lecture_widget):
    from micrograd_lite.live.layout import NEGATIVE, POSITIVE
    svg = lecture_widget.numbers_layer.value
    # a.grad = 6 > 0, b.grad = -4 < 0: both colours appear.
    assert POSITIVE in svg and NEGATIVE in svg


def test_layout_runs_once_while_only_values_change(lecture_widget):
    for x in (-3.0, -1.0, 0.5, 3.5):
        lecture_widget.sliders["a"].value = x
    assert lecture_widget.layout_runs == 1
    assert lecture_widget.renders == 5


def test_a_data_dependent_shape_is_laid_out_again():
    def build(a):
        return a.tanh() if a.data > 0 else a * a
    w = live_graph(build, a=(-2, 2, 1.0))
    static_before = w.static_layer.value
    w.sliders["a"].value = -1.0
    assert w.layout_runs == 2
    assert w.static_layer.value != static_before
    assert by_label(w)["v1"] == ("1.0000", "1.0000")
    w.sliders["a"].value = -0.5                  # same shape again: no new layout
    assert w.layout_runs == 2


@pytest.mark.parametrize("build, move, expected", [
    (lambda x: x.log(), {"x": -1.0}, "nan"),
    (lambda x: x.log(), {"x": 0.0}, "-inf"),
    (lambda a, b: a / b, {"b": 0.0}, "inf"),
    (lambda x: x.exp(), {"x": 800.0}, "inf"),
    (lambda x: x ** -1, {"x": 0.0}, "inf"),
])
def test_extreme_values_show_inf_or_nan_and_never_raise(build, move, expected):
    names = build.__code__.co_varnames[:build.__code__.co_argcount]
    w = live_graph(build, **{n: (-1000, 1000, 1.0) for n in names})
    w.set(**move)
    assert w.error == ""
    assert shown(w)[f"v{len(w.nodes) - 1}"][0] == expected
    w.set(**{n: 1.0 for n in names})             # and it comes back
    assert "nan" not in shown(w)[f"v{len(w.nodes) - 1}"]


def test_a_number_never_outgrows_its_field():
    w = live_graph(lambda x: x.exp() * -1, x=(-20, 20, 16.8426))    # -2.0640e+07
    for data, grad in shown(w).values():
        assert len(data) <= 11 and len(grad) <= 11


def test_an_exception_in_build_is_reported_not_raised():
    def build(a):
        if a.data > 1:
            raise ValueError("a is too big for this lesson")
        return a * 3
    w = live_graph(build, a=(-2, 2, 0.5))
    before = w.numbers_layer.value
    w.sliders["a"].value = 1.5                   # no exception escapes the slider
    assert "a is too big" in w.error
    assert "a is too big" in w.status.value
    assert w.numbers_layer.value == before       # the last good picture stays
    w.sliders["a"].value = 1.0
    assert w.error == "" and by_label(w)["v2"][0] == "3.0000"


def test_a_burst_of_moves_ends_on_the_final_values():
    rng = random.Random(3)
    w = live_graph(build_L, **SLIDERS)
    for _ in range(300):
        name = rng.choice("abcf")
        w.sliders[name].value = round(rng.uniform(-4, 4), 2)
    final = {k: s.value for k, s in w.sliders.items()}
    fresh = build_L(**{k: Value(x, label=k) for k, x in final.items()})
    fresh.backward()
    expected = {v.label: (format_number(v.data), format_number(v.grad))
                for v in [fresh] + [c for c in _all(fresh)]}
    assert by_label(w) == {k: expected[k] for k in by_label(w)}


def _all(root):
    from micrograd_lite import topological_order
    return topological_order(root)


def test_set_moves_several_sliders_with_one_redraw(lecture_widget):
    lecture_widget.set(a=1.0, b=1.0)
    assert lecture_widget.renders == 2
    assert by_label(lecture_widget)["e"] == ("1.0000", "-2.0000")
    with pytest.raises(KeyError, match="sliders are"):
        lecture_widget.set(z=1.0)


def test_model_parameter_grads_do_not_pile_up():
    model = MLP(3, [4, 4, 1], seed=0)
    w = live_graph(lambda x1, x2, x3: model([x1, x2, x3]), x1=(-3, 3, 1.0), x2=(-3, 3, 2.0), x3=(-3, 3, 3.0))
    first = shown(w)
    w.sliders["x1"].value = 0.0
    w.sliders["x1"].value = 1.0
    assert shown(w) == first
    assert w.layout_runs == 1 and len(w.nodes) == len(set(map(id, w.nodes))) > 100


def test_saved_output_is_deterministic_and_has_a_picture(lecture_widget):
    other = live_graph(build_L, **SLIDERS)
    b1, b2 = lecture_widget._repr_mimebundle_(), other._repr_mimebundle_()
    assert b1["text/plain"] == b2["text/plain"]
    assert b1["text/plain"].startswith("live graph (a=2, b=-3, c=10, f=-2)")
    assert "model_id" not in b1["text/plain"] and "0x" not in b1["text/plain"]
    assert b1["image/svg+xml"] == b2["image/svg+xml"]
    texts = [t.text for t in ET.fromstring(b1["image/svg+xml"].split("?>", 1)[1]).iter(f"{{{NS['s']}}}text")]
    assert "data -8.0000" in texts
    assert b1["image/png"].startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in b1


@pytest.mark.parametrize("spec, expected", [
    ((-4, 4, 2.0), (-4.0, 4.0, 2.0, 0.05)),
    ((-10, 10, 10.0), (-10.0, 10.0, 10.0, 0.1)),
    ((0, 1), (0.0, 1.0, 0.5, 0.005)),
    ((-3, 3, 1.0, 0.5), (-3.0, 3.0, 1.0, 0.5)),
])
def test_slider_specs(spec, expected):
    assert slider_spec("a", spec) == expected


@pytest.mark.parametrize("spec, message", [
    ((1, 0, 0.5), "less than max"),
    ((0, 1, 2.0), "outside"),
    ((0, 1, 0.5, 0), "positive"),
    ("wide", "should be"),
])
def test_bad_slider_specs_say_what_is_wrong(spec, message):
    with pytest.raises((TypeError, ValueError), match=message):
        slider_spec("a", spec)


def test_round_step_picks_1_2_5():
    assert round_step(0.04) == 0.05
    assert round_step(0.013) == 0.01
    assert round_step(1.7) == 2.0


def test_build_must_return_a_value():
    with pytest.raises(TypeError, match="output Value"):
        live_graph(lambda a: a.data * 2, a=(-1, 1, 0.5))


def test_the_docstring_examples_hold():
    import doctest
    import importlib

    for name in ("live_graph", "stepper", "training"):
        # By path: the package's `live_graph` attribute is the function, not the module.
        module = importlib.import_module(f"micrograd_lite.live.{name}")
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, name
