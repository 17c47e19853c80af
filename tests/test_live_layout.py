"""The live picture's layout: fields wide enough for their numbers, layers that scale alike.

The fields are laid out for the numbers shown when the layout was made (plus
some slack) instead of for the widest number possible, which keeps the picture
narrow enough for a notebook; these tests check that a number never ends up in
a field too small for it.
"""

import math
import re
import xml.etree.ElementTree as ET

import graphviz
import pytest

from micrograd_lite.render import render
from micrograd_lite import Value
from lecture import SLIDERS, build_L
from micrograd_lite.live import backward_stepper, live_graph
from micrograd_lite.live.layout import MIN_SCALE, GraphLayout, node_texts, placeholder

NS = {"s": "http://www.w3.org/2000/svg"}


def lecture_widget():
    return live_graph(build_L, **SLIDERS)


def field_width(text):
    """The width Graphviz gives a record field holding `text` (as the picture's fields do)."""
    g = graphviz.Digraph(graph_attr={"rankdir": "LR"})
    g.node("v", label=f"{{ x | {{ data {text} | grad 0 }} }}", shape="record", margin="0")
    svg = render(g, "svg")
    xs = sorted(float(x) for x in re.findall(r'points="([\d.]+),[-\d.]+ \1,', svg))
    box = re.search(r'<polygon fill="none" stroke="black" points="([\d.]+),[-\d.]+ [\d.]+,[-\d.]+ ([\d.]+),', svg)
    return float(box.group(2)) - xs[0]


@pytest.mark.parametrize("text", ["-8888.8888", "-2.0640e+07", "1.0000e+100", "-1.5000e+300",
                                  "99999.9999", "-inf", "nan", "-0.1250"])
def test_the_placeholder_is_as_wide_as_any_number_of_its_length(text):
    # Measured with Graphviz's own fonts: the "8"s are never narrower.
    assert field_width(placeholder(len(text))) >= field_width(text) - 0.01


def test_a_number_that_outgrows_its_field_gets_a_new_layout():
    w = live_graph(lambda a: a * a * a, a=(-100, 100, 1.0))
    small = w._layout
    assert w.layout_runs == 1 and small.fits(node_texts(w.nodes))
    w.sliders["a"].value = 100.0                  # 1.0000e+06: too wide for a field made for 1.0000
    assert w.layout_runs == 2
    assert w._layout.fits(node_texts(w.nodes))
    assert w.highlighted                          # the same shape: what changed is still marked
    wide = w._layout
    assert wide.slots[-1].grad_box[2] > small.slots[-1].grad_box[2]
    w.sliders["a"].value = 99.0                   # fits the new fields: no layout
    assert w.layout_runs == 2


def test_numbers_that_fit_need_no_new_layout():
    w = lecture_widget()
    for name, x in (("a", -4.0), ("b", 4.0), ("c", -10.0), ("f", 4.0), ("a", 0.0)):
        w.sliders[name].value = x
    assert w.layout_runs == 1


def test_the_stepper_fields_hold_every_step():
    s = backward_stepper(build_L(Value(2.0, label="a"), Value(-3.0, label="b"),
                                 Value(10.0, label="c"), Value(-2.0, label="f")))
    for k in range(s.steps + 1):
        s.step = k
        assert s._layout.fits(s._texts()), k


def test_both_layers_scale_together_but_not_below_the_readable_minimum():
    w = lecture_widget()
    static = ET.fromstring(w.static_layer.value)
    numbers = ET.fromstring(w.numbers_layer.value)
    for attr in ("width", "height", "viewBox", "style"):
        assert static.get(attr) == numbers.get(attr), attr
    style = dict(part.split(":") for part in static.get("style").split(";"))
    full = float(static.get("width").removesuffix("px"))
    assert style["width"] == "100%" and style["height"] == "auto"
    assert style["max-width"] == f"{full:g}px"
    assert style["min-width"] == f"{math.ceil(full * MIN_SCALE)}px"
    assert 14 * MIN_SCALE >= 11                   # text no smaller than 11 px
    # The lecture's graph fits a ~950 px output area at full size or nearly.
    assert full * MIN_SCALE <= 950


def test_the_saved_picture_keeps_its_own_size():
    w = lecture_widget()
    svg = ET.fromstring(w.static_svg())
    assert svg.get("style") is None and svg.get("width").endswith("px")


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_a_highlight_covers_the_record_except_its_grad_field(rankdir):
    nodes = [Value(2.0, label="a")]
    layout = GraphLayout(nodes, rankdir, node_texts(nodes))
    svg = layout.numbers_svg(node_texts(nodes), highlighted=[0])
    fills = [path_points(el.get("d")) for el in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}path")
             if el.get("fill-opacity") == "0.45"]
    assert len(fills) == 1
    x, y, w, h = layout.slots[0].box
    gx, gy, gw, gh = layout.slots[0].grad_box
    assert 0 < gw * gh < w * h
    assert gx + gw == pytest.approx(x + w) and gy + gh == pytest.approx(y + h)   # bottom right
    assert polygon_area(fills[0]) == pytest.approx(w * h - gw * gh)
    for px, py in fills[0]:                       # inside the record, outside the grad field's interior
        assert x - 0.01 <= px <= x + w + 0.01 and y - 0.01 <= py <= y + h + 0.01
        assert not (gx + 0.01 < px < gx + gw - 0.01 and gy + 0.01 < py < gy + gh - 0.01)


def path_points(d):
    """The corners of an SVG path made of M, H, V and Z."""
    points, x, y = [], 0.0, 0.0
    for cmd, args in re.findall(r"([MHVZ])([^MHVZ]*)", d):
        nums = [float(n) for n in args.split()]
        if cmd == "M":
            x, y = nums
        elif cmd == "H":
            x = nums[0]
        elif cmd == "V":
            y = nums[0]
        else:
            continue
        points.append((x, y))
    return points


def polygon_area(points):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))) / 2


def test_a_grad_far_above_a_tiny_scale_gets_the_strongest_colour():
    # 1 / 3.5e-309 is inf in floats: it must not reach int().
    from micrograd_lite.live.layout import LEVELS, grad_level
    assert grad_level(1.0, 3.46182458257894e-309) == LEVELS
    assert grad_level(-math.inf, 2.0) == LEVELS
    assert 0 < grad_level(0.5, 2.0) < LEVELS
