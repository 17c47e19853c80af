"""The helpers every exercise check is built on: any one-number answer is
accepted, anything else gets one line naming it, and nothing ever raises."""

import math

import numpy as np
import pytest

from micrograd_lite import Value
from micrograd_lite.exercises import (
    THREE_FIGURES,
    CheckResult,
    as_number,
    call_learner,
    check_numbers,
    describe,
    number_problem,
)


def text(result):
    return repr(result)


# ---- as_number / number_problem --------------------------------------------

@pytest.mark.parametrize("answer", [
    -22.0, -22, Value(-22.0), np.float32(-22.0), np.float64(-22.0), np.int64(-22),
    np.float16(-22.0), np.array(-22.0), np.array(-22, dtype=np.int32),
])
def test_every_form_of_one_number_is_that_number(answer):
    assert as_number(answer) == -22.0
    assert isinstance(as_number(answer), float)
    assert number_problem(answer) is None


@pytest.mark.parametrize("answer, words", [
    ("0.5", "a string, '0.5': write the number without quotes"),
    (True, "True (a bool), not a number"),
    (np.bool_(False), "False (a bool), not a number"),
    ([1.0, 2.0], "a list of 2 items"),
    ((3.0,), "a tuple of 1 item,"),
    (np.array([1.0, 2.0]), "a ndarray of 2 items"),
    ({"a": 1}, "a dict of 1 item"),
    (None, "None"),
    (print, "a function"),
    (10 ** 400, "an int too big for a float"),
    (object(), "object <object object at"),
    (3 + 4j, "complex (3+4j)"),
])
def test_anything_else_is_named(answer, words):
    assert as_number(answer) is answer
    assert words in number_problem(answer)


@pytest.mark.parametrize("thing, words", [
    (1, "1"), (2.5, "2.5"), (np.float32(1.5), "1.5"), (Value(2.0), "a Value, Value(data=2.0"),
    ("x", "a string, 'x'"), (None, "None"), ([1], "a list of 1 item, [1]"), (print, "a function"),
])
def test_describe_says_what_anything_is(thing, words):
    assert describe(thing).startswith(words)


def test_a_repr_that_raises_is_still_described():
    class Odd:
        def __repr__(self):
            raise RuntimeError("no")
    assert describe(Odd()) == "Odd <a Odd>"
    assert check_numbers({"x": Odd()}, {"x": 1.0}).lines[0] == "✗ x value should be a number, got Odd <a Odd>"


def test_a_huge_repr_is_cut_short():
    assert len(number_problem("x" * 10_000)) < 120


# ---- check_numbers -----------------------------------------------------------

def test_right_and_wrong_answers_get_a_line_each():
    result = check_numbers({"a": 6.0, "b": 2.0}, {"a": 6.0, "b": -4.0}, what="grad",
                           hints={"b": "look at the sign"})
    assert not result.passed
    assert result.lines == [
        "✓ a grad = 6.0",
        "✗ b grad is 2.0, expected -4.0 (off by +6). Hint: look at the sign",
        "1 of 2 right.",
    ]


def test_numpy_scalars_zero_d_arrays_and_values_pass():
    answers = {"a": np.float32(0.1), "b": np.array(-3.0), "c": Value(2.0), "d": np.int64(7)}
    result = check_numbers(answers, {"a": 0.1, "b": -3.0, "c": 2.0, "d": 7.0})
    assert result.passed, text(result)


def test_empty_what_leaves_no_double_space():
    result = check_numbers({"o": 0.5, "p": ...}, {"o": 0.5, "p": 1.0, "q": 2.0}, what="")
    assert result.lines[:3] == [
        "✓ o = 0.5",
        "… p: not done yet (replace the ... with your answer)",
        "… q: not done yet (replace the ... with your answer)",
    ]
    # the old per-lesson patch for what="" still leaves the lines as they are
    patched = [line.replace("  ", " ").replace(" :", ":") for line in result.lines]
    assert patched == result.lines


@pytest.mark.parametrize("junk", [
    None, "0.5", [1.0], {"x"}, {}, True, float("nan"), math.inf, print, object(), 10 ** 400,
    np.array([1.0, 2.0]), Value(float("nan")),
])
def test_junk_never_raises_and_never_passes(junk):
    result = check_numbers({"x": junk}, {"x": 1.0})
    assert isinstance(result, CheckResult) and not result.passed
    assert len(result.lines) == 2


def test_a_non_number_is_named_on_its_line():
    line = check_numbers({"x": "1.0"}, {"x": 1.0}).lines[0]
    assert line == "✗ x value should be a number, got a string, '1.0': write the number without quotes"
    line = check_numbers({"x": [1.0]}, {"x": 1.0}, what="").lines[0]
    assert line.startswith("✗ x should be a number, got a list of 1 item")


def test_nan_is_right_only_where_nan_is_expected():
    assert check_numbers({"x": float("nan")}, {"x": float("nan")}).passed
    result = check_numbers({"x": float("nan")}, {"x": 1.0})
    assert result.lines[0] == "✗ x value is nan, expected 1.0"


def test_default_tolerance_is_tight():
    assert check_numbers({"x": -0.70711}, {"x": -0.7071067811865476}).passed
    assert not check_numbers({"x": -0.707}, {"x": -0.7071067811865476}).passed


@pytest.mark.parametrize("answer, want", [
    (-0.707, -0.7071067811865476), (0.101, 0.1005), (1.00, 1.004999), (-22.0, -21.99997),
    (0.000123, 0.00012345), (117.0, 117.4),
])
def test_three_figures_pass_a_hand_calculation(answer, want):
    assert check_numbers({"x": answer}, {"x": want}, tolerance=THREE_FIGURES, floor=1e-9).passed


@pytest.mark.parametrize("answer, want", [
    (-0.70, -0.7071067811865476), (0.0, 0.00012345), (118.0, 117.4), (0.71, -0.7071),
])
def test_three_figures_still_reject_a_wrong_answer(answer, want):
    assert not check_numbers({"x": answer}, {"x": want}, tolerance=THREE_FIGURES, floor=1e-9).passed


def test_floor_defaults_to_the_tolerance_so_near_zero_still_passes():
    assert check_numbers({"x": 5e-5}, {"x": 0.0}).passed
    assert not check_numbers({"x": 5e-5}, {"x": 0.0}, floor=1e-9).passed


def test_small_numbers_are_shown_with_their_figures():
    line = check_numbers({"x": 0.00012}, {"x": 0.0001}, tolerance=1e-6, floor=1e-9).lines[0]
    assert line == "✗ x value is 0.00012, expected 0.0001 (off by +2e-05)"


# ---- call_learner --------------------------------------------------------------

def test_call_learner_returns_the_result():
    assert call_learner(lambda x, y: x + y, 2, 3) == (5, None)
    assert call_learner(lambda: 0.0, name="f", expect_return=True) == (0.0, None)


def test_call_learner_reports_an_error_without_raising():
    def broken(x):
        raise ValueError("bad x")
    assert call_learner(broken, 1) == (None, "ValueError: bad x")
    assert call_learner(broken, 1, name="exp") == (None, "exp raised ValueError: bad x")


def test_call_learner_reports_a_forgotten_return_on_request():
    def no_return(x):
        x + 1
    assert call_learner(no_return, 1) == (None, None)            # the old behaviour
    assert call_learner(no_return, 1, name="exp", expect_return=True) == (
        None, "exp returned None — did you forget `return`?")


def test_call_learner_names_something_that_is_not_a_function():
    assert call_learner(3.0, name="step") == (None, "step should be a function, got 3.0")
    assert call_learner("f", name="step")[1].startswith("step should be a function, got a string")


def test_call_learner_survives_an_error_that_cannot_be_printed():
    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no")

    def raises():
        raise Unprintable()
    result, problem = call_learner(raises, name="f")
    assert result is None and problem.startswith("f raised Unprintable: <a Unprintable>")


def test_assert_passed_is_silent_on_success_and_loud_on_failure():
    assert CheckResult(True, ["✓"]).assert_passed() is None
    with pytest.raises(AssertionError, match="the reference solution fails its check:\n✗ x"):
        CheckResult(False, ["✗ x"]).assert_passed()
