"""Self-checking exercises: one module per lesson, on top of `check_numbers`.

A check never raises on a wrong answer. It returns a `CheckResult` whose text
says what is right, what is wrong and by how much, so the learner reads
feedback, not a traceback, and the lesson keeps running. An answer still left
as `...` gets "not done yet" rather than an error.
"""

import math
from dataclasses import dataclass, field

from ..engine import Value

DEFAULT_TOLERANCE = 1e-4


@dataclass
class CheckResult:
    passed: bool
    lines: list = field(default_factory=list)

    def __repr__(self):
        return "\n".join(self.lines)

    def __bool__(self):
        return self.passed

    def assert_passed(self):
        """Say nothing if the check passed; raise with its feedback if not.

        A lesson's hidden solution cell ends with this, so running it prints
        nothing (no answer shows under the exercise) while nbval still fails
        loudly if a reference solution stops passing its own check.
        """
        if not self.passed:
            raise AssertionError("the reference solution fails its check:\n" + repr(self))


def not_done(answer):
    """True for an answer the learner has not filled in yet (`...` or None)."""
    return answer is Ellipsis or answer is None


def call_learner(function, *args):
    """Run the learner's function: (result, None), or (None, a line saying what went wrong).

    The learner's code may raise anything; the check reports it as feedback
    instead of letting a traceback end the lesson.
    """
    try:
        return function(*args), None
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"


def as_number(answer):
    """A Value counts as its data, so `a` and `a.data` are both fine answers."""
    return answer.data if isinstance(answer, Value) else answer


def check_numbers(answers, expected, what="value", tolerance=DEFAULT_TOLERANCE, hints=None):
    """Compare named answers with the expected numbers, one feedback line each.

    >>> check_numbers({"a": 6.0, "b": 2.0}, {"a": 6.0, "b": -4.0}, what="grad")
    ✓ a grad = 6.0
    ✗ b grad is 2.0, expected -4.0 (off by +6.0)
    1 of 2 right.

    `hints` maps a name to a sentence shown when that answer is wrong.
    """
    hints = hints or {}
    lines, right = [], 0
    for name, want in expected.items():
        got = answers.get(name, Ellipsis)
        if not_done(got):
            lines.append(f"… {name} {what}: not done yet (replace the ... with your answer)")
            continue
        got = as_number(got)
        if not isinstance(got, (int, float)):
            lines.append(f"✗ {name} {what} should be a number, got {type(got).__name__} {got!r}")
            continue
        if _close(got, want, tolerance):
            right += 1
            lines.append(f"✓ {name} {what} = {_fmt(want)}")
        else:
            line = f"✗ {name} {what} is {_fmt(got)}, expected {_fmt(want)}"
            if math.isfinite(got) and math.isfinite(want):
                line += f" (off by {got - want:+.4g})"
            if name in hints:
                line += f". Hint: {hints[name]}"
            lines.append(line)
    total = len(expected)
    lines.append("All right, well done!" if right == total else f"{right} of {total} right.")
    return CheckResult(right == total, lines)


def _close(got, want, tolerance):
    if math.isnan(want):
        return math.isnan(got)
    return math.isclose(got, want, rel_tol=tolerance, abs_tol=tolerance)


def _fmt(x):
    return repr(float(f"{x:.6g}"))      # 6.0, -4.0, 0.000123: short but still a float
