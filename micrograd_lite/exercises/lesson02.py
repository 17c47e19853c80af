"""Checks for lesson 02, the Value object and its graph."""

from . import CheckResult, not_done
from ..engine import Value


def check_expression(out, data, op, child_labels, name="your expression"):
    """Check a Value's result, its operation and the labels of its inputs, each with its own line."""
    if not_done(out):
        return CheckResult(False, [f"… {name}: not done yet (replace the ... with your expression)"])
    if not isinstance(out, Value):
        return CheckResult(False, [f"✗ {name} should be a Value, got {type(out).__name__}; "
                                   "build it from Values so it remembers its inputs"])
    lines, ok = [], True
    if abs(out.data - data) < 1e-9:
        lines.append(f"✓ data = {data}")
    else:
        ok = False
        lines.append(f"✗ data is {out.data}, expected {data}")
    if out.op == op:
        lines.append(f"✓ made by {op!r}")
    else:
        ok = False
        lines.append(f"✗ made by {out.op or 'nothing (a leaf)'!r}, expected {op!r}: "
                     "the last operation you apply is the one the node remembers")
    labels = [c.label for c in out._prev]
    if labels == list(child_labels):
        lines.append(f"✓ inputs {labels}")
    else:
        ok = False
        lines.append(f"✗ inputs are labelled {labels}, expected {list(child_labels)}: "
                     "give each intermediate Value a .label")
    lines.append("All right, well done!" if ok else "Not quite yet.")
    return CheckResult(ok, lines)


def check_L(L):
    """L = (a*b + c) * f with a=2, b=-3, c=10, f=-2: the lecture's expression."""
    return check_expression(L, -8.0, "*", ["d", "f"], name="L")


def check_m(m):
    """m = (a + b) * (c - f) with the lesson's a, b, c, f, labelled s and t."""
    return check_expression(m, (2.0 + -3.0) * (10.0 - -2.0), "*", ["s", "t"], name="m")
