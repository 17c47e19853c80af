"""The exercise checks of lessons 01-04: each reference solution passes, and the
typical wrong answers fail with feedback that says what to fix."""

import json
import math
from pathlib import Path

import numpy as np

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.exercises import lesson01, lesson02, lesson03, lesson04

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def text(result):
    return repr(result)


# ---- lesson 01: derivatives from scratch -----------------------------------

JUNK = [None, "x", [1.0], {"a": 1}, {1.0}, float("nan"), True, print, object()]


def test_01_slope_reference_and_other_correct_forms_pass():
    h = 0.0001
    estimate = (lesson01.f(-3 + h) - lesson01.f(-3)) / h
    for answer in (estimate, -22.0, -22, np.float32(estimate), np.float64(estimate),
                   np.array(estimate), Value(estimate), (lesson01.f(-3 + 0.01) - lesson01.f(-3)) / 0.01):
        result = lesson01.check_slope_at_minus_3(answer)
        assert result.passed, (answer, text(result))


def test_01_slope_unfilled_says_not_done():
    result = lesson01.check_slope_at_minus_3(...)
    assert not result.passed and "not done yet" in text(result)


def test_01_slope_typical_mistakes_get_their_hint():
    h = 0.0001
    f = lesson01.f
    cases = {
        (f(3 + h) - f(3)) / h: "that is the slope at x = 3",
        f(-3 + h) - f(-3): "that is the rise f(x + h) - f(x) alone, with h = 0.0001; divide it by h",
        (f(-3) - f(-3 + h)) / h: "the sign is flipped",
        f(-3): "that is f(-3), the height",
        (f(-3 + 1e-17) - f(-3)) / 1e-17: "h is so small that x + h rounds to x",
    }
    for answer, hint in cases.items():
        result = lesson01.check_slope_at_minus_3(answer)
        assert not result.passed and hint in text(result), (answer, text(result))


def test_01_slope_too_rough_an_estimate_fails():
    assert not lesson01.check_slope_at_minus_3((lesson01.f(-3 + 1.0) - lesson01.f(-3)) / 1.0).passed


def test_01_slope_h_mistakes_get_their_hint():
    """Each slip with h is named, whatever round h the learner picked."""
    f = lesson01.f
    cases = {
        # a forward difference with too large an h: off by 3h
        (f(-3 + 0.1) - f(-3)) / 0.1: "that is the estimate with h = 0.1: h is too large",
        (f(-3 + 0.5) - f(-3)) / 0.5: "that is the estimate with h = 0.5: h is too large",
        (f(-3 + 1) - f(-3)) / 1: "that is the estimate with h = 1: h is too large",
        (f(-3) - f(-3 - 0.1)) / 0.1: "that is the estimate with h = 0.1: h is too large",
        # the rise never divided, with another h than the lesson's
        f(-3 + 0.1) - f(-3): "that is the rise f(x + h) - f(x) alone, with h = 0.1",
        f(-3 + 1e-6) - f(-3): "that is the rise f(x + h) - f(x) alone, with h = 1e-06",
        # a one-sided difference divided by 2h, a central one by h, a rise times h
        (f(-3 + 0.0001) - f(-3)) / 0.0002: "that is half the slope: you divided by 2h",
        (f(-3 + 0.001) - f(-3)) / 0.002: "that is half the slope: you divided by 2h",
        (f(-3 + 0.0001) - f(-3 - 0.0001)) / 0.0001: "that is twice the slope",
        (f(-3 + 0.0001) - f(-3)) * 0.0001: "that is the rise times h",
    }
    for answer, hint in cases.items():
        result = lesson01.check_slope_at_minus_3(answer)
        assert not result.passed and hint in text(result), (answer, text(result))
    assert "3h" in text(lesson01.check_slope_at_minus_3((f(-3 + 0.1) - f(-3)) / 0.1))


def test_01_slope_small_hs_and_central_differences_pass():
    f = lesson01.f
    for h in (0.05, 0.01, 1e-3, 1e-6, 1e-8):
        assert lesson01.check_slope_at_minus_3((f(-3 + h) - f(-3)) / h).passed, h
        assert lesson01.check_slope_at_minus_3((f(-3 + h) - f(-3 - h)) / (2 * h)).passed, h


def test_01_slope_junk_never_raises():
    for junk in JUNK:
        result = lesson01.check_slope_at_minus_3(junk)
        assert not result.passed and len(result.lines) == 2, junk
    assert "a string, 'x'" in text(lesson01.check_slope_at_minus_3("x"))
    assert "a list of 1 item" in text(lesson01.check_slope_at_minus_3([-22.0]))


def test_01_partials_reference_and_other_forms_pass():
    assert lesson01.check_partials(-3.0, 2.0, 1.0).passed
    assert lesson01.check_partials(np.float32(-2.99999), np.array(2.00001), Value(1.0)).passed
    assert lesson01.check_partials(-3, 2, 1).passed


def test_01_partials_no_double_space_and_not_done():
    result = lesson01.check_partials(..., 2.0, ...)
    assert result.lines[0] == "… dd/da: not done yet (replace the ... with your answer)"
    assert result.lines[1] == "✓ dd/db = 2.0"


def test_01_partials_typical_mistakes_get_their_hint():
    swapped = text(lesson01.check_partials(2.0, -3.0, 1.0))
    assert "that is dd/db: when you nudge a" in swapped and "that is dd/da: when you nudge b" in swapped
    undivided = text(lesson01.check_partials(-0.0003, 0.0002, 1.0))
    assert undivided.count("that is the change in d alone; divide it by h") == 2
    flipped_and_d = text(lesson01.check_partials(3.0, 2.0, 4.0))
    assert "the sign is flipped" in flipped_and_d and "that is d itself" in flipped_and_d


def test_01_partials_h_mistakes_get_their_hint():
    undivided = text(lesson01.check_partials(-0.003, 0.002, 0.001))        # h = 0.001, never divided
    assert undivided.count("that is the change in d alone; divide it by h") == 3
    halved = text(lesson01.check_partials(-1.5, 1.0, 0.5))                  # divided by 2h
    assert halved.count("that is half the slope") == 3


def test_01_junk_and_evil_never_raise():
    for junk in (*JUNK, Evil()):
        result = lesson01.check_partials(junk, junk, junk)
        assert not result.passed and len(result.lines) == 4, junk
        assert not lesson01.check_slope_at_minus_3(junk).passed


# ---- lesson 02: the Value object and its graph ------------------------------

def lesson02_leaves():
    return [Value(x, label=name) for name, x in (("a", 2.0), ("b", -3.0), ("c", 10.0), ("f", -2.0))]


def labelled(v, label):
    v.label = label
    return v


def test_02_L_reference_and_other_orders_pass():
    a, b, c, f = lesson02_leaves()
    e = labelled(a * b, "e"); d = labelled(e + c, "d")
    assert lesson02.check_L(labelled(d * f, "L")).passed
    e = labelled(b * a, "e"); d = labelled(c + e, "d")
    result = lesson02.check_L(labelled(f * d, "L"))            # commuted everywhere
    assert result.passed, text(result)


def test_02_L_needs_every_label():
    a, b, c, f = lesson02_leaves()
    result = lesson02.check_L((a * b + c) * f)                   # right number, no labels
    assert not result.passed
    feedback = text(result)
    assert "✓ L.data = -8.0" in feedback
    for node, label in (("a * b", "e"), ("e + c", "d"), ("d * f", "L")):
        assert f"the node {node} has no label: set its .label = '{label}'" in feedback
    e = labelled(a * b, "E"); d = labelled(e + c, "d")
    assert "the node a * b is labelled 'E': label it 'e'" in text(lesson02.check_L(labelled(d * f, "L")))


def test_02_L_typical_mistakes_are_named():
    a, b, c, f = lesson02_leaves()
    distributed = labelled(a * b * f + c * f, "L")
    assert "L is made by '+', expected '*'" in text(lesson02.check_L(distributed))
    e = labelled(a * b, "e"); d = labelled(e + Value(10.0), "d")
    assert "expected the leaf c here, found an unlabelled Value with data 10" in text(
        lesson02.check_L(labelled(d * f, "L")))


def test_02_m_reference_commuted_and_reversed_minus():
    a, b, c, f = lesson02_leaves()
    s = labelled(b + a, "s"); t = labelled(c - f, "t")
    assert lesson02.check_m(labelled(t * s, "m")).passed
    t = labelled(f - c, "t")
    result = lesson02.check_m(labelled(s * t, "m"))
    assert not result.passed
    assert "t is the other way round: c - f, in that order (the order matters for -)" in text(result)


def test_02_expressions_junk_never_raises():
    for junk in (None, ..., -8.0, "L", [1], {1: 2}, float("nan"), print, object()):
        for check in (lesson02.check_L, lesson02.check_m):
            result = check(junk)
            assert not result.passed and len(result.lines) == 1, (junk, text(result))
    assert "not done yet" in text(lesson02.check_L(...))
    assert "L should be a Value, got -8.0" in text(lesson02.check_L(-8.0))


def lecture_trace(root):
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(root)
    return nodes, edges


def test_02_trace_reference_and_other_forms_pass():
    assert lesson02.check_trace(lecture_trace).passed

    def with_lists(root):                   # lists, no recursion, visited check by hand
        nodes, edges, todo = [], [], [root]
        while todo:
            v = todo.pop()
            if v in nodes:
                continue
            nodes.append(v)
            for child in v._prev:
                edges.append((child, v))
                todo.append(child)
        return nodes, edges
    assert lesson02.check_trace(with_lists).passed


def test_02_trace_typical_mistakes_are_named():
    def reversed_edges(root):
        nodes, edges = lecture_trace(root)
        return nodes, {(v, child) for child, v in edges}

    def no_leaves(root):
        nodes, edges = lecture_trace(root)
        return {v for v in nodes if v._prev}, edges

    def first_child_only(root):
        nodes, edges = [], []

        def build(v):
            nodes.append(v)
            if v._prev:
                edges.append((v._prev[0], v))
                build(v._prev[0])
        build(root)
        return nodes, edges

    def no_return(root):
        lecture_trace(root)

    def labels(root):
        nodes, edges = lecture_trace(root)
        return {v.label for v in nodes}, edges

    cases = {
        reversed_edges: "the edges are reversed: each pair should be (child, v)",
        no_leaves: "nodes misses the leaves a, b, c, f: add every Value you visit",
        first_child_only: "nodes misses b, c, f: visit every child of every node",
        no_return: "trace returned None — did you forget `return`?",
        labels: "nodes should hold the Values themselves, not strs like",
        (lambda root: ({root}, set())): "nodes has only L: build(v) should also call build",
    }
    for trace, hint in cases.items():
        result = lesson02.check_trace(trace)
        assert not result.passed and hint in text(result), (hint, text(result))


def test_02_trace_returning_edges_then_nodes_is_told_the_order():
    def swapped(root):
        nodes, edges = lecture_trace(root)
        return edges, nodes

    def swapped_lists(root):
        nodes, edges = lecture_trace(root)
        return list(edges), list(nodes)
    for trace in (swapped, swapped_lists):
        feedback = text(lesson02.check_trace(trace))
        assert "trace returned (edges, nodes), the other way round: the order is (nodes, edges)" in feedback
        assert "v.label" not in feedback


def test_02_trace_reference_used_by_the_lesson_passes():
    assert lesson02.check_trace(lesson02.reference_trace).passed
    assert lesson02.check_m(lesson02.build_m()).passed


def test_02_evil_never_raises_and_never_passes():
    evil = Evil()
    values = [Value(1.0, label="a")]

    class EvilSource:
        source = evil
    for check in (lesson02.check_L, lesson02.check_m, lesson02.check_trace, lesson02.check_draw_dot):
        assert not check(evil).passed
    for returned in (evil, (evil, evil), ([evil], [evil]), (values, [evil]), (values, [(evil, evil)]),
                     ([(evil, evil)], values)):
        assert not lesson02.check_trace(lambda root, r=returned: r).passed, returned
    for returned in (evil, EvilSource(), (evil,)):
        assert not lesson02.check_draw_dot(lambda root, r=returned: r).passed, returned


def test_02_draw_dot_names_an_unfinished_trace_it_calls():
    """The lecture's draw_dot calls the learner's trace: while that trace fails, the check says so."""
    from graphviz import Digraph

    def trace(root):                      # the stub the lesson starts with
        return set(), set()
    namespace = {"Digraph": Digraph, "trace": trace}
    exec("""def draw_dot(root):
    dot = Digraph(graph_attr={"rankdir": "LR"})
    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        dot.node(uid, label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad), shape="record")
        if n.op:
            dot.node(uid + n.op, label=n.op)
            dot.edge(uid + n.op, uid)
    for child, v in edges:
        dot.edge(str(id(child)), str(id(v)) + v.op)
    return dot
""", namespace)
    feedback = text(lesson02.check_draw_dot(namespace["draw_dot"]))
    assert "… draw_dot calls your trace, which is not done yet" in feedback      # a stub: nothing wrong yet
    assert "✗" not in feedback
    namespace["trace"] = lambda root: ({root}, set())                           # wrong: misses the inputs
    feedback = text(lesson02.check_draw_dot(namespace["draw_dot"]))
    assert "✗ draw_dot calls your trace, which doesn't pass its check yet" in feedback
    namespace["trace"] = lecture_trace
    assert lesson02.check_draw_dot(namespace["draw_dot"]).passed


def test_02_trace_stub_and_junk_never_raise():
    def stub(root):
        nodes, edges = set(), set()

        def build(v):
            ...
        build(root)
        return nodes, edges
    assert text(lesson02.check_trace(stub)).startswith("… trace: not done yet")
    assert "not done yet" in text(lesson02.check_trace(...))

    def raises(root):
        raise KeyError("x")
    for junk in (raises, None, "trace", 3, [1], lambda root: 5, lambda root: (1, 2),
                 lambda root: ([root], [1]), lambda root: ({root}, [[root]]), lambda: 0,
                 lambda root: ({root: 1}, {})):
        result = lesson02.check_trace(junk)
        assert not result.passed, junk
    assert "trace raised KeyError" in text(lesson02.check_trace(raises))
    assert "trace should be a function, got a string, 'trace'" in text(lesson02.check_trace("trace"))


def make_draw_dot(name_op=lambda uid, n: uid + n.op, show_label=True, show_grad=True,
                  op_nodes=True, backwards=False, leaves=True, op_label=True):
    """The lecture's draw_dot, with one thing changed to make a typical mistake."""
    from graphviz import Digraph

    def draw_dot(root):
        dot = Digraph(graph_attr={"rankdir": "LR"})
        nodes, edges = lecture_trace(root)

        def edge(tail, head):
            dot.edge(*((head, tail) if backwards else (tail, head)))
        for n in nodes:
            if not leaves and not n.op:
                continue
            uid = str(id(n))
            fields = [n.label if show_label else "", "data %.4f" % n.data]
            fields += ["grad %.4f" % n.grad] if show_grad else []
            dot.node(uid, label="{ %s }" % " | ".join(fields), shape="record")
            if n.op and op_nodes:
                dot.node(name_op(uid, n), **({"label": n.op} if op_label else {}))
                edge(name_op(uid, n), uid)
        for child, v in edges:
            edge(str(id(child)), name_op(str(id(v)), v) if op_nodes else str(id(v)))
        return dot
    return draw_dot


def test_02_draw_dot_reference_and_other_forms_pass():
    from micrograd_lite import draw_dot as package_draw_dot
    assert lesson02.check_draw_dot(make_draw_dot()).passed
    # other names, HTML-like labels (the package's own drawing), a different number format
    assert lesson02.check_draw_dot(make_draw_dot(name_op=lambda uid, n: f"op{uid}")).passed
    assert lesson02.check_draw_dot(package_draw_dot).passed


def test_02_draw_dot_typical_mistakes_are_named():
    cases = {
        "no op nodes for L, d, e: the arrows go straight": dict(op_nodes=False),
        "the arrows point backwards": dict(backwards=True),
        "one op node serves L, e: give each Value its own op node": dict(name_op=lambda uid, n: n.op),
        "no box for the leaves a, b, c, f": dict(leaves=False),
        "don't show their grad": dict(show_grad=False),
        "don't show their label": dict(show_label=False),
        "don't show their op": dict(op_label=False),
    }
    for hint, mistake in cases.items():
        result = lesson02.check_draw_dot(make_draw_dot(**mistake))
        assert not result.passed and hint in text(result), (hint, text(result))


def test_02_draw_dot_boxes_without_arrows_say_what_comes_next():
    from graphviz import Digraph

    def boxes_only(root):
        dot = Digraph()
        for n in lecture_trace(root)[0]:
            dot.node(str(id(n)), label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad))
        return dot
    result = lesson02.check_draw_dot(boxes_only)
    assert not result.passed and "there are no arrows yet" in text(result)


def test_02_draw_dot_with_the_lectures_op_attribute_is_pointed_to_op():
    def lecture_names(root):
        for n in lecture_trace(root)[0]:
            n._op  # noqa: B018
    result = lesson02.check_draw_dot(lecture_names)
    assert not result.passed and "the package's keeps it in n.op" in text(result)


def test_02_draw_dot_stub_and_junk_never_raise():
    from graphviz import Digraph
    assert "not done yet" in text(lesson02.check_draw_dot(lambda root: Digraph()))
    assert "not done yet" in text(lesson02.check_draw_dot(...))
    assert "draw_dot returned None — did you forget `return`?" in text(
        lesson02.check_draw_dot(lambda root: None))
    unreadable = type("Unreadable", (), {"source": "digraph { a -> }"})()
    assert "couldn't read the graph" in text(lesson02.check_draw_dot(lambda root: unreadable))
    for junk in ("draw_dot", 3, [1], lambda: 0, lambda root: 1 / 0, lambda root: "digraph {}",
                 lambda root: type("NoText", (), {"source": 5})()):
        assert not lesson02.check_draw_dot(junk).passed, junk


# ---- lesson 03: backprop by hand on L = (a*b + c) * f ----------------------

def test_03_leaf_grads_reference_passes():
    result = lesson03.check_leaf_grads(a=6.0, b=-4.0)
    assert result.passed
    assert "All right" in text(result)


def test_03_leaf_grads_unfilled_says_not_done():
    result = lesson03.check_leaf_grads()
    assert not result.passed
    assert text(result).count("not done yet") == 2


def test_03_leaf_grads_local_derivative_only_gets_chain_rule_hint():
    # -3 and 2 are de/da and de/db: the chain rule's e.grad factor is missing.
    result = lesson03.check_leaf_grads(a=-3.0, b=2.0)
    assert not result.passed
    feedback = text(result)
    assert "a grad is -3.0, expected 6.0" in feedback
    assert "chain rule" in feedback


def test_03_leaf_grads_swapped_and_sign_errors_are_named():
    swapped = text(lesson03.check_leaf_grads(a=-4.0, b=6.0))
    assert "that is b's grad" in swapped and "that is a's grad" in swapped
    flipped = text(lesson03.check_leaf_grads(a=6.0, b=4.0))
    assert "✓ a grad" in flipped and "sign" in flipped and "off by +8" in flipped


def step_along(leaves, step_size):
    for leaf in leaves:
        leaf.data += step_size * leaf.grad


def step_against(leaves, step_size):
    for leaf in leaves:
        leaf.data -= step_size * leaf.grad


def test_03_step_downhill_reference_passes():
    result = lesson03.check_step_downhill(step_against)
    assert result.passed
    assert "L fell from -8" in text(result)


def test_03_step_downhill_uphill_fails_with_hint():
    result = lesson03.check_step_downhill(step_along)
    assert not result.passed
    feedback = text(result)
    assert "uphill" in feedback
    assert "L went from -8 to -7.2865" in feedback      # the lecture's uphill step


def test_03_step_downhill_without_step_size_is_caught():
    def whole_grad(leaves, step_size):
        for leaf in leaves:
            leaf.data -= leaf.grad
    result = lesson03.check_step_downhill(whole_grad)
    assert not result.passed                 # L falls, but by far too much
    assert "multiply the grad by step_size" in text(result)


def test_03_step_downhill_stub_and_errors():
    def stub(leaves, step_size):
        for leaf in leaves:  # noqa: B007
            ...
    assert "not done yet" in text(lesson03.check_step_downhill(stub))
    assert "not done yet" in text(lesson03.check_step_downhill(...))

    def broken(leaves, step_size):
        return leaves[10]
    result = lesson03.check_step_downhill(broken)
    assert not result.passed and "IndexError" in text(result)


def with_grad(data, grad, label=""):
    v = Value(data, label=label)
    v.grad = grad
    return v


def test_03_leaf_grads_other_correct_forms_pass():
    L, nodes = lesson03.build_L()
    L.backward()
    a, b = nodes["a"], nodes["b"]                         # the leaves, their grads set
    computed = Value(-3.0) * -2.0                          # b * e.grad without .data: a Value
    for a_answer, b_answer in ((6, -4), (np.float32(6.0), np.array(-4.0)), (Value(6.0), np.int64(-4)),
                               (6.001, -3.999), (a, b), (with_grad(2.0, 6.0, "a"), -4.0),
                               (computed, Value(2.0) * -2.0)):
        result = lesson03.check_leaf_grads(a=a_answer, b=b_answer)
        assert result.passed, text(result)


def test_03_a_value_counts_as_its_grad():
    """A leaf passed in is judged by its grad, so a wrong or unset grad fails with a hint."""
    unset = text(lesson03.check_leaf_grads(a=Value(2.0, label="a"), b=Value(-3.0, label="b")))
    assert unset.count("that Value's grad is still 0") == 2
    local = text(lesson03.check_leaf_grads(a=with_grad(2.0, -3.0), b=with_grad(-3.0, 2.0)))
    assert "is the local derivative de/da = b, not the grad" in local
    swapped = text(lesson03.check_leaf_grads(a=with_grad(2.0, -4.0), b=with_grad(-3.0, 6.0)))
    assert "that is b's grad" in swapped and "that is a's grad" in swapped


def test_03_and_04_read_a_value_the_same_way():
    """Lessons 03 and 04 share one rule for a Value given as a grad."""
    assert lesson04.as_grad is lesson03.as_grad
    assert lesson03.as_grad(with_grad(2.0, 6.0), 6.0) == 6.0
    assert lesson03.as_grad(Value(6.0), 6.0) == 6.0       # a computed grad: its data is the answer
    assert lesson03.as_grad(with_grad(2.0, 1.0), 6.0) == 1.0
    assert lesson03.as_grad("6", 6.0) == "6"


def test_03_leaf_grads_e_grad_passed_on_unchanged_is_named():
    feedback = text(lesson03.check_leaf_grads(a=-2.0, b=-2.0))
    assert feedback.count("that is e.grad itself; a * node does not pass its grad on unchanged") == 2


def test_03_leaf_grads_junk_never_raises():
    for junk in (None, "6", [6.0], {6.0}, {"a": 1}, float("nan"), True, print, object(), Evil(),
                 with_grad(2.0, Evil())):
        result = lesson03.check_leaf_grads(a=junk, b=junk)
        assert not result.passed and len(result.lines) == 3, junk
    assert "a string, '6': write the number without quotes" in text(lesson03.check_leaf_grads(a="6", b=-4))


def test_03_step_downhill_other_mistakes_get_their_hint():
    def replaced(leaves, step_size):
        for leaf in leaves:
            leaf.data = -step_size * leaf.grad

    def same_step(leaves, step_size):
        for leaf in leaves:
            leaf.data -= step_size

    def returns_new(leaves, step_size):
        return [leaf.data - step_size * leaf.grad for leaf in leaves]

    cases = {
        replaced: "that replaced the leaf's value by the step; use -= to move it",
        same_step: "every leaf moved by step_size; multiply it by the leaf's own grad",
        returns_new: "step_downhill returned new numbers but moved no leaf",
    }
    for step, hint in cases.items():
        result = lesson03.check_step_downhill(step)
        assert not result.passed and hint in text(result), (hint, text(result))


def test_03_step_downhill_junk_never_raises():
    def to_string(leaves, step_size):
        for leaf in leaves:
            leaf.data = "x"

    def to_nan(leaves, step_size):
        for leaf in leaves:
            leaf.data = float("nan")
    assert "a.data became a string, 'x'" in text(lesson03.check_step_downhill(to_string))
    assert not lesson03.check_step_downhill(to_nan).passed
    def to_evil(leaves, step_size):
        for leaf in leaves:
            leaf.data = Evil()
    assert "a.data became" in text(lesson03.check_step_downhill(to_evil))
    for junk in (None, "step", 3, [1], lambda: 0, lambda leaves: 0, lambda leaves, step_size: 1 / 0,
                 Evil(), lambda leaves, step_size: Evil()):
        assert not lesson03.check_step_downhill(junk).passed, junk
    assert "step_downhill should be a function, got 3" in text(lesson03.check_step_downhill(3))
    assert "step_downhill raised ZeroDivisionError" in text(
        lesson03.check_step_downhill(lambda leaves, step_size: 1 / 0))


# ---- lesson 04: a neuron ---------------------------------------------------

def test_04_neuron_grads_reference_passes():
    assert lesson04.check_neuron_grads(x1=-1.5, w1=1.0, x2=0.5, w2=0.0).passed


def test_04_neuron_grads_other_correct_forms_pass():
    # Values, numpy numbers, ints and a -0.0 are all the right numbers.
    nodes = lesson04.reference()
    assert lesson04.check_neuron_grads(x1=np.float32(-1.5), w1=np.int64(1), x2=np.array(0.5),
                                       w2=-0.0).passed
    assert lesson04.check_neuron_grads(x1=nodes["x1"], w1=nodes["w1"], x2=nodes["x2"],
                                       w2=nodes["w2"]).passed
    # grads worked out from the lesson's Values without .data are Values holding the answer
    w1, x1, w2, x2 = (Value(x) for x in (-3.0, 2.0, 1.0, 0.0))
    assert lesson04.check_neuron_grads(x1=w1 * 0.5, w1=x1 * 0.5, x2=w2 * 0.5, w2=x2 * 0.5).passed


def test_04_a_leaf_with_its_grad_unset_is_told_so():
    _, nodes = lesson04.build_neuron()
    feedback = text(lesson04.check_neuron_grads(x1=nodes["x1"], w1=nodes["w1"], x2=nodes["x2"],
                                                w2=nodes["w2"]))
    assert feedback.count("that Value's grad is still 0") == 3     # w2's grad is 0, rightly


def test_04_neuron_grads_unfilled_and_local_only():
    assert text(lesson04.check_neuron_grads()).count("not done yet") == 4
    # The local derivatives without the 0.5 flowing in from the sum:
    result = lesson04.check_neuron_grads(x1=-3.0, w1=2.0, x2=1.0, w2=0.0)
    assert not result.passed
    feedback = text(result)
    assert "x1 grad is -3.0, expected -1.5" in feedback
    assert "only the local derivative" in feedback
    assert "✓ w2 grad = 0.0" in feedback


def test_04_neuron_grads_swapped_pair():
    feedback = text(lesson04.check_neuron_grads(x1=1.0, w1=-1.5, x2=0.5, w2=0.0))
    assert "that is w1's grad" in feedback and "that is x1's grad" in feedback


def test_04_neuron_grads_sign_error():
    feedback = text(lesson04.check_neuron_grads(x1=1.5, w1=1.0, x2=0.5, w2=0.0))
    assert "x1 grad is 1.5, expected -1.5" in feedback and "the sign is not" in feedback


def test_04_neuron_grads_junk_never_raises():
    def broken():
        raise ValueError("no")
    result = lesson04.check_neuron_grads(x1="-1.5", w1=[1.0], x2={0.5: 1}, w2=math.nan)
    assert not result.passed
    feedback = text(result)
    assert "x1 grad should be a number, got a string" in feedback
    assert "w1 grad should be a number, got a list" in feedback
    assert "x2 grad should be a number, got a dict" in feedback
    assert "w2 grad is nan, expected 0.0" in feedback
    assert "a function" in text(lesson04.check_neuron_grads(x1=broken, w1=None, x2=True, w2=0.0))


def saturated_answers():
    o = math.tanh(2.0 * -3.0 + 0.0 * 1.0 + 10.0)
    return o, 1 - o**2, 2.0 * (1 - o**2)


def test_04_saturated_reference_passes():
    o, n_grad, w1_grad = saturated_answers()
    assert lesson04.check_saturated(o=o, n_grad=n_grad, w1_grad=w1_grad).passed


def test_04_saturated_three_significant_figures_pass():
    # 0.999329, 0.00134095, 0.0026819 rounded by hand: an absolute tolerance of
    # 1e-6 used to reject these; one too coarse would let the b = 9.88 answers in.
    assert lesson04.check_saturated(o=0.999, n_grad=0.00134, w1_grad=0.00268).passed
    assert lesson04.check_saturated(o=np.float32(0.9993), n_grad=1.34e-3, w1_grad=2.68e-3).passed
    o = math.tanh(2.0 * -3.0 + 9.88)
    at_slider_top = lesson04.check_saturated(o=o, n_grad=1 - o**2, w1_grad=2 * (1 - o**2))
    assert "✗ n.grad" in text(at_slider_top) and "✗ w1.grad" in text(at_slider_top)


def test_04_saturated_typical_mistakes():
    o = math.tanh(4.0)
    feedback = text(lesson04.check_saturated(o=o, n_grad=1 - 4.0**2, w1_grad=0.5))
    assert "1 - o**2" in feedback and "n.grad is -15.0" in feedback
    stale = text(lesson04.check_saturated(o=0.7071, n_grad=0.5, w1_grad=1.0))
    assert "o at the old bias" in stale and "o is 0.7071, expected 0.999329" in stale
    assert "the grad at the old bias" in stale
    n_for_o = text(lesson04.check_saturated(o=4.0, n_grad=1 - o**2, w1_grad=2.0))
    assert "4 is n; the neuron's output is o = tanh(n)" in n_for_o
    assert "2 is x1, only the local derivative" in n_for_o


def test_04_evil_never_raises_and_never_passes():
    evil = Evil()
    assert not lesson04.check_neuron_grads(x1=evil, w1=evil, x2=evil, w2=evil).passed
    assert not lesson04.check_saturated(o=evil, n_grad=evil, w1_grad=evil).passed
    assert not lesson04.check_neuron_grads(x1=with_grad(2.0, evil), w1=1.0, x2=0.5, w2=0.0).passed


def test_04_saturated_accepts_values():
    o = Value(2.0 * -3.0 + 10.0).tanh()
    assert lesson04.check_saturated(o=o, n_grad=1 - o**2, w1_grad=2.0 * (1 - o**2)).passed


def test_04_saturated_junk_never_raises():
    def returns_none():
        pass
    result = lesson04.check_saturated(o=returns_none, n_grad=[], w1_grad=math.nan)
    assert not result.passed
    assert "o should be a number, got a function" in text(result)
    assert "n.grad should be a number, got a list of 0 items" in text(result)
    assert "w1.grad is nan" in text(result)
    assert "not done yet" in text(lesson04.check_saturated())


def test_04_b_slider_reaches_the_bias_of_exercise_2():
    # Exercise 2 asks for b = 10 and then sends the learner to the b slider,
    # which once stopped at 9.88. Read the slider from the stored lesson.
    lesson = json.loads((NOTEBOOKS / "04_neuron.ipynb").read_text(encoding="utf-8"))
    state = lesson["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    sliders = {m["state"]["description"]: m["state"] for m in state.values()
               if m["model_name"] == "FloatSliderModel"}
    b = sliders["b"]
    assert b["min"] <= lesson04.START["b"] <= b["max"] and b["value"] == lesson04.START["b"]
    assert b["max"] == lesson04.SATURATED_B
