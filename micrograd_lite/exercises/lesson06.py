"""Checks for lesson 06, more operations: the learner extends their own `MyValue`.

- `check_exp(MyValue)`: `exp` and its `_backward`, on y = exp(x), exp(x) * 3
  (out.grad is 3) and exp(x) + exp(x) (x feeds two nodes).
- `check_plain_numbers(MyValue)`: a plain number wrapped in `__add__` and
  `__mul__`, and `__radd__`, `__rmul__`: a + 1, 1 + a, a * 2, 2 * a, a number
  beside a MyValue used twice, and a + b with two MyValues (which must not be
  wrapped again, or b's grad goes to a copy).
- `check_more_ops(MyValue)`: `__pow__` (a number exponent), `__neg__`,
  `__sub__`, `__truediv__`, built from the others as the lecture does or as
  nodes of their own: both pass.
- `check_numerical_grad(numerical_grad)`: the central difference
  (f(x + h) - f(x - h)) / (2h), at an h big enough that every other formula
  gives another number.
- `check_my_value(MyValue)`: the three class checks together, for the cells
  that use the learner's class once it is finished.

Every class check runs the learner's class, never the package's Value, on
inputs where the usual mistakes show: each result is multiplied by SCALE
before `backward()`, so out.grad is never 1, and some expressions use a leaf
twice. The expected numbers come from the package's Value running the same
expressions. A check never raises, whatever the learner's code does.
"""

import math

from ..engine import Value as PackageValue
from . import (
    CheckResult,
    _short,
    as_number,
    check_numbers,
    describe,
    error_text,
    get_safely,
    is_a,
    never_raises,
    not_done,
)

SCALE = 5.0         # every result is multiplied by this before backward(): out.grad = 5


# ---- small helpers ----------------------------------------------------------

def _number(x):
    """x as a float if it is one number (a Value counts as its data), else None."""
    number = as_number(x)
    return number if is_a(number, float) else None


def _is(x, value):
    number = _number(x)
    if number is None:
        return False
    if math.isnan(value):
        return math.isnan(number)
    return math.isclose(number, value, rel_tol=1e-9, abs_tol=1e-12)


def _fmt(x):
    number = _number(x)
    return repr(float(f"{number:.6g}")) if number is not None else describe(x)


def _has(cls, name):
    try:
        return hasattr(cls, name)
    except Exception:
        return False



def _class_problem(MyValue, call, needs=("__add__", "__mul__", "backward")):
    """None if `MyValue` is a class the check can run, else the result to return."""
    if not_done(MyValue):
        return CheckResult.not_done("MyValue", f"pass your class to the check: {call}")
    if not is_a(MyValue, type):
        return CheckResult.failed(f"pass the class itself, {call}, not {describe(MyValue)}")
    try:
        package = issubclass(MyValue, PackageValue)
    except Exception:
        package = False
    if package:
        return CheckResult.failed(f"that is the package's Value, whose operations are ready-made; "
                                  f"pass your own class: {call}")
    name = get_safely(MyValue, "__name__", "your class")
    lacking = [method for method in needs if not _has(MyValue, method)]
    if lacking:
        return CheckResult.failed(f"{name} has no {', '.join(lacking)}: "
                                  "the check needs lesson 05's class, so run the cells above first")
    try:
        MyValue(1.0)
    except Exception as error:
        return CheckResult.failed(f"{name}(1.0) raised {error_text(error, limit=100)}")
    return None


def _never_attached(node, MyValue):
    """True if node._backward is still the do-nothing function every new node starts with."""
    try:
        fresh = MyValue(1.0)
        code = get_safely(get_safely(node, "_backward"), "__code__")
        return code is not None and code is get_safely(get_safely(fresh, "_backward"), "__code__")
    except Exception:
        return False


def _reaches(node, leaf, limit=10_000):
    """True if `leaf` is in node's graph (following _prev), without ever raising."""
    seen, stack = set(), [node]
    while stack and len(seen) < limit:
        current = stack.pop()
        if current is leaf:
            return True
        if id(current) in seen:
            continue
        seen.add(id(current))
        try:
            stack.extend(tuple(get_safely(current, "_prev", ()) or ()))
        except Exception:
            pass
    return False


def _unwrapped_number(error):
    """True if `error` is a plain number asked for its .data: `1.data`."""
    text = _short(error, quote=False, limit=200)
    return is_a(error, AttributeError) and "has no attribute 'data'" in text and (
        "'int'" in text or "'float'" in text)


def _finish(lines, passed):
    lines.append("All right, well done!" if passed else "Not quite yet.")
    return CheckResult(passed, lines)


# ---- Exercise 1: exp --------------------------------------------------------

# Three graphs, each built to show one mistake:
#   y = exp(x)            the forward value and the local derivative (out.grad = 1 here)
#   y = exp(x) * 3        out.grad = 3, so a _backward that forgets `* out.grad` shows
#   y = exp(x) + exp(x)   x feeds two exp nodes, so `=` instead of `+=` shows
# x = 0.5 keeps e**x apart from x, 1 and e**x - 1, the usual wrong local derivatives.
X = 0.5
EXP_SCALE = 3.0
ONCE, SCALED, TWICE = "x.grad in y = exp(x)", "x.grad in y = exp(x) * 3", "x.grad in y = exp(x) + exp(x)"


def _run_exp(MyValue):
    """The three graphs with the learner's class: (numbers, None) or (None, a result to return)."""
    numbers = {}
    x = MyValue(X)
    try:
        y = x.exp()
    except Exception as error:
        return None, CheckResult.failed(f"exp raised {error_text(error, limit=100)}")
    if y is None:
        return None, CheckResult.failed("exp returned None — did you forget `return out`?")
    if y is Ellipsis:
        return None, CheckResult.not_done("exp", "it still returns ...")
    if not is_a(y, MyValue):
        return None, CheckResult.failed(f"exp should return the new node `out` (a {MyValue.__name__}), "
                                        f"got {describe(y)}: end it with `return out`")
    if get_safely(y, "data") is Ellipsis:
        return None, CheckResult.not_done("exp", "out.data is still ...: e to the power self.data")
    if _never_attached(y, MyValue):
        return None, CheckResult.failed(
            "out._backward is still the do-nothing function every new node starts with, so backward() "
            "never runs yours: attach it: out._backward = _backward")
    y.backward()
    numbers["exp(x)"], numbers[ONCE] = y.data, x.grad
    x = MyValue(X)
    y = x.exp() * MyValue(EXP_SCALE)
    y.backward()
    numbers[SCALED] = x.grad
    x = MyValue(X)
    y = x.exp() + x.exp()
    y.backward()
    numbers[TWICE] = x.grad
    return numbers, None


@never_raises
def check_exp(MyValue):
    """Exercise 1: `exp` with a `_backward`, in the learner's closure-based class."""
    problem = _class_problem(MyValue, "check_exp(MyValue)")
    if problem is not None:
        return problem
    if not _has(MyValue, "exp"):
        return CheckResult.not_done("exp", "define exp and attach it: MyValue.exp = exp")
    try:
        got, problem = _run_exp(MyValue)
    except Exception as error:      # the learner's class: report, don't crash the lesson
        got, problem = None, CheckResult.failed(f"your class raised {error_text(error, limit=100)}")
    if problem is not None:
        return problem
    if all(_is(got[name], 0.0) for name in (ONCE, SCALED, TWICE)):
        return CheckResult.not_done("exp", "x.grad is still 0, so _backward adds nothing to self.grad")
    e = math.exp(X)
    expected = {"exp(x)": e, ONCE: e, SCALED: EXP_SCALE * e, TWICE: 2 * e}
    hints = {
        "exp(x)": "out.data should be math.exp(self.data)",
        ONCE: "the local derivative of e**x is e**x itself (out.data), times out.grad",
        SCALED: "multiply the local derivative by out.grad, the grad flowing into the exp node",
        TWICE: "each exp node adds its share into x.grad with +=",
    }
    # The usual wrong local derivatives, each as (its value at X, what it is).
    for local, what in ((X, "x, self.data"), (1.0, "1"), (X * math.exp(X - 1), "x * e**(x-1), the power rule")):
        if _is(got[ONCE], local):
            hints[ONCE] = (f"that is {what}, times out.grad; the local derivative of e**x is "
                           "e**x itself, which is out.data")
            for case, factor in ((SCALED, EXP_SCALE), (TWICE, 2)):
                if _is(got[case], factor * local):
                    hints[case] = "the same local derivative as above: e**x is out.data"
    if _is(got[SCALED], e):
        hints[SCALED] = ("that is e**x without the grad flowing in: out.grad is 3 here, and "
                         "_backward must multiply by it (self.grad += out.data * out.grad)")
    if _is(got[TWICE], e):
        hints[TWICE] = ("that is only one exp's share: the second _backward overwrote the first. "
                        "Use += instead of =")
    return check_numbers(got, expected, what="", hints=hints)


# ---- the shared machinery of Exercises 2 and 3 -------------------------------
#
# A case is one expression, run with the learner's class and with the
# package's Value: its leaves' values, how to build it, and what went wrong
# for the usual slips. Its result is multiplied by SCALE before backward().

class Case:
    def __init__(self, text, leaves, build, method, data_slips=(), grad_slips=(), shared=False):
        self.text = text                # "a - b", as the learner would write it
        self.leaves = leaves            # {"a": 5.0, "b": 2.0}
        self.build = build              # lambda a, b: a - b
        self.method = method            # "__sub__": the method that computes it
        self.data_slips = data_slips    # [(a wrong value, what it means), ...]
        self.grad_slips = grad_slips    # [({leaf: a wrong grad}, what it means), ...]
        self.shared = shared            # a leaf is used twice: `=` instead of `+=` shows here

    def where(self):
        return f"{self.text} at " + ", ".join(f"{name} = {value:g}" for name, value in self.leaves.items())

    def expected(self):
        leaves = {name: PackageValue(value) for name, value in self.leaves.items()}
        node = self.build(**leaves)
        (node * SCALE).backward()
        return node.data, {name: leaf.grad for name, leaf in leaves.items()}


def _judge(MyValue, case, suggestion=""):
    """("pass" | "not done" | "fail", one line) for the learner's class on one case."""
    name = get_safely(MyValue, "__name__", "MyValue")
    where = case.where()
    want_data, want_grads = case.expected()
    try:
        leaves = {leaf: MyValue(value) for leaf, value in case.leaves.items()}
    except Exception as error:
        return "fail", f"✗ {name}(...) raised {error_text(error, limit=100)}"
    try:
        node = case.build(**leaves)
    except Exception as error:
        return "fail", f"✗ {where}: {error_text(error, limit=100)}{_error_hint(error, case, name)}"
    if node is Ellipsis:
        return "not done", f"… {case.text}: not done yet ({case.method} still returns ...)"
    if node is None:
        return "fail", f"✗ {where}: {case.method} returned None — did you forget `return`?"
    if not is_a(node, MyValue):
        return "fail", (f"✗ {where} should give a {name}, got {describe(node)}: build it with {name} "
                        f"operations so it stays in the graph{suggestion}")
    data = get_safely(node, "data")
    if data is Ellipsis:
        return "not done", f"… {case.text}: not done yet (out.data is still ...)"
    if _number(data) is None:
        return "fail", f"✗ {where}: out.data should be a number, got {describe(data)}{suggestion}"
    if not _is(data, want_data):
        meaning = next((text for value, text in case.data_slips if _is(data, value)), None)
        line = f"✗ {where}: the result is {_fmt(data)}, expected {_fmt(want_data)}"
        return "fail", line + (f": {meaning}" if meaning else "")
    try:
        y = node * MyValue(SCALE)
        y.backward()
        grads = {leaf: get_safely(value, "grad") for leaf, value in leaves.items()}
    except Exception as error:
        return "fail", f"✗ {where}: ({case.text}) * {SCALE:g}, then backward(), raised {error_text(error, limit=100)}"
    wrong = [leaf for leaf in leaves if not _is(grads[leaf], want_grads[leaf])]
    if not wrong:
        return "pass", None
    said = ", ".join(f"{leaf}.grad is {_fmt(grads[leaf])}, expected {_fmt(want_grads[leaf])}" for leaf in wrong)
    said = f"✗ {where}, times {SCALE:g} so out.grad = {SCALE:g}: {said}"
    if all(_is(grads[leaf], 0.0) for leaf in leaves):
        if not any(_reaches(node, leaf) for leaf in leaves.values()):
            return "fail", (f"{said}: the grad never reaches {', '.join(leaves)}: build the result from self "
                            f"with {name} operations, or give it self as a child and a _backward{suggestion}")
        if _never_attached(node, MyValue):
            return "fail", (f"{said}: out._backward is still the do-nothing function every new node starts "
                            "with: attach it: out._backward = _backward")
        return "not done", f"… {case.text}: not done yet (its _backward adds nothing to self.grad)"
    for slip, meaning in case.grad_slips:
        if all(_is(grads[leaf], value) for leaf, value in slip.items()):
            return "fail", f"{said}: {meaning}"
    if all(_is(grads[leaf], want_grads[leaf] / SCALE) for leaf in leaves):
        return "fail", f"{said}: multiply each local derivative by out.grad, the grad flowing in ({SCALE:g} here)"
    if case.shared:
        return "fail", (f"{said}: a leaf is used twice here, and each use adds its share: "
                        "+= in every _backward, never =")
    return "fail", said


def _error_hint(error, case, name):
    """What a typical error, raised while building the case, means."""
    text = _short(error, quote=False, limit=200)
    if is_a(error, RecursionError):
        if case.method in ("__radd__", "__rmul__"):
            op = "+" if case.method == "__radd__" else "*"
            return (f": {case.method} computes other {op} self, and that is {case.text} again, so Python calls "
                    f"{case.method} again, and again, forever. Put self first: return self {op} other")
        return ": an operation calls itself again and again, forever; build it from other operations"
    if _unwrapped_number(error):
        if case.method in ("__add__", "__mul__", "__radd__", "__rmul__"):
            op = "__add__" if case.method in ("__add__", "__radd__") else "__mul__"
            return (f": {op} asks the plain number for its .data. Wrap it first: "
                    f"other = other if isinstance(other, {name}) else {name}(other)")
        return (": a plain number reached + or * unwrapped; your + and * must take plain numbers "
                "(Exercise 2) before this one works")
    if is_a(error, TypeError) and "unsupported operand" in text:
        if ("**" in text or "pow" in text) and name in text:
            return (f": ** takes a plain number as its exponent (an int or a float), not a {name}: "
                    f"write x**-1, not x**{name}(-1), and in __pow__ use self.data**k with k as given")
        reflected = {"__radd__": "+", "__rmul__": "*"}.get(case.method)
        if reflected:
            return (f": Python asks the plain number first, then a.{case.method}, which {name} "
                    f"does not have: define {case.method} and attach it: {name}.{case.method} = {case.method}")
        if "ellipsis" in text:
            return ": an operation it uses still returns ... (not done yet)"
        if f"'int' and '{name}'" in text or f"'float' and '{name}'" in text:
            return (f": a plain number on the left of a {name} needs a reflected method, and this lesson "
                    "writes only __radd__ and __rmul__: write it another way (other**-1, self + (-other))")
    return ""


def _op_line(MyValue, cases, summary, suggestion=""):
    """("pass" | "not done" | "fail", line): the first case that does not pass, or a ✓."""
    for case in cases:
        status, line = _judge(MyValue, case, suggestion)
        if status != "pass":
            return status, line
    return "pass", f"✓ {summary}"


# ---- Exercise 2: plain numbers on either side ---------------------------------

A_, B_ = 3.0, 2.0
NUMBER_CASES = {
    "__add__": [
        Case("a + 1", {"a": A_}, lambda a: a + 1, "__add__"),
        Case("a + b", {"a": A_, "b": B_}, lambda a, b: a + b, "__add__",
             grad_slips=[({"b": 0.0}, "b's grad went to a copy of b: wrap only plain numbers, "
                                      "`other if isinstance(other, MyValue) else MyValue(other)`")]),
    ],
    "__mul__": [
        Case("a * 2", {"a": A_}, lambda a: a * 2, "__mul__"),
        Case("a * b", {"a": A_, "b": B_}, lambda a, b: a * b, "__mul__",
             grad_slips=[({"b": 0.0}, "b's grad went to a copy of b: wrap only plain numbers, "
                                      "`other if isinstance(other, MyValue) else MyValue(other)`")]),
    ],
    "__radd__": [Case("1 + a", {"a": A_}, lambda a: 1 + a, "__radd__")],
    "__rmul__": [
        Case("2 * a", {"a": A_}, lambda a: 2 * a, "__rmul__",
             data_slips=[(A_ + 2, "that is 2 + a: __rmul__ multiplies")]),
        Case("(1 + a) * (2 * a)", {"a": A_}, lambda a: (1 + a) * (2 * a), "__rmul__", shared=True),
    ],
}
NUMBER_SUMMARY = {
    "__add__": "a + 1 and a + b: values and grads right",
    "__mul__": "a * 2 and a * b: values and grads right",
    "__radd__": "1 + a: value and grad right",
    "__rmul__": "2 * a and (1 + a) * (2 * a), a used twice: values and grads right",
}
NUMBER_SUGGESTION = {"__radd__": " (return self + other)", "__rmul__": " (return self * other)"}


@never_raises
def check_plain_numbers(MyValue):
    """Exercise 2: plain numbers on either side of + and *, in the learner's class."""
    problem = _class_problem(MyValue, "check_plain_numbers(MyValue)")
    if problem is not None:
        return problem
    lines, statuses = [], []
    for method, cases in NUMBER_CASES.items():
        status, line = _op_line(MyValue, cases, NUMBER_SUMMARY[method], NUMBER_SUGGESTION.get(method, ""))
        statuses.append(status)
        lines.append(line)
    reflected_missing = all(status == "not done" or not _has(MyValue, method)
                            for method, status in zip(NUMBER_CASES, statuses) if method in ("__radd__", "__rmul__"))
    if reflected_missing and "pass" not in statuses:
        return CheckResult.not_done("plain numbers", "wrap a plain number in __add__ and __mul__, "
                                    "and fill in __radd__ and __rmul__")
    return _finish(lines, all(status == "pass" for status in statuses))


# ---- Exercise 3: **, -x, a - b, a / b ------------------------------------------

def _pow_case(x, k):
    return Case(f"x**{k:g}", {"x": x}, lambda x: x**k, "__pow__",
                data_slips=[(k**x, f"that is {k:g}**x; x**k is self.data**k"),
                            (k * x, f"that is {k:g} * x; x**k is self.data**k")],
                grad_slips=[({"x": k * x**k * SCALE}, "that is k * x**k: the power rule lowers the power "
                                                      "by one, k * x**(k-1)"),
                            ({"x": x**(k - 1) * SCALE}, "the power rule multiplies by k too: k * x**(k-1)"),
                            ({"x": (k - 1) * x**k * SCALE}, "the power rule is k * x**(k-1)")])


OP_CASES = {
    "__pow__": [
        _pow_case(2.0, 3),
        _pow_case(2.0, -1),
        _pow_case(2.0, 0.5),
        Case("x**2 + x**3", {"x": 2.0}, lambda x: x**2 + x**3, "__pow__", shared=True),
    ],
    "__neg__": [
        Case("-x", {"x": 3.0}, lambda x: -x, "__neg__",
             data_slips=[(3.0, "-x is the negative of x")],
             grad_slips=[({"x": SCALE}, "the local derivative of -x is -1: a bigger x makes -x smaller")]),
        Case("(-x) * x", {"x": 3.0}, lambda x: (-x) * x, "__neg__", shared=True),
    ],
    "__sub__": [
        Case("a - b", {"a": 5.0, "b": 2.0}, lambda a, b: a - b, "__sub__",
             data_slips=[(-3.0, "that is b - a: a - b is self + (-other)"),
                         (7.0, "that is a + b: a - b is self + (-other)")],
             grad_slips=[({"a": -SCALE, "b": SCALE}, "the signs are swapped: d(a - b)/da = 1, d(a - b)/db = -1"),
                         ({"b": SCALE}, "d(a - b)/db is -1: a bigger b makes a - b smaller")]),
        Case("a - a", {"a": 5.0}, lambda a: a - a, "__sub__", shared=True),
        Case("a - 1", {"a": 5.0}, lambda a: a - 1, "__sub__"),
    ],
    "__truediv__": [
        Case("a / b", {"a": 3.0, "b": 2.0}, lambda a, b: a / b, "__truediv__",
             data_slips=[(2.0 / 3.0, "that is b / a: a / b is self * other**-1"),
                         (6.0, "that is a * b: a / b is self * other**-1")],
             grad_slips=[({"b": 3.0 / 4.0 * SCALE}, "d(a/b)/db is -a/b²: a bigger b makes a/b smaller"),
                         ({"b": -3.0 / 2.0 * SCALE}, "d(a/b)/db is -a/b², with b squared"),
                         ({"a": 2.0 * SCALE}, "d(a/b)/da is 1/b, not b")]),
        Case("a / a", {"a": 3.0}, lambda a: a / a, "__truediv__", shared=True),
        Case("a / 2", {"a": 3.0}, lambda a: a / 2, "__truediv__"),
    ],
}
OP_SUMMARY = {
    "__pow__": "x**3, x**-1, x**0.5 and x**2 + x**3: values and grads right",
    "__neg__": "-x and (-x) * x: values and grads right",
    "__sub__": "a - b, a - a and a - 1: values and grads right",
    "__truediv__": "a / b, a / a and a / 2: values and grads right",
}
# An op built from another (the lecture's a - b = a + (-b), a / b = a * b**-1)
# fails when that one does: say so on its line.
BUILT_FROM = {"__sub__": ("__neg__", "-x"), "__truediv__": ("__pow__", "**")}


@never_raises
def check_more_ops(MyValue):
    """Exercise 3: x**k (k a number), -x, a - b and a / b, each with the right grads."""
    problem = _class_problem(MyValue, "check_more_ops(MyValue)")
    if problem is not None:
        return problem
    lines, statuses = [], {}
    for method, cases in OP_CASES.items():
        if not _has(MyValue, method):
            status, line = "not done", f"… {cases[0].text}: not done yet (define {method} and attach it)"
        else:
            status, line = _op_line(MyValue, cases, OP_SUMMARY[method])
        base = BUILT_FROM.get(method)
        if status == "fail" and base and statuses.get(base[0]) != "pass":
            line += f" (if it uses your {base[1]}, fix that first)"
        statuses[method] = status
        lines.append(line)
    if all(status == "not done" for status in statuses.values()):
        return CheckResult.not_done("**, -x, a - b and a / b", "fill in __pow__, __neg__, __sub__ "
                                    "and __truediv__")
    return _finish(lines, all(status == "pass" for status in statuses.values()))


@never_raises
def check_my_value(MyValue):
    """All of lesson 06's class exercises at once: exp, plain numbers, and the four operations."""
    problem = _class_problem(MyValue, "check_my_value(MyValue)")
    if problem is not None:
        return problem
    results = [check_exp(MyValue), check_plain_numbers(MyValue), check_more_ops(MyValue)]
    passed = all(result.passed for result in results)
    lines = [line for result in results for line in result.lines if line[:1] in "✗…"]
    return _finish(lines, passed)


# ---- Exercise 4: the central difference ---------------------------------------

def central_difference(f, x, h):
    """The slope of f at x from one nudge each way: (f(x + h) - f(x - h)) / (2h).

    The course's own, for the cells after the exercise while it is not done.
    """
    return (f(x + h) - f(x - h)) / (2 * h)


def _cube(x):
    return x**3


# (name, f, x, h, the exact derivative). h is big on purpose: the central
# difference of x**3 at 2 with h = 0.5 is 12.25, the derivative 12, and every
# usual slip gives yet another number. exp at 0 is not symmetric, so a swapped
# sign or a one-sided nudge shows there too; sin at 1 with a small h is the
# everyday use.
GRAD_CASES = [
    ("x**3", _cube, 2.0, 0.5, 12.0),
    ("exp(x)", math.exp, 0.0, 1.0, 1.0),
    ("sin(x)", math.sin, 1.0, 1e-4, math.cos(1.0)),
]


def _grad_slips(f, x, h):
    """(the value of a usual wrong formula, what it is) at this f, x and h."""
    up, down, here = f(x + h), f(x - h), f(x)
    return [
        ((up - here) / h, "that is the forward difference (f(x + h) - f(x)) / h, lesson 01's slope; "
                          "nudge both ways: (f(x + h) - f(x - h)) / (2 * h)"),
        ((here - down) / h, "that is the backward difference (f(x) - f(x - h)) / h; "
                            "nudge both ways: (f(x + h) - f(x - h)) / (2 * h)"),
        ((up - down) / h, "f(x + h) and f(x - h) are 2h apart: divide by 2 * h, not h"),
        ((down - up) / (2 * h), "the sign is swapped: f(x + h) - f(x - h), the higher point first"),
        ((up - here) / (2 * h), "from f(x) to f(x + h) is one h: use f(x + h) - f(x - h) over 2 * h"),
        ((up - down) / 2 * h, "/ 2 * h divides by 2 and then multiplies by h: write / (2 * h)"),
        (up - down / (2 * h), "only f(x - h) is divided: put the difference in parentheses, "
                              "(f(x + h) - f(x - h)) / (2 * h)"),
    ]


def _ignores_h(numerical_grad, f, x, h, got):
    """True if numerical_grad gives `got` again with another h (where the right answer changes)."""
    try:
        again = _number(numerical_grad(f, x, h / 2))
    except Exception:
        return False
    return again is not None and math.isclose(again, got, rel_tol=1e-12, abs_tol=0.0)


@never_raises
def check_numerical_grad(numerical_grad):
    """Exercise 4: numerical_grad(f, x, h) = (f(x + h) - f(x - h)) / (2h), for plain floats."""
    if not_done(numerical_grad):
        return CheckResult.not_done("numerical_grad", "define the function and pass it in")
    if not callable(numerical_grad) or is_a(numerical_grad, type):
        return CheckResult.failed(f"pass the function itself, check_numerical_grad(numerical_grad), "
                                  f"not {describe(numerical_grad)}")
    lines, right, said = [], 0, set()
    for name, f, x, h, exact in GRAD_CASES:
        where = f"{name} at x = {x:g} with h = {h:g}"
        want = central_difference(f, x, h)
        try:
            got = numerical_grad(f, x, h)
        except Exception as error:
            hint = ""
            if is_a(error, TypeError) and "positional argument" in _short(error, quote=False, limit=200):
                hint = ": it takes three: def numerical_grad(f, x, h)"
            return CheckResult.failed(f"numerical_grad raised {error_text(error, limit=100)}{hint}")
        if got is Ellipsis:
            return CheckResult.not_done("numerical_grad", "it still returns ...")
        if got is None:
            return CheckResult.failed("numerical_grad returned None — did you forget `return`?")
        if _number(got) is None:
            return CheckResult.failed(f"numerical_grad should return one number, got {describe(got)}")
        if math.isclose(_number(got), want, rel_tol=1e-7, abs_tol=1e-12):
            right += 1
            lines.append(f"✓ {where}: {_fmt(want)}")
            continue
        line = f"✗ {where}: got {_fmt(got)}, expected {_fmt(want)}"
        meaning = next((text for value, text in _grad_slips(f, x, h)
                        if math.isclose(_number(got), value, rel_tol=1e-7, abs_tol=1e-12)), None)
        if meaning is None and _ignores_h(numerical_grad, f, x, h, _number(got)):
            meaning = "the result does not change with h: use the h you are given, not one of your own"
        if meaning is None and h > 0.1 and math.isclose(_number(got), exact, rel_tol=1e-3):
            meaning = (f"that is the exact slope, {exact:g}, but a nudge of h = {h:g} each way gives "
                       f"{_fmt(want)}: use the h you are given")
        if meaning and meaning in said:
            meaning = "the same slip as above"
        elif meaning:
            said.add(meaning)
        lines.append(line + (f": {meaning}" if meaning else ""))
    passed = right == len(GRAD_CASES)
    lines.append("All right, well done!" if passed else f"{right} of {len(GRAD_CASES)} right.")
    return CheckResult(passed, lines)
