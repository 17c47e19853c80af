"""The exercise checks of lessons 09-11: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake."""


import numpy as np
import pytest

from micrograd_lite import Value
from micrograd_lite.exercises import lesson09
from micrograd_lite.nn import MLP


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
