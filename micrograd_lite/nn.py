"""The neural-net pieces: Neuron, Layer and MLP, built from Values.

The names follow PyTorch's: `parameters()`, `zero_grad()`, and a module you
call like a function to run its forward pass.

Every random draw goes through a `random.Random` the module owns, so the same
seed gives the same network and the learner's global `random` state is never
touched.
"""

import random

from .engine import Value

ACTIVATIONS = ("tanh", "relu", "linear")


class Module:
    def parameters(self):
        """Every trainable Value, in a fixed order."""
        return []

    def zero_grad(self):
        """Set every parameter's grad to 0.

        `backward()` adds into grads, so without this each training step would
        also follow the gradients of every earlier step (lesson 09's bug).
        """
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """act(w . x + b) with one weight per input and a trainable bias."""

    def __init__(self, nin, activation="tanh", rng=None, label=""):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, not {activation!r}")
        rng = _as_rng(rng)
        self.activation = activation
        self.w = [Value(rng.uniform(-1, 1), label=f"{label}w{i}") for i in range(nin)]
        self.b = Value(0.0, label=f"{label}b")   # a Value, so the bias learns too

    def __call__(self, x):
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "relu":
            return act.relu()
        return act

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{self.activation.capitalize()}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons that each see the same inputs; returns a list of `nout` Values."""

    def __init__(self, nin, nout, activation="tanh", rng=None, label=""):
        rng = _as_rng(rng)
        self.neurons = [Neuron(nin, activation, rng, label=f"{label}n{j}.") for j in range(nout)]

    def __call__(self, x):
        return [n(x) for n in self.neurons]

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A stack of layers: MLP(3, [4, 4, 1]) maps 3 inputs to 1 output.

    `activation` is used by every hidden layer; the last layer is linear when
    `linear_output=True` (for losses such as max-margin), else it uses the same.
    `seed` (an int) or `rng` (a random.Random) makes the weights reproducible.
    """

    def __init__(self, nin, nouts, activation="tanh", linear_output=False, seed=None, rng=None):
        if seed is not None and rng is not None:
            raise ValueError("pass either seed or rng, not both")
        rng = _as_rng(rng if rng is not None else seed)
        sizes = [nin] + list(nouts)
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1],
                  "linear" if (i == last and linear_output) else activation,
                  rng, label=f"L{i}.")
            for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        # A single output comes back as a Value, not a list of one, so that
        # `loss = (model(x) - y) ** 2` reads naturally.
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _as_rng(rng):
    """None -> a fresh unseeded generator; an int -> seeded; a Random -> itself."""
    if isinstance(rng, random.Random):
        return rng
    if rng is None or isinstance(rng, int):
        return random.Random(rng)
    raise TypeError(f"rng must be None, an int seed or a random.Random, not {type(rng).__name__}")
