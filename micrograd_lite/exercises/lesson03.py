"""Checks for lesson 03, backpropagation by hand on L = (a*b + c) * f.

The expected numbers are never typed in: each check builds L with the
package's Value and lets `backward()` find them. A grad may be given as the
number or as the Value that holds it (`a`, after `a.grad = ...`), here and in
lesson 04 alike: see `as_grad`.
"""

import math

from ..engine import Value
from . import (
    THREE_FIGURES,
    CheckResult,
    as_number,
    call_learner,
    check_numbers,
    describe,
    is_a,
    never_raises,
    not_done,
    number_problem,
)

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


def as_grad(answer, want):
    """A grad answer as the learner may give it: the number, or a Value holding it.

    The question is about grads, so a Value passed in (`a` after `a.grad =
    ...`) counts as its grad. A grad worked out from Values (`b * e.grad`
    rather than `b.data * e.grad`) is a Value too, with the answer in its
    data and 0 in its grad: if its grad is not the answer `want` but its data
    is, it counts as its data. Anything else is returned as it is, for
    check_numbers to judge.
    """
    if not is_a(answer, Value):
        return answer
    try:
        grad, data = answer.grad, answer.data
    except Exception:
        return answer
    if not _matches(grad, want) and _matches(data, want):
        return data
    return grad


def _matches(answer, want):
    """True if `answer` is one number within three significant figures of `want`."""
    if number_problem(answer):
        return False
    got = as_number(answer)
    return math.isfinite(got) and math.isclose(got, want, rel_tol=THREE_FIGURES, abs_tol=1e-6)


def unset_grad_hint(answer, name, want):
    """The hint for a Value passed in whose grad is still 0, or None."""
    try:
        unset = is_a(answer, Value) and answer.grad == 0 and want != 0
    except Exception:
        return None
    if unset:
        return (f"that Value's grad is still 0: set {name}.grad = ... before passing it in, "
                "or type the number")
    return None


@never_raises
def check_leaf_grads(a=..., b=...):
    """Exercise 1: dL/da and dL/db, through the * that makes e, worked out by hand."""
    grads = reference_grads()
    expected = {"a": grads["a"], "b": grads["b"]}
    given = {"a": a, "b": b}
    answers = {name: as_grad(answer, expected[name]) for name, answer in given.items()}
    # The usual slip is to stop at the local derivative (de/da = b) and forget
    # to multiply by e.grad; the next most usual is to swap the two.
    local = {"a": START["b"], "b": START["a"]}
    hints = {}
    for name, answer in answers.items():
        if not_done(answer) or number_problem(answer):
            continue
        got = as_number(answer)
        other = "b" if name == "a" else "a"
        if unset_grad_hint(given[name], name, expected[name]):
            hints[name] = unset_grad_hint(given[name], name, expected[name])
        elif _close(got, local[name]):
            hints[name] = (f"{local[name]:g} is the local derivative de/d{name} = {other}, not the "
                           f"grad. The chain rule multiplies it by e.grad = dL/de = {grads['e']:g}")
        elif _close(got, expected[other]):
            hints[name] = (f"that is {other}'s grad. In e = a*b, nudging {name} changes e "
                           f"by the *other* factor, {other}, per unit")
        elif _close(got, -expected[name]):
            hints[name] = (f"the size is right but the sign is not: {name}.grad = {other} * e.grad "
                           f"= ({local[name]:g}) * ({grads['e']:g})")
        elif _close(got, grads["e"]):
            hints[name] = ("that is e.grad itself; a * node does not pass its grad on unchanged, "
                           f"it multiplies it by the other factor, {other}")
        else:
            hints[name] = f"{name}.grad = (the other factor of e) * e.grad"
    return check_numbers(answers, expected, what="grad", tolerance=THREE_FIGURES, floor=1e-6,
                         hints=hints)


def _close(x, y):
    return math.isfinite(x) and math.isclose(x, y, rel_tol=THREE_FIGURES, abs_tol=1e-6)


def _same(x, y):
    """x == y, and False where the comparison itself fails."""
    try:
        return bool(x == y)
    except Exception:
        return False


def _size(x):
    try:
        return len(x)
    except Exception:
        return 0


@never_raises
def check_step_downhill(step_downhill, step_size=0.01):
    """Exercise 2: `step_downhill(leaves, step_size)` should move each leaf so that L falls.

    The check builds L at the lesson's numbers, fills in the grads, calls the
    learner's function on [a, b, c, f] and rebuilds L from the moved leaves.
    """
    if not_done(step_downhill):
        return CheckResult(False, ["… step_downhill: not done yet (define the function and pass it in)"])
    L, nodes = build_L()
    L.backward()
    leaves = [nodes[name] for name in LEAVES]
    before = {name: nodes[name].data for name in LEAVES}
    grads = {name: nodes[name].grad for name in LEAVES}
    returned, problem = call_learner(step_downhill, leaves, step_size, name="step_downhill")
    if problem:
        return CheckResult(False, [f"✗ {problem}"])
    moved_to = {name: nodes[name].data for name in LEAVES}
    if all(_same(moved_to[name], before[name]) for name in LEAVES):
        if is_a(returned, (list, tuple)) and _size(returned):
            return CheckResult(False, ["✗ step_downhill returned new numbers but moved no leaf: "
                                       "change each leaf.data in place, with -="])
        return CheckResult(False, ["… step_downhill: not done yet (no leaf moved; "
                                   "change each leaf's .data in the loop)"])
    odd = [name for name in LEAVES if number_problem(moved_to[name])]
    if odd:
        return CheckResult(False, [f"✗ {odd[0]}.data became {describe(moved_to[odd[0]])}: "
                                   "it should stay a number, moved by -step_size * grad"])
    after = {name: as_number(x) for name, x in moved_to.items()}
    expected = {name: before[name] - step_size * grads[name] for name in LEAVES}
    new_L, _ = build_L(**after)
    want_L, _ = build_L(**expected)

    hints = {}
    for name in LEAVES:
        moved = after[name] - before[name]
        if _close(moved, step_size * grads[name]):
            hints[name] = "that step went uphill, along the grad; step against it (subtract)"
        elif _close(moved, -grads[name]):
            hints[name] = "that is a whole grad; multiply the grad by step_size first"
        elif _close(after[name], -step_size * grads[name]):
            hints[name] = "that replaced the leaf's value by the step; use -= to move it from where it was"
        elif _close(abs(moved), step_size):
            hints[name] = "every leaf moved by step_size; multiply it by the leaf's own grad"
        else:
            hints[name] = "move it by -step_size * grad"
    result = check_numbers(after, expected, what="after the step", hints=hints)
    lines = result.lines[:-1]
    fell = new_L.data < L.data
    if fell:
        lines.append(f"✓ L fell from {L.data:g} to {new_L.data:.6g}")
    else:
        lines.append(f"✗ L went from {L.data:g} to {new_L.data:.6g}: it should fall "
                     f"(to {want_L.data:.6g})")
    passed = result.passed and fell
    lines.append("All right, well done!" if passed else "Not quite yet.")
    return CheckResult(passed, lines)
