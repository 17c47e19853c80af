"""The exercise checks of lesson 07: each reference solution and other
correct forms pass, each typical mistake fails with the hint about that
mistake, and junk input gets one line of feedback, never an exception."""

import math

import numpy as np
import pytest

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.exercises import lesson07
from micrograd_lite.exercises.course_engine import my_value_after


def text(result):
    return repr(result)


JUNK = [None, "abc", [1, 2], {"a": 1}, float("nan"), 3, lambda *args: None, lambda *args: 1 / 0]


# ---- lesson 07, exercise 1: sigmoid from pieces -------------------------------

@pytest.mark.parametrize("sigmoid", [
    lambda n: 1 / (1 + (-n).exp()),                    # the reference solution
    lambda n: (1 + (n * -1).exp()) ** -1,
    lambda n: n.exp() / (n.exp() + 1),
    lambda n: 1 / (1 + math.e ** (-n)),
    lambda n: 1 / (1 + np.exp(-n)),                     # numpy calls Value.exp
])
def test_07_sigmoid_correct_forms_pass(sigmoid):
    result = lesson07.check_sigmoid_from_pieces(sigmoid)
    assert result.passed, text(result)
    assert "all five leaf grads match" in text(result)


def test_07_sigmoid_is_tested_where_it_differs_from_tanh():
    for bias in lesson07.SIGMOID_BIASES:
        n = -6.0 + bias
        assert abs(math.tanh(n) - 1 / (1 + math.exp(-n))) > 0.05


def test_07_sigmoid_typical_mistakes_get_their_hint():
    tanh = text(lesson07.check_sigmoid_from_pieces(lambda n: ((2 * n).exp() - 1) / ((2 * n).exp() + 1)))
    assert "that is tanh(n)" in tanh and "✓" not in tanh
    assert "sigmoid is not tanh" in text(lesson07.check_sigmoid_from_pieces(lambda n: n.tanh()))
    plus = text(lesson07.check_sigmoid_from_pieces(lambda n: 1 / (1 + n.exp())))
    assert "sigmoid uses exp(-n)" in plus
    assert "1 divided by it" in text(lesson07.check_sigmoid_from_pieces(lambda n: 1 + (-n).exp()))
    assert "ready-made" in text(lesson07.check_sigmoid_from_pieces(lambda n: n.sigmoid() * 1))
    floats = text(lesson07.check_sigmoid_from_pieces(lambda n: 1 / (1 + math.exp(-n.data))))
    assert "should return a Value" in floats and "a float has no graph" in floats
    rewrapped = text(lesson07.check_sigmoid_from_pieces(lambda n: Value(1 / (1 + math.exp(-n.data)))))
    assert "does not depend on n" in rewrapped


def test_07_sigmoid_written_with_tanh_is_right_and_passes():
    result = lesson07.check_sigmoid_from_pieces(lambda n: 0.5 * (1 + (n / 2).tanh()))
    assert result.passed, text(result)
    assert "0.5 * (1 + tanh(n/2)) is sigmoid indeed" in text(result)
    assert "tanh" not in text(lesson07.check_sigmoid_from_pieces(lambda n: 1 / (1 + (-n).exp())))
    wrong = text(lesson07.check_sigmoid_from_pieces(lambda n: 0.5 * (1 + n.tanh())))
    assert "✓" not in wrong and "it can be written with tanh: 0.5 * (1 + tanh(n/2))" in wrong


def test_07_sigmoid_stub_none_and_junk():
    assert "not done yet" in text(lesson07.check_sigmoid_from_pieces(lambda n: ...))
    assert "not done yet" in text(lesson07.check_sigmoid_from_pieces(...))
    assert "did you forget `return`?" in text(lesson07.check_sigmoid_from_pieces(lambda n: None))
    assert "raised ZeroDivisionError" in text(lesson07.check_sigmoid_from_pieces(lambda n: 1 / 0))
    for junk in JUNK:
        result = lesson07.check_sigmoid_from_pieces(junk)
        assert not result.passed and len(result.lines) <= 3


# ---- lesson 07, exercise 2: relu in the learner's own class ---------------

MyValue = my_value_after(6)      # lesson 07 starts from lesson 06's class


def with_relu(backward_step, forward=lambda x: max(0.0, x)):
    """A MyValue subclass whose relu runs backward_step(self, out) as its _backward."""
    class Learner(MyValue):
        def relu(self):
            out = Learner(forward(self.data), (self,), "relu")
            def _backward():
                backward_step(self, out)
            out._backward = _backward
            return out
    return Learner


def add(amount):
    def step(self, out):
        self.grad += amount(self, out)
    return step


@pytest.mark.parametrize("cls", [
    with_relu(add(lambda s, o: (o.data > 0) * o.grad)),                          # the lecture's
    with_relu(add(lambda s, o: (1.0 if s.data > 0 else 0.0) * o.grad)),
    with_relu(add(lambda s, o: (s.data >= 0) * o.grad)),                          # slope 1 at the corner
    with_relu(add(lambda s, o: np.float64(s.data > 0) * o.grad), forward=lambda x: np.maximum(0.0, x)),
    with_relu(add(lambda s, o: (o.data > 0) * o.grad), forward=lambda x: 0 if x < 0 else x),
])
def test_07_relu_correct_forms_pass(cls):
    result = lesson07.check_relu(cls)
    assert result.passed, text(result)


def test_07_relu_typical_mistakes_get_their_hint():
    def feedback(cls):
        result = lesson07.check_relu(cls)
        assert not result.passed
        return text(result)

    through = feedback(with_relu(add(lambda s, o: o.grad)))
    assert "passed through a negative input" in through
    no_out_grad = feedback(with_relu(add(lambda s, o: float(o.data > 0))))
    assert "multiply the local grad by out.grad" in no_out_grad
    assign = feedback(with_relu(lambda s, o: setattr(s, "grad", (o.data > 0) * o.grad)))
    assert "use += instead of =" in assign
    data_as_slope = feedback(with_relu(add(lambda s, o: s.data * o.grad)))
    assert "not x itself" in data_as_slope
    assert "abs(x)" in feedback(with_relu(add(lambda s, o: o.grad), forward=abs))
    assert "turns a negative input into 0" in feedback(with_relu(add(lambda s, o: o.grad), forward=abs))
    assert "must come out as 0" in feedback(with_relu(add(lambda s, o: o.grad), forward=lambda x: x))


def test_07_relu_with_its_condition_inverted_is_named():
    inverted = lesson07.check_relu(with_relu(add(lambda s, o: (1.0 if s.data < 0 else 0.0) * o.grad)))
    assert not inverted.passed
    assert "the condition is the wrong way round" in text(inverted)
    assert "not done yet" not in text(inverted)
    min_forward = lesson07.check_relu(with_relu(add(lambda s, o: (s.data > 0) * o.grad), forward=lambda x: min(0.0, x)))
    assert "that is min(0, x): the condition is the wrong way round" in text(min_forward)


def test_07_relu_not_done_none_and_junk():
    assert "not done yet" in text(lesson07.check_relu(MyValue))                   # no relu yet
    assert "not done yet" in text(lesson07.check_relu(with_relu(lambda s, o: None)))

    class Stub(MyValue):                        # the lesson's stub, as it stands
        def relu(self):
            out = Stub(..., (self,), "relu")
            out._backward = lambda: None
            return out

    assert "not done yet (out.data is still ...)" in text(lesson07.check_relu(Stub))

    class ReturnsNone(MyValue):
        def relu(self):
            MyValue(max(0.0, self.data), (self,), "relu")      # forgot `return out`

    assert "did you forget `return out`?" in text(lesson07.check_relu(ReturnsNone))

    class ReturnsFloat(MyValue):
        def relu(self):
            return max(0.0, self.data)

    assert "should return a new ReturnsFloat" in text(lesson07.check_relu(ReturnsFloat))

    class NoChildren(MyValue):
        def relu(self):
            return NoChildren(max(0.0, self.data))

    assert "pass (self,) as the children" in text(lesson07.check_relu(NoChildren))

    class Raises(MyValue):
        def relu(self):
            raise RuntimeError("boom")

    result = lesson07.check_relu(Raises)
    assert result.lines == ["✗ relu raised RuntimeError: boom"]
    for junk in JUNK:
        assert not lesson07.check_relu(junk).passed


def test_the_package_s_value_does_not_pass_for_the_learner_s_relu():
    assert "package's Value" in text(lesson07.check_relu(Value))


def test_learner_objects_that_raise_anywhere_get_one_line():
    class Weird(MyValue):
        @property
        def data(self):
            raise RuntimeError("odd data")

        @data.setter
        def data(self, value):
            pass

        def relu(self):
            return Weird(0.0, (self,))

    result = lesson07.check_relu(Weird)
    assert not result.passed and "raised RuntimeError: odd data" in text(result)



class EvilMeta(type):
    def __getattr__(cls, name):
        raise RuntimeError("evil class attribute")


def evil_relu_class(make_out):
    """The course class with a relu whose output is make_out(self)."""
    return type("EvilRelu", (MyValue,), {"relu": lambda self: make_out(self)})


def out_with(**attributes):
    def make_out(self):
        out = type(self)(max(0.0, self.data), (self,), "relu")
        for name, value in attributes.items():
            setattr(out, name, value)
        return out
    return make_out


def evil_grad_backward(self):
    out = type(self)(max(0.0, self.data), (self,), "relu")
    def _backward():
        self.grad = Evil()
    out._backward = _backward
    return out


@pytest.mark.parametrize("check", [
    lesson07.check_sigmoid_from_pieces, lesson07.check_relu,
])
@pytest.mark.parametrize("make_junk", [
    Evil, lambda: lambda *a: Evil(), lambda: True, lambda: np.array([1.0, 2.0]), lambda: Value(1.0), lambda: Value,
    lambda: type("EvilClass", (), {"__init__": lambda self, *a: None, "relu": lambda self: Evil()}),
    lambda: EvilMeta("EvilMetaClass", (), {}),
    lambda: evil_relu_class(out_with(data=Evil())), lambda: evil_relu_class(out_with(_prev=Evil())),
    lambda: evil_relu_class(out_with(_backward=Evil())), lambda: evil_relu_class(evil_grad_backward),
    lambda: lambda n: n * 0 + Evil(),
], ids=["evil", "returns evil", "bool", "array", "a Value", "Value", "evil class", "evil metaclass",
        "evil data", "evil _prev", "evil _backward", "evil grad", "evil operand"])
def test_no_check_raises_or_passes_on_junk(check, make_junk):
    result = check(make_junk())
    assert not result.passed
    assert repr(result)
