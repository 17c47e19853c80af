"""Checks for lesson 07: breaking tanh apart, sigmoid from pieces, and relu.

- `check_sigmoid_from_pieces(f)`: Exercise 1, sigmoid on the lesson's neuron
  (the package's Value) at two biases where sigmoid and tanh differ. Any
  correct sigmoid passes, 0.5 * (1 + tanh(n/2)) too; the ready-made
  `.sigmoid()` does not.
- `check_relu(MyValue)`: Exercise 2, relu and its `_backward` in the
  learner's own class.

Expected numbers come from the package's own operations (their local
derivatives and `backward()`), never from typed-in constants. A check never
raises, whatever the learner's code does.
"""

import math

from ..engine import Value, topological_order
from . import CheckResult, _short, as_number, call_learner, error_text, is_a, never_raises, not_done
from .lesson04 import build_neuron

# Sigmoid is tested on the lesson's neuron with two other biases. At the
# lecture's own bias n = 0.8814, where sigmoid(n) happens to equal tanh(n), a
# learner returning tanh would see a correct output; at these two they differ.
SIGMOID_BIASES = (5.0, 8.0)          # n = -6 + b: -1.0 and 2.0
LEAVES = ("x1", "w1", "x2", "w2", "b")

# relu's _backward is run with a grad already in x (another path's share, so
# `=` instead of `+=` shows) and out.grad != 1 (so a missing `* out.grad` shows).
EARLIER_SHARE, OUT_GRAD = 0.5, 3.0


def _number(x):
    """x as a float if it is one number (numpy scalars too, bools not), else None."""
    number = as_number(x)
    return number if isinstance(number, float) else None



# ---- exercise 1: sigmoid from exp, +, / and - --------------------------------

def _sigmoid_slips(n):
    """(value at n, what that means) for the usual wrong sigmoids."""
    return [
        (math.tanh(n), "that is tanh(n), and sigmoid is not tanh: sigmoid(n) = 1 / (1 + exp(-n))"),
        (1 / (1 + math.exp(n)), "that is 1 / (1 + exp(+n)); sigmoid uses exp(-n)"),
        (1 / (1 - math.exp(-n)), "1 + exp(-n) in the denominator, not 1 - exp(-n)"),
        (1 + math.exp(-n), "that is the denominator 1 + exp(-n); sigmoid is 1 divided by it"),
        (math.exp(n), "the 1 + is missing: 1 / exp(-n) is just exp(n)"),
        (math.exp(-n), "that is exp(-n); sigmoid is 1 / (1 + exp(-n))"),
    ]


@never_raises
def check_sigmoid_from_pieces(sigmoid_from_pieces):
    """Exercise 1: sigmoid(n) = 1 / (1 + exp(-n)) built from exp, +, / and -.

    The learner's function goes on top of the lesson's neuron at two biases
    (n = -1 and n = 2, where sigmoid and tanh differ); its output and every
    leaf's grad must match the package's own `n.sigmoid()`. A sigmoid built
    with tanh, 0.5 * (1 + tanh(n/2)), is a right one too, and passes.
    """
    if not_done(sigmoid_from_pieces):
        return CheckResult(False, ["… sigmoid_from_pieces: not done yet (define the function and pass it in)"])
    if not callable(sigmoid_from_pieces):
        return CheckResult(False, [f"✗ pass the function itself, check_sigmoid_from_pieces(sigmoid_from_pieces), "
                                   f"not {type(sigmoid_from_pieces).__name__} {_short(sigmoid_from_pieces)}"])
    lines, right, used_tanh = [], 0, []
    for bias in SIGMOID_BIASES:
        try:
            line, about_this_n = _check_sigmoid_at(sigmoid_from_pieces, bias, used_tanh)
        except Exception as error:      # the learner's code misbehaving somewhere unexpected
            line, about_this_n = f"✗ sigmoid_from_pieces: your code raised {error_text(error)}", False
        if not about_this_n:            # the same at every n: say it once
            return CheckResult(False, [line])
        right += line.startswith("✓")
        lines.append(line)
    passed = right == len(SIGMOID_BIASES)
    lines.append("All right, well done!" if passed else f"{right} of {len(SIGMOID_BIASES)} right.")
    if passed and used_tanh:
        lines.append("(With tanh: 0.5 * (1 + tanh(n/2)) is sigmoid indeed. From exp, +, / and - "
                     "it is 1 / (1 + exp(-n)).)")
    return CheckResult(passed, lines)


def _check_sigmoid_at(sigmoid_from_pieces, bias, used_tanh):
    """(one feedback line, whether it is about this n) for the learner's sigmoid
    on the neuron with this bias. A problem that is the same at every n (the
    function raises, returns None, ...) is said once, not once per n."""
    _, ours = build_neuron(b=bias)
    n = ours["n"]
    where = f"at n = {n.data:g}"
    s, error = call_learner(sigmoid_from_pieces, n, name="sigmoid_from_pieces", expect_return=True)
    if error:
        return f"✗ {error}", False
    if s is Ellipsis:
        return "… sigmoid_from_pieces: not done yet (it still returns ...)", False
    if not isinstance(s, Value):
        why = ("a float has no graph to backpropagate through" if _number(s) is not None
               else "the output of a neuron is one Value")
        return (f"✗ sigmoid_from_pieces should return a Value, got {type(s).__name__} {_short(s)}: "
                f"build it from n with Value operations: {why}"), False
    graph = topological_order(s)
    ops = {node.op for node in graph}
    if "sigmoid" in ops:
        return "✗ that calls the ready-made .sigmoid(); build it from exp, +, / and - instead", False
    if "tanh" in ops:
        used_tanh.append(bias)
    if not any(node is n for node in graph):
        return ("✗ the result does not depend on n: it was computed outside the graph "
                "(from n.data, or a new Value). Build it from n itself with Value operations"), False
    s.backward()
    _, reference = build_neuron(b=bias)
    r = reference["n"].sigmoid()
    r.backward()
    if not _close(s.data, r.data):
        for value, meaning in _sigmoid_slips(n.data):
            if _close(s.data, value):
                return f"✗ {where}: o is {s.data:.6g}, expected {r.data:.6g}: {meaning}", True
        if used_tanh:
            return (f"✗ {where}: o is {s.data:.6g}, expected {r.data:.6g}. Hint: sigmoid is not tanh, but "
                    "it can be written with tanh: 0.5 * (1 + tanh(n/2)); from exp, 1 / (1 + exp(-n))"), True
        return (f"✗ {where}: o is {s.data:.6g}, expected {r.data:.6g}. "
                "Hint: sigmoid(n) = 1 / (1 + exp(-n))"), True
    wrong = [name for name in LEAVES if not _close(ours[name].grad, reference[name].grad)]
    if wrong:
        name = wrong[0]
        more = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
        return (f"✗ {where}: o = {s.data:.6g} is right, but {name}.grad is {ours[name].grad:.6g}, expected "
                f"{reference[name].grad:.6g}{more}: every piece must be a Value operation on n"), True
    return f"✓ {where}: o = {r.data:.6g} and all five leaf grads match the package's sigmoid", True


def _close(got, want):
    if math.isnan(want):
        return math.isnan(got)
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)


# ---- exercise 2: relu and its _backward, in the learner's own class ----------

@never_raises
def check_relu(MyValue):
    """Exercise 2: `relu` with a `_backward` closure, in the learner's own class.

    relu(x) = max(0, x); its local derivative is 1 for x > 0 and 0 for x < 0.
    Each test puts EARLIER_SHARE into x.grad first (as if x fed another node
    too) and sets out.grad = OUT_GRAD, then runs out._backward() by hand, so
    `=` instead of `+=` and a forgotten `* out.grad` both show.
    """
    if not_done(MyValue):
        return CheckResult(False, ["… pass your class to the check: check_relu(MyValue)"])
    if not is_a(MyValue, type):
        return CheckResult(False, [f"✗ pass the class itself, check_relu(MyValue), "
                                   f"not {type(MyValue).__name__} {_short(MyValue)}"])
    try:
        package = issubclass(MyValue, Value)
    except Exception:
        package = False
    if package:
        return CheckResult(False, ["✗ that is the package's Value, whose relu is ready-made; "
                                   "pass your own class: check_relu(MyValue)"])
    try:
        has_relu = hasattr(MyValue, "relu")
    except Exception:
        has_relu = False
    if not has_relu:
        return CheckResult(False, ["… not done yet: define relu and attach it with MyValue.relu = relu"])
    lines = []
    for x_data in (2.0, -2.0, 0.0):
        try:
            line, about_this_x = (_check_relu_at if x_data else _check_relu_at_zero)(MyValue, x_data)
        except Exception as error:      # the learner's class misbehaving somewhere unexpected
            line, about_this_x = f"✗ relu: your class raised {error_text(error)}", False
        if not about_this_x:            # the same for every x: say it once
            return CheckResult(False, [line])
        lines.append(line)
    passed = all(line.startswith("✓") for line in lines)
    lines.append("All right, well done!" if passed else "Not quite yet.")
    return CheckResult(passed, lines)


def _relu_of(MyValue, x_data):
    """(x, out, None) or (None, None, a line on what is wrong) for out = MyValue(x_data).relu()."""
    name = MyValue.__name__
    x, error = call_learner(MyValue, x_data)
    if error:
        return None, None, f"✗ {name}({x_data}) raised {error}"
    out, error = call_learner(lambda: x.relu())
    if error:
        return None, None, f"✗ relu raised {error}"
    if out is None:
        return None, None, "✗ relu returned None — did you forget `return out`?"
    if out is Ellipsis:
        return None, None, "… relu: not done yet (it still returns ...)"
    if not isinstance(out, MyValue):
        return None, None, (f"✗ relu should return a new {name}, got {type(out).__name__} {_short(out)}: "
                            f"out = {name}(..., (self,), 'relu'), so it has a grad and a _backward")
    return x, out, None


def _check_relu_at(MyValue, x_data):
    """(one feedback line, whether it is about this x) for relu at x_data."""
    x, out, problem = _relu_of(MyValue, x_data)
    if problem:
        return problem, False
    where = f"x = {x_data:g}"
    want = max(0.0, x_data)
    data = getattr(out, "data", None)
    if data is Ellipsis:
        return "… relu: not done yet (out.data is still ...)", False
    got = _number(data)
    if got is None or not math.isclose(got, want):
        if got is not None and x_data > 0 and math.isclose(got, 0.0):
            hint = ("that is min(0, x): the condition is the wrong way round; relu(x) = max(0, x) "
                    "keeps a positive input and turns a negative one into 0")
        elif got is not None and math.isclose(got, abs(x_data)):
            hint = "that is abs(x); relu(x) = max(0, x) turns a negative input into 0"
        elif got is not None and math.isclose(got, x_data):
            hint = "a negative input must come out as 0: relu(x) = max(0, x)"
        else:
            hint = "relu(x) = max(0, x)"
        return f"✗ {where}: out.data is {_short(data)}, expected {want:g}. Hint: {hint}", True
    children, _ = call_learner(lambda: tuple(out._prev))
    if not any(child is x for child in children or ()):
        return ("✗ out._prev does not hold x: pass (self,) as the children, "
                "so backward() can reach x"), False

    def run_backward():
        x.grad, out.grad = EARLIER_SHARE, OUT_GRAD
        out._backward()

    _, error = call_learner(run_backward)
    if error:
        return f"✗ {where}: out._backward() raised {error}", True
    got = _number(x.grad)
    slope = 1.0 if x_data > 0 else 0.0
    want = EARLIER_SHARE + slope * OUT_GRAD
    if got is not None and math.isclose(got, want):
        return f"✓ {where}: relu = {_number(out.data):g}, and _backward adds {slope:g} * out.grad to x.grad", True
    said = (f"✗ {where}: with x.grad = {EARLIER_SHARE} already and out.grad = {OUT_GRAD}, "
            f"x.grad became {_short(x.grad)}, expected {want:g}")
    if got is None:
        return f"{said}: x.grad should stay a number", True
    if x_data > 0 and math.isclose(got, EARLIER_SHARE):
        if _adds_at(MyValue, -x_data):
            return ("✗ relu's _backward passes the grad back where x < 0 and stops it where x > 0: the "
                    "condition is the wrong way round. The local derivative is 1 for x > 0 and 0 for x < 0, "
                    "so self.grad += (1.0 if self.data > 0 else 0.0) * out.grad"), False
        return "… relu: not done yet (its _backward adds nothing to self.grad)", False
    slips = [
        (slope * OUT_GRAD, "the grad already in x was overwritten: use += instead of ="),
        (slope, "the grad already in x was overwritten and out.grad is missing: "
                "self.grad += (local grad) * out.grad"),
        (EARLIER_SHARE + slope, "multiply the local grad by out.grad: self.grad += (local grad) * out.grad"),
        (EARLIER_SHARE + x_data * OUT_GRAD, "the local grad is relu's slope (1 or 0), not x itself"),
    ]
    if x_data < 0:
        slips[:0] = [
            (EARLIER_SHARE + OUT_GRAD,
             "the grad passed through a negative input: relu is flat there, so its local grad is 0"),
            (EARLIER_SHARE + 1.0,
             "the grad passed through a negative input, and out.grad is missing: for x < 0 relu's local grad is 0"),
        ]
    for value, meaning in slips:
        if math.isclose(got, value):
            return f"{said}: {meaning}", True
    return f"{said}. Hint: self.grad += (1.0 if self.data > 0 else 0.0) * out.grad", True


def _adds_at(MyValue, x_data):
    """True if relu's _backward at x_data adds something to x.grad (False if anything goes wrong)."""
    try:
        x, out, problem = _relu_of(MyValue, x_data)
        if problem:
            return False
        x.grad, out.grad = EARLIER_SHARE, OUT_GRAD
        out._backward()
        got = _number(x.grad)
        return got is not None and not math.isclose(got, EARLIER_SHARE)
    except Exception:
        return False


def _check_relu_at_zero(MyValue, x_data=0.0):
    """relu(0) must be 0. At 0 relu has a corner, and a slope of 0 there (the
    lecture's, PyTorch's and this package's choice) or 1 are both defensible,
    so only the output is checked."""
    x, out, problem = _relu_of(MyValue, x_data)
    if problem:
        return problem, False
    data = getattr(out, "data", None)
    if _number(data) != 0:
        return f"✗ x = 0: out.data is {_short(data)}, expected 0: relu(0) = max(0, 0) = 0", True
    return "✓ x = 0: relu = 0 (at this corner the lecture and PyTorch take the grad as 0)", True

