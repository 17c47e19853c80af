"""Checks for lesson 02, the Value object and its graph.

`check_L` and `check_m` look at the shape of the learner's expression, in any
order the operations allow; `check_trace` and `check_draw_dot` run the
learner's functions on the lesson's L and compare what they find with the
graph L really has.

Every check runs learner code and reads learner objects inside a guard, so
whatever it is given (a hostile object whose every attribute raises
included) it answers with feedback, never a traceback.
"""

import itertools
import math
import re

from ..engine import Value
from . import CheckResult, _short, call_learner, describe, error_text, is_a, never_raises, not_done
from .dot_reader import DotError, read_dot

START = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}     # the lecture's numbers

# An expression's expected shape: (label, op, [inputs]) for a node made by an
# operation, a plain label for a leaf. Inputs of + and * may come in either order.
L_SHAPE = ("L", "*", [("d", "+", [("e", "*", ["a", "b"]), "c"]), "f"])
M_SHAPE = ("m", "*", [("s", "+", ["a", "b"]), ("t", "-", ["c", "f"])])
COMMUTATIVE = {"+", "*"}



# ---- Exercise 1 and 4: build an expression --------------------------------

@never_raises
def check_L(L):
    """L = (a*b + c) * f with a=2, b=-3, c=10, f=-2, labelled e, d and L."""
    return _check_shape(L, L_SHAPE, data=-8.0)


@never_raises
def check_m(m):
    """m = (a + b) * (c - f) with the lesson's a, b, c, f, labelled s, t and m."""
    return _check_shape(m, M_SHAPE, data=(2.0 + -3.0) * (10.0 - -2.0))


def _check_shape(out, shape, data):
    name = shape[0]
    if not_done(out):
        return CheckResult(False, [f"… {name}: not done yet (replace the ... with your expression)"])
    if not is_a(out, Value):
        return CheckResult(False, [f"✗ {name} should be a Value, got {describe(out)}. Build it from the "
                                   "Values a, b, c and f, so that it remembers its inputs"])
    lines = []
    if math.isclose(out.data, data, abs_tol=1e-9):
        lines.append(f"✓ {name}.data = {data}")
    else:
        lines.append(f"✗ {name}.data is {out.data}, expected {data}: {_formula(shape)}")
    problems = _shape_problems(out, shape)
    if not any(kind == "shape" for kind, _ in problems):
        lines.append(f"✓ built as {_formula(shape)}")
    lines += [f"✗ {text}" for _, text in problems]
    if not any(kind == "label" for kind, _ in problems) and not any(k == "shape" for k, _ in problems):
        lines.append(f"✓ labelled {', '.join(_labels(shape))}")
    passed = all(line.startswith("✓") for line in lines)
    lines.append("All right, well done!" if passed else "Not quite yet.")
    return CheckResult(passed, lines)


def _shape_problems(node, shape):
    """[(kind, sentence)] of what differs between `node` and `shape`; kind is "shape" or "label"."""
    if isinstance(shape, str):                        # a leaf the lesson defined
        if not is_a(node, Value):
            return [("shape", f"expected the leaf {shape} here, found {describe(node)}")]
        if node.op or node.label != shape:
            return [("shape", f"expected the leaf {shape} here, found {_describe(node)}: "
                              f"use the Value {shape} defined above")]
        return []
    label, op, inputs = shape
    if not is_a(node, Value):
        return [("shape", f"expected {label} = {_formula(shape, top=False)} here, found {describe(node)}")]
    if node.op != op:
        made = f"made by {node.op!r}" if node.op else "a leaf"
        return [("shape", f"{label} is {made}, expected {op!r}: {_formula(shape)}, and the last "
                          "operation you apply is the one the node remembers")]
    children = list(node._prev)
    if len(children) != len(inputs):
        return [("shape", f"{label} has {len(children)} inputs, expected {len(inputs)}")]
    if op in COMMUTATIVE:
        orders = list(itertools.permutations(children))
    else:
        orders = [children]
        flipped = sum((_shape_problems(c, s) for c, s in zip(children[::-1], inputs)), [])
        if not any(kind == "shape" for kind, _ in flipped):
            orders = []
            best = [("shape", f"{label} is the other way round: {_formula(shape, top=False)}, "
                              f"in that order (the order matters for {op})")] + flipped
    if orders:
        # the reading with the fewest wrong operations, then the fewest wrong labels
        best = min((sum((_shape_problems(c, s) for c, s in zip(order, inputs)), [])
                    for order in orders),
                   key=lambda found: (sum(kind == "shape" for kind, _ in found), len(found)))
    if node.label != label:
        where = f"the node {_formula(shape, top=False)}"
        best.append(("label", f"{where} has no label: set its .label = {label!r}" if not node.label
                     else f"{where} is labelled {node.label!r}: label it {label!r}"))
    return best


def _formula(shape, top=True):
    """"L = d * f, d = e + c, e = a * b" (top) or "d * f" for a shape."""
    if isinstance(shape, str):
        return shape
    label, op, inputs = shape
    here = f" {op} ".join(s if isinstance(s, str) else s[0] for s in inputs)
    if not top:
        return here
    parts = [f"{label} = {here}"] + [_formula(s) for s in inputs if not isinstance(s, str)]
    return ", ".join(parts)


def _labels(shape):
    if isinstance(shape, str):
        return []
    return sum((_labels(s) for s in shape[2]), []) + [shape[0]]


def _describe(v):
    if v.label:
        return f"a Value labelled {v.label!r} (data {v.data:g})"
    return f"an unlabelled Value with data {v.data:g}" + (f", made by {v.op!r}" if v.op else "")


# ---- the graphs the trace and draw_dot checks run on ----------------------

def build_L(grads=False):
    """The lesson's L, every node labelled; with grads=True, after L.backward()."""
    a, b, c, f = (Value(x, label=name) for name, x in START.items())
    e = a * b; e.label = "e"
    d = e + c; d.label = "d"
    L = d * f; L.label = "L"
    if grads:
        L.backward()
    return L


def build_shared():
    """z = (x + x) * a with x = a * b: a node used twice, and a leaf reached two ways."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    x = a * b; x.label = "x"
    y = x + x; y.label = "y"
    z = y * a; z.label = "z"
    return z


def build_m():
    """m = (a + b) * (c - f) from fresh leaves, labelled s, t and m: what exercise 4 builds."""
    a, b, c, f = (Value(x, label=name) for name, x in START.items())
    s = a + b; s.label = "s"
    t = c - f; t.label = "t"
    m = s * t; m.label = "m"
    return m


def reference_trace(root):
    """(nodes, edges) of root's graph, as the lesson's trace returns them.

    The lesson's cells after the trace exercise use it until the learner's own
    `trace` passes its check.
    """
    return graph_of(root)


def graph_of(root):
    """(set of Values, set of (child, parent) pairs): what trace(root) should find."""
    nodes, edges, todo = set(), set(), [root]
    while todo:
        v = todo.pop()
        if v in nodes:
            continue
        nodes.add(v)
        for child in v._prev:
            edges.add((child, v))
            todo.append(child)
    return nodes, edges


def _names(values):
    return ", ".join(sorted(v.label or f"{v.data:g}" for v in values))


def _pairs(pairs):
    return ", ".join(sorted(f"({c.label}, {p.label})" for c, p in pairs))


# ---- Exercise 2: trace ------------------------------------------------------

@never_raises
def check_trace(trace):
    """trace(root) -> (nodes, edges): every Value behind root, and every (child, parent) pair."""
    if not_done(trace):
        return CheckResult(False, ["… trace: not done yet (define the function and pass it in)"])
    lines = []
    for root, what in ((build_L(), "L"), (build_shared(), "z = (x + x) * a, where a is used twice")):
        problem = _trace_problem(trace, root)
        if problem and problem.startswith("…"):
            return CheckResult(False, [problem])
        if problem:
            return CheckResult(False, lines + [problem, "Not quite yet."])
        nodes, edges = graph_of(root)
        lines.append(f"✓ {what}: all {len(nodes)} Values and {len(edges)} edges, child → parent")
    return CheckResult(True, lines + ["All right, well done!"])


def _trace_problem(trace, root):
    """One feedback line on what trace(root) got wrong, or None."""
    got, problem = call_learner(trace, root, name="trace", expect_return=True)
    if problem:
        return f"✗ {problem}"
    if not is_a(got, (tuple, list)) or len(got) != 2:
        return (f"✗ trace should return two things, `return nodes, edges`; it returned "
                f"{describe(got)}")
    want_nodes, want_edges = graph_of(root)
    nodes, problem = _collection(got[0], "nodes")
    if problem:
        return problem
    edges, problem = _collection(got[1], "edges")
    if problem:
        return problem
    if nodes and edges and all(map(_is_edge, nodes)) and all(is_a(v, Value) for v in edges):
        return ("✗ trace returned (edges, nodes), the other way round: the order is (nodes, edges), "
                "so `return nodes, edges`")
    if not nodes:
        return "… trace: not done yet (nodes is empty: build(v) should add v to nodes)"
    odd = next((v for v in nodes if not is_a(v, Value)), None)
    if odd is not None:
        return (f"✗ nodes should hold the Values themselves, not {type(odd).__name__}s like "
                f"{_short(odd, limit=40)}: add v, not v.label or v.data")
    for pair in edges:
        if not _is_edge(pair):
            return f"✗ each edge should be a pair of Values (child, v); found {_short(pair)}"
    nodes = {id(v): v for v in nodes}
    missing = [v for v in want_nodes if id(v) not in nodes]
    if missing:
        if set(nodes) == {id(root)}:
            return (f"✗ nodes has only {root.label}: build(v) should also call build on every "
                    "child in v._prev")
        in_edges = {id(v) for pair in edges for v in pair}
        if all(not v._prev and id(v) in in_edges for v in missing):
            return (f"✗ nodes misses the leaves {_names(missing)}: add every Value you visit, "
                    "also those with no children")
        return f"✗ nodes misses {_names(missing)}: visit every child of every node, recursively"
    if len(nodes) != len(want_nodes):
        return "✗ nodes has Values that are not part of this graph"
    want = {(id(c), id(p)) for c, p in want_edges}
    got_pairs = {(id(c), id(p)) for c, p in edges}
    if got_pairs == {(p, c) for c, p in want}:
        return ("✗ the edges are reversed: each pair should be (child, v), from an input to the "
                "Value computed from it")
    if got_pairs != want:
        missing = [(c, p) for c, p in want_edges if (id(c), id(p)) not in got_pairs]
        if missing:
            return (f"✗ edges misses {_pairs(missing)}: for every child of every node, add "
                    "(child, v)")
        return "✗ edges has pairs that are not edges of this graph: add (child, v) for each child"
    return None


def _is_edge(pair):
    """True for a pair (child, v) of two Values, as a tuple or a list."""
    try:
        return is_a(pair, (tuple, list)) and len(pair) == 2 and all(is_a(v, Value) for v in pair)
    except Exception:
        return False


def _collection(things, name):
    """(list of the items, None) or (None, a line saying `things` is not a collection)."""
    try:
        if is_a(things, (str, bytes)) or not hasattr(type(things), "__iter__"):
            return None, (f"✗ {name} should be a set (or list) of Values, got "
                          f"{describe(things)}")
        return list(things), None
    except Exception as error:
        return None, f"✗ couldn't go through {name}: {error_text(error)}"


# ---- Exercise 3: draw_dot ---------------------------------------------------

_WORD = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf|nan")


@never_raises
def check_draw_dot(draw_dot):
    """draw_dot(root) -> a graphviz.Digraph: a box per Value with its label, data and grad,
    an op node per operation, and arrows from inputs to op nodes to results.

    A draw_dot that calls the learner's own `trace` can only be as right as
    that trace: when the drawing is wrong and that trace fails its check, the
    feedback says so first.
    """
    if not_done(draw_dot):
        return CheckResult(False, ["… draw_dot: not done yet (define the function and pass it in)"])
    L = build_L(grads=True)
    got, problem = call_learner(draw_dot, L, name="draw_dot", expect_return=True)
    if problem and "attribute '_op'" in problem:
        problem += ". The lecture's Value keeps its operation in _op; the package's keeps it in n.op"
    if problem:
        return CheckResult(False, [f"✗ {problem}", *_trace_note(draw_dot)])
    try:
        source = got.source
    except Exception:
        source = None
    if not is_a(source, str):
        return CheckResult(False, [f"✗ draw_dot should return the graphviz.Digraph it built "
                                   f"(`return dot`), got {describe(got)}"])
    try:
        shown, arrows = read_dot(source)
    except DotError as error:
        return CheckResult(False, [f"✗ couldn't read the graph draw_dot built: {error}"])
    if not shown:
        return CheckResult(False, ["… draw_dot: not done yet (the graph it returns is empty; "
                                   "add a node per Value with dot.node)", *_trace_note(draw_dot)])
    problems = _drawing_problems(L, shown, arrows)
    if problems:
        return CheckResult(False, [*_trace_note(draw_dot), *(f"✗ {p}" for p in problems),
                                   "Not quite yet."])
    nodes, edges = graph_of(L)
    ops = sum(1 for v in nodes if v.op)
    return CheckResult(True, [
        f"✓ a box for each of the {len(nodes)} Values, showing its label, data and grad",
        f"✓ an op node for each of the {ops} operations",
        "✓ arrows from the inputs into each op node, and from it into the result",
        "All right, well done!",
    ])


def _trace_note(draw_dot):
    """[a line] if draw_dot calls a `trace` of the learner's that fails its check, else []."""
    try:
        if "trace" not in draw_dot.__code__.co_names:
            return []
        trace = draw_dot.__globals__.get("trace")
    except Exception:
        return []
    if trace is None:
        return []
    traced = check_trace(trace)
    if traced.passed:
        return []
    if traced.lines and traced.lines[0].startswith("…"):     # trace is still a stub: nothing wrong yet
        return ["… draw_dot calls your trace, which is not done yet: finish trace (exercise 2) too"]
    return ["✗ draw_dot calls your trace, which doesn't pass its check yet, so it gets the wrong "
            "nodes and edges to draw: finish trace (exercise 2) first"]


def _drawing_problems(root, shown, arrows):
    """Sentences on what the drawing (node labels `shown`, `arrows`) gets wrong about root's graph.

    Arrows drawn the wrong way round make every op node look misplaced, so if
    the drawing reads better with all of them turned around, that is the one
    mistake to name first.
    """
    problems = _read_drawing(root, shown, arrows)
    if problems:
        turned = _read_drawing(root, shown, [(head, tail) for tail, head in arrows])
        if len(turned) < len(problems):
            return ["the arrows point backwards, from each Value towards its inputs: draw them "
                    "from each input into the op node, and from the op node into the result"] + turned
    return problems


def _read_drawing(root, shown, arrows):
    values, edges = graph_of(root)
    op_texts = {v.op for v in values if v.op}
    box_of, problems = _find_boxes(values, shown, op_texts)
    missing = [v for v in values if v not in box_of]
    if missing:
        if all(not v._prev for v in missing):
            problems.append(f"no box for the leaves {_names(missing)}: draw a node for every "
                            "Value in nodes, the leaves too")
        else:
            problems.append(f"no box for {_names(missing)}: draw a node for every Value in nodes")
        return problems
    if not arrows:
        problems.append("there are no arrows yet: add an op node for each Value with an op, an arrow "
                        "from it into the Value's box, and an arrow from each child into it")
        return problems
    box_names = {name: v for v, name in box_of.items()}
    into, out_of = {}, {}
    for tail, head in set(arrows):
        into.setdefault(head, set()).add(tail)
        out_of.setdefault(tail, set()).add(head)

    direct, reversed_, into_box, wrong_label, missing_in = [], [], [], [], []
    op_node = {}
    for v in sorted((v for v in values if v.op), key=lambda v: v.label):
        box = box_of[v]
        children = {box_of[c] for c in v._prev}
        feeding = into.get(box, set())
        ops = sorted(n for n in feeding if n not in box_names)
        if not ops:
            if children and children <= feeding:
                direct.append(v)
            elif _points_backwards(box, children, out_of, box_names):
                reversed_.append(v)
            else:
                missing_in.append(f"nothing points into the box of {v.label}")
            continue
        op = ops[0]
        op_node[v] = op
        if shown[op].strip() != v.op:
            wrong_label.append((v, shown[op].strip()))
        if children & feeding:
            into_box.append(v)
        elif not children <= into.get(op, set()):
            lacking = [c for c in v._prev if box_of[c] not in into.get(op, set())]
            missing_in.append(f"no arrow from {_names(lacking)} into the op node of {v.label}")
    shared = [owners for owners in _group(op_node).values() if len(owners) > 1]

    if direct:
        problems.append(f"no op nodes for {_names(direct)}: the arrows go straight from the inputs "
                        "into the result. For each Value with an op, add a node showing n.op, an "
                        "arrow from it into the Value's box, and arrows from the inputs into it")
    if reversed_:
        problems.append(f"the arrows at {_names(reversed_)} point backwards, from a Value towards its "
                        "inputs: draw them from each input into the op node, and from the op node "
                        "into the result")
    for owners in shared:
        problems.append(f"one op node serves {_names(owners)}: give each Value its own op node, "
                        "named after the Value (like str(id(n)) + n.op), not after the op alone")
    if into_box and not shared:
        problems.append(f"the inputs of {_names(into_box)} point into its box, not into its op node: "
                        "draw the edge from each child to the op node of the Value made from it")
    if wrong_label:
        v, text = wrong_label[0]
        problems.append(f"the op nodes of {_names(v for v, _ in wrong_label)} don't show their op "
                        f"(that of {v.label} shows {text[:24]!r}, not {v.op!r}): give each one "
                        "label=n.op")
    problems += missing_in
    if not problems:
        expected = {(box_of[c], op_node[p]) for c, p in edges} | {(op_node[v], box_of[v]) for v in op_node}
        extra = set(arrows) - expected
        if extra:
            problems.append(f"{len(extra)} arrow{'s' if len(extra) > 1 else ''} that the graph of "
                            f"{root.label} does not have, such as {_arrow(min(extra), shown)}")
    return problems


def _find_boxes(values, shown, op_texts):
    """({Value: node name}, problems): each Value's box, found by its label, else by its data."""
    candidates = {name: text for name, text in shown.items() if text.strip() not in op_texts}
    words = {name: set(_WORD.findall(text)) for name, text in candidates.items()}
    numbers = {name: _numbers(text) for name, text in candidates.items()}
    box_of, unlabelled, no_data, no_grad = {}, [], [], []
    for v in values:
        by_label = [n for n in candidates if v.label in words[n]]
        by_data = [n for n in candidates if _shows(numbers[n], v.data)]
        if len(by_data) > 1:        # several boxes show this number: prefer one that starts with it
            by_data = [n for n in by_data if _shows(numbers[n][:1], v.data)] or by_data
        if len(by_label) == 1:
            box_of[v] = by_label[0]
        elif len(by_label) > 1:
            both = [n for n in by_label if n in by_data]
            if len(both) == 1:
                box_of[v] = both[0]
            else:
                continue
        elif len(by_data) == 1:
            box_of[v] = by_data[0]
            unlabelled.append(v)
        else:
            continue
        shown_numbers = numbers[box_of[v]]
        others = [n for n in shown_numbers if not _shows([n], v.data)]
        if len(others) == len(shown_numbers):
            no_data.append(v)
        elif len(others) < len(shown_numbers) - 1:
            others.append(v.data)           # data shown twice: one of them may be the grad
        if not _shows(others, v.grad):
            no_grad.append(v)
    problems = []
    if unlabelled:
        problems.append(f"the boxes of {_names(unlabelled)} don't show their label: put n.label in it")
    if no_data:
        problems.append(f"the boxes of {_names(no_data)} don't show their data: put n.data in it, "
                        "like 'data %.4f' % n.data")
    if no_grad:
        problems.append(f"the boxes of {_names(no_grad)} don't show their grad: put n.grad in it, "
                        "like 'grad %.4f' % n.grad")
    return box_of, problems


def _numbers(text):
    found = []
    for piece in _NUMBER.findall(text):
        try:
            found.append(float(piece))
        except ValueError:
            pass
    return found


def _shows(numbers, x):
    return any(math.isclose(n, x, rel_tol=1e-3, abs_tol=1e-3) or (math.isnan(n) and math.isnan(x))
               for n in numbers)


def _points_backwards(box, children, out_of, box_names):
    """True if the arrows leave the result's box towards its inputs (directly or via an op node)."""
    leaving = out_of.get(box, set())
    if children & leaving:
        return True
    return any(children & out_of.get(n, set()) for n in leaving if n not in box_names)


def _group(op_node):
    owners = {}
    for v, op in op_node.items():
        owners.setdefault(op, []).append(v)
    return owners


def _arrow(pair, shown):
    tail, head = pair
    return f"{shown.get(tail, tail).strip()[:20]!r} → {shown.get(head, head).strip()[:20]!r}"
