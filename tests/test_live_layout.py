"""The live picture's layout: fields wide enough for their numbers, layers that scale alike.

The fields are laid out for the numbers shown when the layout was made (plus
some slack) instead of for the widest number possible, which keeps the picture
narrow enough for a notebook; these tests check that a number never ends up in
a field too small for it.
"""

import io
import math
import re
import xml.etree.ElementTree as ET

import graphviz
import pytest
from PIL import Image

from lecture import SLIDERS, build_L
from micrograd_lite import MLP, Value
from micrograd_lite.graph import COLUMN_WIDTH, MIN_SCALE, node_label
from micrograd_lite.live import backward_stepper, live_graph
from micrograd_lite.live.layout import GraphLayout, node_texts, placeholder
from micrograd_lite.render import render

NS = {"s": "http://www.w3.org/2000/svg"}


def lecture_widget():
    return live_graph(build_L, **SLIDERS)


def field_width(text):
    """The width Graphviz gives a box's data field holding `text` (as the picture's boxes do)."""
    g = graphviz.Digraph()
    g.node("v", label=node_label("x", (text, "0", None)), shape="plain")
    svg = ET.fromstring(render(g, "svg"))
    cells = [el for el in svg.iter("{http://www.w3.org/2000/svg}polygon") if el.get("stroke") == "black"]
    xs = [float(p.split(",")[0]) for p in cells[1].get("points").split()]     # label, data, grad
    return max(xs) - min(xs)


@pytest.mark.parametrize("text", ["-8888.8888", "-2.0640e+07", "1.0000e+100", "-1.5000e+300",
                                  "99999.9999", "-inf", "nan", "-0.1250"])
def test_the_placeholder_is_as_wide_as_any_number_of_its_length(text):
    # Measured with Graphviz's own fonts: the "8"s are never narrower.
    assert field_width(placeholder(len(text))) >= field_width(text) - 0.01


def test_a_number_that_outgrows_its_field_gets_a_new_layout():
    w = live_graph(lambda a: a * a * a, a=(-100, 100, 1.0))
    small = w.graph_layout
    assert w.layout_runs == 1 and small.fits(node_texts(w.nodes))
    w.sliders["a"].value = 100.0                  # 1.0000e+06: too wide for a field made for 1.0000
    assert w.layout_runs == 2
    assert w.graph_layout.fits(node_texts(w.nodes))
    assert w.highlighted                          # the same shape: what changed is still marked
    wide = w.graph_layout
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
        assert s.graph_layout.fits(s.shown_texts()), k


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


def test_the_saved_picture_is_sized_for_the_column():
    w = lecture_widget()
    bundle = w._repr_mimebundle_()
    svg = ET.fromstring(bundle["image/svg+xml"].split("?>", 1)[1])
    assert svg.get("style") is None
    width = float(svg.get("width").removesuffix("px"))
    assert width <= COLUMN_WIDTH
    png = Image.open(io.BytesIO(bundle["image/png"]))
    assert abs(png.width - width) <= 2              # drawn at the size the SVG shows


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


def test_a_graph_wider_than_the_notebook_offers_fit_or_natural_size():
    w = live_graph(lambda x: MLP(3, [4, 4, 1], seed=0)([x, x * 2, x * 3]), x=(-1, 1, 0.5))
    assert not w.graph_layout.fits_column
    assert w.size_choice.box.layout.display == "flex"
    assert f"{len(w.nodes):,} Values" in w.size_choice.note.value
    fitted = dict(p.split(":") for p in ET.fromstring(w.static_layer.value).get("style").split(";"))
    assert fitted["min-width"] == "0px"                     # fit to width: the whole picture
    w.size_choice.buttons.value = "natural"
    natural = dict(p.split(":") for p in ET.fromstring(w.static_layer.value).get("style").split(";"))
    assert natural["min-width"] == f"{math.ceil(w.graph_layout.width * MIN_SCALE)}px"
    assert ET.fromstring(w.numbers_layer.value).get("style") == ET.fromstring(w.static_layer.value).get("style")


def test_a_graph_that_fits_hides_the_size_choice():
    assert lecture_widget().size_choice.box.layout.display == "none"
