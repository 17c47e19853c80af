"""Checks for lesson 01, derivatives from scratch.

A wrong slope is compared with what the usual slips give, for the lesson's
h = 0.0001 first and then for any other round h a learner might pick (0.1,
0.5, 1, 1e-6, ...): a rise never divided by h, a divide by 2h, an h so large
that the estimate is off, and so on. The hint names the slip it matches.
"""

import math

from . import as_number, check_numbers, number_problem

H_FOR_HINTS = 0.0001     # the h the lesson suggests; a hint compares with what it gives
X = -3.0                 # where exercise 1 asks for the slope
SLOPE = 6 * X - 4        # f'(x) = 6x - 4, so -22 at x = -3
# The round nudges a learner might try, tried after the lesson's own: 1, 2, ... 9 times a power of ten.
OTHER_HS = [m * 10.0 ** k for k in range(0, -9, -1) for m in range(9, 0, -1)]
TOLERANCE = 1e-2         # relative: any h up to about 0.07 passes, 0.1 does not


def f(x):
    return 3 * x**2 - 4 * x + 5


def _close(got, want, rel=1e-2):
    return math.isclose(got, want, rel_tol=rel, abs_tol=1e-12)


def _number(answer):
    """The answer as a finite float, or None (check_numbers then says what is wrong with it)."""
    if number_problem(answer) is not None:
        return None
    got = as_number(answer)
    return got if math.isfinite(got) else None


SLIPS = ("h too large", "h too large, backwards", "rise alone", "divided by 2h", "times h")


def _slips(h):
    """{slip: (what it gives at x = -3 with this h, the hint for it)}."""
    rise = f(X + h) - f(X)
    too_large = (f"that is the estimate with h = {h:g}: h is too large. For this f the estimate is "
                 f"off by about 3h (the table at x = 3 showed it), here {3 * h:.3g}; "
                 "use a small h, like h = 0.0001")
    slips = {
        "rise alone": (rise, f"that is the rise f(x + h) - f(x) alone, with h = {h:g}; divide it by h"),
        "divided by 2h": (rise / (2 * h), "that is half the slope: you divided by 2h. The rise "
                          "f(x + h) - f(x) is over a run of h, so divide by h (2h goes with "
                          "(f(x + h) - f(x - h)) / (2h))"),
        "times h": (rise * h, "that is the rise times h; divide the rise by h instead"),
    }
    if not _close(rise / h, SLOPE, TOLERANCE):       # a small h passes: no slip to name
        slips["h too large"] = (rise / h, too_large)
        slips["h too large, backwards"] = ((f(X) - f(X - h)) / h, too_large)
    return slips


def _slope_hint(got):
    """The hint for a wrong slope `got`: the slip it matches, else how to compute one."""
    if _close(got, 6 * 3 - 4):                              # the slope at x = 3, plus 3h
        return "that is the slope at x = 3, from before; set x = -3"
    if _close(got, -SLOPE):
        return "the size is right but the sign is flipped: the rise is f(x + h) - f(x), in that order"
    if _close(got, f(X)):
        return "that is f(-3), the height of the curve; the slope is (f(x + h) - f(x)) / h"
    if _close(got, 2 * SLOPE):
        return ("that is twice the slope: f(x + h) - f(x - h) is the rise over a run of 2h, "
                "so divide it by 2h")
    if got == 0.0:
        return ("0 means f(x + h) and f(x) came out equal: h is so small that x + h rounds to x. "
                "Use h = 0.0001")
    # Every slip with the lesson's h first, then each kind of slip with any
    # other h, so the likeliest story wins where two give the same number.
    for hs in ([H_FOR_HINTS], OTHER_HS):
        slips = [_slips(h) for h in hs]
        for kind in SLIPS:
            for found in slips:
                if kind in found and _close(got, found[kind][0], 1e-3):
                    return found[kind][1]
    return "divide the rise f(x + h) - f(x) by the run h, and use x = -3"


def check_slope_at_minus_3(slope):
    """The slope of f at x = -3, estimated with a small h. Exactly 6x - 4 = -22.

    Any small h passes (the estimate is -22 + 3h), and so does the exact -22.
    """
    name = "slope of f at x=-3"
    got = _number(slope)
    hints = {name: _slope_hint(got)} if got is not None else {}
    return check_numbers({name: slope}, {name: SLOPE}, what="", tolerance=TOLERANCE, floor=1e-2,
                         hints=hints)


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
        got = _number(answer)
        if got is None:
            continue
        want = expected[name]
        if name in swapped and _close(got, expected[swapped[name]]):
            hints[name] = (f"that is {swapped[name]}: when you nudge {name[-1]}, "
                           f"d moves by the *other* factor per unit")
        elif any(_close(got, want * h, 1e-3) for h in (H_FOR_HINTS, *OTHER_HS) if h <= 0.1):
            hints[name] = "that is the change in d alone; divide it by h"
        elif _close(got, -want):
            hints[name] = "the sign is flipped: (d with the nudge - d without it) / h"
        elif _close(got, a * b + 10.0):
            hints[name] = "that is d itself, 4.0; the slope is (d2 - d1) / h"
        elif _close(got, want / 2):
            hints[name] = "that is half the slope: d moved over a run of h, so divide by h, not 2h"
    return check_numbers(answers, expected, what="", tolerance=1e-3, floor=1e-3, hints=hints)
