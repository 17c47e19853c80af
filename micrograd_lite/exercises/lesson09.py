"""Checks for lesson 09: the max-margin loss and accuracy of a classifier.

The expected numbers come from the reference functions below, run on the
check's own cases, never from typed-in constants.
"""

import math

from . import CheckResult, as_number, call_learner, check_numbers, not_done
from ..engine import Value

# (score, label) pairs: right and sure, right but inside the margin, wrong.
MARGIN_CASES = [(2.0, 1), (0.3, 1), (0.3, -1), (-0.5, 1), (-3.0, -1)]

ACCURACY_CASES = [
    ([0.9, -1.2, 0.1, -0.3, 2.0], [1, -1, -1, 1, 1]),
    ([-0.5, -0.7, 0.2, 1.5], [-1, -1, 1, 1]),
    ([0.4, 0.8, -0.1, -2.0, 0.3, -0.6, 1.1, 0.05], [1, -1, -1, 1, 1, -1, 1, -1]),
]


def max_margin(score, label):
    """The lecture's loss for one example: 0 once label * score >= 1, else 1 - label * score."""
    return (1 - label * score).relu()


def accuracy(scores, labels):
    """The fraction of examples whose score has the sign of their label."""
    right = sum((label > 0) == (as_number(score) > 0) for score, label in zip(scores, labels))
    return right / len(labels)


def margin_case_names():
    return [f"score {score:+g}, label {label:+d}" for score, label in MARGIN_CASES]


def check_max_margin(losses=..., grads=...):
    """Exercise 1: the loss and its grad with respect to the score, for each case, by reasoning."""
    names = margin_case_names()
    answers, expected, hints = {}, {}, {}
    for what, given in (("loss", losses), ("grad", grads)):
        if not_done(given) or (isinstance(given, (list, tuple)) and all(not_done(g) for g in given)):
            given = [...] * len(MARGIN_CASES)
        if not isinstance(given, (list, tuple)) or len(given) != len(MARGIN_CASES):
            plural = "losses" if what == "loss" else "grads"
            return CheckResult(False, [f"✗ {plural} should be a list of {len(MARGIN_CASES)} numbers, one per case"])
        for name, got, (score, label) in zip(names, given, MARGIN_CASES):
            score_value = Value(score)
            loss = max_margin(score_value, label)
            loss.backward()
            key = f"{what} ({name})"
            answers[key] = got
            expected[key] = loss.data if what == "loss" else score_value.grad
            got = as_number(got)
            if not isinstance(got, (int, float)) or not_done(got):
                continue
            raw = 1 - label * score
            if what == "loss":
                if math.isclose(got, raw) and raw < 0:
                    hints[key] = "right with room to spare costs 0, not a negative amount: the max with 0"
                elif math.isclose(got, max(0.0, 1 + label * score)):
                    hints[key] = "a sign is flipped: the loss is small when label * score is large"
                else:
                    hints[key] = f"max(0, 1 - label * score) = max(0, 1 - ({label:+d}) * ({score:g}))"
            else:
                if raw > 0 and math.isclose(got, label):
                    hints[key] = "the sign is flipped: d/ds (1 - label * s) = -label"
                elif raw <= 0 and not math.isclose(got, 0.0):
                    hints[key] = "beyond the margin the loss is 0 for nearby scores too, so its grad is 0"
                else:
                    hints[key] = "inside the margin the loss is 1 - label * s, whose slope is -label"
    return _tidy(check_numbers(answers, expected, what="", hints=hints))


def _tidy(result):
    # what="" leaves a double space after each name ("loss  = 1.0"); close it up.
    result.lines = [line.replace("  ", " ").replace(" :", ":") for line in result.lines]
    return result


def check_accuracy(accuracy_function):
    """Exercise 2: accuracy_function(scores, labels) -> a fraction between 0 and 1."""
    answers, expected, hints = {}, {}, {}
    for k, (scores, labels) in enumerate(ACCURACY_CASES):
        name = f"case {k + 1}"
        values = [Value(s) for s in scores]
        got, error = call_learner(accuracy_function, values, labels)
        if error:
            return CheckResult(False, [f"✗ your accuracy raised {error} on {name}"])
        want = accuracy(scores, labels)
        answers[name], expected[name] = as_number(got), want
        if not isinstance(answers[name], (int, float)) or not_done(got):
            continue
        n = len(labels)
        if math.isclose(answers[name], want * n):
            hints[name] = f"that is the number right; divide by the {n} examples"
        elif math.isclose(answers[name], 1 - want):
            hints[name] = "that is the fraction *wrong*: a score above 0 means the label +1"
        else:
            hints[name] = f"scores {scores} and labels {labels}: count the signs that agree"
    result = check_numbers(answers, expected, what="accuracy", hints=hints)
    return result
