"""Checks for lesson 01, derivatives from scratch."""

import math

from . import as_number, check_numbers, number_problem

H_FOR_HINTS = 0.0001     # the h the lesson suggests; a hint compares with what it gives


def f(x):
    return 3 * x**2 - 4 * x + 5


def _close(got, want):
    return math.isclose(got, want, rel_tol=1e-2, abs_tol=1e-6)


def check_slope_at_minus_3(slope):
    """The slope of f at x = -3, estimated with a small h. Exactly 6x - 4 = -22.

    Any small h passes (the estimate is -22 + 3h), and so does the exact -22.
    """
    name = "slope of f at x=-3"
    got = as_number(slope)
    hint = "divide the rise f(x + h) - f(x) by the run h, and use x = -3"
    if number_problem(slope) is None and math.isfinite(got):
        rise = f(-3 + H_FOR_HINTS) - f(-3)
        if _close(got, 6 * 3 - 4):
            hint = "that is the slope at x = 3, from before; set x = -3"
        elif _close(got, rise):
            hint = "that is the rise f(x + h) - f(x) alone; divide it by h"
        elif _close(got, 22.0):
            hint = "the size is right but the sign is flipped: the rise is f(x + h) - f(x), in that order"
        elif _close(got, f(-3)):
            hint = "that is f(-3), the height of the curve; the slope is (f(x + h) - f(x)) / h"
        elif got == 0.0:
            hint = ("0 means f(x + h) and f(x) came out equal: h is so small that x + h rounds to x. "
                    "Use h = 0.0001")
    return check_numbers({name: slope}, {name: -22.0}, what="", tolerance=1e-2, floor=1e-2,
                         hints={name: hint})


def check_partials(dd_da, dd_db, dd_dc):
    """d = a*b + c at a=2, b=-3, c=10: the slope along each input."""
    a, b = 2.0, -3.0
    answers = {"dd/da": dd_da, "dd/db": dd_db, "dd/dc": dd_dc}
    expected = {"dd/da": b, "dd/db": a, "dd/dc": 1.0}
    hints = {
        "dd/da": "nudge only a; the slope along a is the number a is multiplied by",
        "dd/db": "nudge only b; the slope along b is the number b is multiplied by",
        "dd/dc": "c is added, so nudging it by h moves d by exactly h",
    }
    swapped = {"dd/da": "dd/db", "dd/db": "dd/da"}
    for name, answer in answers.items():
        if number_problem(answer) is not None or not math.isfinite(as_number(answer)):
            continue
        got = as_number(answer)
        if name in swapped and _close(got, expected[swapped[name]]):
            hints[name] = (f"that is {swapped[name]}: when you nudge {name[-1]}, "
                           f"d moves by the *other* factor per unit")
        elif _close(got, expected[name] * H_FOR_HINTS):
            hints[name] = "that is the change in d alone; divide it by h"
        elif _close(got, -expected[name]):
            hints[name] = "the sign is flipped: (d with the nudge - d without it) / h"
        elif _close(got, a * b + 10.0):
            hints[name] = "that is d itself, 4.0; the slope is (d2 - d1) / h"
    return check_numbers(answers, expected, what="", tolerance=1e-3, floor=1e-3, hints=hints)
