"""The exercise checks of lesson 06: each reference solution and other correct
forms pass, each typical mistake fails with the hint about that mistake, and
junk input gets feedback, never an exception."""

import math

import numpy as np
import pytest

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.exercises import lesson06
from micrograd_lite.exercises.course_engine import my_value_after


def text(result):
    return repr(result)


def with_methods(lesson, **methods):
    """A fresh course MyValue after `lesson`, with some methods replaced or added.

    Each method makes its nodes with type(self), the class it is attached to.
    """
    cls = my_value_after(lesson)
    for name, method in methods.items():
        setattr(cls, name, method)
    return cls


def node(self, data, children, op=""):
    return type(self)(data, children, op)


# ---- Exercise 1: exp -----------------------------------------------------------

def make_exp(backward_step, attach=True, returns=True, data=math.exp):
    """An exp whose _backward is backward_step(self, out)."""
    def exp(self):
        out = node(self, data(self.data) if data else ..., (self,), "exp")
        def _backward():
            backward_step(self, out)
        if attach:
            out._backward = _backward
        if returns:
            return out
    return exp


def right_exp(self, out):
    self.grad += out.data * out.grad


def test_exp_reference_and_other_forms_pass():
    assert lesson06.check_exp(my_value_after(6)).passed
    result = lesson06.check_exp(with_methods(5, exp=make_exp(right_exp)))
    assert result.passed, text(result)
    assert "✓ x.grad in y = exp(x) * 3 = 4.94616" in text(result)

    def commuted(self, out):
        self.grad = self.grad + out.grad * math.exp(self.data)

    def numpy_exp(self, out):
        self.grad += np.exp(np.float32(self.data)) * out.grad

    assert lesson06.check_exp(with_methods(5, exp=make_exp(commuted))).passed
    assert lesson06.check_exp(with_methods(5, exp=make_exp(numpy_exp))).passed


def test_exp_without_out_grad_is_caught():
    def forgets_out_grad(self, out):
        self.grad += out.data
    feedback = text(lesson06.check_exp(with_methods(5, exp=make_exp(forgets_out_grad))))
    assert "✓ x.grad in y = exp(x) = 1.64872" in feedback
    assert "x.grad in y = exp(x) * 3 is 1.64872, expected 4.94616" in feedback
    assert "out.grad is 3 here" in feedback


def test_exp_with_assignment_gets_the_plus_equals_hint():
    def assigns(self, out):
        self.grad = out.data * out.grad
    feedback = text(lesson06.check_exp(with_methods(5, exp=make_exp(assigns))))
    assert "✓ x.grad in y = exp(x) * 3" in feedback
    assert "Use += instead of =" in feedback


def test_exp_wrong_local_derivatives_are_named():
    def times_x(self, out):
        self.grad += self.data * out.grad
    def times_one(self, out):
        self.grad += out.grad
    feedback = text(lesson06.check_exp(with_methods(5, exp=make_exp(times_x))))
    assert "that is x, self.data, times out.grad" in feedback
    assert "the same local derivative as above" in feedback
    assert "that is 1, times out.grad" in text(lesson06.check_exp(with_methods(5, exp=make_exp(times_one))))


def test_exp_never_attached_says_attach_it():
    result = lesson06.check_exp(with_methods(5, exp=make_exp(right_exp, attach=False)))
    assert not result.passed
    assert "attach it: out._backward = _backward" in text(result)
    assert "not done yet" not in text(result)


def test_exp_stub_and_missing_exp_say_not_done():
    assert "not done yet" in text(lesson06.check_exp(my_value_after(5)))          # no exp at all
    stub = with_methods(5, exp=make_exp(lambda self, out: None, attach=False, data=None))
    assert "not done yet" in text(lesson06.check_exp(stub))                       # the lesson's stub
    assert "not done yet" in text(lesson06.check_exp(with_methods(5, exp=make_exp(lambda self, out: None))))
    assert "not done yet" in text(lesson06.check_exp(...))
    assert "not done yet" in text(lesson06.check_exp(with_methods(5, exp=lambda self: ...)))


def test_exp_without_return_and_odd_returns():
    result = lesson06.check_exp(with_methods(5, exp=make_exp(right_exp, returns=False)))
    assert text(result) == "✗ exp returned None — did you forget `return out`?"
    assert "exp should return the new node `out`" in text(lesson06.check_exp(
        with_methods(5, exp=lambda self: math.exp(self.data))))
    assert "exp raised KeyError" in text(lesson06.check_exp(
        with_methods(5, exp=lambda self: {}["k"])))


def test_exp_rejects_the_package_value_and_classes_it_cannot_run():
    assert "package's Value" in text(lesson06.check_exp(Value))

    class NoBackward:
        def __init__(self, data):
            self.data = data

        def exp(self):
            return NoBackward(math.exp(self.data))

    assert "has no __add__, __mul__, backward" in text(lesson06.check_exp(NoBackward))
    for junk in ("MyValue", [1], 3.0, my_value_after(6)(1.0), lambda: None):
        result = lesson06.check_exp(junk)
        assert not result.passed and "pass the class itself" in text(result), junk


# ---- Exercise 2: plain numbers --------------------------------------------------

def wrapping(op, backward_rule):
    """An __add__ or __mul__ that wraps a plain number, as the lecture writes it."""
    def method(self, other):
        other = other if isinstance(other, type(self)) else type(self)(other)
        out = node(self, op(self.data, other.data), (self, other), "?")
        def _backward():
            da, db = backward_rule(self, other)
            self.grad += da * out.grad
            other.grad += db * out.grad
        out._backward = _backward
        return out
    return method


add = wrapping(lambda a, b: a + b, lambda s, o: (1.0, 1.0))
mul = wrapping(lambda a, b: a * b, lambda s, o: (o.data, s.data))


def numbers_class(**methods):
    base = {"__add__": add, "__mul__": mul,
            "__radd__": lambda self, other: self + other, "__rmul__": lambda self, other: self * other}
    return with_methods(5, **{**base, **methods})


def test_numbers_reference_and_other_forms_pass():
    assert lesson06.check_plain_numbers(my_value_after(6)).passed
    result = lesson06.check_plain_numbers(numbers_class())
    assert result.passed, text(result)
    other_forms = numbers_class(__radd__=lambda self, other: type(self)(other) + self,
                                __rmul__=lambda self, other: type(self)(other) * self)
    assert lesson06.check_plain_numbers(other_forms).passed
    assert lesson06.check_plain_numbers(my_value_after(7)).passed


def test_rmul_written_as_other_times_self_is_named():
    feedback = text(lesson06.check_plain_numbers(numbers_class(__rmul__=lambda self, other: other * self)))
    assert "RecursionError" in feedback
    assert "__rmul__ computes other * self, and that is 2 * a again" in feedback
    assert "return self * other" in feedback
    radd = text(lesson06.check_plain_numbers(numbers_class(__radd__=lambda self, other: other + self)))
    assert "__radd__ computes other + self" in radd and "return self + other" in radd


def test_number_not_wrapped_is_named():
    course = my_value_after(5)
    feedback = text(lesson06.check_plain_numbers(numbers_class(__add__=course.__add__)))
    assert "✗ a + 1 at a = 3: AttributeError: 'int' object has no attribute 'data'" in feedback
    assert "__add__ asks the plain number for its .data. Wrap it first" in feedback
    assert "✓ a * 2 and a * b" in feedback
    mul_feedback = text(lesson06.check_plain_numbers(numbers_class(__mul__=course.__mul__)))
    assert "__mul__ asks the plain number for its .data" in mul_feedback


def test_reflected_method_missing_is_named():
    cls = numbers_class()
    del cls.__radd__
    feedback = text(lesson06.check_plain_numbers(cls))
    assert "unsupported operand type(s) for +: 'int' and 'MyValue'" in feedback
    assert "define __radd__ and attach it: MyValue.__radd__ = __radd__" in feedback
    assert "✓ a + 1 and a + b" in feedback


def test_wrapping_a_value_again_sends_its_grad_to_a_copy():
    def wraps_always(self, other):
        other = type(self)(other.data if isinstance(other, type(self)) else other)
        return add(self, other)
    feedback = text(lesson06.check_plain_numbers(numbers_class(__add__=wraps_always)))
    assert "b.grad is 0.0, expected 5.0" in feedback and "a copy of b" in feedback


def test_reflected_results_outside_the_graph_are_named():
    floats = text(lesson06.check_plain_numbers(numbers_class(__radd__=lambda self, other: self.data + other)))
    assert "1 + a at a = 3 should give a MyValue, got 4.0" in floats and "(return self + other)" in floats
    detached = text(lesson06.check_plain_numbers(
        numbers_class(__rmul__=lambda self, other: type(self)(self.data * other))))
    assert "the grad never reaches a" in detached and "(return self * other)" in detached
    forgot = text(lesson06.check_plain_numbers(numbers_class(__radd__=lambda self, other: None)))
    assert "__radd__ returned None — did you forget `return`?" in forgot
    plus = text(lesson06.check_plain_numbers(numbers_class(__rmul__=lambda self, other: self + other)))
    assert "the result is 5.0, expected 6.0: that is 2 + a" in plus


def test_numbers_stub_says_not_done():
    course = my_value_after(5)
    stub = with_methods(5, __radd__=lambda self, other: ..., __rmul__=lambda self, other: ...)
    assert "… plain numbers: not done yet" in text(lesson06.check_plain_numbers(stub))
    assert "not done yet" in text(lesson06.check_plain_numbers(course))          # cell not run
    half = numbers_class(__rmul__=lambda self, other: ...)
    feedback = text(lesson06.check_plain_numbers(half))
    assert "… 2 * a: not done yet (__rmul__ still returns ...)" in feedback
    assert "✓ 1 + a" in feedback and not lesson06.check_plain_numbers(half).passed


# ---- Exercise 3: **, -x, a - b, a / b ------------------------------------------

def power(rule):
    """A __pow__ (number exponent) whose local derivative is rule(x, k)."""
    def __pow__(self, k):
        out = node(self, self.data**k, (self,), f"**{k}")
        def _backward():
            self.grad += rule(self.data, k) * out.grad
        out._backward = _backward
        return out
    return __pow__


def own_node(forward, local, op):
    """A binary op as a node of its own: forward(a, b), local(a, b) = (d/da, d/db)."""
    def method(self, other):
        other = other if isinstance(other, type(self)) else type(self)(other)
        out = node(self, forward(self.data, other.data), (self, other), op)
        def _backward():
            da, db = local(self.data, other.data)
            self.grad += da * out.grad
            other.grad += db * out.grad
        out._backward = _backward
        return out
    return method


def neg_node(local=-1.0, accumulate=True):
    def __neg__(self):
        out = node(self, -self.data, (self,), "neg")
        def _backward():
            if accumulate:
                self.grad += local * out.grad
            else:
                self.grad = local * out.grad
        out._backward = _backward
        return out
    return __neg__


LECTURE = {
    "__pow__": power(lambda x, k: k * x**(k - 1)),
    "__neg__": lambda self: self * -1,
    "__sub__": lambda self, other: self + (-other),
    "__truediv__": lambda self, other: self * other**-1,
}


def ops_class(**methods):
    return with_methods(5, __add__=add, __mul__=mul, **{**LECTURE, **methods})


def feedback(**methods):
    result = lesson06.check_more_ops(ops_class(**methods))
    assert not result.passed
    return text(result)


def test_ops_reference_and_own_nodes_pass():
    assert lesson06.check_more_ops(my_value_after(6)).passed
    result = lesson06.check_more_ops(ops_class())
    assert result.passed, text(result)
    own = ops_class(__neg__=neg_node(),
                    __sub__=own_node(lambda a, b: a - b, lambda a, b: (1.0, -1.0), "-"),
                    __truediv__=own_node(lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2), "/"),
                    __pow__=power(lambda x, k: k * math.pow(x, k - 1)))
    result = lesson06.check_more_ops(own)
    assert result.passed, text(result)


def test_power_rule_slips_are_named():
    no_minus_one = feedback(__pow__=power(lambda x, k: k * x**k))
    assert "✗ x**3 at x = 2, times 5 so out.grad = 5: x.grad is 120.0, expected 60.0" in no_minus_one
    assert "the power rule lowers the power by one" in no_minus_one
    assert "(if it uses your **, fix that first)" in no_minus_one          # / is built from **
    assert "the power rule multiplies by k too" in feedback(__pow__=power(lambda x, k: x**(k - 1)))
    no_out_grad = power(lambda x, k: k * x**(k - 1))

    def forgets_out_grad(self, k):
        out = node(self, self.data**k, (self,), "**")
        def _backward():
            self.grad += k * self.data**(k - 1)
        out._backward = _backward
        return out

    assert no_out_grad and "multiply each local derivative by out.grad" in feedback(__pow__=forgets_out_grad)


def test_a_value_exponent_is_named():
    def wraps_exponent(self, k):
        k = k if isinstance(k, type(self)) else type(self)(k)
        return node(self, self.data**k, (self,), "**")
    said = feedback(__pow__=wraps_exponent)
    assert "** takes a plain number as its exponent" in said and "not a MyValue" in said


def test_sign_slips_in_minus_and_divide_are_named():
    b_minus_a = feedback(__sub__=lambda self, other: other + (-self))
    assert "the result is -3.0, expected 3.0: that is b - a" in b_minus_a
    plus_one = feedback(__sub__=own_node(lambda a, b: a - b, lambda a, b: (1.0, 1.0), "-"))
    assert "b.grad is 5.0, expected -5.0: d(a - b)/db is -1" in plus_one
    swapped = feedback(__sub__=own_node(lambda a, b: a - b, lambda a, b: (-1.0, 1.0), "-"))
    assert "the signs are swapped" in swapped
    div_sign = feedback(__truediv__=own_node(lambda a, b: a / b, lambda a, b: (1 / b, a / b**2), "/"))
    assert "b.grad is 3.75, expected -3.75" in div_sign and "a bigger b makes a/b smaller" in div_sign
    no_square = feedback(__truediv__=own_node(lambda a, b: a / b, lambda a, b: (1 / b, -a / b), "/"))
    assert "with b squared" in no_square
    b_over_a = feedback(__truediv__=lambda self, other: other * self**-1)
    assert "that is b / a" in b_over_a


def test_neg_slips_are_named():
    assert "the local derivative of -x is -1" in feedback(__neg__=neg_node(local=1.0))
    detached = feedback(__neg__=lambda self: type(self)(-self.data))
    assert "the grad never reaches x" in detached
    assert "-x is the negative of x" in feedback(__neg__=lambda self: self * 1)
    assigns = feedback(__neg__=neg_node(accumulate=False))
    assert "✓ -x" not in assigns and "a leaf is used twice here" in assigns and "never =" in assigns


def test_ops_need_plain_numbers_from_exercise_2():
    course = my_value_after(5)
    said = text(lesson06.check_more_ops(with_methods(5, **LECTURE)))
    assert "'int' object has no attribute 'data'" in said
    assert "your + and * must take plain numbers (Exercise 2)" in said
    assert course


def test_ops_stub_says_not_done():
    stub = with_methods(5, __pow__=lambda self, k: node(self, ..., (self,), "**"),
                        __neg__=lambda self: ..., __sub__=lambda self, other: ...,
                        __truediv__=lambda self, other: ...)
    assert "… **, -x, a - b and a / b: not done yet" in text(lesson06.check_more_ops(stub))
    assert "not done yet" in text(lesson06.check_more_ops(my_value_after(5)))     # cell not run
    half = ops_class(__sub__=lambda self, other: ...)
    said = text(lesson06.check_more_ops(half))
    assert "… a - b: not done yet (__sub__ still returns ...)" in said and "✓ -x and (-x) * x" in said

    def pow_stub_backward(self, k):             # the output filled in, the _backward not yet
        out = node(self, self.data**k, (self,), "**")
        out._backward = lambda: None
        return out

    assert "… x**3: not done yet (its _backward adds nothing" in feedback(__pow__=pow_stub_backward)

    def pow_not_attached(self, k):
        out = node(self, self.data**k, (self,), "**")
        def _backward():
            self.grad += k * self.data**(k - 1) * out.grad
        return out

    assert "attach it: out._backward = _backward" in feedback(__pow__=pow_not_attached)


def test_ops_forgotten_return_and_floats():
    assert "__neg__ returned None — did you forget `return`?" in feedback(__neg__=lambda self: None)
    assert "should give a MyValue, got -3.0" in feedback(__neg__=lambda self: -self.data)


def test_check_my_value_wants_all_three():
    assert lesson06.check_my_value(my_value_after(6)).passed
    assert not lesson06.check_my_value(my_value_after(5)).passed
    assert not lesson06.check_my_value(ops_class()).passed           # no exp


# ---- Exercise 4: numerical_grad --------------------------------------------------

def test_numerical_grad_reference_and_other_forms_pass():
    assert lesson06.check_numerical_grad(lesson06.central_difference).passed
    assert lesson06.check_numerical_grad(lambda f, x, h: (f(x + h) - f(x - h)) / 2 / h).passed
    assert lesson06.check_numerical_grad(lambda f, x, h=1e-6: np.float64(f(x + h) - f(x - h)) / (2 * h)).passed
    assert lesson06.check_numerical_grad(lambda f, x, h: (f(x + h) / (2 * h) - f(x - h) / (2 * h))).passed


@pytest.mark.parametrize("wrong, hint", [
    (lambda f, x, h: (f(x + h) - f(x)) / h, "that is the forward difference"),
    (lambda f, x, h: (f(x + h) - f(x - h)) / h, "divide by 2 * h, not h"),
    (lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h), "the sign is swapped"),
    (lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h, "write / (2 * h)"),
    (lambda f, x, h: f(x + h) - f(x - h) / (2 * h), "put the difference in parentheses"),
    (lambda f, x, h: (f(x + 1e-6) - f(x - 1e-6)) / 2e-6, "use the h you are given"),
    (lambda f, x, h: (f(x + 0.1) - f(x - 0.1)) / 0.2, "the result does not change with h"),
])
def test_numerical_grad_slips_are_named(wrong, hint):
    result = lesson06.check_numerical_grad(wrong)
    assert not result.passed
    assert hint in text(result)


def test_numerical_grad_repeats_a_hint_only_once():
    said = text(lesson06.check_numerical_grad(lambda f, x, h: (f(x + h) - f(x)) / h))
    assert said.count("that is the forward difference") == 1 and "the same slip as above" in said


def test_numerical_grad_stub_none_and_odd_returns():
    assert "not done yet" in text(lesson06.check_numerical_grad(lambda f, x, h: ...))
    assert "not done yet" in text(lesson06.check_numerical_grad(...))
    assert "did you forget `return`?" in text(lesson06.check_numerical_grad(lambda f, x, h: None))
    assert "one number" in text(lesson06.check_numerical_grad(lambda f, x, h: [f(x)]))
    assert "it takes three" in text(lesson06.check_numerical_grad(lambda f, x: f(x)))
    assert "pass the function itself" in text(lesson06.check_numerical_grad(3.0))


# ---- junk never raises, never passes ----------------------------------------------

CLASS_CHECKS = [lesson06.check_exp, lesson06.check_plain_numbers, lesson06.check_more_ops, lesson06.check_my_value]


def evil_class():
    """A class with every method the checks call, each returning or holding Evil."""
    methods = {name: (lambda self, *args: Evil()) for name in
               ("__add__", "__mul__", "__radd__", "__rmul__", "__pow__", "__neg__", "__sub__", "__truediv__",
                "exp", "backward")}
    return type("EvilClass", (), {"__init__": lambda self, *args: None, **methods})


def evil_values():
    """The course class, but every node's data and grad are Evil."""
    cls = my_value_after(6)
    init = cls.__init__

    def __init__(self, data, *args, **kwargs):
        init(self, data, *args, **kwargs)
        self.grad = Evil()

    cls.__init__ = __init__
    return cls


def raising_init():
    cls = my_value_after(6)

    def __init__(self, *args):
        raise RuntimeError("no")

    cls.__init__ = __init__
    return cls


@pytest.mark.parametrize("check", CLASS_CHECKS + [lesson06.check_numerical_grad])
@pytest.mark.parametrize("make_junk", [
    Evil, lambda: lambda *a: Evil(), lambda: True, lambda: np.array([1.0, 2.0]), lambda: Value(1.0), lambda: Value,
    evil_class, evil_values, raising_init, lambda: None, lambda: "MyValue", lambda: math.nan,
], ids=["evil", "returns evil", "bool", "array", "a Value", "Value", "evil class", "evil grads", "raising init",
        "None", "string", "nan"])
def test_no_check_raises_or_passes_on_junk(check, make_junk):
    result = check(make_junk())
    assert not result.passed
    assert repr(result)
