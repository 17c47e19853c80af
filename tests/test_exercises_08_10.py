"""The exercise checks of lessons 08-10: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake."""


import numpy as np
import pytest

from micrograd_lite.exercises import lesson08, lesson09, lesson10
from micrograd_lite.nn import Layer


def text(result):
    return repr(result)


# ---- lesson 08 ------------------------------------------------------------------

def test_08_prediction_grads_solution_passes():
    preds, _ = lesson08.prediction_grads()
    solution = [2 * (p - y) for p, y in zip(preds, lesson08.YS)]
    assert lesson08.check_prediction_grads(solution).passed


def test_08_prediction_grads_with_flipped_sign_fail_with_hint():
    preds, _ = lesson08.prediction_grads()
    result = lesson08.check_prediction_grads([2 * (y - p) for p, y in zip(preds, lesson08.YS)])
    assert not result.passed
    assert "the sign is flipped" in text(result)
    missing_two = lesson08.check_prediction_grads([p - y for p, y in zip(preds, lesson08.YS)])
    assert "brings down a 2" in text(missing_two)


def test_08_prediction_grads_stub_is_not_done():
    result = lesson08.check_prediction_grads([..., ..., ..., ...])
    assert not result.passed and "not done yet" in text(result)


def train_step(model, xs, ys, lr):
    ypred = [model(x) for x in xs]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def test_08_train_step_solution_passes():
    result = lesson08.check_train_step(train_step)
    assert result.passed, text(result)


def test_08_train_step_without_zero_grad_is_diagnosed():
    def forgot_zero_grad(model, xs, ys, lr):
        ypred = [model(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    result = lesson08.check_train_step(forgot_zero_grad)
    assert not result.passed
    assert "✓ loss at step 2" in text(result)          # the bug only shows from step 3
    assert "✗ loss at step 3" in text(result)
    assert "zero_grad() is missing" in text(result)


def test_08_train_step_climbing_or_stuck_is_diagnosed():
    def climbs(model, xs, ys, lr):
        return lesson08.reference_step(model, xs, ys, lr, sign=+1.0)

    def stuck(model, xs, ys, lr):
        return lesson08.reference_step(model, xs, ys, lr, zero_after=True)

    assert "step against the grad" in text(lesson08.check_train_step(climbs))
    assert "zero_grad() runs after backward()" in text(lesson08.check_train_step(stuck))


def test_08_train_step_stub_and_errors():
    assert "not done yet" in text(lesson08.check_train_step(lambda m, xs, ys, lr: None))
    result = lesson08.check_train_step(lambda m, xs, ys, lr: m.forward(xs))
    assert not result.passed and "raised AttributeError" in text(result)


def test_08_learning_rates_solution_passes_and_wrong_rates_get_advice():
    assert lesson08.check_learning_rates(good=0.2, too_big=0.5).passed
    result = lesson08.check_learning_rates(good=0.01, too_big=0.1)
    assert not result.passed
    assert "still too slow, try a larger rate" in text(result)
    assert "which still trains" in text(result)
    blown = lesson08.check_learning_rates(good=0.5, too_big=-1)
    assert "blew up, try a smaller rate" in text(blown)
    assert "a learning rate is a positive number" in text(blown)


# ---- lesson 09 ------------------------------------------------------------------

def test_09_max_margin_solution_passes():
    losses = [max(0.0, 1 - y * s) for s, y in lesson09.MARGIN_CASES]
    grads = [-y if 1 - y * s > 0 else 0.0 for s, y in lesson09.MARGIN_CASES]
    assert lesson09.check_max_margin(losses, grads).passed


def test_09_max_margin_without_the_clip_or_with_flipped_grads_fails_with_hints():
    losses = [1 - y * s for s, y in lesson09.MARGIN_CASES]          # no max with 0
    grads = [y if 1 - y * s > 0 else 0.0 for s, y in lesson09.MARGIN_CASES]
    result = lesson09.check_max_margin(losses, grads)
    assert not result.passed
    assert "not a negative amount" in text(result)
    assert "the sign is flipped" in text(result)


def test_09_max_margin_stub_and_wrong_length():
    assert "not done yet" in text(lesson09.check_max_margin([...] * 5, [...] * 5))
    assert "should be a list of 5 numbers" in text(lesson09.check_max_margin([0.0], [0.0]))


def test_09_accuracy_solution_passes():
    def accuracy(scores, labels):
        return sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)

    assert lesson09.check_accuracy(accuracy).passed


def test_09_accuracy_count_or_flipped_comparison_fails_with_hints():
    count = lesson09.check_accuracy(lambda s, l: sum((a.data > 0) == (b > 0) for a, b in zip(s, l)))
    assert not count.passed and "divide by the" in text(count)
    flipped = lesson09.check_accuracy(
        lambda s, l: sum((a.data > 0) != (b > 0) for a, b in zip(s, l)) / len(l))
    assert not flipped.passed and "fraction *wrong*" in text(flipped)


# ---- lesson 10 ------------------------------------------------------------------

def test_10_layer_forward_solution_passes():
    assert lesson10.check_layer_forward(lambda W, b, X: np.tanh(X @ W.T + b)).passed


@pytest.mark.parametrize("wrong, hint", [
    (lambda W, b, X: X @ W.T + b, "that is the pre-activation n"),
    (lambda W, b, X: np.tanh(X @ W.T), "the bias b is missing"),
    (lambda W, b, X: np.tanh(X @ W + b), "multiply X by W transposed"),
    (lambda W, b, X: np.tanh(W @ X.T + b[:, None]), "that is transposed"),
])
def test_10_layer_forward_typical_mistakes(wrong, hint):
    result = lesson10.check_layer_forward(wrong)
    assert not result.passed
    assert hint in text(result)


def backward_setup():
    layer = Layer(3, 4, rng=0)
    W, b = lesson10.layer_arrays(layer)
    x = np.array([2.0, 3.0, -1.0])
    g = np.array([1.0, -2.0, 0.5, 3.0])
    o = np.tanh(W @ x + b)
    return layer, W, x, g, g * (1 - o ** 2)


def test_10_layer_backward_solution_passes_and_leaves_grads_at_zero():
    layer, W, x, g, dn = backward_setup()
    result = lesson10.check_layer_backward(layer, x, g, dW=np.outer(dn, x), db=dn, dx=W.T @ dn)
    assert result.passed, text(result)
    assert all(p.grad == 0.0 for p in layer.parameters())


def test_10_layer_backward_typical_mistakes():
    layer, W, x, g, dn = backward_setup()
    skipped_tanh = lesson10.check_layer_backward(layer, x, g, dW=np.outer(g, x), db=g, dx=W.T @ g)
    assert not skipped_tanh.passed and "that skips tanh" in text(skipped_tanh)
    transposed = lesson10.check_layer_backward(layer, x, g, dW=np.outer(x, dn), db=dn, dx=W.T @ dn)
    assert not transposed.passed
    assert "dW has shape (3, 4), expected (4, 3)" in text(transposed)
    assert "np.outer(dn, x), not np.outer(x, dn)" in text(transposed)
    assert "not done yet" in text(lesson10.check_layer_backward(layer, x, g))
