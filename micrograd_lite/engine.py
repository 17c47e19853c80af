"""The engine: a scalar `Value` that remembers how it was computed, and `backward()`.

Every operation has the same three-line shape:

    out = Value(<the result>, children, op)
    out._local_grads = (<d out / d child>, ...)   # one number per child
    return out

`backward()` then walks the graph from the output to the inputs and applies
the chain rule at every node:

    child.grad += local_grad * node.grad

Why store numbers instead of a `_backward` closure, as karpathy/micrograd does?
A closure that mentions `out` and is stored on `out` makes a reference cycle,
so no node can be freed until Python's cyclic garbage collector finds it, and
on a training loop that collector ends up doing most of the work. Plain numbers
make no cycle: a graph is freed the moment the last name pointing at it goes.
The learner writes the closure version in lessons 05 to 07; lesson 10 trains it
side by side with this one.

Arithmetic that leaves the real numbers follows IEEE 754 floats instead of
raising, so a slider pushed to an extreme shows `inf` or `nan` in the graph:

    Value(0.0).log()      -> data -inf, grad inf
    Value(-1.0).log()     -> data nan
    Value(1.0) / 0        -> data inf
    Value(0.0) ** -1      -> data inf
    Value(1000.0).exp()   -> data inf
"""

import math
import numbers

from .numerics import safe_div, safe_exp, safe_log, safe_pow


class Value:
    """A scalar number in a computation graph, with the gradient of the output.

    >>> a = Value(2.0, label="a")
    >>> b = Value(-3.0, label="b")
    >>> L = a * b + 1
    >>> L.backward()
    >>> a.grad, b.grad
    (-3.0, 2.0)

    Calling `backward()` again adds the same gradients into the leaves a second
    time (a.grad becomes -6.0), exactly as PyTorch does. That is on purpose: it
    lets several losses add up their gradients. It is also why a training loop
    calls `zero_grad()` on its parameters before every `backward()`.
    """

    # __slots__ keeps each node small: a training step makes tens of thousands.
    __slots__ = ("data", "grad", "label", "op", "_prev", "_local_grads")

    def __init__(self, data, label="", *, _children=(), _op=""):
        # Every op passes a float already; only numbers typed in need checking.
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = _op                 # the operation that made this node, "" for a leaf
        self._prev = _children        # the Values it was computed from, in order
        self._local_grads = ()        # d(self) / d(child) for each child, set by the op

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ---- arithmetic -------------------------------------------------------

    def __add__(self, other):
        other = _as_value(other)
        out = Value(self.data + other.data, _children=(self, other), _op="+")
        out._local_grads = (1.0, 1.0)
        return out

    def __sub__(self, other):
        other = _as_value(other)
        out = Value(self.data - other.data, _children=(self, other), _op="-")
        out._local_grads = (1.0, -1.0)
        return out

    def __mul__(self, other):
        other = _as_value(other)
        out = Value(self.data * other.data, _children=(self, other), _op="*")
        out._local_grads = (other.data, self.data)
        return out

    def __truediv__(self, other):
        other = _as_value(other)
        a, b = self.data, other.data
        out = Value(safe_div(a, b), _children=(self, other), _op="/")
        out._local_grads = (safe_div(1.0, b), -safe_div(a, b * b))
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        n = _as_float(exponent, what="the exponent")
        x = self.data
        # A number exponent stays out of the graph, so the op reads "**2" as written.
        out = Value(safe_pow(x, n), _children=(self,), _op=f"**{_short(n)}")
        out._local_grads = (n * safe_pow(x, n - 1),)
        return out

    def _pow_value(self, exponent):
        """a ** b with both sides in the graph: d/da = b * a**(b-1), d/db = a**b * ln(a)."""
        a, b = self.data, exponent.data
        out = Value(safe_pow(a, b), _children=(self, exponent), _op="**")
        # ln(a) is undefined for a < 0, so that gradient is nan there; at a == 0
        # the result is 0 (or inf) whatever b is, so nudging b changes nothing.
        d_exponent = out.data * safe_log(a) if a != 0 else 0.0
        out._local_grads = (b * safe_pow(a, b - 1), d_exponent)
        return out

    def __neg__(self):
        out = Value(-self.data, _children=(self,), _op="-")
        out._local_grads = (-1.0,)
        return out

    # The reflected forms: Python calls these for `2 + a`, `2 - a`, `1 / a`, ...
    # They build the same node as the forward form, with the number on the left.
    def __radd__(self, other):        # other + self
        return _as_value(other) + self

    def __rsub__(self, other):        # other - self
        return _as_value(other) - self

    def __rmul__(self, other):        # other * self
        return _as_value(other) * self

    def __rtruediv__(self, other):    # other / self
        return _as_value(other) / self

    def __rpow__(self, other):        # other ** self
        return _as_value(other)._pow_value(self)

    # ---- functions --------------------------------------------------------

    def exp(self):
        out = Value(safe_exp(self.data), _children=(self,), _op="exp")
        out._local_grads = (out.data,)        # d/dx e^x = e^x
        return out

    def log(self):
        """Natural log. log(0) is -inf and log of a negative number is nan."""
        x = self.data
        out = Value(safe_log(x), _children=(self,), _op="log")
        out._local_grads = (safe_div(1.0, x),)
        return out

    def tanh(self):
        # math.tanh never overflows; building it from exp(2x) does at x ~ 355.
        t = math.tanh(self.data)
        out = Value(t, _children=(self,), _op="tanh")
        out._local_grads = (1.0 - t * t,)
        return out

    def sigmoid(self):
        s = _stable_sigmoid(self.data)
        out = Value(s, _children=(self,), _op="sigmoid")
        out._local_grads = (s * (1.0 - s),)
        return out

    def relu(self):
        x = self.data
        out = Value(0.0 if x <= 0 else x, _children=(self,), _op="relu")   # nan stays nan
        out._local_grads = (1.0 if x > 0 else 0.0,)
        return out

    # ---- backpropagation --------------------------------------------------

    def backward(self):
        """Fill in `grad` on every node: d(self) / d(node).

        Leaves (the Values you made yourself) accumulate: their grads are added
        to, never overwritten. Intermediate nodes are recomputed from zero on
        every call, so they always show this graph's gradient.
        """
        order = topological_order(self)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0          # d(self) / d(self)
        backpropagate(order)


def backpropagate(order):
    """The chain rule over a topological order, from the output back to the inputs.

    Each node's grad is complete by the time it is reached (everything that
    uses it comes later in `order`), so it can pass its share to its children.
    """
    for node in reversed(order):
        for child, local_grad in zip(node._prev, node._local_grads):
            child.grad += local_grad * node.grad


def topological_order(root):
    """Every node that `root` depends on, each listed after all of its children.

    An explicit stack instead of recursion, so a chain a million nodes deep
    works; Python's recursion limit stops the recursive version near 1,000.
    The order is the one the recursive version gives: children in `_prev`
    order, so the same expression always gives the same order (which is what
    keeps node names in drawn graphs stable).
    """
    order = []
    visited = set()               # nodes whose children we have started on
    finished = set()              # nodes already in `order`
    # Each entry is (node, children_done). A node goes on the stack twice: once
    # to visit its children, then again, underneath them, to be added after them.
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            finished.add(node)
            order.append(node)
            continue
        if node in visited:
            continue              # reached by another path first
        visited.add(node)
        stack.append((node, True))
        for child in reversed(node._prev):     # reversed, so the first child is done first
            if child not in visited:
                stack.append((child, False))
            elif child not in finished:
                # Visited but not finished means it is still waiting below us: a loop.
                raise ValueError(
                    f"the graph has a cycle through {child!r}: a Value cannot depend on itself. "
                    "This only happens if `_prev` was changed by hand; build the expression again."
                )
    return order


# ---- helpers ---------------------------------------------------------------

def _as_float(x, what="a Value"):
    """Accept int, float, bool and numpy scalars; refuse anything else by name."""
    if isinstance(x, numbers.Real):
        return float(x)
    if isinstance(x, Value):
        raise TypeError(f"{what} got a Value where a plain number goes; pass the Value itself, not inside another")
    hint = f"Value(float({x!r}))" if isinstance(x, str) else "Value(3.0)"
    raise TypeError(
        f"{what} needs a real number (int or float), not {type(x).__name__} {x!r}. "
        f"Convert it first, e.g. {hint}."
    )


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)


def _short(n):
    """2.0 -> '2', 0.5 -> '0.5': how an exponent reads in an op name."""
    return str(int(n)) if n.is_integer() else repr(n)


def _stable_sigmoid(x):
    # 1 / (1 + e^-x) overflows for x << 0, so use e^x / (1 + e^x) there instead.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    if x != x:                    # nan
        return x
    e = safe_exp(x)
    return e / (1.0 + e)
