"""Checks for lesson 05, automating backward.

Exercise 1 accepts *any* valid topological order, not one memorised answer:
the check reads the edges from the package's graph of L.
Exercise 2 runs the learner's own closure-based Value class.
"""

import math

from . import CheckResult, as_number, call_learner, check_numbers, not_done
from .lesson03 import build_L


def _edges_of_L():
    """(child label, parent label) for every arrow in L = (a*b + c) * f."""
    L, nodes = build_L()
    return [(child.label, node.label) for node in nodes.values() for child in node._prev]


def _label(item):
    """A label from one item of the learner's list: a string, or a Value's label; else None."""
    try:
        label = getattr(item, "label", item)      # a Value (theirs or the package's) is fine too
    except Exception:
        return None
    return label if isinstance(label, str) else None


def _short(item):
    try:
        text = repr(item)
    except Exception:
        text = f"<a {type(item).__name__}>"
    return text if len(text) <= 40 else text[:39] + "…"


def check_topological_order(order):
    """Exercise 1: a list of the labels of L's graph, each after everything it is computed from."""
    if not_done(order):
        return CheckResult(False, ["… order: not done yet (replace the ... with a list of labels)"])
    if isinstance(order, str) or not isinstance(order, (list, tuple)):
        return CheckResult(False, [f"✗ order should be a list of labels like ['a', 'b', ...], "
                                   f"got {type(order).__name__} {_short(order)}"])
    L, nodes = build_L()
    lines = []
    labels = [_label(item) for item in order]
    not_labels = [item for item, label in zip(order, labels) if label is None]
    if not_labels:
        lines.append(f"✗ not a label: {', '.join(map(_short, not_labels))}; write each label as "
                     f"a string in quotes, like 'a'")
    order = [label for label in labels if label is not None]
    unknown = [x for x in order if x not in nodes]
    missing = [name for name in nodes if name not in order]
    repeated = sorted({x for x in order if order.count(x) > 1}, key=order.index)
    if unknown:
        line = (f"✗ not in the graph: {', '.join(map(repr, unknown))}; the labels are "
                f"{', '.join(nodes)}")
        if any(x.strip() in nodes or x.swapcase() in nodes for x in unknown):
            line += " (labels are case-sensitive, with no spaces)"
        lines.append(line)
    if missing:
        lines.append(f"✗ missing: {', '.join(missing)}; every node appears once, leaves too")
    if repeated:
        lines.append(f"✗ listed more than once: {', '.join(repeated)}")
    position = {name: i for i, name in reversed(list(enumerate(order)))}
    wrong_way = [(child, parent) for child, parent in _edges_of_L()
                 if child in position and parent in position and position[child] > position[parent]]
    if wrong_way and len(wrong_way) == len(_edges_of_L()):
        lines.append("✗ every arrow points the wrong way: this is the order backward() walks in, "
                     "from L back to the leaves. A topological order is its reverse: "
                     "each node after the nodes it is computed from")
    else:
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


# Exercise 2 tries three graphs, each built to show one mistake:
#   y = exp(x)            the forward value and the local derivative (out.grad = 1 here)
#   y = exp(x) * 3        out.grad = 3, so a _backward that forgets `* out.grad` shows
#   y = exp(x) + exp(x)   x feeds two exp nodes, so `=` instead of `+=` shows
# x = 0.5 keeps e**x apart from x, 1 and e**x - 1, the usual wrong local derivatives.
X = 0.5
SCALE = 3.0
ONCE, SCALED, TWICE = "x.grad in y = exp(x)", "x.grad in y = exp(x) * 3", "x.grad in y = exp(x) + exp(x)"


def _run_exp(Value):
    """Build the three graphs with the learner's class and backpropagate: (numbers, None) or (None, problem)."""
    numbers = {}
    x = Value(X)
    y, problem = call_learner(x.exp, name="exp", expect_return=True)
    if problem:
        return None, problem
    if not hasattr(y, "data") or not hasattr(y, "backward"):
        return None, (f"exp should return the new node `out` (a {type(x).__name__}), "
                      f"got {type(y).__name__} {_short(y)}: end it with `return out`")
    y.backward()
    numbers["exp(x)"], numbers[ONCE] = y.data, x.grad
    x = Value(X)
    y = x.exp() * Value(SCALE)
    y.backward()
    numbers[SCALED] = x.grad
    x = Value(X)
    y = x.exp() + x.exp()
    y.backward()
    numbers[TWICE] = x.grad
    return numbers, None


def check_exp(Value):
    """Exercise 2: `Value.exp` with a `_backward`, in the learner's closure-based class."""
    if not_done(Value):
        return CheckResult(False, ["… not done yet: pass your class to the check, check_exp(MyValue)"])
    if not isinstance(Value, type):
        return CheckResult(False, [f"✗ pass the class itself, check_exp(MyValue), not "
                                   f"{type(Value).__name__} {_short(Value)}"])
    if not hasattr(Value, "exp"):
        return CheckResult(False, ["… not done yet: define exp and attach it with MyValue.exp = exp"])
    lacking = [name for name in ("__add__", "__mul__", "backward") if not hasattr(Value, name)]
    if lacking:
        return CheckResult(False, [f"✗ {Value.__name__} has no {', '.join(lacking)}: the check needs "
                                   f"the lesson's fixed class, so run the cells that define it first"])
    try:
        got, problem = _run_exp(Value)
    except Exception as error:      # the learner's class: report, don't crash the lesson
        got, problem = None, f"your class raised {type(error).__name__}: {error}"
    if problem:
        return CheckResult(False, [f"✗ {problem}"])
    if all(_is(got[name], 0.0) for name in (ONCE, SCALED, TWICE)):
        return CheckResult(False, ["… not done yet: x.grad is still 0, so _backward adds "
                                   "nothing to self.grad"])
    e = math.exp(X)
    expected = {"exp(x)": e, ONCE: e, SCALED: SCALE * e, TWICE: 2 * e}
    hints = {
        "exp(x)": "out.data should be math.exp(self.data)",
        ONCE: "the local derivative of e**x is e**x itself (out.data), times out.grad",
        SCALED: "multiply the local derivative by out.grad, the grad flowing into the exp node",
        TWICE: "each exp node adds its share into x.grad with +=",
    }
    # The usual wrong local derivatives, each as (its value at X, what it is).
    for local, what in ((X, "x, self.data"), (1.0, "1"), (X * math.exp(X - 1), "x * e**(x-1), the power rule")):
        if _is(got[ONCE], local):
            hints[ONCE] = (f"that is {what}, times out.grad; the local derivative of e**x is "
                           "e**x itself, which is out.data")
            for case, factor in ((SCALED, SCALE), (TWICE, 2)):
                if _is(got[case], factor * local):
                    hints[case] = "the same local derivative as above: e**x is out.data"
    if _is(got[SCALED], e):
        hints[SCALED] = ("that is e**x without the grad flowing in: out.grad is 3 here, and "
                         "_backward must multiply by it (self.grad += out.data * out.grad)")
    if _is(got[TWICE], e):
        hints[TWICE] = ("that is only one exp's share: the second _backward overwrote the first. "
                        "Use += instead of =")
    return check_numbers(got, expected, what="", hints=hints)


def _is(answer, value):
    """True if the learner's number is `value` (False for anything that is not a number)."""
    number = as_number(answer)
    return isinstance(number, float) and math.isclose(number, value, rel_tol=1e-9, abs_tol=1e-12)
