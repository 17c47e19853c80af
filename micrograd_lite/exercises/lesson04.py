"""Checks for lesson 04, a neuron o = tanh(x1*w1 + x2*w2 + b).

The expected numbers come from building the neuron with the package's Value
and calling `backward()`, never from typed-in constants. Both exercises are
worked out by hand, so an answer to 3 significant figures passes.
"""

import math

from ..engine import Value
from . import THREE_FIGURES, as_number, check_numbers, is_a, never_raises
from .lesson03 import as_grad, unset_grad_hint

# The lecture's numbers: b is chosen so that n = 0.8813..., where tanh(n) = 1/sqrt(2).
START = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
SATURATED_B = 10.0
# Hand answers pass to 3 significant figures; the floor only matters for an
# expected 0 (w2's grad), and is far below every non-zero answer here.
FLOOR = 1e-6


def build_neuron(x1=START["x1"], x2=START["x2"], w1=START["w1"], w2=START["w2"], b=START["b"]):
    """The lesson's neuron, every node labelled as in the lecture. Returns (o, nodes by label)."""
    x1 = Value(x1, label="x1")
    x2 = Value(x2, label="x2")
    w1 = Value(w1, label="w1")
    w2 = Value(w2, label="w2")
    b = Value(b, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b; n.label = "n"
    o = n.tanh(); o.label = "o"
    nodes = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "x1*w1": x1w1, "x2*w2": x2w2,
             "x1*w1 + x2*w2": x1w1x2w2, "n": n, "o": o}
    return o, nodes


def reference(**values):
    o, nodes = build_neuron(**values)
    o.backward()
    return nodes


def _number(answer):
    """The answer as a float, or None if it is not one number (check_numbers says why)."""
    number = as_number(answer)
    return number if is_a(number, float) and math.isfinite(number) else None


def _near(got, want):
    return math.isclose(got, want, rel_tol=THREE_FIGURES, abs_tol=FLOOR)


@never_raises
def check_neuron_grads(x1=..., w1=..., x2=..., w2=...):
    """Exercise 1: the grads of the inputs and weights, from n.grad = 0.5 onwards.

    The question is about grads, so a Value passed in (`x1` rather than
    `x1.grad`) counts as its grad; one computed from Values, like
    `w1 * x1w1.grad`, as its data (see lesson03.as_grad).
    """
    nodes = reference()
    expected = {name: nodes[name].grad for name in ("x1", "w1", "x2", "w2")}
    given = {"x1": x1, "w1": w1, "x2": x2, "w2": w2}
    answers = {name: as_grad(answer, expected[name]) for name, answer in given.items()}
    partner = {"x1": "w1", "w1": "x1", "x2": "w2", "w2": "x2"}
    product = {"x1": "x1*w1", "w1": "x1*w1", "x2": "x2*w2", "w2": "x2*w2"}
    hints = {}
    for name, answer in answers.items():
        got = _number(answer)
        if got is None:
            continue
        other = partner[name]
        local = nodes[other].data
        flowing_in = nodes[product[name]].grad
        if unset_grad_hint(given[name], name, expected[name]):
            hints[name] = unset_grad_hint(given[name], name, expected[name])
        elif _near(got, local) and not _near(local, expected[name]):
            hints[name] = (f"{local:g} is only the local derivative, {other}. Multiply it by the "
                           f"grad flowing into {product[name]}, which is {flowing_in:g}")
        elif _near(got, expected[other]) and not _near(got, expected[name]):
            hints[name] = f"that is {other}'s grad; {name}'s grad uses the other factor, {other} = {local:g}"
        elif _near(got, -expected[name]):
            hints[name] = (f"the size is right but the sign is not: {name}.grad = {other} * "
                           f"({product[name]}).grad = ({local:g}) * {flowing_in:g}")
        else:
            hints[name] = f"{name}.grad = {other} * ({product[name]}).grad = {local:g} * {flowing_in:g}"
    return check_numbers(answers, expected, what="grad", hints=hints,
                         tolerance=THREE_FIGURES, floor=FLOOR)


@never_raises
def check_saturated(o=..., n_grad=..., w1_grad=...):
    """Exercise 2: the same neuron with b = 10, where tanh is nearly flat."""
    nodes = reference(b=SATURATED_B)
    n = nodes["n"].data
    old_o = reference()["o"].data
    expected = {"o": nodes["o"].data, "n.grad": nodes["n"].grad, "w1.grad": nodes["w1"].grad}
    # o is a number (a Value counts as its data); the two grads as in check_neuron_grads.
    answers = {"o": o, "n.grad": as_grad(n_grad, expected["n.grad"]),
               "w1.grad": as_grad(w1_grad, expected["w1.grad"])}
    hints = {"o": f"n = x1*w1 + x2*w2 + b = {n:g} now, and o = tanh(n)"}
    got_o, got_n_grad, got_w1_grad = (_number(answers[k]) for k in ("o", "n.grad", "w1.grad"))
    if got_o is not None and _near(got_o, n):
        hints["o"] = f"{n:g} is n; the neuron's output is o = tanh(n)"
    elif got_o is not None and _near(got_o, old_o):
        hints["o"] = f"that is o at the old bias; with b = {SATURATED_B:g}, n = {n:g}"
    hints["n.grad"] = "do/dn = 1 - o**2, times o.grad = 1"
    if got_n_grad is not None:
        if _near(got_n_grad, 1 - n * n):
            hints["n.grad"] = "that is 1 - n**2; the tanh rule is 1 - o**2, with o = tanh(n)"
        elif _near(got_n_grad, 1 - old_o**2):
            hints["n.grad"] = f"that is the grad at the old bias; o is different now that b = {SATURATED_B:g}"
        elif _near(got_n_grad, expected["o"]):
            hints["n.grad"] = "that is o itself; the local derivative of tanh is 1 - o**2"
    hints["w1.grad"] = "w1.grad = x1 * n.grad here: the two + nodes pass n.grad through unchanged"
    if got_w1_grad is not None and _near(got_w1_grad, START["x1"]):
        hints["w1.grad"] = (f"{START['x1']:g} is x1, only the local derivative; multiply it by "
                            "the grad flowing in, n.grad")
    return check_numbers(answers, expected, what="", hints=hints,
                         tolerance=THREE_FIGURES, floor=FLOOR)
