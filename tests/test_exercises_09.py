"""The exercise checks of lesson 09: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake."""


import numpy as np
import pytest

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.exercises import lesson09
from micrograd_lite.nn import MLP


def text(result):
    return repr(result)


# ---- lesson 09 ------------------------------------------------------------------

def lesson08_preds():
    preds, _ = lesson09.prediction_grads()
    return preds


def test_09_prediction_grads_solution_and_other_forms_pass():
    preds = lesson08_preds()
    solution = [2 * (p - y) for p, y in zip(preds, lesson09.YS)]
    assert lesson09.check_prediction_grads(solution).passed
    as_numpy = [np.float32(g) for g in solution]                 # numpy scalars
    assert lesson09.check_prediction_grads(as_numpy).passed
    assert lesson09.check_prediction_grads(np.array(solution)).passed
    assert lesson09.check_prediction_grads(tuple(Value(g) for g in solution)).passed
    rounded = [float(f"{g:.3g}") for g in solution]             # 3 significant figures
    assert lesson09.check_prediction_grads(rounded).passed


def test_09_prediction_grads_typical_mistakes_get_their_hint():
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


def test_09_prediction_grads_of_a_mean_loss_are_named():
    preds = lesson08_preds()
    averaged = lesson09.check_prediction_grads([2 * (p - y) / 4 for p, y in zip(preds, lesson09.YS)])
    assert not averaged.passed
    assert text(averaged).count("that is 1/4 of it: you averaged over the 4 examples") == 4
    assert "the sum of the squared errors, not their mean" in text(averaged)


@pytest.mark.parametrize("junk, words", [
    (None, "not done yet"),
    ([..., ..., ..., ...], "not done yet"),
    ("1, 2, 3, 4", "should be a list of 4 numbers, one per example, got a string"),
    ([1.0, 2.0], "yours has 2"),
    (3.0, "got one number"),
    ({"a": 1}, "got a dict"),
    ([{}, [], "x", float("nan")], "should be a number"),
])
def test_09_prediction_grads_junk_gets_one_line_and_never_raises(junk, words):
    result = lesson09.check_prediction_grads(junk)
    assert not result.passed and words in text(result)


def train_step(model, xs, ys, lr):
    """The lesson's solution: the learner resets the grads by hand."""
    ypred = [model(x) for x in xs]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    for p in model.parameters():
        p.grad = 0.0
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def test_09_train_step_solution_and_other_forms_pass():
    result = lesson09.check_train_step(train_step)
    assert result.passed, text(result)
    assert "zero_grad" not in text(result)
    assert lesson09.check_train_step(lesson09.reference_train_step).passed

    def own_sum_and_data_assignment(model, xs, ys, lr):
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))
        for p in model.parameters():
            p.grad = 0
        loss.backward()
        for p in model.parameters():
            p.data = p.data - lr * p.grad
        return loss

    def resets_after_the_update(model, xs, ys, lr):      # the grads are 0 again before the next backward()
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
            p.grad = 0.0
        return loss

    assert lesson09.check_train_step(own_sum_and_data_assignment).passed
    assert lesson09.check_train_step(resets_after_the_update).passed


def test_09_the_package_s_zero_grad_passes_and_is_explained():
    def with_zero_grad(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    result = lesson09.check_train_step(with_zero_grad)
    assert result.passed
    assert "model.zero_grad(); it runs exactly the loop `for p in model.parameters(): p.grad = 0.0`" in text(result)


def test_09_returning_the_loss_s_number_is_named():
    def returns_a_number(model, xs, ys, lr):
        return np.float64(train_step(model, xs, ys, lr).data)

    result = lesson09.check_train_step(returns_a_number)
    assert not result.passed
    assert "return the loss Value itself, not its number" in text(result)


def test_09_train_step_without_resetting_the_grads_is_diagnosed():
    def forgot_the_reset(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    result = text(lesson09.check_train_step(forgot_the_reset))
    assert "✓ loss at step 1" in result            # the bug only shows from step 2, counted from 0
    assert "✗ loss at step 2 is 0.323955, expected 0.292153" in result
    assert "the grads are never set back to 0" in result
    assert "set p.grad = 0.0 for every parameter" in result


def test_09_an_update_before_backward_is_named():
    def update_first(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        for p in model.parameters():
            p.grad = 0.0
        for p in model.parameters():
            p.data -= lr * p.grad
        loss.backward()
        return loss

    def update_first_without_reset(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        for p in model.parameters():
            p.data -= lr * p.grad
        loss.backward()
        return loss

    for step in (update_first, update_first_without_reset):
        result = text(lesson09.check_train_step(step))
        assert "your update ran before loss.backward(): at that moment every grad was still 0" in result
        assert "p = p - lr * p.grad" not in result


def test_09_train_step_climbing_or_reset_after_backward_is_diagnosed():
    def climbs(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data += lr * p.grad
        return loss

    def reset_between_backward_and_update(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        loss.backward()
        for p in model.parameters():
            p.grad = 0.0
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    assert "step against the grad" in text(lesson09.check_train_step(climbs))
    stuck_text = text(lesson09.check_train_step(reset_between_backward_and_update))
    assert "the grads are set back to 0 after backward(), which wipes them" in stuck_text
    assert "p = p - lr * p.grad" not in stuck_text
    assert "before loss.backward()" not in stuck_text


def test_09_a_no_op_update_is_not_blamed_on_zero_grad():
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
        assert "before loss.backward()" not in result


def test_09_a_new_model_per_call_is_not_blamed_on_zero_grad():
    def new_model(model, xs, ys, lr):
        model = MLP(3, [4, 4, 1], seed=5)
        return train_step(model, xs, ys, lr)

    result = text(lesson09.check_train_step(new_model))
    assert "train_step never ran the model it was given" in result
    assert "zero_grad" not in result.split("Hint:")[1]


def test_09_a_mean_loss_is_named():
    def mean_loss(model, xs, ys, lr):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    def mean_loss_by_multiplying(model, xs, ys, lr):
        loss = (1 / len(xs)) * sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss

    for step in (mean_loss, mean_loss_by_multiplying):
        result = lesson09.check_train_step(step)
        assert not result.passed
        assert "you averaged" in text(result) and "This lesson's loss is their sum" in text(result)


def test_09_train_step_other_mistakes():
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

    assert "loss.backward() never ran" in text(lesson09.check_train_step(no_backward))
    assert "computed before the update" in text(lesson09.check_train_step(loss_after_update))
    assert "returned None — did you forget `return loss`?" in text(lesson09.check_train_step(no_return))


class EvilToTheCore(Evil):
    """Even attributes every object has (__class__, __iter__) raise."""
    def __getattribute__(self, name):
        raise RuntimeError("evil getattribute")


@pytest.mark.parametrize("junk, words", [
    (lambda m, xs, ys, lr: None, "not done yet"),
    (lambda m, xs, ys, lr: ..., "not done yet"),
    (lambda m, xs, ys, lr: m.forward(xs), "raised AttributeError"),
    (lambda m, xs, ys, lr: 1 / 0, "raised ZeroDivisionError"),
    (lambda m: m, "raised TypeError"),
    (None, "train_step should be a function, got None"),
    ("train_step", "should be a function, got a string"),
    ([train_step], "should be a function, got a list"),
    (lambda m, xs, ys, lr: "5.78", "should return the loss Value, got a string"),
    (lambda m, xs, ys, lr: [m(x) for x in xs], "got a list of 4 items"),
    (lambda m, xs, ys, lr: float("nan"), "return the loss Value itself"),
])
def test_09_train_step_junk_gets_an_answer_and_never_raises(junk, words):
    result = lesson09.check_train_step(junk)
    assert not result.passed and words in text(result)


@pytest.mark.parametrize("make_evil", [Evil, EvilToTheCore], ids=["evil", "evil to the core"])
def test_09_no_check_raises_or_passes_on_evil(make_evil):
    for junk in (make_evil(), lambda m, xs, ys, lr: make_evil()):
        result = lesson09.check_train_step(junk)
        assert not result.passed and text(result).startswith("✗")
    for junk in (make_evil(), [make_evil()] * 4, (make_evil(),) * 4):
        result = lesson09.check_prediction_grads(junk)
        assert not result.passed and text(result).startswith("✗")
    result = lesson09.check_learning_rates(good=make_evil(), too_big=make_evil())
    assert not result.passed and text(result).count("should be a number") == 2


# ---- exercise 3: the learning rates ---------------------------------------------

def test_09_learning_rates_solution_and_other_forms_pass():
    result = lesson09.check_learning_rates(good=0.15, too_big=0.5)
    assert result.passed, text(result)
    assert lesson09.check_learning_rates(good=np.float32(0.13), too_big=np.int64(2)).passed
    assert lesson09.check_learning_rates(good=np.array(0.16), too_big=1e300).passed
    assert lesson09.check_learning_rates(good=Value(0.14), too_big=Value(0.4)).passed


def test_09_the_lesson_s_words_about_the_rates_hold():
    """The lesson: 0.1 reaches 0.0299, which the exercise asks to beat, and 0.05 trains, more slowly."""
    slow, lesson_rate = lesson09.train(0.05, 20), lesson09.train(0.1, 20)
    assert lesson09.first_rise(slow) is None and lesson09.first_rise(lesson_rate) is None
    assert slow[-1] > lesson_rate[-1] > lesson09.GOOD_LOSS
    assert round(lesson_rate[-1], 4) == 0.0299
    for rate in (0.05, 0.1):
        said = text(lesson09.check_learning_rates(good=rate, too_big=0.5))
        assert f"✗ good = {rate}" in said and "falls at every step, but too slowly. Try a larger rate" in said


@pytest.mark.parametrize("lucky", [0.2, 0.3])
def test_09_a_rate_that_ends_low_by_luck_is_not_good(lucky):
    losses = lesson09.train(lucky, lesson09.RATE_STEPS)
    assert losses[-1] < lesson09.GOOD_LOSS                  # it does end low...
    assert lesson09.first_rise(losses) is not None           # ...after the loss went up
    said = text(lesson09.check_learning_rates(good=lucky, too_big=0.5))
    assert f"✗ good = {lucky}" in said and "only came back down by luck" in said


def test_09_wrong_rates_get_advice():
    result = lesson09.check_learning_rates(good=0.01, too_big=0.1)
    assert not result.passed
    assert "but too slowly. Try a larger rate" in text(result)
    assert "which still trains" in text(result)
    blown = lesson09.check_learning_rates(good=0.5, too_big=-1)
    assert "never came back down: try a smaller rate" in text(blown)
    assert "a learning rate is a finite positive number" in text(blown)


def test_09_a_tiny_rate_is_not_too_big():
    losses = lesson09.train(0.001, lesson09.RATE_STEPS)
    assert losses[-1] > lesson09.BAD_LOSS                   # still high after 20 steps, but falling
    said = text(lesson09.check_learning_rates(good=0.15, too_big=0.001))
    assert "✗ too_big = 0.001" in said and "only because the steps are tiny" in said


@pytest.mark.parametrize("junk, words", [
    ("0.2", "got a string"), (True, "(a bool)"), ([0.2], "a list of 1 item"),
    ({}, "a dict"), (float("nan"), "finite positive"), (float("inf"), "finite positive"),
    (0, "finite positive"), (10 ** 400, "too big for a float"), (print, "a function"),
])
def test_09_learning_rate_junk_gets_one_line_and_never_raises(junk, words):
    result = lesson09.check_learning_rates(good=junk, too_big=junk)
    assert not result.passed
    assert text(result).count(words) == 2


def test_09_the_lesson_s_words_about_the_missing_reset_hold():
    """The lesson: without the reset steps 0-1 agree, step 2 is higher, step 3 far lower,
    then the loss jumps back above 1 and ends stuck at 8."""
    with_reset, without = lesson09.train(0.1, 30), lesson09.train(0.1, 30, zero_grad=False)
    assert with_reset[:2] == without[:2]
    assert without[2] > with_reset[2] and without[3] < with_reset[3] / 2
    assert any(without[k] > 1 > without[k - 1] for k in range(4, 30))
    assert round(without[-1], 4) == 8.0
