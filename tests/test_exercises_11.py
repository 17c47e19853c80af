"""The exercise checks of lesson 11: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake."""


import numpy as np
import pytest

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.exercises import lesson11
from micrograd_lite.nn import MLP, Layer


def text(result):
    return repr(result)


# ---- lesson 11 ------------------------------------------------------------------

def test_11_the_forward_check_uses_no_square_shapes():
    X = np.array(lesson11.FORWARD_BATCH)
    sizes = {X.shape[0], X.shape[1], lesson11.FORWARD_LAYER["nout"]}
    assert len(sizes) == 3                      # examples, inputs and neurons all differ


def test_11_layer_forward_solution_and_other_forms_pass():
    assert lesson11.check_layer_forward(lambda W, b, X: np.tanh(X @ W.T + b)).passed
    assert lesson11.check_layer_forward(lambda W, b, X: np.tanh(W @ X.T + b[:, None]).T).passed
    assert lesson11.check_layer_forward(lambda W, b, X: np.tanh(X @ W.T + b).tolist()).passed
    as_values = lesson11.check_layer_forward(
        lambda W, b, X: [[Value(v) for v in row] for row in np.tanh(X @ W.T + b)])
    assert as_values.passed
    assert lesson11.check_layer_forward(lambda W, b, X: np.tanh(X @ W.T + b).astype(np.float32)).passed


@pytest.mark.parametrize("wrong, hint", [
    (lambda W, b, X: X @ W.T + b, "that is the pre-activation n"),
    (lambda W, b, X: np.tanh(X @ W.T), "the bias b is missing"),
    (lambda W, b, X: np.tanh(X @ W.T) + b, "the bias goes inside tanh"),
    (lambda W, b, X: np.tanh(X @ W + b), "multiply X by W transposed"),
    (lambda W, b, X: np.tanh(W @ X + b), "multiply X by W transposed"),
    (lambda W, b, X: np.tanh(W @ X.T + b[:, None]), "that is transposed"),
    (lambda W, b, X: np.tanh(W @ X[0] + b), "return the whole batch"),
])
def test_11_layer_forward_typical_mistakes(wrong, hint):
    result = lesson11.check_layer_forward(wrong)
    assert not result.passed
    assert hint in text(result)


@pytest.mark.parametrize("junk, words", [
    (lambda W, b, X: None, "not done yet"),
    (None, "layer_forward should be a function, got None"),
    ("np.tanh(X @ W.T + b)", "should be a function, got a string"),
    (lambda W, b, X: "abc", "should be an array of numbers, got a string"),
    (lambda W, b, X: [[Value(1.0), "x"]], "should be an array of numbers"),
    (lambda W, b, X: {"a": 1}, "should be an array of numbers, got a dict"),
    (lambda W, b, X: np.full((5, 4), np.nan), "is nan"),
    (lambda W, b, X: 1 / 0, "raised ZeroDivisionError"),
    (lambda W, b: W, "raised TypeError"),
])
def test_11_layer_forward_junk_gets_an_answer_and_never_raises(junk, words):
    result = lesson11.check_layer_forward(junk)
    assert not result.passed and words in text(result)


def lesson_layer():
    """The layer of lesson 11's Exercise 2: its biases are not 0, so a missing b shows."""
    layer = Layer(3, 4, rng=0)
    for j, neuron in enumerate(layer.neurons):
        neuron.b.data = 0.3 * (j + 1) * (-1) ** j
    return layer


def backward_setup():
    layer = lesson_layer()
    W, b = lesson11.layer_arrays(layer)
    x = np.array([2.0, 3.0, -1.0])
    g = np.array([1.0, -2.0, 0.5, 3.0])
    o = np.tanh(W @ x + b)
    return layer, W, x, g, g * (1 - o ** 2)


def test_11_layer_backward_solution_passes_and_leaves_grads_at_zero():
    layer, W, x, g, dn = backward_setup()
    result = lesson11.check_layer_backward(layer, x, g, dW=np.outer(dn, x), db=dn, dx=W.T @ dn)
    assert result.passed, text(result)
    assert all(p.grad == 0.0 for p in layer.parameters())


def test_11_layer_backward_other_forms_pass():
    layer, W, x, g, dn = backward_setup()
    assert lesson11.check_layer_backward(layer, x, g, dW=dn[:, None] * x, db=list(dn), dx=dn @ W).passed
    assert lesson11.check_layer_backward(layer, list(x), list(g), dW=np.outer(dn, x).tolist(),
                                         db=[Value(v) for v in dn], dx=tuple(W.T @ dn)).passed


def test_11_layer_backward_typical_mistakes():
    layer, W, x, g, dn = backward_setup()
    skipped_tanh = lesson11.check_layer_backward(layer, x, g, dW=np.outer(g, x), db=g, dx=W.T @ g)
    assert not skipped_tanh.passed and "that skips tanh" in text(skipped_tanh)
    transposed = lesson11.check_layer_backward(layer, x, g, dW=np.outer(x, dn), db=dn, dx=W.T @ dn)
    assert not transposed.passed
    assert "dW has shape (3, 4), expected (4, 3)" in text(transposed)
    assert "np.outer(dn, x), not np.outer(x, dn)" in text(transposed)
    o = np.tanh(W @ x + lesson11.layer_arrays(layer)[1])
    wrong_slope = lesson11.check_layer_backward(layer, x, g, dW=np.outer(dn, x), db=g * o, dx=W.T @ dn)
    assert not wrong_slope.passed and "not o: dn = g * (1 - o**2)" in text(wrong_slope)
    summed = lesson11.check_layer_backward(layer, x, g, dW=np.outer(dn, x), db=dn.sum(), dx=W.T @ dn)
    assert "db has shape (), expected (4,)" in text(summed)
    assert "not done yet" in text(lesson11.check_layer_backward(layer, x, g))


def grads_from(dn, W, x):
    return dict(dW=np.outer(dn, x), db=dn, dx=W.T @ dn)


def test_11_layer_backward_sign_error_and_o_squared_each_get_their_own_hint():
    layer, W, x, g, dn = backward_setup()
    b = lesson11.layer_arrays(layer)[1]
    o = np.tanh(W @ x + b)
    flipped = text(lesson11.check_layer_backward(layer, x, g, **grads_from(-g * (1 - o**2), W, x)))
    squared = text(lesson11.check_layer_backward(layer, x, g, **grads_from(g * o**2, W, x)))
    assert "every entry has the wrong sign" in flipped and "not o**2" not in flipped
    assert "not o**2: dn = g * (1 - o**2)" in squared and "wrong sign" not in squared
    for result in (flipped, squared):
        assert "that is np.outer(dn, x)" not in result          # not the generic dW line


def test_11_layer_backward_one_array_negated_gets_the_sign_hint():
    layer, W, x, g, dn = backward_setup()
    result = lesson11.check_layer_backward(layer, x, g, dW=np.outer(dn, x), db=dn, dx=-(W.T @ dn))
    assert not result.passed
    assert "every entry has the wrong sign: dx[i]" in text(result)


def test_11_layer_backward_without_the_bias_fails_with_its_hint():
    layer, W, x, g, dn = backward_setup()
    assert np.all(lesson11.layer_arrays(layer)[1] != 0)      # the lesson's biases are not 0
    o_without_b = np.tanh(W @ x)
    result = lesson11.check_layer_backward(layer, x, g, **grads_from(g * (1 - o_without_b**2), W, x))
    assert not result.passed
    assert "your o leaves out the bias" in text(result)


def test_11_the_lesson_gives_its_layer_non_zero_biases():
    from pathlib import Path
    lesson = (Path(__file__).resolve().parent.parent / "notebooks" / "11_where_next.md").read_text()
    exercise = lesson.split("### Exercise 2")[1].split("check_layer_backward(")[0]
    assert "neuron.b.data = 0.3 * (j + 1) * (-1) ** j" in exercise


def test_11_evil_never_raises_and_never_passes():
    layer, W, x, g, dn = backward_setup()
    results = [lesson11.check_layer_forward(Evil()),
               lesson11.check_layer_forward(lambda W, b, X: Evil()),
               lesson11.check_layer_forward(lambda W, b, X: [[Evil()] * 4] * 5),
               lesson11.check_layer_backward(Evil(), Evil(), Evil(), dW=Evil(), db=Evil(), dx=Evil()),
               lesson11.check_layer_backward(layer, x, g, dW=Evil(), db=[Evil()] * 4, dx=Evil())]
    for result in results:
        assert not result.passed
        assert text(result)


@pytest.mark.parametrize("junk, words", [
    (dict(dW="abc"), "dW should be an array of numbers, got a string"),
    (dict(db=[Value(1.0), "x", 2.0, 3.0]), "db should be an array of numbers"),
    (dict(dx={}), "dx should be an array of numbers, got a dict"),
    (dict(dx=print), "dx should be an array of numbers, got a function"),
    (dict(dW=np.full((4, 3), np.nan)), "is nan"),
    (dict(db=None), "not done yet"),
])
def test_11_layer_backward_junk_gets_an_answer_and_never_raises(junk, words):
    layer, W, x, g, dn = backward_setup()
    answers = dict(dW=np.outer(dn, x), db=dn, dx=W.T @ dn)
    answers.update(junk)
    result = lesson11.check_layer_backward(layer, x, g, **answers)
    assert not result.passed and words in text(result)


@pytest.mark.parametrize("layer, x, g", [
    ("layer", [2.0, 3.0, -1.0], [1.0, -2.0, 0.5, 3.0]),
    (Layer(3, 4, rng=0), "x", [1.0, -2.0, 0.5, 3.0]),
    (Layer(3, 4, rng=0), [2.0, 3.0, -1.0], [1.0]),
    (Layer(3, 4, rng=0), [2.0, 3.0], [1.0, -2.0, 0.5, 3.0]),
])
def test_11_layer_backward_with_the_wrong_setup_says_so(layer, x, g):
    result = lesson11.check_layer_backward(layer, x, g, dW=1, db=2, dx=3)
    assert not result.passed and "needs the lesson's layer" in text(result)


# ---- a number the prose of lessons 10 and 11 quotes -------------------------------

def test_10_11_the_graph_size_the_prose_quotes_is_the_real_one():
    """Lessons 10 and 11 say one training step builds "about 69,000 Values"."""
    from pathlib import Path

    from micrograd_lite.datasets import make_moons
    from micrograd_lite.engine import topological_order

    points, labels = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=1)
    scores = [model(p) for p in points]
    loss = (sum((1 - y * s).relu() for y, s in zip(labels, scores)) / len(points)
            + 1e-4 * sum(p * p for p in model.parameters()))
    quoted = f"{round(len(topological_order(loss)), -3):,}"
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    for lesson in ("10_classification.md", "11_where_next.md"):
        assert f"{quoted} Values" in (notebooks / lesson).read_text(encoding="utf-8"), lesson
