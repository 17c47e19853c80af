"""The lecture's expression, shared by the tests: L = (a*b + c) * f."""

from micrograd_lite import Value

SLIDERS = dict(a=(-4, 4, 2.0), b=(-4, 4, -3.0), c=(-10, 10, 10.0), f=(-4, 4, -2.0))


def build_L(a, b, c, f):
    """L from four Values, with e and d labelled as in the lecture."""
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L


def lecture_L():
    """L at the lecture's numbers a=2, b=-3, c=10, f=-2."""
    return build_L(Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f"))
