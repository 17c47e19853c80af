"""Checks for lesson 10: the max-margin loss and accuracy of a classifier.

The expected numbers come from the reference functions below, run on the
check's own cases, never from typed-in constants.
"""

import math

from ..engine import Value
from . import (
    THREE_FIGURES,
    CheckResult,
    as_number,
    call_learner,
    check_numbers,
    describe,
    is_a,
    not_done,
    number_problem,
)

# (score, label) pairs: right and sure, right but inside the margin, wrong.
MARGIN_CASES = [(2.0, 1), (0.3, 1), (0.3, -1), (-0.5, 1), (-3.0, -1)]
FLOOR = 1e-3             # a loss or grad of 0 must be written as 0, give or take this

# In each case the right answer and every slip below give different numbers
# (the number right, the fraction wrong, a percentage, a fixed 100, a bool
# compared with -1, and the three wrong ways to count a score of exactly 0),
# so each slip gets its own hint, and none is 0.5. A score of exactly 0 is
# class -1, as in the lecture's `(yi > 0) == (scorei.data > 0)`: the last case
# has two of them labelled -1 (right) and one labelled +1 (wrong).
ACCURACY_CASES = [
    ([0.9, -1.2, -0.1, -0.3, 2.0], [1, -1, -1, 1, -1]),
    ([-0.5, -0.7, 0.2, 1.5, -0.4], [-1, -1, 1, 1, 1]),
    ([0.4, 0.8, -0.1, -2.0, 0.3, -0.6, 1.1, 0.05], [1, -1, -1, 1, 1, -1, 1, 1]),
    ([0.0, 0.7, 0.0, -0.2, 0.0, -0.6, -0.9], [-1, 1, 1, -1, -1, -1, 1]),
]


def max_margin(score, label):
    """The lecture's loss for one example: 0 once label * score >= 1, else 1 - label * score."""
    return (1 - label * score).relu()


def accuracy(scores, labels):
    """The fraction of examples whose class matches their label: a score above 0
    is the class +1, a score of 0 or below the class -1."""
    right = sum((label > 0) == (as_number(score) > 0) for score, label in zip(scores, labels))
    return right / len(labels)


def margin_case_names():
    return [f"score {score:+g}, label {label:+d}" for score, label in MARGIN_CASES]


def _as_list(given, plural):
    """(a list of len(MARGIN_CASES) answers, None) or (None, a ✗ line)."""
    want = len(MARGIN_CASES)
    if not_done(given):
        return [...] * want, None
    try:
        items = list(given) if is_a(given, (list, tuple)) or getattr(given, "ndim", None) == 1 else None
    except Exception:                   # an object whose every attribute raises
        items = None
    if items is not None:
        if len(items) == want:
            return items, None
        return None, f"✗ {plural} should be a list of {want} numbers, one per case; yours has {len(items)}"
    described = number_problem(given) or f"one number, {describe(given)}"
    return None, f"✗ {plural} should be a list of {want} numbers, one per case, got {described}"


def _close(a, b):
    return math.isclose(a, b, rel_tol=THREE_FIGURES, abs_tol=FLOOR)


def _loss_hint(got, score, label):
    raw = 1 - label * score
    if raw < 0 and _close(got, raw):
        return "right with room to spare costs 0, not a negative amount: the max with 0"
    if label < 0 and _close(got, max(0.0, 1 - score)):
        return f"the label is {label:+d} here, so 1 - label * score = 1 + score"
    if _close(got, max(0.0, 1 + label * score)):
        return "a sign is flipped: the loss is small when label * score is large"
    return f"max(0, 1 - label * score) = max(0, 1 - ({label:+d}) * ({score:g}))"


def _grad_hint(got, score, label):
    if 1 - label * score <= 0:
        return "beyond the margin the loss is 0 for nearby scores too, so its grad is 0"
    if label < 0 and _close(got, -1.0):
        return "the label is -1 here: the loss is 1 + s, whose slope is +1"
    if _close(got, label):
        return "the sign is flipped: d/ds (1 - label * s) = -label"
    return "inside the margin the loss is 1 - label * s, whose slope is -label"


def check_max_margin(losses=..., grads=...):
    """Exercise 1: the loss and its grad with respect to the score, for each case, by reasoning."""
    names = margin_case_names()
    answers, expected, hints = {}, {}, {}
    for what, plural, given in (("loss", "losses", losses), ("grad", "grads", grads)):
        given, problem = _as_list(given, plural)
        if problem:
            return CheckResult(False, [problem])
        for name, got, (score, label) in zip(names, given, MARGIN_CASES):
            score_value = Value(score)
            loss = max_margin(score_value, label)
            loss.backward()
            key = f"{what} ({name})"
            answers[key] = got
            expected[key] = loss.data if what == "loss" else score_value.grad
            got = as_number(got)
            if is_a(got, float) and math.isfinite(got):
                hints[key] = (_loss_hint if what == "loss" else _grad_hint)(got, score, label)
    return check_numbers(answers, expected, what="", tolerance=THREE_FIGURES, floor=FLOOR, hints=hints)


ZERO = "a score of exactly 0 counts as the class -1"


def _accuracy_slips(scores, labels):
    """[(a wrong answer, the hint naming the slip that gives it)] for one case."""
    n = len(labels)
    right = round(accuracy(scores, labels) * n)
    bool_equals_label = sum((s > 0) == y for s, y in zip(scores, labels))   # True == 1, never == -1
    nonzero_right = sum(s * y > 0 for s, y in zip(scores, labels))
    zeros = [y for s, y in zip(scores, labels) if s == 0]
    return [
        # s * y > 0 or np.sign(s) == y: a score of 0 is never right
        (nonzero_right / n, ZERO + ", so it is right when its label is -1 (s.data * y > 0 and "
                                   "np.sign(s.data) == y both count it as wrong)"),
        # s * y >= 0: a score of 0 is always right
        ((nonzero_right + len(zeros)) / n, ZERO + ", so it is wrong when its label is +1"),
        # (s >= 0) == (y > 0): a score of 0 taken as +1
        ((nonzero_right + zeros.count(1)) / n, ZERO + ", not +1: only a score above 0 means +1"),
        (right, f"that is the number right; divide by the {n} examples"),
        (1 - right / n, "that is the fraction *wrong*: a score above 0 means the label +1"),
        (100 * right / n, "that is a percentage; give the fraction, between 0 and 1"),
        (right / 100, f"divide by len(labels), here {n}, not by a fixed 100"),
        (bool_equals_label / n, "(s.data > 0) is True or False, and False never equals -1: "
                                "compare it with (y > 0)"),
    ]


def check_accuracy(accuracy_function):
    """Exercise 2: accuracy_function(scores, labels) -> a fraction between 0 and 1."""
    if not _callable(accuracy_function):
        _, error = call_learner(accuracy_function, name="your accuracy")
        return CheckResult(False, [f"✗ {error}"])
    answers, expected, hints = {}, {}, {}
    for k, (scores, labels) in enumerate(ACCURACY_CASES):
        name = f"case {k + 1}"
        values = _WatchedList(Value(s) for s in scores)
        got, error = call_learner(accuracy_function, values, list(labels),
                                  name="your accuracy", expect_return=True)
        if error:
            if k == 0 and got is None and "returned None" in error and not values.looked:
                return CheckResult(False, ["… not done yet: accuracy returned nothing "
                                           "(fill it in, and return the fraction)"])
            if "not supported between instances of 'Value'" in error:
                error += ". Hint: the scores are Values; compare their numbers, s.data > 0"
            return CheckResult(False, [f"✗ {error} (on {name}: scores {scores}, labels {labels})"])
        want = accuracy(scores, labels)
        answers[name], expected[name] = got, want
        number = as_number(got)
        if not is_a(number, float):
            continue
        hints[name] = next((hint for slip, hint in _accuracy_slips(scores, labels)
                            if math.isclose(number, slip) and not math.isclose(slip, want)),
                           f"scores {scores} and labels {labels}: count the points whose class "
                           "(above 0: +1; 0 or below: -1) is their label")
    return check_numbers(answers, expected, what="accuracy", hints=hints)


def _callable(thing):
    try:
        return callable(thing)
    except Exception:
        return False


class _WatchedList(list):
    """A list that notes whether anyone looked at it, to tell the untouched
    `...` stub from a function that did the work but forgot `return`."""

    looked = False

    def __iter__(self):
        self.looked = True
        return super().__iter__()

    def __getitem__(self, index):
        self.looked = True
        return super().__getitem__(index)

    def __len__(self):
        self.looked = True
        return super().__len__()
