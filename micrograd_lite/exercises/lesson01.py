"""Checks for lesson 01, derivatives from scratch."""

from . import check_numbers


def f(x):
    return 3 * x**2 - 4 * x + 5


def check_slope_at_minus_3(slope):
    """The slope of f at x = -3, estimated with a small h. Exactly 6x - 4 = -22."""
    return check_numbers(
        {"slope of f at x=-3": slope}, {"slope of f at x=-3": -22.0},
        tolerance=1e-2,
        hints={"slope of f at x=-3": "divide the rise f(x + h) - f(x) by the run h, and use x = -3"},
    )


def check_partials(dd_da, dd_db, dd_dc):
    """d = a*b + c at a=2, b=-3, c=10: the slope along each input."""
    return check_numbers(
        {"dd/da": dd_da, "dd/db": dd_db, "dd/dc": dd_dc},
        {"dd/da": -3.0, "dd/db": 2.0, "dd/dc": 1.0},
        what="",
        tolerance=1e-3,
        hints={
            "dd/da": "nudge only a; the slope along a is the number a is multiplied by",
            "dd/db": "nudge only b; the slope along b is the number b is multiplied by",
            "dd/dc": "c is added, so nudging it by h moves d by exactly h",
        },
    )
