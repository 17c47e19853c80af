"""Checks for lesson 11: a layer as matrix products, forward and backward.

The expected numbers come from running the same layer with the package's
Values and `backward()`, never from typed-in constants. numpy is imported
here only, so the rest of the package still runs without it.
"""

import numpy as np

from ..engine import Value
from ..nn import Layer
from . import CheckResult, as_number, call_learner, check_numbers, is_a, not_done, number_problem

# The forward check runs the learner's function on a batch of its own: 5
# examples of 3 inputs into 4 neurons, so X (5 x 3), W (4 x 3) and the
# output (5 x 4) are none of them square and every mix-up of shapes shows.
FORWARD_LAYER = dict(nin=3, nout=4, rng=7)
FORWARD_BATCH = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0],
                 [-0.5, 2.0, 0.25]]


def as_array(answer, what):
    """(the answer as a float array, None) or (None, a ✗ line naming what it is instead).

    numpy arrays, lists (of lists) of numbers, numpy scalars and Values all count.
    """
    if is_a(answer, (str, bytes, dict, set)) or _callable(answer):
        return None, f"✗ {what} should be an array of numbers, got {number_problem(answer)}"
    try:
        return np.asarray(answer, dtype=float), None
    except Exception:
        pass
    try:                                   # a list of Values, or of numpy scalars
        return np.vectorize(_one_number, otypes=[float])(np.asarray(answer, dtype=object)), None
    except Exception:
        return None, f"✗ {what} should be an array of numbers, got {number_problem(answer)}"


def _callable(thing):
    try:
        return callable(thing)
    except Exception:
        return False


def _one_number(x):
    number = as_number(x)
    if not is_a(number, float):
        raise TypeError(number_problem(x))
    return number


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
    if not _callable(layer_forward):
        return CheckResult(False, [f"✗ {call_learner(layer_forward, name='layer_forward')[1]}"])
    got, error = call_learner(layer_forward, W.copy(), b.copy(), X.copy(), name="layer_forward")
    if error:
        hint = ""
        if "matmul" in error or "shapes" in error or "broadcast" in error or "align" in error:
            hint = (f" Hint: X is {X.shape} (examples × inputs) and W is {W.shape} "
                    "(neurons × inputs), so multiply X by W transposed: X @ W.T")
        return CheckResult(False, [f"✗ {error}.{hint}"])
    if not_done(got):
        return CheckResult(False, ["… not done yet: layer_forward returned nothing "
                                   "(fill it in, and return the outputs)"])
    got, problem = as_array(got, "layer_forward's result")
    if problem:
        return CheckResult(False, [problem])
    want = np.array([[o.data for o in layer([Value(v) for v in x])] for x in FORWARD_BATCH])
    if got.shape != want.shape:
        hint = ""
        if got.shape == want.T.shape:
            hint = " Hint: that is transposed; one row per example, one column per neuron"
        elif got.ndim < 2:
            hint = (" Hint: return the whole batch, one row for each of the "
                    f"{want.shape[0]} examples in X, not one row or one number")
        return CheckResult(False, [f"✗ the result has shape {got.shape}, expected {want.shape} "
                                   f"(examples × neurons).{hint}"])
    hints = {}
    pre = X @ W.T + b
    if np.allclose(got, pre):
        common = "that is the pre-activation n; the layer's output is tanh(n)"
    elif np.allclose(got, np.tanh(X @ W.T)):
        common = "the bias b is missing: tanh(X @ W.T + b)"
    elif np.allclose(got, np.tanh(X @ W.T) + b):
        common = "the bias goes inside tanh: tanh(X @ W.T + b), not tanh(X @ W.T) + b"
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


def _layer_grads(layer, x, g):
    """The grads of L = sum(g[j] * o[j]) for o = layer(x), by Values and backward().

    Returns {"dW": ..., "db": ..., "dx": ...}, and leaves every grad of the
    learner's layer at 0, as it found it.
    """
    xs = [Value(float(v), label=f"x{i}") for i, v in enumerate(x)]
    for p in layer.parameters():
        p.grad = 0.0
    outs = layer(xs)
    if len(outs) != len(g):
        raise ValueError(f"g has {len(g)} entries but the layer has {len(outs)} outputs")
    L = sum(float(gj) * o for gj, o in zip(g, outs))
    L.backward()
    want = {
        "dW": np.array([[w.grad for w in n.w] for n in layer.neurons]),
        "db": np.array([n.b.grad for n in layer.neurons]),
        "dx": np.array([v.grad for v in xs]),
    }
    for p in layer.parameters():
        p.grad = 0.0
    return want


# A wrong dn = dL/dn (g the upstream grads, o the layer's output, o_nb its
# output computed without the bias): what each gives, and its hint. A sign
# error is told apart below: in dn it flips all three grads, elsewhere one.
WRONG_DN = [
    (lambda g, o, o_nb: g, "that skips tanh: first dn = g * (1 - o**2)"),
    (lambda g, o, o_nb: g * o, "tanh's local derivative is 1 - o**2, not o: dn = g * (1 - o**2)"),
    (lambda g, o, o_nb: g * (1 - o), "tanh's local derivative is 1 - o**2, not 1 - o: dn = g * (1 - o**2)"),
    (lambda g, o, o_nb: g * o**2, "tanh's local derivative is 1 - o**2, not o**2: dn = g * (1 - o**2)"),
    (lambda g, o, o_nb: g * (1 - o_nb**2), "your o leaves out the bias: o = tanh(W @ x + b), "
                                           "and dn = g * (1 - o**2) needs that o"),
]
GRADS_FROM_DN = {
    "dW": (lambda dn, x, W: np.outer(dn, x), "np.outer(dn, x)"),
    "db": (lambda dn, x, W: dn, "db = dn"),
    "dx": (lambda dn, x, W: W.T @ dn, "dx = W.T @ dn"),
}
RIGHT_FORM = {"dW": "dW[j, i] = dn[j] * x[i], that is np.outer(dn, x)",
              "db": "db = dn: the bias is added straight into n",
              "dx": "dx[i] = Σ_j W[j, i] * dn[j], that is W.T @ dn"}
SHAPE_HINT = {"dW": " Hint: dW has one row per neuron, like W: np.outer(dn, x), not np.outer(x, dn)",
              "db": " Hint: db has one entry per neuron, like b",
              "dx": " Hint: dx has one entry per input: W.T @ dn"}


def check_layer_backward(layer, x, g, dW=..., db=..., dx=...):
    """Exercise 2: the grads of L = sum(g[j] * o[j]) for o = layer(x), as arrays.

    The expected grads come from the same layer, built from Values, and backward().
    """
    given = {"dW": dW, "db": db, "dx": dx}
    for name, answer in given.items():
        if not_done(answer):
            return CheckResult(False, [f"… {name}: not done yet (replace the ... with an array)"])
    try:
        want = _layer_grads(layer, x, g)
        W, b = layer_arrays(layer)
        x_arr, g_arr = np.asarray(x, dtype=float), np.asarray(g, dtype=float)
        o, o_nb = np.tanh(W @ x_arr + b), np.tanh(W @ x_arr)
    except Exception as error:
        return CheckResult(False, ["✗ check_layer_backward(layer, x, g, dW=..., db=..., dx=...) needs "
                                   "the lesson's layer, its input x and the upstream grads g "
                                   f"({type(error).__name__}: {error})"])
    answers, expected, hints = {}, {}, {}
    lines_before = []
    arrays = {name: as_array(answer, name) for name, answer in given.items()}
    flipped = {name for name, (got, _) in arrays.items()
               if got is not None and _same(got, -want[name]) and not _same(got, want[name])}
    for name, (got, problem) in arrays.items():
        if problem:
            lines_before.append(problem)
            continue
        shape = want[name].shape
        if got.shape != shape:
            hint = SHAPE_HINT[name] if name != "dW" or got.shape == shape[::-1] else ""
            lines_before.append(f"✗ {name} has shape {got.shape}, expected {shape}.{hint}")
            continue
        from_dn, _ = GRADS_FROM_DN[name]
        common = next((hint for wrong, hint in WRONG_DN
                       if _same(got, from_dn(wrong(g_arr, o, o_nb), x_arr, W))
                       and not _same(got, want[name])), None)
        if common is None and name in flipped:
            common = ("every entry has the wrong sign: the chain rule multiplies, so dn = g * (1 - o**2) "
                      "has no minus" if len(flipped) == 3 else f"every entry has the wrong sign: {RIGHT_FORM[name]}")
        common = common or RIGHT_FORM[name]
        for index in np.ndindex(*shape):
            key = f"{name}[{', '.join(map(str, index))}]"
            answers[key], expected[key] = float(got[index]), float(want[name][index])
            hints[key] = common
    result = check_numbers(answers, expected, what="", hints=hints, tolerance=1e-6)
    result = _only_wrong(result, len(answers), other=bool(lines_before))
    if lines_before:
        checked = result.lines[:-1] if answers else []
        result = CheckResult(False, lines_before + checked + ["Not yet: fix the ✗ lines above first."])
    return result


def _same(a, b):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


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
