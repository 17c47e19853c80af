"""The exercise checks of lesson 05: the learner's own MyValue, build_topo and backward().

Each check: the reference passes, other right forms pass, every typical
mistake gets its own hint, a stub says "not done yet", and junk never raises
and never passes.

What counts as right, decided here:
- `_backward` may assign (`=`) or add (`+=`) in Exercise 1, as the lecture
  first assigns; Exercise 4 (check_accumulates) needs `+=` in every op.
- `self.grad += out.grad` and `1.0 * out.grad`, tanh's `1 - out.data**2`,
  `_prev` as a set (the lecture's), `__radd__` and numbers wrapped in Values
  all pass.
- build_topo may return a list or a tuple, in any valid order, and may be
  recursive or not; a set (no order) or a generator does not pass.
"""

import math
import re
from pathlib import Path

import pytest

from junk import Evil
from micrograd_lite import Value, topological_order
from micrograd_lite.exercises import lesson05
from micrograd_lite.exercises.lesson05 import (
    check_accumulates,
    check_backward,
    check_local_backward,
    check_topo,
    check_topo_no_recursion,
)

LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "05_automating_backward.md"


def text(result):
    return repr(result)


# ---- the learner's class, with each piece swappable -------------------------
# Each step is `step(self, other, out)` (tanh: `step(self, out, t)`), called from
# a real closure `_backward`, as the learner writes it.

def add_eq(self, other, out):
    self.grad = 1.0 * out.grad
    other.grad = 1.0 * out.grad


def add_acc(self, other, out):
    self.grad += 1.0 * out.grad
    other.grad += 1.0 * out.grad


def mul_eq(self, other, out):
    self.grad = other.data * out.grad
    other.grad = self.data * out.grad


def mul_acc(self, other, out):
    self.grad += other.data * out.grad
    other.grad += self.data * out.grad


def tanh_eq(self, out, t):
    self.grad = (1 - t**2) * out.grad


def tanh_acc(self, out, t):
    self.grad += (1 - t**2) * out.grad


def recursive_topo(root):
    topo, visited = [], set()
    def visit(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                visit(child)
            topo.append(v)
    visit(root)
    return topo


def stack_topo(root):
    topo, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            topo.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._prev))
    return topo


def backward_ref(self):
    topo = recursive_topo(self)
    self.grad = 1.0
    for node in reversed(topo):
        node._backward()


def value_class(add=add_acc, mul=mul_acc, tanh=tanh_acc, backward=backward_ref, attach=True):
    """A MyValue like the lesson's, its three _backward steps and backward() given."""
    class MyValue:
        def __init__(self, data, _children=(), _op="", label=""):
            self.data = data
            self.grad = 0.0
            self._backward = lambda: None
            self._prev = tuple(_children)
            self._op = _op
            self.label = label

        def __add__(self, other):
            out = MyValue(self.data + other.data, (self, other), "+")
            def _backward():
                add(self, other, out)
            if attach:
                out._backward = _backward
            return out

        def __mul__(self, other):
            out = MyValue(self.data * other.data, (self, other), "*")
            def _backward():
                mul(self, other, out)
            out._backward = _backward
            return out

        def tanh(self):
            t = math.tanh(self.data)
            out = MyValue(t, (self,), "tanh")
            def _backward():
                tanh(self, out, t)
            out._backward = _backward
            return out

    if backward is not None:
        MyValue.backward = backward
    return MyValue


LECTURE = value_class(add_eq, mul_eq, tanh_eq)     # = everywhere, as the lecture first writes it
FIXED = value_class()                              # += everywhere


def lesson_cell(first_line):
    """The source of the lesson's first code cell starting with `first_line` (a stub cell)."""
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", LESSON.read_text(), re.S)
    return next(cell for cell in cells if cell.startswith(first_line))


def run_stub(first_line, namespace):
    """Run a stub cell of the lesson, without its last line (the check)."""
    source = lesson_cell(first_line).rstrip().rsplit("\n", 1)[0]
    exec(source, namespace)
    return namespace


JUNK = [None, ..., 3, "x", [1, 2], lambda: None, Evil(), Evil, print]


class RaisesEverywhere:
    """A class whose every method raises."""
    def __init__(self, *args, **kwargs):
        raise ValueError("no")

    def __getattr__(self, name):
        raise ValueError("no")


# ---- Exercise 1: check_local_backward ----------------------------------------

def test_local_reference_passes_with_eq_and_with_plus_eq():
    for cls in (LECTURE, FIXED):
        result = check_local_backward(cls)
        assert result.passed, text(result)
    feedback = text(check_local_backward(LECTURE))
    assert "✓ out = a * b: a.grad = 10.0, b.grad = -3.75" in feedback
    assert "out.grad = -2.5" in feedback


def test_local_other_right_forms_pass():
    def add_no_factor(self, other, out):
        self.grad += out.grad
        other.grad = other.grad + out.grad
    def tanh_from_out(self, out, t):
        self.grad += (1 - out.data**2) * out.grad
    assert check_local_backward(value_class(add=add_no_factor, tanh=tanh_from_out)).passed

    class Lecture:      # the lecture's own: _prev a set, tanh from exp, numbers wrapped, __radd__
        def __init__(self, data, _children=(), _op="", label=""):
            self.data, self.grad, self._backward = data, 0.0, lambda: None
            self._prev, self._op, self.label = set(_children), _op, label

        def __add__(self, other):
            other = other if isinstance(other, Lecture) else Lecture(other)
            out = Lecture(self.data + other.data, (self, other), "+")
            def _backward():
                self.grad += 1.0 * out.grad
                other.grad += 1.0 * out.grad
            out._backward = _backward
            return out

        def __radd__(self, other):
            return self + other

        def __mul__(self, other):
            other = other if isinstance(other, Lecture) else Lecture(other)
            out = Lecture(self.data * other.data, (self, other), "*")
            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad
            out._backward = _backward
            return out

        def tanh(self):
            x = self.data
            t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
            out = Lecture(t, (self,), "tanh")
            def _backward():
                self.grad += (1 - t**2) * out.grad
            out._backward = _backward
            return out

        def backward(self):
            topo, visited = [], set()
            def build_topo(v):
                if v not in visited:
                    visited.add(v)
                    for child in v._prev:
                        build_topo(child)
                    topo.append(v)
            build_topo(self)
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()

    for check in (check_local_backward, check_backward, check_accumulates):
        assert check(Lecture).passed, text(check(Lecture))


def test_local_forgetting_out_grad_is_named():
    def add_no_out_grad(self, other, out):
        self.grad = 1.0
        other.grad = 1.0
    def mul_no_out_grad(self, other, out):
        self.grad = other.data
        other.grad = self.data
    def tanh_no_out_grad(self, out, t):
        self.grad = 1 - t**2
    result = check_local_backward(value_class(add_no_out_grad, mul_no_out_grad, tanh_no_out_grad))
    assert not result.passed
    feedback = text(result)
    assert "✗ out = a + b: a.grad is 1.0, expected -2.5; b.grad is 1.0, expected -2.5. Hint: multiply " \
           "by out.grad" in feedback
    assert "✗ out = a * b: a.grad is -4.0, expected 10.0" in feedback
    assert "self.grad = other.data * out.grad" in feedback
    assert "self.grad = (1 - t**2) * out.grad" in feedback


def test_local_swapped_factors_are_named():
    def swapped(self, other, out):
        self.grad = self.data * out.grad
        other.grad = other.data * out.grad
    feedback = text(check_local_backward(value_class(mul=swapped)))
    assert "✓ out = a + b" in feedback
    assert "a.grad is -3.75, expected 10.0; b.grad is 10.0, expected -3.75" in feedback
    assert "the factors are swapped" in feedback


@pytest.mark.parametrize("local, hint", [
    (lambda n, t: 1 - n**2, "that is 1 - n**2 with n = self.data"),
    (lambda n, t: t, "that is t * out.grad"),
    (lambda n, t: 1.0, "that is out.grad alone"),
    (lambda n, t: 1 - t, "square t"),
])
def test_local_wrong_tanh_derivatives_are_named(local, hint):
    def step(self, out, t):
        self.grad = local(self.data, t) * out.grad
    result = check_local_backward(value_class(tanh=step))
    assert not result.passed
    assert hint in text(result), text(result)
    assert "✓ out = a + b" in text(result)


def test_local_backward_never_attached_says_attach_it_not_not_done():
    result = check_local_backward(value_class(attach=False))
    assert not result.passed
    feedback = text(result)
    assert "attach it: out._backward = _backward" in feedback
    assert "not done yet" not in feedback


def test_local_backward_called_instead_of_attached():
    class Called(value_class()):
        def __add__(self, other):
            out = Called(self.data + other.data, (self, other), "+")
            def _backward():
                self.grad += out.grad
                other.grad += out.grad
            out._backward = _backward()      # runs it now, stores None
            return out
    feedback = text(check_local_backward(Called))
    assert "out._backward is None, not a function" in feedback


def test_local_stub_says_not_done_yet():
    namespace = run_stub("class MyValue:", {"math": math})
    result = check_local_backward(namespace["MyValue"])
    assert not result.passed
    assert text(result).startswith("… the three _backward functions: not done yet")

    class OneLeft(FIXED):       # + and * done, tanh's _backward still `...`
        def tanh(self):
            out = OneLeft(math.tanh(self.data), (self,), "tanh")
            def _backward():
                ...
            out._backward = _backward
            return out
    feedback = text(check_local_backward(OneLeft))
    assert "✓ out = a + b" in feedback
    assert "… out = n.tanh(): not done yet (replace the ... in tanh's _backward)" in feedback


def test_local_changed_forward_missing_return_and_errors_are_named():
    class Forward(FIXED):
        def __add__(self, other):
            out = Forward(self.data - other.data, (self, other), "+")
            return out
    assert "the forward part of __add__ changed: out.data should be self.data + other.data = -2.5, " \
           "got 5.5" in text(check_local_backward(Forward))

    class NoReturn(FIXED):
        def __mul__(self, other):
            out = NoReturn(self.data * other.data, (self, other), "*")
            out._backward = lambda: None
    assert "__mul__ returned None: end it with `return out`" in text(check_local_backward(NoReturn))

    class Number(FIXED):
        def tanh(self):
            return math.tanh(self.data)
    assert "tanh should return the new node out" in text(check_local_backward(Number))

    class Raises(FIXED):
        def __add__(self, other):
            raise KeyError("k")
    assert "__add__ raised KeyError" in text(check_local_backward(Raises))

    def typo(self, other, out):
        self.grad += outt.grad  # noqa: F821
    assert "its _backward raised NameError" in text(check_local_backward(value_class(add=typo)))

    def string(self, out, t):
        self.grad = "grad"
    assert "n.grad should be a number, got a string" in text(check_local_backward(value_class(tanh=string)))


def test_local_junk_never_raises_never_passes():
    for junk in JUNK + [RaisesEverywhere, Value, type]:
        result = check_local_backward(junk)
        assert not result.passed, junk
    assert "not done yet" in text(check_local_backward(None))
    assert "pass the class itself" in text(check_local_backward(3))
    assert "the package's Value: pass your own class" in text(check_local_backward(Value))
    assert "RaisesEverywhere(1.5) raised ValueError" in text(check_local_backward(RaisesEverywhere))


def test_the_check_inputs_keep_mistakes_apart():
    # No wrong local derivative gives the right grad, with or without a grad already there.
    for spec in lesson05.OPS.values():
        for before in ({}, lesson05.BEFORE):
            for _, delta in spec["mistakes"]:
                for name, local in spec["local"].items():
                    had = before.get(name, 0.0)
                    right = had + local * lesson05.G
                    assert not math.isclose(had + delta[name], right)
                    assert not math.isclose(delta[name], right)


# ---- Exercise 2: check_topo --------------------------------------------------

def test_topo_reference_and_other_right_forms_pass():
    def as_tuple(root):
        return tuple(recursive_topo(root))
    def children_reversed(root):        # another valid order
        topo, visited = [], set()
        def visit(v):
            if v not in visited:
                visited.add(v)
                for child in reversed(v._prev):
                    visit(child)
                topo.append(v)
        visit(root)
        return topo
    def with_defaults(root, topo=None, visited=None):     # the safe way to default
        topo = [] if topo is None else topo
        visited = set() if visited is None else visited
        if root not in visited:
            visited.add(root)
            for child in root._prev:
                with_defaults(child, topo, visited)
            topo.append(root)
        return topo
    for sort in (recursive_topo, stack_topo, as_tuple, children_reversed, with_defaults, topological_order):
        result = check_topo(sort)
        assert result.passed, (sort, text(result))
    assert "✓ L = (a*b + c) * f: a → b → e → c → d → f → L" in text(check_topo(recursive_topo))


def test_topo_duplicates_without_visited_set():
    def no_visited(root):
        topo = []
        def visit(v):
            for child in v._prev:
                visit(child)
            topo.append(v)
        visit(root)
        return topo
    result = check_topo(no_visited)
    assert not result.passed
    feedback = text(result)
    assert "✓ L = (a*b + c) * f" in feedback            # no shared node there
    assert "✗ b = a + a: a is listed more than once. Hint: a node used twice is reached twice" in feedback
    assert "remember visited nodes in a set" in feedback
    assert "u, v, x are listed more than once" in feedback
    assert "keeps state" not in feedback


def test_topo_node_before_inputs():
    def preorder(root):
        topo, visited = [], set()
        def visit(v):
            if v not in visited:
                visited.add(v)
                topo.append(v)
                for child in v._prev:
                    visit(child)
        visit(root)
        return topo
    feedback = text(check_topo(preorder))
    assert "every node comes before its inputs. Hint: append a node only AFTER visiting its children" in feedback

    def root_first(root):
        return [root] + recursive_topo(root)[:-1]
    feedback = text(check_topo(root_first))
    assert "the root L is not last. Hint: every other node is an input of the root" in feedback


def test_topo_labels_none_missing_and_sets():
    feedback = text(check_topo(lambda root: [v.label for v in recursive_topo(root)]))
    assert "it returned labels (strings). Hint: append the nodes themselves" in feedback

    def no_return(root):
        topo = []
        topo.extend(recursive_topo(root))
    assert "build_topo returned None. Hint: end it with `return topo`" in text(check_topo(no_return))

    def first_child_only(root):
        topo = []
        v = root
        while True:
            topo.insert(0, v)
            if not v._prev:
                return topo
            v = v._prev[0]
    feedback = text(check_topo(first_child_only))
    assert "missing: b, c, f. Hint: visit every child in v._prev" in feedback

    assert "a set, which has no order" in text(check_topo(lambda root: set(recursive_topo(root))))
    assert "should return a list of nodes, got" in text(check_topo(lambda root: iter(recursive_topo(root))))


TOPO = []


def global_list(root):
    visited = set()
    def visit(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                visit(child)
            TOPO.append(v)
    visit(root)
    return TOPO


def test_topo_state_kept_between_calls():
    def default_visited(root, visited=set()):  # noqa: B006 -- the mistake under test
        topo = []
        def visit(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    visit(child)
                topo.append(v)
        visit(root)
        return topo
    def default_both(v, topo=[], visited=set()):  # noqa: B006
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                default_both(child, topo, visited)
            topo.append(v)
        return topo
    for sort in (default_visited, default_both, global_list):
        TOPO.clear()
        result = check_topo(sort)
        assert not result.passed, sort
        feedback = text(result)
        assert feedback.startswith("✓ L = (a*b + c) * f: a → b"), feedback
        assert "it keeps state between calls" in feedback
        assert "a default like visited=set()" in feedback
    assert "still holds nodes from an earlier call" in text(check_topo(default_both))


def test_topo_stub_and_junk():
    namespace = run_stub("def build_topo(root):", {})
    assert text(check_topo(namespace["build_topo"])) == \
        "… build_topo: not done yet (replace the ... with the sort)"
    for junk in JUNK + [lambda root: [Evil()], lambda root: Evil(), lambda root: [None, 3, "x"]]:
        result = check_topo(junk)
        assert not result.passed, junk
    assert "build_topo should be a function, got 3" in text(check_topo(3))
    assert "build_topo raised TypeError" in text(check_topo(lambda: []))
    assert "build_topo raised RuntimeError: evil call" in text(check_topo(Evil()))


# ---- Exercise 5 (optional): check_topo_no_recursion -------------------------------

def test_no_recursion_stack_passes_recursion_fails():
    result = check_topo_no_recursion(stack_topo)
    assert result.passed, text(result)
    assert "past Python's recursion limit" in text(result)
    result = check_topo_no_recursion(recursive_topo)
    assert not result.passed
    assert "✓ L = (a*b + c) * f" in text(result)
    assert "it recursed too deep (RecursionError): keep your own stack" in text(result)
    assert check_topo_no_recursion(topological_order).passed


def test_no_recursion_other_mistakes_and_junk():
    def stack_without_visited(root):
        topo, stack = [], [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                topo.append(node)
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        return topo
    feedback = text(check_topo_no_recursion(stack_without_visited))
    assert "a is listed more than once" in feedback
    namespace = run_stub("def build_topo_no_recursion(root):", {})
    assert "build_topo_no_recursion: not done yet" in text(check_topo_no_recursion(
        namespace["build_topo_no_recursion"]))
    for junk in JUNK:
        assert not check_topo_no_recursion(junk).passed, junk


# ---- Exercise 3: check_backward ----------------------------------------------

def test_backward_reference_passes_with_eq_and_plus_eq_ops():
    for cls in (LECTURE, FIXED):
        result = check_backward(cls)
        assert result.passed, text(result)
    feedback = text(check_backward(LECTURE))
    assert "✓ lesson 04's neuron: x1.grad = -1.5, x2.grad = 0.5, w1.grad = 1.0, w2.grad = 0.0, " \
           "b.grad = 0.5" in feedback
    assert "every _backward ran once, after all its node's users" in feedback


def test_backward_other_right_forms_pass():
    def with_package_sort(self):
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            node._backward()
    def zeroes_first(self):
        topo = stack_topo(self)
        for node in topo:
            node.grad = 0.0
        self.grad = 1
        for node in topo[::-1]:
            node._backward()
    for backward in (with_package_sort, zeroes_first):
        result = check_backward(value_class(backward=backward))
        assert result.passed, text(result)


def test_backward_never_seeded():
    def no_seed(self):
        for node in reversed(recursive_topo(self)):
            node._backward()
    result = check_backward(value_class(backward=no_seed))
    assert not result.passed
    assert "o.grad is 0.0 after backward(): seed it, self.grad = 1.0, before the walk" in text(result)

    def seed_after(self):
        topo = recursive_topo(self)
        for node in reversed(topo):
            node._backward()
        self.grad = 1.0
    assert "set self.grad = 1.0 BEFORE the walk" in text(check_backward(value_class(backward=seed_after)))


def test_backward_forwards():
    def forwards(self):
        self.grad = 1.0
        for node in recursive_topo(self):
            node._backward()
    result = check_backward(value_class(backward=forwards))
    assert not result.passed
    assert "the walk went forwards, from the leaves to the output: go through the topological order " \
           "backwards, for node in reversed(topo)" in text(result)


def test_backward_only_the_root_or_one_level():
    def only_root(self):
        self.grad = 1.0
        self._backward()
    result = check_backward(value_class(backward=only_root))
    assert "only o's own _backward ran: call _backward on every node build_topo(self) lists" in text(result)

    def one_level(self):
        self.grad = 1.0
        self._backward()
        for child in self._prev:
            child._backward()
    result = check_backward(value_class(backward=one_level))
    assert "the _backward of x1*w1, x2*w2, x1*w1 + x2*w2 never ran" in text(result)


def test_backward_order_that_only_works_on_trees():
    def breadth_first(self):        # right on the neuron (a tree), wrong when y feeds two nodes
        self.grad = 1.0
        order, seen = [self], {self}
        for node in order:
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    order.append(child)
        for node in order:
            node._backward()
    result = check_backward(value_class(backward=breadth_first))
    assert not result.passed
    feedback = text(result)
    assert "✓ lesson 04's neuron" in feedback
    assert "y's _backward ran before tanh(y)'s, which passes y its grad" in feedback

    def recursive_backward(self, seed=True):     # each node, then its children: y runs twice
        if seed:
            self.grad = 1.0
        self._backward()
        for child in self._prev:
            recursive_backward(child, seed=False)
    feedback = text(check_backward(value_class(backward=recursive_backward)))
    assert "the _backward of y ran more than once" in feedback


def test_backward_with_a_broken_or_unfinished_sort():
    def uses_none(self):
        topo = None
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
    assert "did build_topo return its list" in text(check_backward(value_class(backward=uses_none)))

    def uses_undefined(self):
        for node in reversed(build_topo(self)):  # noqa: F821 -- not defined yet, the mistake under test
            node._backward()
    assert "run the cell that defines build_topo first" in text(check_backward(value_class(backward=uses_undefined)))


def test_backward_stub_unattached_and_unfinished_ops():
    namespace = run_stub("def backward(self):", {"MyValue": value_class(backward=None)})
    assert text(check_backward(namespace["MyValue"])) == \
        "… backward: not done yet (replace the ... with the seed and the walk)"
    assert "attach it: MyValue.backward = backward" in text(check_backward(value_class(backward=None)))

    def forgot_out_grad(self, other, out):
        self.grad += 1.0
        other.grad += 1.0
    result = check_backward(value_class(add=forgot_out_grad))
    assert not result.passed
    assert "first make check_local_backward(MyValue) pass" in text(result)


def test_backward_junk_never_raises():
    def raises(self):
        raise ZeroDivisionError("oops")
    assert "backward raised ZeroDivisionError: oops" in text(check_backward(value_class(backward=raises)))
    for junk in JUNK + [RaisesEverywhere, Value, value_class(backward=lambda self: None),
                        value_class(backward=lambda self: 3)]:
        result = check_backward(junk)
        assert not result.passed, junk
    cls = value_class()
    cls.backward = "backward"
    assert "MyValue.backward should be your function" in text(check_backward(cls))


# ---- Exercise 4: check_accumulates -------------------------------------------

def test_accumulates_reference_passes():
    result = check_accumulates(FIXED)
    assert result.passed, text(result)
    feedback = text(result)
    assert "✓ out = a + a: a.grad = -5.0, a share from each use" in feedback
    assert "✓ out = a * a: a.grad = -7.5" in feedback
    assert "✓ backward() on o = (x*w + tanh(x)) * x, with x used three times" in feedback


@pytest.mark.parametrize("kind, hint", [
    ({"add": add_eq}, "__add__ assigns with =, which throws away the grad"),
    ({"mul": mul_eq}, "__mul__ assigns with =, which throws away the grad"),
    ({"tanh": tanh_eq}, "tanh assigns with =, which throws away the grad"),
])
def test_accumulates_names_the_op_still_assigning(kind, hint):
    result = check_accumulates(value_class(**kind))
    assert not result.passed
    feedback = text(result)
    assert hint in feedback
    assert feedback.count("assigns with =") == 1, feedback


def test_accumulates_catches_the_lecture_class_and_the_other_mistakes():
    feedback = text(check_accumulates(LECTURE))
    assert all(f"{method} assigns with =" in feedback for method in ("__add__", "__mul__", "tanh"))

    def swapped(self, other, out):
        self.grad += self.data * out.grad
        other.grad += other.data * out.grad
    assert "the factors are swapped" in text(check_accumulates(value_class(mul=swapped)))

    def n_not_t(self, out, t):
        self.grad = (1 - self.data**2) * out.grad
    feedback = text(check_accumulates(value_class(tanh=n_not_t)))
    assert "that is 1 - n**2" in feedback and "and tanh assigns with =: add with +=" in feedback

    def double(self, other, out):        # adds, but a share twice: a + b is wrong, so is a + a
        self.grad += 2 * out.grad
        other.grad += 2 * out.grad
    assert not check_accumulates(value_class(add=double)).passed
    assert "attach it" in text(check_accumulates(value_class(attach=False)))


def test_accumulates_needs_a_working_backward():
    def forwards(self):
        self.grad = 1.0
        for node in recursive_topo(self):
            node._backward()
    feedback = text(check_accumulates(value_class(backward=forwards)))
    assert "✓ out = a + a" in feedback
    assert "first make check_backward(MyValue) pass" in feedback


def test_accumulates_stub_and_junk():
    namespace = run_stub("def __add__(self, other):", {"math": math, "MyValue": value_class()})
    assert text(check_accumulates(namespace["MyValue"])).startswith(
        "… the three _backward functions: not done yet")
    for junk in JUNK + [RaisesEverywhere, Value]:
        result = check_accumulates(junk)
        assert not result.passed, junk


def test_the_lesson_solutions_pass_their_checks():
    """The solution cells, run in order as exercises/solution_cells.py runs them, on top of each other."""
    namespace = {"math": math}
    cells = re.findall(r"```\{code-cell\} ipython3\n---\n.*?---\n# Solution: expand to compare with yours\n(.*?)```",
                       LESSON.read_text(), re.S)
    assert len(cells) == 5
    namespace.update(check_local_backward=check_local_backward, check_topo=check_topo,
                     check_backward=check_backward, check_accumulates=check_accumulates,
                     check_topo_no_recursion=check_topo_no_recursion)
    for cell in cells:
        exec(cell, namespace)       # each ends with .assert_passed()
    assert check_accumulates(namespace["MyValue"]).passed


class AddRaises(FIXED):
    def __add__(self, other):
        raise ValueError("no add")


class AddReturnsNone(FIXED):
    def __add__(self, other):
        self.data + other.data


class AddReturnsFloat(FIXED):
    def __add__(self, other):
        return self.data + other.data


@pytest.mark.parametrize("broken, words", [
    (AddRaises, "__add__ raised ValueError: no add"),
    (AddReturnsNone, "__add__ returned None"),
    (AddReturnsFloat, "__add__ should return the new node out (a AddReturnsFloat), got -2.5"),
    (RaisesEverywhere, "raised ValueError"),
])
def test_every_class_check_survives_a_broken_class(broken, words):
    for check in (check_local_backward, check_accumulates):
        result = check(broken)
        assert not result.passed and words in text(result), (check, text(result))
    result = check_backward(broken)
    assert not result.passed
    if broken is not RaisesEverywhere:      # that one has no backward at all: not done yet
        assert "first make check_local_backward(MyValue) pass" in text(result)


def test_is_stub_knows_a_stub_from_a_body():
    def dots(root):
        ...   # a comment
    def passes(self):
        pass
    def docstring(self):
        """Only a docstring."""
    def returns_none():
        return None
    def works(self):
        self.grad = 1.0
    def returns(root):
        return [root]
    assert all(lesson05.is_stub(f) for f in (dots, passes, docstring, returns_none))
    assert not any(lesson05.is_stub(f) for f in (works, returns, None, 3, Evil(), print, Value))
