"""The exercise checks of lesson 10: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake. Also the
learner's network that lesson 10 trains beside the package's."""

import math

import numpy as np
import pytest

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.datasets import make_moons
from micrograd_lite.exercises import lesson10
from micrograd_lite.exercises.course_engine import my_mlp_classes, my_value_after
from micrograd_lite.nn import MLP


def text(result):
    return repr(result)


# ---- lesson 10 ------------------------------------------------------------------

MARGIN_LOSSES = [max(0.0, 1 - y * s) for s, y in lesson10.MARGIN_CASES]
MARGIN_GRADS = [-y if 1 - y * s > 0 else 0.0 for s, y in lesson10.MARGIN_CASES]


def test_10_max_margin_solution_and_other_forms_pass():
    assert lesson10.check_max_margin(MARGIN_LOSSES, MARGIN_GRADS).passed
    assert lesson10.check_max_margin(np.array(MARGIN_LOSSES), tuple(MARGIN_GRADS)).passed
    numpy_scalars = [np.float32(x) for x in MARGIN_LOSSES]
    assert lesson10.check_max_margin(numpy_scalars, [int(g) for g in MARGIN_GRADS]).passed
    assert lesson10.check_max_margin([0, 0.7, 1.3, 1.5, -0.0], [Value(g) for g in MARGIN_GRADS]).passed


def test_10_max_margin_without_the_clip_or_with_flipped_grads_fails_with_hints():
    losses = [1 - y * s for s, y in lesson10.MARGIN_CASES]          # no max with 0
    grads = [y if 1 - y * s > 0 else 0.0 for s, y in lesson10.MARGIN_CASES]
    result = lesson10.check_max_margin(losses, grads)
    assert not result.passed
    assert "not a negative amount" in text(result)
    assert "the sign is flipped" in text(result)


def test_10_max_margin_ignoring_the_label_or_the_margin_fails_with_hints():
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
def test_10_max_margin_junk_gets_an_answer_and_never_raises(losses, grads, words):
    result = lesson10.check_max_margin(losses, grads)
    assert not result.passed and words in text(result)


def test_10_accuracy_solution_and_other_forms_pass():
    def accuracy(scores, labels):
        return sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)

    def with_numpy(scores, labels):
        return np.mean(np.where(np.array([s.data for s in scores]) > 0, 1, -1) == np.array(labels))

    def with_a_loop(scores, labels):
        right = 0
        for i in range(len(scores)):
            if (scores[i].data > 0 and labels[i] == 1) or (scores[i].data <= 0 and labels[i] == -1):
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
def test_10_accuracy_typical_mistakes_get_their_hint(wrong, hint):
    result = lesson10.check_accuracy(wrong)
    assert not result.passed and hint in text(result)


def test_10_accuracy_has_scores_of_exactly_zero_with_both_labels():
    zeros = [y for scores, labels in lesson10.ACCURACY_CASES for s, y in zip(scores, labels) if s == 0]
    assert -1 in zeros and 1 in zeros
    # the reference counts a score of 0 as the class -1, as the lecture does
    assert lesson10.accuracy([Value(0.0), Value(0.0)], [-1, 1]) == 0.5


@pytest.mark.parametrize("wrong, hint", [
    (lambda s, labels: sum(a.data * b > 0 for a, b in zip(s, labels)) / len(labels),
     "so it is right when its label is -1"),
    (lambda s, labels: np.mean(np.sign([a.data for a in s]) == np.array(labels)),
     "so it is right when its label is -1"),
    (lambda s, labels: sum(a.data * b >= 0 for a, b in zip(s, labels)) / len(labels),
     "so it is wrong when its label is +1"),
    (lambda s, labels: sum((a.data >= 0) == (b > 0) for a, b in zip(s, labels)) / len(labels),
     "not +1: only a score above 0 means +1"),
])
def test_10_accuracy_each_way_of_miscounting_a_zero_score_gets_its_hint(wrong, hint):
    result = text(lesson10.check_accuracy(wrong))
    assert "✗" in result and hint in result
    assert result.count("a score of exactly 0") == 1        # only the case with zeros


def test_10_accuracy_slips_differ_from_each_other_in_every_case():
    """Otherwise a slip could get another slip's hint."""
    for scores, labels in lesson10.ACCURACY_CASES:
        want = lesson10.accuracy(scores, labels)
        slips = [value for value, _ in lesson10._accuracy_slips(scores, labels)
                 if not math.isclose(value, want)]
        assert len({round(v, 9) for v in slips}) == len(slips), (scores, labels)


def test_10_accuracy_stub_and_forgotten_return_are_told_apart():
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
def test_10_accuracy_junk_gets_an_answer_and_never_raises(junk, words):
    result = lesson10.check_accuracy(junk)
    assert not result.passed and words in text(result)


def test_10_evil_never_raises_and_never_passes():
    for result in (lesson10.check_max_margin(Evil(), Evil()),
                   lesson10.check_max_margin([Evil()] * 5, [Evil()] * 5),
                   lesson10.check_max_margin(MARGIN_LOSSES, Evil()),
                   lesson10.check_accuracy(Evil()),
                   lesson10.check_accuracy(lambda s, labels: Evil())):
        assert not result.passed
        assert text(result)


# ---- the learner's network, trained beside the package's in lesson 10 -----------

def my_network():
    MyValue = my_value_after(7)
    return my_mlp_classes(MyValue)


def test_10_my_mlp_has_relu_hidden_layers_and_a_linear_output():
    MyNeuron, MyLayer, MyMLP = my_network()
    net = MyMLP(2, [3, 1])
    assert [n.nonlin for layer in net.layers for n in layer.neurons] == [True] * 3 + [False]
    assert len(net.parameters()) == 3 * 3 + 4
    neuron = MyNeuron(2, nonlin=False)
    for p, v in zip(neuron.parameters(), [1.0, -2.0, -5.0]):
        p.data = v
    assert neuron([1.0, 1.0]).data == -6.0                  # linear: no relu
    neuron.nonlin = True
    assert neuron([1.0, 1.0]).data == 0.0                   # relu
    assert len(MyLayer(2, 2)([1.0, 2.0])) == 2              # a list of outputs
    assert MyLayer(2, 1)([1.0, 2.0]).data >= 0.0            # one output: the Value itself


def test_10_my_mlp_classes_are_new_on_every_call():
    assert my_network()[2] is not my_network()[2]


def test_10_my_network_trains_to_the_packages_numbers_from_the_same_weights():
    """What lesson 10's side-by-side cell shows: the same losses, to 1e-12."""
    points, labels = make_moons(30, noise=0.1, seed=0)
    _, _, MyMLP = my_network()

    def loss_fn(model, alpha=1e-4):
        scores = [model(p) for p in points]
        data_loss = sum((1 + -y * s).relu() for y, s in zip(labels, scores)) / len(points)
        return data_loss + alpha * sum(p * p for p in model.parameters())

    def step(model):
        loss = loss_fn(model)
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
        return loss.data

    package = MLP(2, [8, 8, 1], activation="relu", linear_output=True, seed=1)
    mine = MyMLP(2, [8, 8, 1])
    for a, b in zip(mine.parameters(), package.parameters()):
        a.data = b.data
    for _ in range(3):
        assert abs(step(mine) - step(package)) < 1e-12
