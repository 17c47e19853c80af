"""Checks for lesson 03, backpropagation by hand on L = (a*b + c) * f.

The expected numbers are never typed in: each check builds L with the
package's Value and lets `backward()` find them.
"""

import math

from . import CheckResult, check_numbers, not_done
from ..engine import Value

START = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}     # the lecture's numbers
LEAVES = ("a", "b", "c", "f")


def build_L(a=START["a"], b=START["b"], c=START["c"], f=START["f"]):
    """The lesson's expression, every node labelled. Returns (L, nodes by label)."""
    a = Value(a, label="a")
    b = Value(b, label="b")
    c = Value(c, label="c")
    f = Value(f, label="f")
    e = a * b; e.label = "e"
    d = e + c; d.label = "d"
    L = d * f; L.label = "L"
    return L, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "L": L}


def reference_grads():
    L, nodes = build_L()
    L.backward()
    return {name: v.grad for name, v in nodes.items()}


def check_leaf_grads(a=..., b=...):
    """Exercise 1: dL/da and dL/db, through the * that makes e."""
    grads = reference_grads()
    expected = {"a": grads["a"], "b": grads["b"]}
    answers = {"a": a, "b": b}
    # The usual slip is to stop at the local derivative (de/da = b) and forget
    # to multiply by e.grad; the next most usual is to swap the two.
    local = {"a": START["b"], "b": START["a"]}
    hints = {}
    for name, got in answers.items():
        if not_done(got) or not isinstance(got, (int, float)):
            continue
        other = "b" if name == "a" else "a"
        if math.isclose(got, local[name]):
            hints[name] = (f"{local[name]:g} is the local derivative de/d{name} = {other}. "
                           f"The chain rule multiplies it by e.grad = dL/de = {grads['e']:g}")
        elif math.isclose(got, expected[other]):
            hints[name] = (f"that is {other}'s grad. In e = a*b, nudging {name} changes e "
                           f"by the *other* factor, {other}, per unit")
        elif math.isclose(got, -expected[name]):
            hints[name] = (f"the size is right but the sign is not: {name}.grad = {other} * e.grad "
                           f"= ({local[name]:g}) * ({grads['e']:g})")
        else:
            hints[name] = f"{name}.grad = (the other factor of e) * e.grad"
    return check_numbers(answers, expected, what="grad", hints=hints)


def check_step_downhill(step_downhill, step_size=0.01):
    """Exercise 2: `step_downhill(leaves, step_size)` should move each leaf so that L falls.

    The check builds L at the lesson's numbers, fills in the grads, calls the
    learner's function on [a, b, c, f] and rebuilds L from the moved leaves.
    """
    if not_done(step_downhill) or not callable(step_downhill):
        return CheckResult(False, ["… step_downhill: not done yet (define the function and pass it in)"])
    L, nodes = build_L()
    L.backward()
    leaves = [nodes[name] for name in LEAVES]
    before = {name: nodes[name].data for name in LEAVES}
    grads = {name: nodes[name].grad for name in LEAVES}
    try:
        step_downhill(leaves, step_size)
    except Exception as error:    # the learner's code: report, don't crash the lesson
        return CheckResult(False, [f"✗ step_downhill raised {type(error).__name__}: {error}"])
    after = {name: nodes[name].data for name in LEAVES}
    if after == before:
        return CheckResult(False, ["… step_downhill: not done yet (no leaf moved; "
                                   "change each leaf's .data in the loop)"])
    expected = {name: before[name] - step_size * grads[name] for name in LEAVES}
    new_L, _ = build_L(**after)
    want_L, _ = build_L(**expected)

    hints = {}
    for name in LEAVES:
        moved = after[name] - before[name]
        if math.isclose(moved, step_size * grads[name]):
            hints[name] = "that step went uphill, along the grad; step against it (subtract)"
        elif math.isclose(moved, -grads[name]):
            hints[name] = "that is a whole grad; multiply the grad by step_size first"
        else:
            hints[name] = "move it by -step_size * grad"
    result = check_numbers(after, expected, what="after the step", hints=hints)
    lines = result.lines[:-1]
    if new_L.data < L.data:
        lines.append(f"✓ L fell from {L.data:g} to {new_L.data:.6g}")
    else:
        lines.append(f"✗ L went from {L.data:g} to {new_L.data:.6g}: it should fall "
                     f"(to {want_L.data:.6g})")
    passed = result.passed and new_L.data < L.data
    lines.append("All right, well done!" if passed else "Not quite yet.")
    return CheckResult(passed, lines)
