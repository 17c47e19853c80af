"""The engine the learner writes in lessons 05 to 07, as their solutions write it.

Each lesson runs in a kernel of its own, so a later lesson cannot see the
`MyValue` class a learner wrote in an earlier one. A lesson that builds on it
starts from `my_value_after(lesson)` (and says the learner may paste their own
class in its place). Lesson 10 trains this class side by side with the
package's `Value`, and the checks compare against the package, never against
this file.

`my_value_after` returns a new class on every call, so a lesson that adds
methods to its copy (`MyValue.exp = exp`) changes nothing anywhere else.
"""

import math

# Which lesson has the learner write each method: a class "after lesson N"
# has exactly the methods written up to N.
WRITTEN_IN = {
    "__add__": 5, "__mul__": 5, "tanh": 5, "backward": 5,
    "exp": 6, "__pow__": 6, "__truediv__": 6, "__neg__": 6, "__sub__": 6,
    "__radd__": 6, "__rmul__": 6,
    "relu": 7,
}


def build_topo(root):
    """Every node of root's graph, each after all the nodes it is computed from.

    Lesson 05's optional exercise: a depth-first walk with a stack of our
    own instead of recursion, so a graph 100,000 levels deep is fine.
    """
    topo, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            topo.append(node)           # every child is in the list already
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev)
    return topo


def my_value_after(lesson):
    """A fresh `MyValue` class with the methods the learner has written by the end of `lesson`."""
    wraps_numbers = lesson >= 6         # lesson 06 lets plain numbers into + and *

    class MyValue:
        def __init__(self, data, _children=(), _op="", label=""):
            self.data = data
            self.grad = 0.0
            self._backward = lambda: None
            self._prev = tuple(_children)
            self._op = _op
            self.label = label

        @property
        def op(self):                   # draw_dot reads .op, the package's name for _op
            return self._op

        def __repr__(self):
            return f"MyValue(data={self.data})"

        def _lift(self, other):
            if wraps_numbers and not isinstance(other, MyValue):
                return MyValue(other)
            return other

        def __add__(self, other):
            other = self._lift(other)
            out = MyValue(self.data + other.data, (self, other), "+")
            def _backward():
                self.grad += out.grad
                other.grad += out.grad
            out._backward = _backward
            return out

        def __mul__(self, other):
            other = self._lift(other)
            out = MyValue(self.data * other.data, (self, other), "*")
            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad
            out._backward = _backward
            return out

        def tanh(self):
            t = math.tanh(self.data)
            out = MyValue(t, (self,), "tanh")
            def _backward():
                self.grad += (1 - t**2) * out.grad
            out._backward = _backward
            return out

        def backward(self):
            self.grad = 1.0
            for node in reversed(build_topo(self)):
                node._backward()

        def exp(self):
            out = MyValue(math.exp(self.data), (self,), "exp")
            def _backward():
                self.grad += out.data * out.grad
            out._backward = _backward
            return out

        def __pow__(self, k):           # k is a plain number
            out = MyValue(self.data**k, (self,), f"**{k}")
            def _backward():
                self.grad += k * self.data**(k - 1) * out.grad
            out._backward = _backward
            return out

        def __neg__(self):
            return self * -1

        def __sub__(self, other):
            return self + (-other)

        def __truediv__(self, other):
            return self * other**-1

        def __radd__(self, other):      # other + self, when other is a plain number
            return self + other

        def __rmul__(self, other):      # other * self
            return self * other

        def relu(self):
            out = MyValue(max(self.data, 0.0), (self,), "relu")
            def _backward():
                self.grad += (out.data > 0) * out.grad
            out._backward = _backward
            return out

    for name, written_in in WRITTEN_IN.items():
        if written_in > lesson:
            delattr(MyValue, name)
    return MyValue


def my_mlp_classes(Value):
    """Lesson 08's `MyNeuron`, `MyLayer` and `MyMLP`, as its solutions write them, built on `Value`.

    One change, the lecture's, for lesson 10's classifier: a neuron takes
    `nonlin`, relu when True and nothing (a linear output) when False, and
    `MyMLP` makes every layer but the last one nonlinear. Lesson 10 passes
    `my_value_after(7)`, so the whole network runs on the learner's engine.
    Returns the three classes, new ones on every call.
    """
    import random

    class MyNeuron:
        def __init__(self, nin, nonlin=True):
            self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
            self.b = Value(random.uniform(-1, 1))
            self.nonlin = nonlin

        def __call__(self, x):
            act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
            return act.relu() if self.nonlin else act

        def parameters(self):
            return self.w + [self.b]

    class MyLayer:
        def __init__(self, nin, nout, nonlin=True):
            self.neurons = [MyNeuron(nin, nonlin) for _ in range(nout)]

        def __call__(self, x):
            outs = [n(x) for n in self.neurons]
            return outs[0] if len(outs) == 1 else outs

        def parameters(self):
            return [p for n in self.neurons for p in n.parameters()]

    class MyMLP:
        def __init__(self, nin, nouts):
            sizes = [nin] + list(nouts)
            self.layers = [MyLayer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1)
                           for i in range(len(nouts))]

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

        def parameters(self):
            return [p for layer in self.layers for p in layer.parameters()]

    return MyNeuron, MyLayer, MyMLP
