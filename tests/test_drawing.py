"""What every picture shares (micrograd_lite.graph): one builder, one number format,
one colour scale, one size policy; the same in draw_dot, the live graph and the stepper."""

import io
import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from lecture import SLIDERS, build_L, lecture_L
from micrograd_lite import Value, draw_dot, topological_order
from micrograd_lite.graph import (
    COLUMN_WIDTH,
    FONT_PX,
    GRAD_FAINT,
    LEVELS,
    MIN_TEXT_PX,
    NUMBER_WIDTH,
    ComputationGraph,
    GraphTooLarge,
    check_size,
    escape,
    format_number,
    grad_fill,
    grad_level,
)
from micrograd_lite.live import backward_stepper, live_graph

SVG = "{http://www.w3.org/2000/svg}"
B = 6.8813735870195432


def neuron(x1, x2, w1, w2, b):
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    s = x1w1 + x2w2; s.label = "x1*w1 + x2*w2"
    n = s + b; n.label = "n"
    o = n.tanh(); o.label = "o"
    return o


def neuron_in_pieces(x1, x2, w1, w2, b):
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    s = x1w1 + x2w2; s.label = "x1*w1 + x2*w2"
    n = s + b; n.label = "n"
    two_n = 2 * n; two_n.label = "2n"
    e = two_n.exp(); e.label = "e"
    top = e - 1; top.label = "e - 1"
    bottom = e + 1; bottom.label = "e + 1"
    o = top / bottom; o.label = "o"
    return o


NEURON_SLIDERS = dict(x1=(-3, 3, 2.0), x2=(-3, 3, 0.0), w1=(-3, 3, -3.0), w2=(-3, 3, 1.0),
                      b=(B - 17, B + 3, B, 0.01))
LESSON_GRAPHS = [(build_L, SLIDERS), (neuron, NEURON_SLIDERS), (neuron_in_pieces, NEURON_SLIDERS)]


def leaves(sliders):
    return {k: Value(spec[2], label=k) for k, spec in sliders.items()}


def shown_size(bundle):
    svg = ET.fromstring(bundle["image/svg+xml"].split("?>", 1)[1])
    return float(svg.get("width").removesuffix("px")), float(svg.get("viewBox").split()[2])


# ---- numbers and text ----------------------------------------------------------

@given(st.floats(allow_nan=True, allow_infinity=True))
def test_every_number_fits_its_width_and_the_short_form_means_the_same(x):
    long, short = format_number(x), format_number(x, short=True)
    assert len(long) <= NUMBER_WIDTH and len(short) <= NUMBER_WIDTH
    if not math.isnan(x):
        assert float(short) == float(long)


@pytest.mark.parametrize("x, text", [(1.0, "1.0"), (-2.0, "-2.0"), (0.88137, "0.8814"), (-0.0, "0.0"),
                                     (-1e-9, "0.0"), (2e7, "2.0000e+07"), (math.nan, "nan")])
def test_the_short_form(x, text):
    assert format_number(x, short=True) == text


def test_one_escaping_for_xml_and_html():
    assert escape('<a href="x">&\n') == "&lt;a href=&quot;x&quot;&gt;&amp; "


def test_one_size_check():
    nodes = topological_order(lecture_L())
    check_size(nodes, len(nodes))
    with pytest.raises(GraphTooLarge, match="7 Values.*max_nodes=7"):
        check_size(nodes, 6)


# ---- colours --------------------------------------------------------------------

def test_colour_strength_is_absolute_and_logarithmic():
    assert grad_level(GRAD_FAINT) == 0 < grad_level(0.01) < grad_level(1.0) < grad_level(10.0) == LEVELS
    assert grad_level(math.inf) == LEVELS and grad_level(-1.0) == grad_level(1.0)
    # The same grad, the same colour, whatever else is in the graph.
    assert grad_fill(0.5) == grad_fill(0.5)
    weak, strong = grad_fill(1e-4), grad_fill(1.0)
    assert weak[0] == strong[0] and weak[1] < strong[1] / 3


@pytest.mark.parametrize("grad", [0.0, -0.0, -9e-16, 1e-13])
def test_rounding_noise_is_drawn_as_zero(grad):
    assert grad_fill(grad) is None


def test_nan_has_its_own_colour():
    assert grad_fill(math.nan) is not None and grad_fill(math.nan)[0] != grad_fill(1.0)[0]


def test_a_saturated_tanh_looks_saturated():
    # b at the top of lesson 04's slider: tanh(n) ~ 1, so every grad below o is tiny.
    o = neuron(**{**leaves(NEURON_SLIDERS), "b": Value(B + 3, label="b")})
    o.backward()
    below = [v for v in topological_order(o) if v is not o]
    assert all(abs(v.grad) < 0.01 for v in below)
    assert all(grad_fill(v.grad) is None or grad_fill(v.grad)[1] <= grad_fill(1e-2)[1] for v in below)


def test_the_three_pictures_colour_a_grad_alike():
    L = lecture_L()
    L.backward()
    a_fill = grad_fill(6.0)
    colour = f'{a_fill[0]}" fill-opacity="{a_fill[1]:.3f}"'
    assert colour in live_graph(build_L, **SLIDERS).numbers_layer.value
    stepper = backward_stepper(lecture_L())
    stepper.step = stepper.steps
    assert colour in stepper.numbers_layer.value
    svg = ComputationGraph(topological_order(L)).svg()
    assert f'fill="{a_fill[0]}" fill-opacity="{round(a_fill[1] * 255) / 255:.6f}"'.rstrip("0") in svg


# ---- one builder -----------------------------------------------------------------

def test_draw_dot_and_the_live_graph_draw_the_same_boxes():
    w = live_graph(build_L, **SLIDERS)
    L = lecture_L()
    L.backward()
    g = draw_dot(L)
    assert g.rankdir == w.rankdir == "LR"
    # Same node names, same box for each: the live layout's fields hold wider
    # placeholders, so its boxes are at least as wide.
    names = [f"v{i}" for i in range(len(w.nodes))]
    for name in names:
        assert f"\t{name} [label=<" in g.source
    static = ET.fromstring(w.static_layer.value)
    labels = {t.text for t in static.iter(f"{SVG}text")}
    assert {"a", "b", "c", "d", "e", "f", "L", "*", "+"} <= labels


# ---- sizes -----------------------------------------------------------------------

@pytest.mark.parametrize("build, sliders", LESSON_GRAPHS, ids=["L", "neuron", "neuron in pieces"])
def test_lesson_graphs_fit_the_column_with_readable_text(build, sliders):
    root = build(**leaves(sliders))
    root.backward()
    for bundle in (draw_dot(root)._repr_mimebundle_(), live_graph(build, **sliders)._repr_mimebundle_(),
                   backward_stepper(build(**leaves(sliders)))._repr_mimebundle_()):
        shown, full = shown_size(bundle)
        assert shown <= COLUMN_WIDTH
        assert FONT_PX * shown / full >= MIN_TEXT_PX          # the text, shrunk to fit
        png = Image.open(io.BytesIO(bundle["image/png"]))
        assert abs(png.width - shown) <= 2                    # the PNG as big as the SVG shows
    for widget in (live_graph(build, **sliders), backward_stepper(build(**leaves(sliders)))):
        assert widget.graph_layout.fits_column


def test_left_to_right_while_it_fits_top_to_bottom_when_narrower():
    L = lecture_L()
    assert draw_dot(L).rankdir == "LR"
    o = neuron(**leaves(NEURON_SLIDERS))
    assert draw_dot(o).rankdir == "LR"                         # fits, a little shrunk
    pieces = neuron_in_pieces(**leaves(NEURON_SLIDERS))
    lr = draw_dot(pieces, rankdir="LR")
    tb = draw_dot(pieces)
    assert tb.rankdir == "TB" and tb.width < lr.width
    assert lr.width * MIN_TEXT_PX / FONT_PX > COLUMN_WIDTH    # left to right would not fit
    assert live_graph(neuron_in_pieces, **NEURON_SLIDERS).rankdir == "TB"
    assert live_graph(neuron_in_pieces, rankdir="LR", **NEURON_SLIDERS).rankdir == "LR"


def test_a_bad_rankdir_is_named():
    with pytest.raises(ValueError, match="rankdir should be one of"):
        draw_dot(lecture_L(), rankdir="sideways")


def test_a_graph_too_wide_is_fitted_with_a_caption_or_shown_at_natural_size():
    from micrograd_lite import MLP
    out = MLP(3, [4, 4, 1], seed=0)([Value(1.0), Value(2.0), Value(3.0)])
    graph = draw_dot(out)
    assert graph.width * MIN_TEXT_PX / FONT_PX > COLUMN_WIDTH        # too big to read in the column
    fitted = draw_dot(out)._repr_mimebundle_()
    shown, full = shown_size(fitted)
    assert shown == COLUMN_WIDTH
    texts = [t.text for t in ET.fromstring(fitted["image/svg+xml"].split("?>", 1)[1]).iter(f"{SVG}text")]
    caption = [t for t in texts if "Values" in t]
    assert caption and caption[0].startswith(f"{len(graph.values):,} Values") and "natural_size()" in caption[0]
    natural = draw_dot(out).natural_size()._repr_mimebundle_()
    shown, full = shown_size(natural)
    assert shown == full > COLUMN_WIDTH


def test_box_text_is_held_to_the_width_graphviz_measured():
    # Times at 14 px: "a" is 0.444 em wide, "data 2.0000" 4.665 em.
    for svg in (draw_dot(lecture_L())._repr_mimebundle_()["image/svg+xml"].split("?>", 1)[1],
                live_graph(build_L, **SLIDERS).static_layer.value):
        lengths = {t.text: float(t.get("textLength")) for t in ET.fromstring(svg).iter(f"{SVG}text")
                   if t.get("textLength")}
        assert lengths["a"] == pytest.approx(0.444 * FONT_PX, abs=0.02)
        assert all(t.get("lengthAdjust") == "spacingAndGlyphs"
                   for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("textLength"))
    shown = draw_dot(lecture_L())._repr_mimebundle_()["image/svg+xml"].split("?>", 1)[1]
    lengths = {t.text: float(t.get("textLength")) for t in ET.fromstring(shown).iter(f"{SVG}text")
               if t.get("textLength")}
    assert lengths["data 2.0000"] == pytest.approx(4.665 * FONT_PX, abs=0.02)
