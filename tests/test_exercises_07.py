"""The exercise checks of lessons 07-08: each reference solution and other
correct forms pass, each typical mistake fails with the hint about that
mistake, and junk input gets one line of feedback, never an exception."""

import math

import numpy as np
import pytest

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.exercises import lesson07


def text(result):
    return repr(result)


JUNK = [None, "abc", [1, 2], {"a": 1}, float("nan"), 3, lambda *args: None, lambda *args: 1 / 0]


# ---- lesson 07, exercise 1: local derivatives by hand -------------------------

def test_06_local_grads_reference_and_other_forms_pass():
    assert lesson07.check_local_grads(pow_x=27.0, div_x=0.5, div_y=-0.75, sub_y=-1.0).passed
    assert lesson07.check_local_grads(pow_x=np.float32(27), div_x=np.float64(0.5), div_y=np.array(-0.75),
                                      sub_y=-1).passed
    assert lesson07.check_local_grads(pow_x=27.04, div_x=0.5, div_y=-0.75, sub_y=-1.0).passed   # 3 figures


def test_06_local_grads_typical_mistakes():
    feedback = text(lesson07.check_local_grads(pow_x=9.0, div_x=0.5, div_y=0.75, sub_y=1.0))
    assert "pow_x local grad is 9.0, expected 27.0" in feedback and "power rule" in feedback
    assert "that is x**2" in feedback
    assert "a bigger y makes x/y smaller" in feedback
    assert "a bigger y makes x - y smaller" in feedback
    assert text(lesson07.check_local_grads()).count("not done yet") == 4


@pytest.mark.parametrize("junk", JUNK)
def test_06_local_grads_junk_never_raises(junk):
    result = lesson07.check_local_grads(pow_x=junk, div_x=junk, div_y=junk, sub_y=junk)
    assert not result.passed


# ---- lesson 07, exercise 2: sigmoid from pieces -------------------------------

@pytest.mark.parametrize("sigmoid", [
    lambda n: 1 / (1 + (-n).exp()),                    # the reference solution
    lambda n: (1 + (n * -1).exp()) ** -1,
    lambda n: n.exp() / (n.exp() + 1),
    lambda n: 1 / (1 + math.e ** (-n)),
    lambda n: 1 / (1 + np.exp(-n)),                     # numpy calls Value.exp
])
def test_06_sigmoid_correct_forms_pass(sigmoid):
    result = lesson07.check_sigmoid_from_pieces(sigmoid)
    assert result.passed, text(result)
    assert "all five leaf grads match" in text(result)


def test_06_sigmoid_is_tested_where_it_differs_from_tanh():
    for bias in lesson07.SIGMOID_BIASES:
        n = -6.0 + bias
        assert abs(math.tanh(n) - 1 / (1 + math.exp(-n))) > 0.05


def test_06_sigmoid_typical_mistakes_get_their_hint():
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


def test_06_sigmoid_stub_none_and_junk():
    assert "not done yet" in text(lesson07.check_sigmoid_from_pieces(lambda n: ...))
    assert "not done yet" in text(lesson07.check_sigmoid_from_pieces(...))
    assert "did you forget `return`?" in text(lesson07.check_sigmoid_from_pieces(lambda n: None))
    assert "raised ZeroDivisionError" in text(lesson07.check_sigmoid_from_pieces(lambda n: 1 / 0))
    for junk in JUNK:
        result = lesson07.check_sigmoid_from_pieces(junk)
        assert not result.passed and len(result.lines) <= 3


# ---- lesson 07, exercise 3: relu in the learner's closure class ---------------

class MyValue:
    """Lesson 07's cut-down MyValue, as the learner has it."""
    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label


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
def test_06_relu_correct_forms_pass(cls):
    result = lesson07.check_relu(cls)
    assert result.passed, text(result)


def test_06_relu_typical_mistakes_get_their_hint():
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


def test_06_relu_not_done_none_and_junk():
    assert "not done yet" in text(lesson07.check_relu(MyValue))                   # no relu yet
    assert "not done yet" in text(lesson07.check_relu(with_relu(lambda s, o: None)))

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



@pytest.mark.parametrize("check", [
    lambda j: lesson07.check_local_grads(j, j, j, j), lesson07.check_sigmoid_from_pieces, lesson07.check_relu,
])
@pytest.mark.parametrize("make_junk", [
    Evil, lambda: lambda *a: Evil(), lambda: True, lambda: np.array([1.0, 2.0]), lambda: Value(1.0), lambda: Value,
    lambda: type("EvilClass", (), {"__init__": lambda self, *a: None, "relu": lambda self: Evil()}),
], ids=["evil", "returns evil", "bool", "array", "a Value", "Value", "evil class"])
def test_no_check_raises_or_passes_on_junk(check, make_junk):
    result = check(make_junk())
    assert not result.passed
    assert repr(result)
