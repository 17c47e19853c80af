"""Every number a lesson's prose quotes is one the notebook really computes.

A number in the text of a lesson (its markdown cells) that has a decimal point
or at least three significant digits (0.7071, -8.0, 117) must appear in that
notebook: printed in a stored output, or written in a code cell. It counts as
appearing when an output or code number rounds to it at the prose's own
precision, so "about -7.29" is found in a printed -7.286496. Numbers the prose
states rather than quotes (a definition, a choice the lesson makes) go in the
lesson's allowlist below, each with the reason it needs no output.

To add a lesson: add one block to LESSONS, with an empty allowlist to start.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# ---- the lessons checked, each with its allowlist: {number as written: why} ----
LESSONS = {}

# -- lesson 01 ---------------------------------------------------------------
LESSONS["01_derivatives"] = {}

# -- lesson 02 ---------------------------------------------------------------
LESSONS["02_value_object"] = {
    "3.0": "a float in the example `x = 2.0 * 3.0`, worked out in the same sentence",
}

# -- lesson 03 ---------------------------------------------------------------
LESSONS["03_backprop_by_hand"] = {
    "0.1": "one of the answers the Predict prompt before the uphill step offers",
}

# -- lessons 04-05 -----------------------------------------------------------
LESSONS["04_neuron"] = {}
LESSONS["05_automating_backward"] = {}

# -- lessons 06-08 -----------------------------------------------------------
LESSONS["06_more_operations"] = {}
LESSONS["07_breaking_up_tanh"] = {
    "355": "where e**(2n) passes the largest float: 2n > ln(1.8e308) = 709.8, a fact of floats, not an output",
}
LESSONS["08_mlp"] = {}

# -- lessons 09-11 -----------------------------------------------------------
LESSONS["09_gradient_descent"] = {}
LESSONS["10_classification"] = {}
LESSONS["11_where_next"] = {}

# ---- (add the next lesson's block above this line) --------------------------


NUMBER = re.compile(r"(?<![\w.])[-−]?(?:\d+\.\d+|\.\d+|\d+)(?:[eE][-+−]?\d+)?(?![\w.]*\w)")
LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")


def quoted_numbers(prose):
    """The numbers in `prose` that must be checked: a decimal point, or 3+ significant digits."""
    prose = LINK_TARGET.sub(" ", prose)
    found = []
    for match in NUMBER.finditer(prose):
        text = match.group().replace("−", "-")
        mantissa = re.split(r"[eE]", text)[0].lstrip("-")
        if "." in mantissa:
            found.append(text)
        elif len(mantissa.lstrip("0").rstrip("0")) >= 3:
            found.append(text)
    return found


def all_numbers(text):
    """Every number in code or output text, as floats."""
    numbers = []
    for match in NUMBER.finditer(text.replace("−", "-")):
        try:
            numbers.append(float(match.group()))
        except ValueError:
            pass
    return numbers


def shown_as(number_text, numbers):
    """True if some number rounds to `number_text` at the precision it is written with."""
    want = float(number_text)
    mantissa = re.split(r"[eE]", number_text)[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(re.split(r"[eE]", number_text)[1]) if re.search(r"[eE]", number_text) else 0
    half_unit = 0.5 * 10.0 ** (exponent - decimals)
    return any(abs(x - want) <= half_unit * (1 + 1e-9) for x in numbers)


def notebook_parts(path):
    """(prose, everything computed or written in code) of a stored notebook."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    prose, computed = [], []
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            prose.append(source)
            continue
        computed.append(source)
        for output in cell.get("outputs", []):
            computed.append("".join(output.get("text", "")))
            computed.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(prose), "\n".join(computed)


def unbacked_numbers(prose, computed, allowed):
    numbers = all_numbers(computed)
    return sorted({n for n in quoted_numbers(prose) if n not in allowed and not shown_as(n, numbers)})


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_every_number_in_the_prose_is_computed(lesson):
    prose, computed = notebook_parts(NOTEBOOKS / f"{lesson}.ipynb")
    missing = unbacked_numbers(prose, computed, LESSONS[lesson])
    assert not missing, (f"{lesson}: the prose quotes {missing}, which no output or code of the "
                         "notebook shows. Print it where the prose discusses it, fix the prose, "
                         "or add it to the lesson's allowlist with the reason.")


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_allowlists_hold_only_numbers_the_prose_still_quotes(lesson):
    prose, _ = notebook_parts(NOTEBOOKS / f"{lesson}.ipynb")
    stale = set(LESSONS[lesson]) - set(quoted_numbers(prose))
    assert not stale, f"{lesson}: the allowlist names {sorted(stale)}, which the prose no longer quotes"


# ---- the finder itself can fail ---------------------------------------------

def test_finder_picks_decimals_and_three_significant_digits_only():
    prose = ("L went from -8 to about −7.29, up by 0.72; 117 Values, 41 parameters, "
             "lesson 04, h = 1e-5, 1000 steps, 2.5e-3, x = 3, 0.0001.")
    assert quoted_numbers(prose) == ["-7.29", "0.72", "117", "2.5e-3", "0.0001"]


def test_finder_ignores_link_targets_and_words_with_digits():
    prose = "[the lecture](https://www.youtube.com/watch?v=VMj-3S1tku0), a v2.1x node, float32, 1280x800"
    assert quoted_numbers(prose) == []


def test_a_rounded_quote_is_found_and_a_drifted_one_is_not():
    computed = "print(L)\nL went from -8 to -7.286496, up by 0.713504\n"
    numbers = all_numbers(computed)
    assert shown_as("-7.29", numbers) and shown_as("0.71", numbers) and shown_as("0.7135", numbers)
    assert not shown_as("-7.28", numbers)       # a slip in the last digit
    assert not shown_as("7.29", numbers)        # the sign matters
    assert not shown_as("0.72", numbers)
    assert unbacked_numbers("about -7.29, and 0.72 predicted", computed, {}) == ["0.72"]
    assert unbacked_numbers("about -7.29, and 0.72 predicted", computed, {"0.72": "a reason"}) == []
