"""Checks for lesson 05, automating backward.

Exercise 1 accepts *any* valid topological order, not one memorised answer:
the check reads the edges from the package's graph of L.
Exercise 2 runs the learner's own closure-based Value class.
"""

import math

from . import CheckResult, check_numbers, not_done
from .lesson03 import build_L


def _edges_of_L():
    """(child label, parent label) for every arrow in L = (a*b + c) * f."""
    L, nodes = build_L()
    return [(child.label, node.label) for node in nodes.values() for child in node._prev]


def check_topological_order(order):
    """Exercise 1: a list of the labels of L's graph, each after everything it is computed from."""
    if not_done(order):
        return CheckResult(False, ["… order: not done yet (replace the ... with a list of labels)"])
    if isinstance(order, str) or not isinstance(order, (list, tuple)):
        return CheckResult(False, [f"✗ order should be a list of labels like ['a', 'b', ...], "
                                   f"got {type(order).__name__} {order!r}"])
    L, nodes = build_L()
    names = set(nodes)
    lines = []
    order = [item.label if hasattr(item, "label") else item for item in order]   # Values are fine too
    unknown = [x for x in order if x not in names]
    missing = sorted(names - set(order), key=list(nodes).index)
    repeated = sorted({x for x in order if order.count(x) > 1}, key=order.index)
    if unknown:
        lines.append(f"✗ not in the graph: {', '.join(map(repr, unknown))}; the labels are "
                     f"{', '.join(nodes)}")
    if missing:
        lines.append(f"✗ missing: {', '.join(missing)}; every node appears once, leaves too")
    if repeated:
        lines.append(f"✗ listed more than once: {', '.join(repeated)}")
    position = {name: i for i, name in reversed(list(enumerate(order)))}
    wrong_way = []
    for child, parent in _edges_of_L():
        if child in position and parent in position and position[child] > position[parent]:
            wrong_way.append((child, parent))
    for child, parent in wrong_way:
        op = nodes[parent].op
        inputs = f" {op} ".join(c.label for c in nodes[parent]._prev)
        lines.append(f"✗ {parent} comes before {child}, but {parent} = {inputs} "
                     f"needs {child} first")
    passed = not lines
    if passed:
        lines.append("✓ every node comes after the nodes it is computed from: " + " → ".join(order))
        lines.append("All right, well done!")
    else:
        lines.append("Not quite yet.")
    return CheckResult(passed, lines)


def check_exp(Value):
    """Exercise 2: `Value.exp` with a `_backward`, in the learner's closure-based class.

    Two cases: y = exp(x), and y = exp(x) + exp(x), where x feeds two exp
    nodes, so its grad must collect from both (the `+=` lesson).
    """
    if not_done(Value) or not isinstance(Value, type):
        return CheckResult(False, ["… pass your Value class to the check: check_exp(Value)"])
    if not hasattr(Value, "exp"):
        return CheckResult(False, ["… not done yet: define exp and attach it with Value.exp = exp"])
    x_data = 1.0
    try:
        x = Value(x_data, label="x")
        y = x.exp()
        y.backward()
        once = {"exp(x)": y.data, "x.grad in y = exp(x)": x.grad}
        x2 = Value(x_data, label="x")
        y2 = x2.exp() + x2.exp()
        y2.backward()
        twice = x2.grad
    except Exception as error:      # the learner's code: report, don't crash the lesson
        return CheckResult(False, [f"✗ your exp raised {type(error).__name__}: {error}"])
    if once["x.grad in y = exp(x)"] == 0 and twice == 0:
        return CheckResult(False, ["… not done yet: x.grad is still 0, so _backward adds "
                                   "nothing to self.grad"])
    e = math.exp(x_data)
    answers = dict(once, **{"x.grad in y = exp(x) + exp(x)": twice})
    expected = {"exp(x)": e, "x.grad in y = exp(x)": e, "x.grad in y = exp(x) + exp(x)": 2 * e}
    hints = {
        "exp(x)": "out.data should be math.exp(self.data)",
        "x.grad in y = exp(x)": "the local derivative of e**x is e**x itself (out.data), times out.grad",
    }
    if math.isclose(twice, e):
        hints["x.grad in y = exp(x) + exp(x)"] = ("that is only one exp's share: the second _backward "
                                                  "overwrote the first. Use += instead of =")
    else:
        hints["x.grad in y = exp(x) + exp(x)"] = "each exp node adds its share into x.grad with +="
    result = check_numbers(answers, expected, what="", hints=hints)
    result.lines = [line.replace("  ", " ").replace(" :", ":") for line in result.lines]
    return result
