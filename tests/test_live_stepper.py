"""backward_stepper: each step's terms, and that its last step is backward()."""

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture import lecture_L
from micrograd_lite import MLP, Value, topological_order
from micrograd_lite.live import backward_stepper

NS = {"s": "http://www.w3.org/2000/svg"}


def same(x, y):
    return x == y or (math.isnan(x) and math.isnan(y))


def test_lecture_steps_show_the_chain_rule_with_numbers():
    s = backward_stepper(lecture_L())
    assert s.steps == 4                      # the seed, then L, d and e
    assert s.grads == [0.0] * 7
    s.next()
    assert s.terms == ["L.grad = 1.0  (dL/dL: the output's gradient with respect to itself)"]
    s.next()
    assert s.terms == ["d.grad += -2.0 × L.grad = -2.0", "f.grad += 4.0 × L.grad = 4.0"]
    s.next()
    assert s.terms == ["e.grad += 1.0 × d.grad = -2.0", "c.grad += 1.0 × d.grad = -2.0"]
    assert "d = e + c" in s.text_box.value
    s.next()
    assert s.terms == ["a.grad += -3.0 × e.grad = 6.0", "b.grad += 2.0 × e.grad = -4.0"]
    assert "done" in s.text_box.value
    s.next()                                 # past the end: stays at the end
    assert s.step == s.steps


def test_back_and_reset_undo_steps():
    s = backward_stepper(lecture_L())
    s.next(), s.next(), s.next()
    after_two = None
    s.back()
    after_two = s.grads
    s.step = 2
    assert s.grads == after_two
    s.reset()
    assert s.step == 0 and s.grads == [0.0] * 7
    s.back()
    assert s.step == 0


def test_the_picture_fills_in_grads_and_marks_the_current_node():
    s = backward_stepper(lecture_L())
    s.step = 2
    root = ET.fromstring(s.numbers_layer.value)
    texts = {g.get("data-node"): [t.text for t in g.findall("s:text", NS)]
             for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-node")}
    names = {f"v{i}": v.label for i, v in enumerate(s.nodes)}
    grads = {names[k]: v[1] for k, v in texts.items()}
    assert grads == {"a": "grad 0.0000", "b": "grad 0.0000", "e": "grad 0.0000", "c": "grad 0.0000",
                     "d": "grad -2.0000", "f": "grad 4.0000", "L": "grad 1.0000"}
    from micrograd_lite.live.layout import CURRENT
    svg = s.numbers_layer.value
    assert svg.count(f'stroke="{CURRENT}"') == 1            # the current node's outline
    assert svg.count(f'fill="{CURRENT}"') >= 1              # and its fill
    assert svg.count('class="mark"') == 3                   # L, plus d and f that got grads


def test_the_stepper_leaves_the_values_alone():
    L = lecture_L()
    s = backward_stepper(L)
    s.step = s.steps
    assert all(v.grad == 0.0 for v in topological_order(L))


def test_a_reused_value_shows_the_accumulation():
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    s = backward_stepper(b)
    s.step = 2
    assert s.terms == ["a.grad += 1.0 × b.grad = 1.0", "a.grad += 1.0 × b.grad = 1.0  → a.grad = 2.0"]
    assert s.grads[0] == 2.0


def test_saved_output_is_deterministic():
    b1 = backward_stepper(lecture_L())._repr_mimebundle_()
    b2 = backward_stepper(lecture_L())._repr_mimebundle_()
    assert b1["text/plain"] == b2["text/plain"]
    assert b1["text/plain"].startswith("backward stepper: step 0 of 4")
    assert b1["image/svg+xml"] == b2["image/svg+xml"]


def test_stepping_an_mlp_to_the_end_equals_backward():
    model = MLP(3, [4, 4, 1], seed=0)
    out = model([Value(1.0), Value(2.0), Value(3.0)])
    s = backward_stepper(out)
    s.step = s.steps
    model.zero_grad()
    out.backward()
    assert s.grads == [v.grad for v in s.nodes]


# ---- random graphs ---------------------------------------------------------

BINARY = ["+", "-", "*", "/", "**"]
UNARY = ["tanh", "exp", "log", "relu", "sigmoid", "neg", "pow2", "pow-1"]


@st.composite
def random_graphs(draw):
    """A random expression over a few leaves, reusing nodes (like a + a) on purpose."""
    leaves = [Value(draw(st.floats(-3, 3, allow_nan=False)), label=f"x{i}")
              for i in range(draw(st.integers(1, 4)))]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 14))):
        if draw(st.booleans()):
            a = draw(st.sampled_from(nodes))
            b = draw(st.sampled_from(nodes))
            op = draw(st.sampled_from(BINARY))
            out = {"+": a + b, "-": a - b, "*": a * b, "/": a / b, "**": a ** b}[op]
        else:
            a = draw(st.sampled_from(nodes))
            op = draw(st.sampled_from(UNARY))
            out = {"tanh": a.tanh, "exp": a.exp, "log": a.log, "relu": a.relu, "sigmoid": a.sigmoid,
                   "neg": a.__neg__, "pow2": lambda a=a: a ** 2, "pow-1": lambda a=a: a ** -1}[op]()
        nodes.append(out)
    return nodes[-1]


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_stepping_to_the_end_gives_exactly_backwards_grads(root):
    s = backward_stepper(root)
    s.step = s.steps
    stepped = s.grads
    root.backward()                      # every grad starts at zero: fresh Values
    expected = [v.grad for v in s.nodes]
    assert all(same(x, y) for x, y in zip(stepped, expected)), (stepped, expected)
    # One step per node with inputs, plus the seed.
    assert s.steps == 1 + sum(1 for v in s.nodes if v._prev)


@settings(max_examples=30, deadline=None)
@given(random_graphs(), st.data())
def test_back_then_next_returns_to_the_same_grads(root, data):
    s = backward_stepper(root)
    k = data.draw(st.integers(0, s.steps))
    s.step = k
    before = s.grads
    s.back()
    s.next()
    if k > 0:
        assert all(same(x, y) for x, y in zip(s.grads, before))


def test_a_single_value_has_only_the_seed_step():
    s = backward_stepper(Value(5.0, label="x"))
    assert s.steps == 1
    s.next()
    assert s.grads == [1.0]


def test_too_large_a_graph_is_refused():
    from micrograd_lite.graph import GraphTooLarge
    x = Value(1.0)
    for _ in range(700):
        x = x * 1.0
    with pytest.raises(GraphTooLarge):
        backward_stepper(x)


def test_labels_with_spaces_read_in_parentheses():
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    s12 = x1w1 + x2w2; s12.label = "x1*w1 + x2*w2"
    b = Value(1.0, label="b")
    n = s12 + b; n.label = "n"
    s = backward_stepper(n)
    s.step = 2
    assert s.terms == ["(x1*w1 + x2*w2).grad += 1.0 × n.grad = 1.0", "b.grad += 1.0 × n.grad = 1.0"]
    assert "n = (x1*w1 + x2*w2) + b" in s.text_box.value
    s.step = 3                               # the step of the node whose label has spaces
    assert s.terms == ["x1*w1.grad += 1.0 × (x1*w1 + x2*w2).grad = 1.0",
                       "x2*w2.grad += 1.0 × (x1*w1 + x2*w2).grad = 1.0"]


def test_a_label_that_starts_with_a_parenthesis_keeps_its_lines():
    # These lines used to be taken for the "(why ...)" hint and dropped.
    a = Value(2.0, label="(a)")
    b = Value(3.0, label="b")
    out = a * b
    out.label = "out"
    s = backward_stepper(out)
    s.step = 2
    assert s.terms == ["(a).grad += 3.0 × out.grad = 3.0", "b.grad += 2.0 × out.grad = 2.0"]


def test_the_text_and_legend_use_theme_colours():
    s = backward_stepper(lecture_L())
    assert "var(--jp-ui-font-color1" in s.text_box.value
    legend = [c for c in s.children if "mgl-legend" in getattr(c, "value", "")]
    assert len(legend) == 1 and "log scale" in legend[0].value


def test_the_saved_output_shows_this_step_as_png_and_svg():
    s = backward_stepper(lecture_L())
    s.step = 2
    bundle = s._repr_mimebundle_()
    assert bundle["image/png"].startswith(b"\x89PNG")
    from micrograd_lite.graph import CURRENT, POSITIVE
    svg = bundle["image/svg+xml"]
    assert CURRENT in svg and POSITIVE in svg      # the current node, and f's grad of 4
    assert "step 2 of 4" in bundle["text/plain"]
