"""Checks for lesson 04, a neuron o = tanh(x1*w1 + x2*w2 + b).

The expected numbers come from building the neuron with the package's Value
and calling `backward()`, never from typed-in constants.
"""

import math

from . import check_numbers, not_done
from ..engine import Value

# The lecture's numbers: b is chosen so that n = 0.8813..., where tanh(n) = 1/sqrt(2).
START = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
SATURATED_B = 10.0


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


def _is_number(x):
    return not not_done(x) and isinstance(x, (int, float))


def check_neuron_grads(x1=..., w1=..., x2=..., w2=...):
    """Exercise 1: the grads of the inputs and weights, from n.grad = 0.5 onwards."""
    nodes = reference()
    expected = {name: nodes[name].grad for name in ("x1", "w1", "x2", "w2")}
    answers = {"x1": x1, "w1": w1, "x2": x2, "w2": w2}
    partner = {"x1": "w1", "w1": "x1", "x2": "w2", "w2": "x2"}
    product = {"x1": "x1*w1", "w1": "x1*w1", "x2": "x2*w2", "w2": "x2*w2"}
    hints = {}
    for name, got in answers.items():
        if not _is_number(got):
            continue
        other = partner[name]
        local = nodes[other].data
        if math.isclose(got, local) and not math.isclose(local, expected[name]):
            hints[name] = (f"{local:g} is only the local derivative, {other}. Multiply it by the "
                           f"grad flowing into {product[name]}, which is {nodes[product[name]].grad:g}")
        elif math.isclose(got, expected[other]) and not math.isclose(got, expected[name]):
            hints[name] = f"that is {other}'s grad; {name}'s grad uses the other factor, {other} = {local:g}"
        else:
            hints[name] = (f"{name}.grad = {other} * ({product[name]}).grad "
                           f"= {local:g} * {nodes[product[name]].grad:g}")
    return check_numbers(answers, expected, what="grad", hints=hints)


def check_saturated(o=..., n_grad=..., w1_grad=...):
    """Exercise 2: the same neuron with b = 10, where tanh is nearly flat."""
    nodes = reference(b=SATURATED_B)
    n = nodes["n"].data
    expected = {"o": nodes["o"].data, "n.grad": nodes["n"].grad, "w1.grad": nodes["w1"].grad}
    answers = {"o": o, "n.grad": n_grad, "w1.grad": w1_grad}
    hints = {"o": f"n = x1*w1 + x2*w2 + b = {n:g} now, and o = tanh(n)"}
    if _is_number(n_grad):
        if math.isclose(n_grad, 1 - n * n):
            hints["n.grad"] = "that is 1 - n**2; the tanh rule is 1 - o**2, with o = tanh(n)"
        elif math.isclose(n_grad, 1 - math.tanh(START["x1"] * START["w1"] + START["b"]) ** 2):
            hints["n.grad"] = "that is the grad at the old bias; o is different now that b = 10"
        else:
            hints["n.grad"] = "do/dn = 1 - o**2, times o.grad = 1"
    hints["w1.grad"] = "w1.grad = x1 * n.grad here: the two + nodes pass n.grad through unchanged"
    result = check_numbers(answers, expected, what="", hints=hints, tolerance=1e-6)
    # what="" leaves a double space after each name ("o  = 0.99"); close it up.
    result.lines = [line.replace("  ", " ").replace(" :", ":") for line in result.lines]
    return result
