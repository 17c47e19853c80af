"""Self-checking exercises: one module per lesson, on top of `check_numbers`.

A check never raises, whatever it is given. It returns a `CheckResult` whose
text says what is right, what is wrong and by how much, so the learner reads
feedback, not a traceback, and the lesson keeps running. An answer still left
as `...` gets "not done yet" rather than an error.

The helpers here are what every lesson's checks share:

- `as_number` turns any one-number answer (a float, an int, a Value, a numpy
  scalar or 0-d array) into a float; `number_problem` says in a few words why
  something else is not one, and `describe` what anything is;
- `check_numbers` compares named answers with expected numbers, a line each;
- `call_learner` runs the learner's function and reports what went wrong;
- `is_a` is `isinstance` that never raises, even for an object whose every
  attribute access raises (`isinstance` reads `__class__`).

Importing this package also makes the `%%solution` cell magic available
(`solution_cells.py`): a lesson's solution runs apart from the learner's names.
"""

import functools
import math
import numbers
import types
from dataclasses import dataclass, field

from ..engine import Value
from . import solution_cells

solution_cells.register()

# Relative tolerance for answers the learner computes with code; the same
# number is the absolute floor near zero unless a check passes its own.
DEFAULT_TOLERANCE = 1e-4
# For numbers worked out by hand: half a unit in the third significant
# figure, so 0.707 passes for 0.70711 and -0.871 for -0.8706.
THREE_FIGURES = 5e-3
# What "a function" means in feedback: not any object with a __call__.
FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial)


@dataclass
class CheckResult:
    passed: bool
    lines: list = field(default_factory=list)

    def __repr__(self):
        return "\n".join(self.lines)

    def __bool__(self):
        return self.passed

    @classmethod
    def not_done(cls, what, how):
        """The answer to `what` is still `...`: say so, and `how` to fill it in."""
        return cls(False, [f"… {what}: not done yet ({how})"])

    @classmethod
    def failed(cls, *lines):
        """A failing result, one `✗` line per problem."""
        return cls(False, [line if line[:1] in "✗…" else "✗ " + line for line in lines])

    def assert_passed(self):
        """Say nothing if the check passed; raise with its feedback if not.

        A lesson's hidden solution cell ends with this, so running it prints
        nothing (no answer shows under the exercise) while nbval still fails
        loudly if a reference solution stops passing its own check.
        """
        if not self.passed:
            raise AssertionError("the reference solution fails its check:\n" + repr(self))


def is_a(thing, kind):
    """`isinstance(thing, kind)`, but False instead of raising for a hostile object."""
    try:
        return isinstance(thing, kind)
    except Exception:
        return False


def get_safely(thing, name, default=None):
    """`getattr(thing, name, default)`, but `default` instead of raising."""
    try:
        return getattr(thing, name, default)
    except Exception:
        return default


def not_done(answer):
    """True for an answer the learner has not filled in yet (`...` or None)."""
    return answer is Ellipsis or answer is None


def as_number(answer):
    """The float behind a one-number answer, or the answer itself if it is not one.

    A Value counts as its data, so `a` and `a.data` are both fine answers; a
    numpy scalar (np.float32, np.int64, ...) or a 0-d array counts as the
    number it holds. A bool is left alone: True is not an answer to "what is
    the slope?". Use `number_problem` to say what is wrong with the rest.
    """
    try:
        number = answer.data if is_a(answer, Value) else answer
        if getattr(number, "ndim", None) == 0 and hasattr(number, "item"):
            number = number.item()          # a 0-d numpy array: the scalar inside
        if isinstance(number, numbers.Real) and not _is_bool(number):
            return float(number)
    except Exception:                       # an overflowing int, an odd object: not a number
        pass
    return answer


def describe(thing):
    """A few words on what `thing` is, for a feedback line: "a string, 'x'", "a list of 2 items, [1, 2]".

    Never raises, whatever it is given.
    """
    number = as_number(thing)
    if is_a(thing, Value):
        return f"a Value, {_short(thing)}"
    if is_a(number, float):
        return _short(thing if is_a(thing, (int, float)) else number)
    if thing is None:
        return "None"
    if _is_bool(thing):
        return f"{thing} (a bool)"
    if is_a(thing, str):
        return f"a string, {_short(thing)}"
    if type(thing) is type:
        return f"a class, {_short(thing)}"
    if is_a(thing, FUNCTIONS):
        return f"a function, {_short(thing)}"
    size = _size(thing)
    if size is not None:
        return f"a {type(thing).__name__} of {size} item{'s' if size != 1 else ''}, {_short(thing)}"
    if is_a(thing, int):
        return f"an int too big for a float, {_short(thing)}"
    return f"{type(thing).__name__} {_short(thing)}"


def number_problem(answer):
    """None if `answer` is one real number, else what it is instead and what to do.

    >>> number_problem("0.5")
    "a string, '0.5': write the number without quotes"
    """
    if is_a(as_number(answer), float):
        return None
    what = describe(answer)
    if _is_bool(answer):
        return what + ", not a number"
    if is_a(answer, str):
        return what + ": write the number without quotes"
    if is_a(answer, FUNCTIONS):
        return what + ": call it and give the number it returns"
    if _size(answer) is not None:
        return what + ": give one number here"
    return what


def check_numbers(answers, expected, what="value", tolerance=DEFAULT_TOLERANCE, floor=None,
                  hints=None):
    """Compare named answers with the expected numbers, one feedback line each.

    >>> check_numbers({"a": 6.0, "b": 2.0}, {"a": 6.0, "b": -4.0}, what="grad")
    ✓ a grad = 6.0
    ✗ b grad is 2.0, expected -4.0 (off by +6)
    1 of 2 right.

    `what` names the kind of number after each name; "" leaves it out
    ("✓ a = 6.0"). An answer passes within `tolerance`, relative to the larger
    of the two numbers, or within `floor` of it absolutely (None: the same as
    `tolerance`). For a hand calculation give tolerance=THREE_FIGURES and a
    small floor, so a 3-significant-figure answer passes and 0 does not pass
    for a small number. `hints` maps a name to a sentence shown when that
    answer is wrong. Whatever the answers are, this never raises.
    """
    hints = hints or {}
    floor = tolerance if floor is None else floor
    label = (lambda name: f"{name} {what}") if what else str
    lines, right = [], 0
    for name, want in expected.items():
        got = answers.get(name, Ellipsis)
        if not_done(got):
            lines.append(f"… {label(name)}: not done yet (replace the ... with your answer)")
            continue
        problem = number_problem(got)
        if problem:
            lines.append(f"✗ {label(name)} should be a number, got {problem}")
            continue
        got = as_number(got)
        if _close(got, want, tolerance, floor):
            right += 1
            lines.append(f"✓ {label(name)} = {_fmt(want)}")
        else:
            line = f"✗ {label(name)} is {_fmt(got)}, expected {_fmt(want)}"
            if math.isfinite(got) and math.isfinite(want):
                line += f" (off by {got - want:+.4g})"
            if name in hints:
                line += f". Hint: {hints[name]}"
            lines.append(line)
    total = len(expected)
    lines.append("All right, well done!" if right == total else f"{right} of {total} right.")
    return CheckResult(right == total, lines)


def call_learner(function, *args, name=None, expect_return=False):
    """Run the learner's function: (result, None), or (None, what went wrong).

    The learner's code may raise anything; the check reports it as feedback
    instead of letting a traceback end the lesson. Without `name` the problem
    is the error alone ("TypeError: ..."). With `name` it is a whole sentence
    about that function ("exp raised TypeError: ...", "exp is not a function
    ..."), and with `expect_return` too, a None result is reported as
    "exp returned None — did you forget `return`?".
    """
    if name is not None and not callable(function):
        return None, f"{name} should be a function, got {describe(function)}"
    try:
        result = function(*args)
    except Exception as error:
        problem = error_text(error)
        return None, problem if name is None else f"{name} raised {problem}"
    if expect_return and result is None:
        return None, f"{name or 'your function'} returned None — did you forget `return`?"
    return result, None


def _is_bool(x):
    # numpy's bool is not a Python bool, so look at the type's name too.
    return is_a(x, bool) or type(x).__name__ in ("bool_", "bool")


def _size(x):
    try:
        return len(x)
    except Exception:
        return None


def error_text(error, limit=60):
    """"TypeError: what it says", cut to `limit` characters, for a feedback line; never raises."""
    return f"{type(error).__name__}: {_short(error, quote=False, limit=limit)}"


def _short(x, quote=True, limit=60):
    """A repr (or str) cut to `limit` characters, that never raises."""
    try:
        text = repr(x) if quote else str(x)
    except Exception:
        text = f"<a {type(x).__name__}>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _close(got, want, tolerance, floor):
    if math.isnan(want):
        return math.isnan(got)
    return math.isclose(got, want, rel_tol=tolerance, abs_tol=floor)


def _fmt(x):
    # Not graph.format_number: that one prints a fixed 4 decimals so graph
    # boxes line up, which would show an answer of 0.00012 against an expected
    # 0.0001 as "is 0.0001, expected 0.0001". Feedback needs significant
    # figures: 6 of them, still written as a float (6.0, -4.0, 0.000123).
    return repr(float(f"{x:.6g}"))


def never_raises(check):
    """Decorate a check so that whatever the learner's code does inside it, the
    check answers with a failing line, never a traceback."""
    @functools.wraps(check)
    def guarded(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except Exception as error:
            return CheckResult.failed(f"your code raised {error_text(error, limit=200)}")
    return guarded


def yours_or(yours, check, reference, name, reference_name):
    """The learner's `yours` if `check(yours)` passes, else `reference`, saying so in one line.

    A cell after an exercise shows the learner's own code at work, but it must
    also run, and show something true, before the exercise is done:

        sort = yours_or(build_topo, check_topo, topological_order,
                        "build_topo", "the package's topological_order")
    """
    try:
        passed = bool(check(yours).passed)
    except Exception:                       # a check never raises, but be sure
        passed = False
    if passed:
        return yours
    print(f"(your {name} doesn't pass its check yet, so this cell uses {reference_name})")
    return reference
