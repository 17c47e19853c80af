"""timing_button without a browser: what it saves, what pressing it prints, bad input."""

import io
import time

import pytest
from PIL import Image

from micrograd_lite.live.timer import TimingButton, timing_button


def test_saved_output_is_a_picture_of_the_button_and_a_line_of_text():
    bundle, metadata = timing_button(lambda: None, "Time one step")._repr_mimebundle_()
    assert bundle["text/plain"] == "[Time one step]  run the notebook to time a step"
    assert "VBox" not in bundle["text/plain"] and "application/vnd.jupyter.widget-view+json" in bundle
    picture = Image.open(io.BytesIO(bundle["image/png"]))
    size = metadata["image/png"]
    assert picture.size == (size["width"] * 2, size["height"] * 2)      # drawn at 2x, shown at 1x
    assert 200 < size["width"] < 600 and 20 < size["height"] < 40
    again, _ = timing_button(lambda: None, "Time one step")._repr_mimebundle_()
    assert again["image/png"] == bundle["image/png"]                    # deterministic


def test_the_picture_grows_with_its_words():
    short, _ = timing_button(len, "Go", note="run it")._repr_mimebundle_()
    long, _ = timing_button(len, "Time one training step", note="run the notebook to time a step")._repr_mimebundle_()
    assert Image.open(io.BytesIO(short["image/png"])).width < Image.open(io.BytesIO(long["image/png"])).width


def test_pressing_it_times_one_function_into_its_output():
    calls = []

    def step():
        calls.append(1)
        print("this is not shown")
        time.sleep(0.05)

    button = timing_button(step, "Time one step")
    button.button.click()                                   # what a click does in a kernel
    (shown,) = button.output.outputs
    text = shown["text"]
    assert text.startswith("step  ") and " ms per call (" in text and "not shown" not in text
    assert len(calls) >= 2                                  # timeit calls until ~0.2 s
    assert not button.button.disabled


def test_several_functions_are_compared_with_the_first():
    text = timing_button({"slow": lambda: time.sleep(0.02), "fast": lambda: None}).run()
    lines = text.splitlines()
    assert lines[0].startswith("slow  ") and lines[1].startswith("fast  ")
    assert " times faster than slow" in lines[2] and lines[2].startswith("fast is about ")


def test_pressing_it_twice_shows_only_the_last_times():
    button = timing_button(lambda: None)
    button.run()
    button.run()
    assert len(button.output.outputs) == 1


def test_a_failing_function_is_reported_not_raised():
    def broken():
        return 1 / 0

    text = timing_button(broken).run()
    assert text == "broken failed: ZeroDivisionError: division by zero"


@pytest.mark.parametrize("function, error, words", [
    ({}, ValueError, "empty dict"),
    (3.5, TypeError, "is a float: pass it without calling it"),
    ({"step": None}, TypeError, "'step' is a NoneType"),
])
def test_something_that_is_not_a_function_is_refused_by_name(function, error, words):
    with pytest.raises(error, match=words):
        TimingButton(function)
