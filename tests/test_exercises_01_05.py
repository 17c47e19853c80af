"""The exercise checks of lessons 01-05: each reference solution passes, and the
typical wrong answers fail with feedback that says what to fix."""

import math

from micrograd_lite.exercises import lesson03, lesson04, lesson05


def text(result):
    return repr(result)


# ---- lesson 03: backprop by hand on L = (a*b + c) * f ----------------------

def test_03_leaf_grads_reference_passes():
    result = lesson03.check_leaf_grads(a=6.0, b=-4.0)
    assert result.passed
    assert "All right" in text(result)


def test_03_leaf_grads_unfilled_says_not_done():
    result = lesson03.check_leaf_grads()
    assert not result.passed
    assert text(result).count("not done yet") == 2


def test_03_leaf_grads_local_derivative_only_gets_chain_rule_hint():
    # -3 and 2 are de/da and de/db: the chain rule's e.grad factor is missing.
    result = lesson03.check_leaf_grads(a=-3.0, b=2.0)
    assert not result.passed
    feedback = text(result)
    assert "a grad is -3.0, expected 6.0" in feedback
    assert "chain rule" in feedback


def test_03_leaf_grads_swapped_and_sign_errors_are_named():
    swapped = text(lesson03.check_leaf_grads(a=-4.0, b=6.0))
    assert "that is b's grad" in swapped and "that is a's grad" in swapped
    flipped = text(lesson03.check_leaf_grads(a=6.0, b=4.0))
    assert "✓ a grad" in flipped and "sign" in flipped and "off by +8" in flipped


def step_along(leaves, step_size):
    for leaf in leaves:
        leaf.data += step_size * leaf.grad


def step_against(leaves, step_size):
    for leaf in leaves:
        leaf.data -= step_size * leaf.grad


def test_03_step_downhill_reference_passes():
    result = lesson03.check_step_downhill(step_against)
    assert result.passed
    assert "L fell from -8" in text(result)


def test_03_step_downhill_uphill_fails_with_hint():
    result = lesson03.check_step_downhill(step_along)
    assert not result.passed
    feedback = text(result)
    assert "uphill" in feedback
    assert "L went from -8 to -7.2865" in feedback      # the lecture's uphill step


def test_03_step_downhill_without_step_size_is_caught():
    def whole_grad(leaves, step_size):
        for leaf in leaves:
            leaf.data -= leaf.grad
    result = lesson03.check_step_downhill(whole_grad)
    assert not result.passed                 # L falls, but by far too much
    assert "multiply the grad by step_size" in text(result)


def test_03_step_downhill_stub_and_errors():
    def stub(leaves, step_size):
        for leaf in leaves:
            ...
    assert "not done yet" in text(lesson03.check_step_downhill(stub))
    assert "not done yet" in text(lesson03.check_step_downhill(...))

    def broken(leaves, step_size):
        return leaves[10]
    result = lesson03.check_step_downhill(broken)
    assert not result.passed and "IndexError" in text(result)


# ---- lesson 04: a neuron ---------------------------------------------------

def test_04_neuron_grads_reference_passes():
    assert lesson04.check_neuron_grads(x1=-1.5, w1=1.0, x2=0.5, w2=0.0).passed


def test_04_neuron_grads_unfilled_and_local_only():
    assert text(lesson04.check_neuron_grads()).count("not done yet") == 4
    # The local derivatives without the 0.5 flowing in from the sum:
    result = lesson04.check_neuron_grads(x1=-3.0, w1=2.0, x2=1.0, w2=0.0)
    assert not result.passed
    feedback = text(result)
    assert "x1 grad is -3.0, expected -1.5" in feedback
    assert "only the local derivative" in feedback
    assert "✓ w2 grad = 0.0" in feedback


def test_04_neuron_grads_swapped_pair():
    feedback = text(lesson04.check_neuron_grads(x1=1.0, w1=-1.5, x2=0.5, w2=0.0))
    assert "that is w1's grad" in feedback and "that is x1's grad" in feedback


def test_04_saturated_reference_passes():
    o = math.tanh(2.0 * -3.0 + 0.0 * 1.0 + 10.0)
    assert lesson04.check_saturated(o=o, n_grad=1 - o**2, w1_grad=2.0 * (1 - o**2)).passed


def test_04_saturated_typical_mistakes():
    o = math.tanh(4.0)
    feedback = text(lesson04.check_saturated(o=o, n_grad=1 - 4.0**2, w1_grad=0.5))
    assert "1 - o**2" in feedback and "n.grad is -15.0" in feedback
    stale = text(lesson04.check_saturated(o=0.7071, n_grad=0.5, w1_grad=1.0))
    assert "old bias" in stale and "o is 0.7071, expected 0.999329" in stale


# ---- lesson 05: automating backward ----------------------------------------

def test_05_any_topological_order_passes():
    for order in (["a", "b", "e", "c", "d", "f", "L"],
                  ["f", "c", "b", "a", "e", "d", "L"],
                  ["c", "a", "f", "b", "e", "d", "L"]):
        assert lesson05.check_topological_order(order).passed, order


def test_05_order_feedback_names_the_broken_arrow():
    result = lesson05.check_topological_order(["a", "e", "b", "c", "d", "f", "L"])
    assert not result.passed
    assert "e comes before b, but e = a * b needs b first" in text(result)


def test_05_order_reversed_missing_repeated_unknown():
    reversed_ = text(lesson05.check_topological_order(["L", "d", "f", "e", "c", "a", "b"]))
    assert "L comes before d" in reversed_
    odd = text(lesson05.check_topological_order(["a", "a", "b", "x", "e", "d", "L"]))
    assert "missing: c, f" in odd
    assert "listed more than once: a" in odd
    assert "not in the graph: 'x'" in odd
    assert "not done yet" in text(lesson05.check_topological_order(...))
    assert "should be a list" in text(lesson05.check_topological_order("abecdfL"))


def closure_value_class(accumulate):
    """A MyValue like lesson 05's, with + and backward(); exp is added by each test."""
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


def add_exp(cls, accumulate):
    def exp(self):
        out = cls(math.exp(self.data), (self,), "exp")
        def _backward():
            if accumulate:
                self.grad += out.data * out.grad
            else:
                self.grad = out.data * out.grad
        out._backward = _backward
        return out
    cls.exp = exp
    return cls


def test_05_exp_reference_passes():
    cls = add_exp(closure_value_class(accumulate=True), accumulate=True)
    assert lesson05.check_exp(cls).passed


def test_05_exp_with_assignment_gets_the_plus_equals_hint():
    cls = add_exp(closure_value_class(accumulate=True), accumulate=False)
    result = lesson05.check_exp(cls)
    assert not result.passed
    feedback = text(result)
    assert "✓ x.grad in y = exp(x) = 2.71828" in feedback
    assert "Use += instead of =" in feedback


def test_05_exp_stub_and_wrong_local_derivative():
    cls = closure_value_class(accumulate=True)
    assert "not done yet" in text(lesson05.check_exp(cls))            # no exp at all

    def exp(self):
        out = cls(math.exp(self.data), (self,), "exp")
        def _backward():
            ...
        out._backward = _backward
        return out
    cls.exp = exp
    assert "not done yet" in text(lesson05.check_exp(cls))            # the lesson's stub

    def exp_wrong(self):          # d(e**x)/dx taken as x, not e**x
        out = cls(math.exp(self.data), (self,), "exp")
        def _backward():
            self.grad += self.data * out.grad
        out._backward = _backward
        return out
    cls.exp = exp_wrong
    result = lesson05.check_exp(cls)
    assert not result.passed
    assert "x.grad in y = exp(x) is 1.0, expected 2.71828" in text(result)
