"""Checks for lesson 06, breaking tanh apart into exp, **, / and -.

Expected numbers come from the package's own operations (their local
derivatives and `backward()`), never from typed-in constants.
"""

import math

from . import CheckResult, check_numbers, not_done
from ..engine import Value
from .lesson04 import build_neuron

X, Y = 3.0, 2.0


def check_local_grads(pow_x=..., div_x=..., div_y=..., sub_y=...):
    """Exercise 1: local derivatives at x = 3, y = 2, worked out by hand."""
    x, y = Value(X, label="x"), Value(Y, label="y")
    cube, ratio, difference = x**3, x / y, x - y
    expected = {
        "pow_x": cube._local_grads[0],          # d(x**3)/dx
        "div_x": ratio._local_grads[0],         # d(x/y)/dx
        "div_y": ratio._local_grads[1],         # d(x/y)/dy
        "sub_y": difference._local_grads[1],    # d(x-y)/dy
    }
    answers = {"pow_x": pow_x, "div_x": div_x, "div_y": div_y, "sub_y": sub_y}
    hints = {
        "pow_x": "the power rule: d(x**k)/dx = k * x**(k-1)",
        "div_x": "x/y = x * (1/y), and 1/y is a constant while x moves",
        "div_y": "x/y = x * y**-1; the power rule on y**-1 gives -x / y**2",
        "sub_y": "x - y = x + (-1)*y",
    }
    given = answers["div_y"]
    if not not_done(given) and isinstance(given, (int, float)) and math.isclose(given, X / Y**2):
        hints["div_y"] = "right size, wrong sign: a bigger y makes x/y smaller"
    return check_numbers(answers, expected, what="local grad", hints=hints)


def check_sigmoid_from_pieces(sigmoid_from_pieces):
    """Exercise 2: sigmoid(n) = 1 / (1 + exp(-n)) from exp, +, / and -, tested on the lesson's neuron.

    Its output and every leaf's grad must match the package's own `n.sigmoid()`.
    """
    if not_done(sigmoid_from_pieces) or not callable(sigmoid_from_pieces):
        return CheckResult(False, ["… sigmoid_from_pieces: not done yet (define the function and pass it in)"])
    _, ours = build_neuron()
    try:
        s = sigmoid_from_pieces(ours["n"])
    except Exception as error:      # the learner's code: report, don't crash the lesson
        return CheckResult(False, [f"✗ sigmoid_from_pieces raised {type(error).__name__}: {error}"])
    if not_done(s):
        return CheckResult(False, ["… sigmoid_from_pieces: not done yet (it still returns ...)"])
    if not isinstance(s, Value):
        return CheckResult(False, [f"✗ sigmoid_from_pieces should return a Value, got "
                                   f"{type(s).__name__} {s!r}: build it from n with Value operations "
                                   "(a float has no graph to backpropagate through)"])
    if s.op == "sigmoid":
        return CheckResult(False, ["✗ that calls the ready-made .sigmoid(); build it from exp, +, / and - instead"])
    s.backward()

    _, reference = build_neuron()
    r = reference["n"].sigmoid()
    r.backward()
    leaves = ("x1", "w1", "x2", "w2", "b")
    answers = {"o": s.data, **{name + ".grad": ours[name].grad for name in leaves}}
    expected = {"o": r.data, **{name + ".grad": reference[name].grad for name in leaves}}
    hints = {}
    n = reference["n"].data
    if math.isclose(s.data, 1 / (1 + math.exp(n))):
        hints["o"] = "that is 1/(1 + exp(+n)); sigmoid uses exp(-n)"
    else:
        hints["o"] = "sigmoid(n) = 1 / (1 + exp(-n))"
    result = check_numbers(answers, expected, what="", hints=hints)
    # what="" leaves a double space after each name ("o  = 0.7"); close it up.
    result.lines = [line.replace("  ", " ").replace(" :", ":") for line in result.lines]
    return result
