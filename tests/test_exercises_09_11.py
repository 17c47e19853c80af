"""The exercise checks of lessons 09-11: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake."""


import numpy as np
import pytest

from micrograd_lite import Value
from micrograd_lite.exercises import lesson09, lesson10, lesson11
from micrograd_lite.nn import MLP, Layer


def text(result):
    return repr(result)


# ---- lesson 09 ------------------------------------------------------------------

def lesson08_preds():
    preds, _ = lesson09.prediction_grads()
    return preds


def test_08_prediction_grads_solution_and_other_forms_pass():
    preds = lesson08_preds()
    solution = [2 * (p - y) for p, y in zip(preds, lesson09.YS)]
    assert lesson09.check_prediction_grads(solution).passed
    as_numpy = [np.float32(g) for g in solution]                 # numpy scalars
    assert lesson09.check_prediction_grads(as_numpy).passed
    assert lesson09.check_prediction_grads(np.array(solution)).passed
    assert lesson09.check_prediction_grads(tuple(Value(g) for g in solution)).passed
    rounded = [float(f"{g:.3g}") for g in solution]             # 3 significant figures
    assert lesson09.check_prediction_grads(rounded).passed


def test_08_prediction_grads_typical_mistakes_get_their_hint():
    preds = lesson08_preds()
    pairs = list(zip(preds, lesson09.YS))
    flipped = lesson09.check_prediction_grads([2 * (y - p) for p, y in pairs])
    assert not flipped.passed and "the sign is flipped" in text(flipped)
    missing_two = lesson09.check_prediction_grads([p - y for p, y in pairs])
    assert not missing_two.passed and "brings down a 2" in text(missing_two)
    the_loss = lesson09.check_prediction_grads([(p - y) ** 2 for p, y in pairs])
    assert not the_loss.passed and "that is this example's loss" in text(the_loss)
    before_backward = lesson09.check_prediction_grads([0.0] * 4)
    assert not before_backward.passed and "before backward()" in text(before_backward)


@pytest.mark.parametrize("junk, words", [
    (None, "not done yet"),
    ([..., ..., ..., ...], "not done yet"),
    ("1, 2, 3, 4", "should be a list of 4 numbers, one per example, got a string"),
    ([1.0, 2.0], "yours has 2"),
    (3.0, "got one number"),
    ({"a": 1}, "got a dict"),
    ([{}, [], "x", float("nan")], "should be a number"),
])
def test_08_prediction_grads_junk_gets_one_line_and_never_raises(junk, words):
    result = lesson09.check_prediction_grads(junk)
    assert not result.passed and words in text(result)


def train_step(model, xs, ys, lr):
    ypred = [model(x) for x in xs]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def test_08_train_step_solution_and_other_forms_pass():
    assert lesson09.check_train_step(train_step).passed, text(lesson09.check_train_step(train_step))

    def returns_a_float_and_resets_by_hand(model, xs, ys, lr):
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data = p.data - lr * p.grad
        return np.float64(loss.data)

    assert lesson09.check_train_step(returns_a_float_and_resets_by_hand).passed


def test_08_train_step_without_zero_grad_is_diagnosed():
    def forgot_zero_grad(model, xs, ys, lr):
        return lesson09.reference_step(model, xs, ys, lr, zero_grad=False)

    result = lesson09.check_train_step(forgot_zero_grad)
    assert not result.passed
    assert "✓ loss at step 2" in text(result)          # the bug only shows from step 3
    assert "✗ loss at step 3" in text(result)
    assert "zero_grad() is missing" in text(result)


def test_08_train_step_climbing_or_zero_grad_after_backward_is_diagnosed():
    def climbs(model, xs, ys, lr):
        return lesson09.reference_step(model, xs, ys, lr, sign=+1.0)

    def stuck(model, xs, ys, lr):
        return lesson09.reference_step(model, xs, ys, lr, zero_after=True)

    assert "step against the grad" in text(lesson09.check_train_step(climbs))
    stuck_text = text(lesson09.check_train_step(stuck))
    assert "zero_grad() runs after backward()" in stuck_text
    assert "p = p - lr * p.grad" not in stuck_text


def test_08_a_no_op_update_is_not_blamed_on_zero_grad():
    def rebinds_p(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p = p - lr * p.grad
        return loss

    def in_place_minus(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p -= lr * p.grad
        return loss

    for step in (rebinds_p, in_place_minus):
        result = text(lesson09.check_train_step(step))
        assert "no parameter moved: `p = p - lr * p.grad`" in result
        assert "zero_grad" not in result.split("Hint:")[1]


def test_08_a_new_model_per_call_is_not_blamed_on_zero_grad():
    def new_model(model, xs, ys, lr):
        model = MLP(3, [4, 4, 1], seed=5)
        return train_step(model, xs, ys, lr)

    result = text(lesson09.check_train_step(new_model))
    assert "train_step never ran the model it was given" in result
    assert "zero_grad" not in result.split("Hint:")[1]


def test_08_train_step_other_mistakes():
    def no_backward(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    def loss_after_update(model, xs, ys, lr):
        train_step(model, xs, ys, lr)
        return sum((model(x) - y) ** 2 for x, y in zip(xs, ys))

    def no_return(model, xs, ys, lr):
        train_step(model, xs, ys, lr)

    def mean_loss(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    assert "loss.backward() never ran" in text(lesson09.check_train_step(no_backward))
    assert "computed before the update" in text(lesson09.check_train_step(loss_after_update))
    assert "returned None — did you forget `return loss`?" in text(lesson09.check_train_step(no_return))
    assert "that is the mean of the squared errors" in text(lesson09.check_train_step(mean_loss))


@pytest.mark.parametrize("junk, words", [
    (lambda m, xs, ys, lr: None, "not done yet"),
    (lambda m, xs, ys, lr: ..., "not done yet"),
    (lambda m, xs, ys, lr: m.forward(xs), "raised AttributeError"),
    (lambda m, xs, ys, lr: 1 / 0, "raised ZeroDivisionError"),
    (lambda m: m, "raised TypeError"),
    (None, "train_step should be a function, got None"),
    ("train_step", "should be a function, got a string"),
    ([train_step], "should be a function, got a list"),
    (lambda m, xs, ys, lr: "5.78", "should return the loss (a Value, or its number), got a string"),
    (lambda m, xs, ys, lr: [m(x) for x in xs], "got a list of 4 items"),
    (lambda m, xs, ys, lr: float("nan"), "is nan"),
])
def test_08_train_step_junk_gets_an_answer_and_never_raises(junk, words):
    result = lesson09.check_train_step(junk)
    assert not result.passed and words in text(result)


def test_08_learning_rates_solution_and_other_forms_pass():
    assert lesson09.check_learning_rates(good=0.2, too_big=0.5).passed
    assert lesson09.check_learning_rates(good=np.float32(0.1), too_big=np.int64(2)).passed
    assert lesson09.check_learning_rates(good=np.array(0.25), too_big=1e300).passed


def test_08_the_lucky_rate_the_lesson_warns_about_is_not_good():
    losses = lesson09.train(0.3, lesson09.RATE_STEPS)
    assert losses[-1] < lesson09.GOOD_LOSS                  # it does end low...
    assert max(losses[1:]) > losses[0]                      # ...after climbing above its start
    result = lesson09.check_learning_rates(good=0.3, too_big=0.5)
    assert not result.passed
    assert "✗ good = 0.3" in text(result) and "That rate was lucky" in text(result)


def test_08_wrong_rates_get_advice():
    result = lesson09.check_learning_rates(good=0.01, too_big=0.1)
    assert not result.passed
    assert "still too slow, try a larger rate" in text(result)
    assert "which still trains" in text(result)
    blown = lesson09.check_learning_rates(good=0.5, too_big=-1)
    assert "blew up, try a smaller rate" in text(blown)
    assert "a learning rate is a finite positive number" in text(blown)


@pytest.mark.parametrize("junk, words", [
    ("0.2", "got a string"), (True, "(a bool)"), ([0.2], "a list of 1 item"),
    ({}, "a dict"), (float("nan"), "finite positive"), (float("inf"), "finite positive"),
    (0, "finite positive"), (10 ** 400, "too big for a float"), (print, "a function"),
])
def test_08_learning_rate_junk_gets_one_line_and_never_raises(junk, words):
    result = lesson09.check_learning_rates(good=junk, too_big=junk)
    assert not result.passed
    assert text(result).count(words) == 2


# ---- lesson 10 ------------------------------------------------------------------

MARGIN_LOSSES = [max(0.0, 1 - y * s) for s, y in lesson10.MARGIN_CASES]
MARGIN_GRADS = [-y if 1 - y * s > 0 else 0.0 for s, y in lesson10.MARGIN_CASES]


def test_09_max_margin_solution_and_other_forms_pass():
    assert lesson10.check_max_margin(MARGIN_LOSSES, MARGIN_GRADS).passed
    assert lesson10.check_max_margin(np.array(MARGIN_LOSSES), tuple(MARGIN_GRADS)).passed
    numpy_scalars = [np.float32(x) for x in MARGIN_LOSSES]
    assert lesson10.check_max_margin(numpy_scalars, [int(g) for g in MARGIN_GRADS]).passed
    assert lesson10.check_max_margin([0, 0.7, 1.3, 1.5, -0.0], [Value(g) for g in MARGIN_GRADS]).passed


def test_09_max_margin_without_the_clip_or_with_flipped_grads_fails_with_hints():
    losses = [1 - y * s for s, y in lesson10.MARGIN_CASES]          # no max with 0
    grads = [y if 1 - y * s > 0 else 0.0 for s, y in lesson10.MARGIN_CASES]
    result = lesson10.check_max_margin(losses, grads)
    assert not result.passed
    assert "not a negative amount" in text(result)
    assert "the sign is flipped" in text(result)


def test_09_max_margin_ignoring_the_label_or_the_margin_fails_with_hints():
    losses = [max(0.0, 1 - s) for s, y in lesson10.MARGIN_CASES]    # label left out
    grads = [-1.0 if 1 - y * s > 0 else 1.0 for s, y in lesson10.MARGIN_CASES]
    result = text(lesson10.check_max_margin(losses, grads))
    assert "the label is -1 here, so 1 - label * score = 1 + score" in result
    assert "the label is -1 here: the loss is 1 + s, whose slope is +1" in result
    assert "beyond the margin the loss is 0 for nearby scores too" in result


@pytest.mark.parametrize("losses, grads, words", [
    ([...] * 5, [...] * 5, "not done yet"),
    (None, None, "not done yet"),
    ([0.0], MARGIN_GRADS, "should be a list of 5 numbers, one per case; yours has 1"),
    ("0, 0.7", MARGIN_GRADS, "got a string"),
    (MARGIN_LOSSES, 3.0, "grads should be a list of 5 numbers, one per case, got one number"),
    (MARGIN_LOSSES, {"a": 1}, "got a dict"),
    ([{}, [], "a", float("nan"), True], MARGIN_GRADS, "should be a number"),
])
def test_09_max_margin_junk_gets_an_answer_and_never_raises(losses, grads, words):
    result = lesson10.check_max_margin(losses, grads)
    assert not result.passed and words in text(result)


def test_09_accuracy_solution_and_other_forms_pass():
    def accuracy(scores, labels):
        return sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)

    def with_numpy(scores, labels):
        return np.mean(np.sign([s.data for s in scores]) == np.array(labels))

    def with_a_loop(scores, labels):
        right = 0
        for i in range(len(scores)):
            if scores[i].data * labels[i] > 0:
                right += 1
        return Value(right / len(scores))

    for function in (accuracy, with_numpy, with_a_loop):
        assert lesson10.check_accuracy(function).passed, function.__name__


def right_count(scores, labels):
    return sum((a.data > 0) == (b > 0) for a, b in zip(scores, labels))


@pytest.mark.parametrize("wrong, hint", [
    (right_count, "that is the number right; divide by the"),
    (lambda s, labels: sum((a.data > 0) != (b > 0) for a, b in zip(s, labels)) / len(labels), "fraction *wrong*"),
    (lambda s, labels: 100 * right_count(s, labels) / len(labels), "that is a percentage"),
    (lambda s, labels: right_count(s, labels) / 100, "not by a fixed 100"),
    (lambda s, labels: sum((a.data > 0) == b for a, b in zip(s, labels)) / len(labels), "False never equals -1"),
    (lambda s, labels: sum((a > 0) == (b > 0) for a, b in zip(s, labels)) / len(labels), "the scores are Values"),
])
def test_09_accuracy_typical_mistakes_get_their_hint(wrong, hint):
    result = lesson10.check_accuracy(wrong)
    assert not result.passed and hint in text(result)


def test_09_accuracy_stub_and_forgotten_return_are_told_apart():
    def stub(scores, labels):
        ...

    def no_return(scores, labels):
        right = sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)  # noqa: F841

    assert "not done yet" in text(lesson10.check_accuracy(stub))
    assert "returned None — did you forget `return`?" in text(lesson10.check_accuracy(no_return))


@pytest.mark.parametrize("junk, words", [
    (None, "should be a function, got None"),
    ("accuracy", "should be a function, got a string"),
    ([1, 2], "should be a function, got a list"),
    (lambda s, labels: "0.6", "should be a number, got a string"),
    (lambda s, labels: [0.6], "should be a number, got a list"),
    (lambda s, labels: {}, "should be a number, got a dict"),
    (lambda s, labels: float("nan"), "is nan"),
    (lambda s, labels: 1 / 0, "raised ZeroDivisionError"),
    (lambda s: 1, "raised TypeError"),
])
def test_09_accuracy_junk_gets_an_answer_and_never_raises(junk, words):
    result = lesson10.check_accuracy(junk)
    assert not result.passed and words in text(result)


# ---- lesson 11 ------------------------------------------------------------------

def test_10_the_forward_check_uses_no_square_shapes():
    X = np.array(lesson11.FORWARD_BATCH)
    sizes = {X.shape[0], X.shape[1], lesson11.FORWARD_LAYER["nout"]}
    assert len(sizes) == 3                      # examples, inputs and neurons all differ


def test_10_layer_forward_solution_and_other_forms_pass():
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
def test_10_layer_forward_typical_mistakes(wrong, hint):
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
def test_10_layer_forward_junk_gets_an_answer_and_never_raises(junk, words):
    result = lesson11.check_layer_forward(junk)
    assert not result.passed and words in text(result)


def backward_setup():
    layer = Layer(3, 4, rng=0)
    W, b = lesson11.layer_arrays(layer)
    x = np.array([2.0, 3.0, -1.0])
    g = np.array([1.0, -2.0, 0.5, 3.0])
    o = np.tanh(W @ x + b)
    return layer, W, x, g, g * (1 - o ** 2)


def test_10_layer_backward_solution_passes_and_leaves_grads_at_zero():
    layer, W, x, g, dn = backward_setup()
    result = lesson11.check_layer_backward(layer, x, g, dW=np.outer(dn, x), db=dn, dx=W.T @ dn)
    assert result.passed, text(result)
    assert all(p.grad == 0.0 for p in layer.parameters())


def test_10_layer_backward_other_forms_pass():
    layer, W, x, g, dn = backward_setup()
    assert lesson11.check_layer_backward(layer, x, g, dW=dn[:, None] * x, db=list(dn), dx=dn @ W).passed
    assert lesson11.check_layer_backward(layer, list(x), list(g), dW=np.outer(dn, x).tolist(),
                                         db=[Value(v) for v in dn], dx=tuple(W.T @ dn)).passed


def test_10_layer_backward_typical_mistakes():
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


@pytest.mark.parametrize("junk, words", [
    (dict(dW="abc"), "dW should be an array of numbers, got a string"),
    (dict(db=[Value(1.0), "x", 2.0, 3.0]), "db should be an array of numbers"),
    (dict(dx={}), "dx should be an array of numbers, got a dict"),
    (dict(dx=print), "dx should be an array of numbers, got a function"),
    (dict(dW=np.full((4, 3), np.nan)), "is nan"),
    (dict(db=None), "not done yet"),
])
def test_10_layer_backward_junk_gets_an_answer_and_never_raises(junk, words):
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
def test_10_layer_backward_with_the_wrong_setup_says_so(layer, x, g):
    result = lesson11.check_layer_backward(layer, x, g, dW=1, db=2, dx=3)
    assert not result.passed and "needs the lesson's layer" in text(result)


# ---- a number the prose of lessons 10 and 11 quotes -------------------------------

def test_09_10_the_graph_size_the_prose_quotes_is_the_real_one():
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
