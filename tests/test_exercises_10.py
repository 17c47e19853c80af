"""The exercise checks of lessons 09-11: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake."""


import numpy as np
import pytest

from micrograd_lite import Value
from micrograd_lite.exercises import lesson10


def text(result):
    return repr(result)


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
