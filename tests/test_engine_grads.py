"""Every operation's gradient against central differences, on many random inputs.

For an expression built by `make(*leaves)`, `backward()` must give the same
d out / d leaf as nudging each leaf by ±h and measuring the change.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_lite import Value

H = 1e-6


def numeric_grads(fn, xs):
    grads = []
    for i in range(len(xs)):
        up = list(xs); up[i] += H
        down = list(xs); down[i] -= H
        grads.append((fn(*up) - fn(*down)) / (2 * H))
    return grads


def engine_grads(make, xs):
    leaves = [Value(x) for x in xs]
    out = make(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def plain(make):
    """The same expression on floats: run it on Values and read .data."""
    return lambda *xs: make(*[Value(x) for x in xs]).data


def assert_grads_match(make, xs):
    data, got = engine_grads(make, xs)
    want = numeric_grads(plain(make), xs)
    for i, (g, w) in enumerate(zip(got, want)):
        assert math.isclose(g, w, rel_tol=1e-4, abs_tol=1e-4), f"input {i}: backward {g}, numeric {w}"


moderate = st.floats(min_value=-3, max_value=3, allow_nan=False).filter(lambda x: abs(x) > 1e-2)
positive = st.floats(min_value=0.1, max_value=3)

BINARY = {
    "a + b": lambda a, b: a + b,
    "a - b": lambda a, b: a - b,
    "a * b": lambda a, b: a * b,
    "a / b": lambda a, b: a / b,
    "a + a * b (a used twice)": lambda a, b: a + a * b,
}
UNARY = {
    "-a": lambda a: -a,
    "a + a": lambda a: a + a,
    "a * a": lambda a: a * a,
    "a ** 3": lambda a: a**3,
    "a ** -2": lambda a: a**-2,
    "exp": lambda a: a.exp(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "2 + a": lambda a: 2 + a,
    "2 - a": lambda a: 2 - a,
    "2 * a": lambda a: 2 * a,
    "1 / a": lambda a: 1 / a,
    "2 ** a": lambda a: 2**a,
    "a - 2": lambda a: a - 2,
    "a / 2": lambda a: a / 2,
}


@pytest.mark.parametrize("name", BINARY)
@settings(max_examples=60, deadline=None)
@given(a=moderate, b=moderate)
def test_binary_ops(name, a, b):
    assert_grads_match(BINARY[name], [a, b])


@pytest.mark.parametrize("name", UNARY)
@settings(max_examples=60, deadline=None)
@given(a=moderate)
def test_unary_ops(name, a):
    assert_grads_match(UNARY[name], [a])


@settings(max_examples=60, deadline=None)
@given(a=positive, b=moderate)
def test_log_and_power_with_value_exponent(a, b):
    assert_grads_match(lambda x: x.log(), [a])
    assert_grads_match(lambda x, y: x ** y, [a, b])
    assert_grads_match(lambda x, y: y ** x, [b * b + 0.1, a])


@settings(max_examples=40, deadline=None)
@given(x1=moderate, x2=moderate, w1=moderate, w2=moderate, b=moderate)
def test_a_whole_neuron(x1, x2, w1, w2, b):
    assert_grads_match(lambda x1, x2, w1, w2, b: (x1 * w1 + x2 * w2 + b).tanh(), [x1, x2, w1, w2, b])


def test_the_lecture_expression():
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    L = (a * b + c) * f
    L.backward()
    assert (L.data, a.grad, b.grad, c.grad, f.grad) == (-8.0, 6.0, -4.0, -2.0, 4.0)


def test_each_op_is_its_own_node():
    a, b = Value(1.0), Value(2.0)
    assert (a - b).op == "-" and (a / b).op == "/" and (-a).op == "-"
    assert (a ** 2).op == "**2" and (a ** 0.5).op == "**0.5" and (a ** b).op == "**"
    assert (2 - a).op == "-" and (1 / a).op == "/"
    assert [c.data for c in (2 - a)._prev] == [2.0, 1.0]


def test_backward_twice_accumulates_into_leaves_only():
    a, b = Value(2.0), Value(-3.0)
    e = a * b
    out = e + 1
    out.backward()
    out.backward()
    assert a.grad == 2 * -3.0 and b.grad == 2 * 2.0   # leaves: twice the gradient
    assert e.grad == 1.0 and out.grad == 1.0           # intermediate: this graph's gradient
