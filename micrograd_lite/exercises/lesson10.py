"""Checks for lesson 10: a layer as matrix products, forward and backward.

The expected numbers come from running the same layer with the package's
Values and `backward()`, never from typed-in constants. numpy is imported
here only, so the rest of the package still runs without it.
"""

import numpy as np

from . import CheckResult, call_learner, check_numbers, not_done
from ..engine import Value
from ..nn import Layer

# The forward check runs the learner's function on a batch of its own.
FORWARD_LAYER = dict(nin=3, nout=4, rng=7)
FORWARD_BATCH = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0]]


def layer_arrays(layer):
    """(W, b): W has one row per neuron and one column per input."""
    W = np.array([[w.data for w in n.w] for n in layer.neurons])
    b = np.array([n.b.data for n in layer.neurons])
    return W, b


def check_layer_forward(layer_forward):
    """Exercise 1: layer_forward(W, b, X) -> the layer's outputs for a batch, one row per example."""
    layer = Layer(FORWARD_LAYER["nin"], FORWARD_LAYER["nout"], rng=FORWARD_LAYER["rng"])
    for j, neuron in enumerate(layer.neurons):     # a trained layer's biases are not 0
        neuron.b.data = 0.3 * (j + 1) * (-1) ** j
    W, b = layer_arrays(layer)
    X = np.array(FORWARD_BATCH)
    got, error = call_learner(layer_forward, W.copy(), b.copy(), X.copy())
    if error:
        hint = ""
        if "matmul" in error or "shapes" in error or "broadcast" in error:
            hint = (f" Hint: X is {X.shape} (examples × inputs) and W is {W.shape} "
                    "(neurons × inputs), so multiply X by W transposed: X @ W.T")
        return CheckResult(False, [f"✗ layer_forward raised {error}.{hint}"])
    if not_done(got):
        return CheckResult(False, ["… not done yet: layer_forward returned nothing "
                                   "(fill it in, and return the outputs)"])
    got = np.asarray(got, dtype=float)
    want = np.array([[o.data for o in layer([Value(v) for v in x])] for x in FORWARD_BATCH])
    if got.shape != want.shape:
        hint = ""
        if got.shape == want.T.shape:
            hint = " Hint: that is transposed; one row per example, one column per neuron"
        return CheckResult(False, [f"✗ the result has shape {got.shape}, expected {want.shape} "
                                   f"(examples × neurons).{hint}"])
    hints = {}
    pre = X @ W.T + b
    if np.allclose(got, pre):
        common = "that is the pre-activation n; the layer's output is tanh(n)"
    elif np.allclose(got, np.tanh(X @ W.T)):
        common = "the bias b is missing: tanh(X @ W.T + b)"
    else:
        common = "row i, column j is tanh(b[j] + W[j] · X[i])"
    names, answers, expected = [], {}, {}
    for i in range(want.shape[0]):
        for j in range(want.shape[1]):
            name = f"example {i}, neuron {j}"
            names.append(name)
            answers[name], expected[name] = float(got[i, j]), float(want[i, j])
            hints[name] = common
    result = check_numbers(answers, expected, what="output", hints=hints, tolerance=1e-6)
    return _only_wrong(result, len(names))


def check_layer_backward(layer, x, g, dW=..., db=..., dx=...):
    """Exercise 2: the grads of L = sum(g[j] * o[j]) for o = layer(x), as arrays.

    The expected grads come from the same layer, built from Values, and backward().
    """
    for name, answer in (("dW", dW), ("db", db), ("dx", dx)):
        if not_done(answer):
            return CheckResult(False, [f"… {name}: not done yet (replace the ... with an array)"])
    xs = [Value(float(v), label=f"x{i}") for i, v in enumerate(x)]
    for p in layer.parameters():
        p.grad = 0.0
    outs = layer(xs)
    L = sum(float(gj) * o for gj, o in zip(g, outs))
    L.backward()
    want = {
        "dW": np.array([[w.grad for w in n.w] for n in layer.neurons]),
        "db": np.array([n.b.grad for n in layer.neurons]),
        "dx": np.array([v.grad for v in xs]),
    }
    for p in layer.parameters():     # leave the learner's layer as it was
        p.grad = 0.0
    W = layer_arrays(layer)[0]
    answers, expected, hints = {}, {}, {}
    lines_before = []
    for name, answer in (("dW", dW), ("db", db), ("dx", dx)):
        got = np.asarray(answer, dtype=float)
        shape = want[name].shape
        if got.shape != shape:
            hint = ""
            if name == "dW" and got.shape == shape[::-1]:
                hint = " Hint: dW has one row per neuron, like W: np.outer(dn, x), not np.outer(x, dn)"
            elif name == "dx":
                hint = " Hint: dx has one entry per input: W.T @ dn"
            elif name == "db":
                hint = " Hint: db has one entry per neuron, like b"
            lines_before.append(f"✗ {name} has shape {got.shape}, expected {shape}.{hint}")
            continue
        g_arr = np.asarray(g, dtype=float)
        if name == "dW" and np.allclose(got, np.outer(g_arr, x)):
            common = "that skips tanh: first dn = g * (1 - o**2), then np.outer(dn, x)"
        elif name == "db" and np.allclose(got, g_arr):
            common = "that skips tanh: db = dn = g * (1 - o**2)"
        elif name == "dx" and np.allclose(got, W.T @ g_arr):
            common = "that skips tanh: dx = W.T @ dn with dn = g * (1 - o**2)"
        else:
            common = {"dW": "dW[j, i] = dn[j] * x[i], that is np.outer(dn, x)",
                      "db": "db = dn: the bias is added straight into n",
                      "dx": "dx[i] = Σ_j W[j, i] * dn[j], that is W.T @ dn"}[name]
        for index in np.ndindex(*shape):
            key = f"{name}[{', '.join(map(str, index))}]"
            answers[key], expected[key] = float(got[index]), float(want[name][index])
            hints[key] = common
    result = check_numbers(answers, expected, what="", hints=hints, tolerance=1e-6)
    result.lines = [line.replace("  ", " ") for line in result.lines]
    result = _only_wrong(result, len(answers), other=bool(lines_before))
    if lines_before:
        result.passed = False
        result.lines = lines_before + result.lines[:-1] + ["Not yet: fix the shapes first."]
    return result


def _only_wrong(result, total, other=False):
    """Many entries: list the wrong ones (and a count of the right ones), not all of them."""
    if total <= 6 and not other:
        return result
    right = [line for line in result.lines if line.startswith("✓")]
    others = [line for line in result.lines[:-1] if not line.startswith("✓")]
    summary = result.lines[-1]
    if result.passed:
        result.lines = [f"✓ {'the other' if other else 'all'} {total} entries match micrograd_lite", summary]
    else:
        shown = others[:6]
        more = len(others) - len(shown)
        result.lines = ([f"✓ {len(right)} of {total} entries match"] if right else []) + shown
        result.lines += ([f"… and {more} more wrong"] if more else []) + [summary]
    return result
