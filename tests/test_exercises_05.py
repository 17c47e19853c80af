"""The exercise checks of lessons 01-05: each reference solution passes, and the
typical wrong answers fail with feedback that says what to fix."""

import math
from pathlib import Path

import numpy as np

from micrograd_lite.exercises import lesson03, lesson05

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def text(result):
    return repr(result)


# ---- lesson 05: automating backward ----------------------------------------

def test_05_any_topological_order_passes():
    for order in (["a", "b", "e", "c", "d", "f", "L"],
                  ["f", "c", "b", "a", "e", "d", "L"],
                  ("c", "a", "f", "b", "e", "d", "L")):
        assert lesson05.check_topological_order(order).passed, order


def test_05_order_of_values_passes():
    # The package's Values (or the learner's) stand for their labels.
    L, nodes = lesson03.build_L()
    order = [nodes[name] for name in ("a", "b", "e", "c", "d", "f", "L")]
    assert lesson05.check_topological_order(order).passed


def test_05_order_feedback_names_the_broken_arrow():
    result = lesson05.check_topological_order(["a", "e", "b", "c", "d", "f", "L"])
    assert not result.passed
    assert "e comes before b, but e = a * b needs b first" in text(result)


def test_05_order_reversed_is_named_as_backwards_walk():
    reversed_ = text(lesson05.check_topological_order(["L", "d", "f", "e", "c", "a", "b"]))
    assert "every arrow points the wrong way" in reversed_
    assert "the order backward() walks in" in reversed_


def test_05_order_missing_repeated_unknown():
    odd = text(lesson05.check_topological_order(["a", "a", "b", "x", "e", "d", "L"]))
    assert "missing: c, f" in odd
    assert "listed more than once: a" in odd
    assert "not in the graph: 'x'" in odd
    lowercase = text(lesson05.check_topological_order(["a", "b", "e", "c", "d", "f", "l"]))
    assert "case-sensitive" in lowercase and "missing: L" in lowercase


def test_05_order_junk_never_raises():
    assert "not done yet" in text(lesson05.check_topological_order(...))
    assert "should be a list" in text(lesson05.check_topological_order("abecdfL"))
    assert "should be a list" in text(lesson05.check_topological_order({"a": 1}))
    assert "should be a list" in text(lesson05.check_topological_order(7))
    # Unhashable items (lists, dicts, sets) and numbers are not labels:
    junk = lesson05.check_topological_order([["a"], {"b": 1}, {"e"}, "c", "d", "f", "L", 3.0, None])
    assert not junk.passed
    assert "not a label: ['a'], {'b': 1}, {'e'}, 3.0, None" in text(junk)
    assert "missing: a, b, e" in text(junk)


def closure_value_class(accumulate):
    """A MyValue like lesson 05's, with +, * and backward(); exp is added by each test."""
    class MyValue:
        def __init__(self, data, _children=(), _op="", label=""):
            self.data, self.grad, self.label = data, 0.0, label
            self._backward = lambda: None
            self._prev, self._op = tuple(_children), _op

        def __add__(self, other):
            out = MyValue(self.data + other.data, (self, other), "+")
            def _backward():
                if accumulate:
                    self.grad += out.grad
                    other.grad += out.grad
                else:
                    self.grad = out.grad
                    other.grad = out.grad
            out._backward = _backward
            return out

        def __mul__(self, other):
            out = MyValue(self.data * other.data, (self, other), "*")
            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad
            out._backward = _backward
            return out

        def backward(self):
            topo, seen = [], set()
            def build(v):
                if v not in seen:
                    seen.add(v)
                    for child in v._prev:
                        build(child)
                    topo.append(v)
            build(self)
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()
    return MyValue


def with_exp(backward_step, returns=True):
    """The fixed MyValue with an exp whose _backward is `backward_step(self, out)`."""
    cls = closure_value_class(accumulate=True)
    def exp(self):
        out = cls(math.exp(self.data), (self,), "exp")
        out._backward = lambda: backward_step(self, out)
        if returns:
            return out
    cls.exp = exp
    return cls


def right(self, out):
    self.grad += out.data * out.grad


def test_05_exp_reference_passes():
    result = lesson05.check_exp(with_exp(right))
    assert result.passed, text(result)
    assert "✓ x.grad in y = exp(x) * 3 = 4.94616" in text(result)


def test_05_exp_other_correct_forms_pass():
    def commuted(self, out):
        self.grad = self.grad + out.grad * math.exp(self.data)
    def numpy_exp(self, out):
        self.grad += np.exp(np.float32(self.data)) * out.grad
    assert lesson05.check_exp(with_exp(commuted)).passed
    assert lesson05.check_exp(with_exp(numpy_exp)).passed


def test_05_exp_without_out_grad_is_caught():
    # Both graphs of the old check had out.grad = 1, so this passed.
    def forgets_out_grad(self, out):
        self.grad += out.data
    result = lesson05.check_exp(with_exp(forgets_out_grad))
    assert not result.passed
    feedback = text(result)
    assert "✓ x.grad in y = exp(x) = 1.64872" in feedback
    assert "✓ x.grad in y = exp(x) + exp(x)" in feedback
    assert "x.grad in y = exp(x) * 3 is 1.64872, expected 4.94616" in feedback
    assert "out.grad is 3 here" in feedback


def test_05_exp_with_assignment_gets_the_plus_equals_hint():
    def assigns(self, out):
        self.grad = out.data * out.grad
    result = lesson05.check_exp(with_exp(assigns))
    assert not result.passed
    feedback = text(result)
    assert "✓ x.grad in y = exp(x) = 1.64872" in feedback
    assert "✓ x.grad in y = exp(x) * 3" in feedback
    assert "Use += instead of =" in feedback


def test_05_exp_wrong_local_derivatives_are_named():
    def times_x(self, out):          # d(e**x)/dx taken as x
        self.grad += self.data * out.grad
    def times_one(self, out):        # taken as 1, like +
        self.grad += out.grad
    feedback = text(lesson05.check_exp(with_exp(times_x)))
    assert "x.grad in y = exp(x) is 0.5, expected 1.64872" in feedback
    assert "that is x, self.data, times out.grad" in feedback
    assert "the same local derivative as above" in feedback
    assert "that is 1, times out.grad" in text(lesson05.check_exp(with_exp(times_one)))


def test_05_exp_stub_and_missing_exp_say_not_done():
    cls = closure_value_class(accumulate=True)
    assert "not done yet" in text(lesson05.check_exp(cls))            # no exp at all
    assert "not done yet" in text(lesson05.check_exp(with_exp(lambda self, out: None)))
    assert "not done yet" in text(lesson05.check_exp(...))


def test_05_exp_without_return_names_the_forgotten_return():
    result = lesson05.check_exp(with_exp(right, returns=False))
    assert not result.passed
    assert text(result) == "✗ exp returned None — did you forget `return`?"


def test_05_exp_junk_never_raises():
    def raises(self, out):
        raise ZeroDivisionError("oops")
    assert "ZeroDivisionError: oops" in text(lesson05.check_exp(with_exp(raises)))
    cls = closure_value_class(accumulate=True)
    cls.exp = lambda self: self.data        # a float, not a node
    assert "exp should return the new node `out`" in text(lesson05.check_exp(cls))
    cls.exp = lambda self: (_ for _ in ()).throw(KeyError("k"))
    assert "exp raised KeyError" in text(lesson05.check_exp(cls))
    for junk in ("MyValue", [1], 3.0, closure_value_class(True)(1.0), lambda: None):
        result = lesson05.check_exp(junk)
        assert not result.passed and "pass the class itself" in text(result), junk

    class NoBackward:
        def __init__(self, data):
            self.data = data
        def exp(self):
            return NoBackward(math.exp(self.data))
    assert "has no __add__, __mul__, backward" in text(lesson05.check_exp(NoBackward))

    def grad_is_a_string(self, out):
        self.grad = "e"
    feedback = text(lesson05.check_exp(with_exp(grad_is_a_string)))
    assert "should be a number, got a string" in feedback

    def grad_is_nan(self, out):
        self.grad += math.nan
    assert "x.grad in y = exp(x) is nan" in text(lesson05.check_exp(with_exp(grad_is_nan)))

    class NeedsTwoArguments(closure_value_class(True)):
        def __init__(self, data, unit):
            super().__init__(data)

        def exp(self):
            return self
    assert "your class raised TypeError" in text(lesson05.check_exp(NeedsTwoArguments))
