"""`timing_button`: a button that times code when pressed, and prints the times under itself.

Why a button and not a timed cell? Times differ on every run and machine, so
they don't belong in the stored notebook, which nbval compares output by
output: the button shows them only when pressed. Where no kernel runs (the
course pages, a notebook not yet run or not trusted) a bare widget would be
saved as `VBox(children=(Button(...`; this one saves a picture of itself
(a PNG, which JupyterLab shows even in an untrusted notebook) and a line of
text, each saying to run the notebook.
"""

import contextlib
import io
import timeit

import ipywidgets as widgets

_SCALE = 2                    # the picture is drawn at twice its size, for sharp text on high-dpi screens


def timing_button(function, description="Time one step", note="run the notebook to time a step"):
    """A button that times `function()` when pressed and prints how long one call takes.

    `function` is a function of no arguments, or a dict of them by name; each
    is called as many times as it takes to fill about 0.2 s (at least once),
    and with several the times are compared with the first. What they print
    or return is not shown.

    >>> import time
    >>> button = timing_button({"sleep 10 ms": lambda: time.sleep(0.01),
    ...                         "sleep 1 ms": lambda: time.sleep(0.001)}, "Time both")
    >>> button
    [Time both]  run the notebook to time a step
    >>> print(button.run())          # what pressing the button prints  # doctest: +SKIP
    sleep 10 ms   10.1 ms per call (20 calls)
    sleep 1 ms    1.07 ms per call (200 calls)
    sleep 1 ms is about 9.4 times faster than sleep 10 ms
    """
    return TimingButton(function, description=description, note=note)


class TimingButton(widgets.VBox):
    """The widget `timing_button` returns: `button`, and `output` that shows the times.

    `run()` times the functions, shows the result in `output` and returns it as text.
    """

    def __init__(self, function, description="Time one step", note="run the notebook to time a step"):
        functions = function if isinstance(function, dict) else {getattr(function, "__name__", "it"): function}
        if not functions:
            raise ValueError("timing_button needs a function to time, or a dict of them by name; got an empty dict")
        for name, f in functions.items():
            if not callable(f):
                raise TypeError(f"timing_button times functions of no arguments; {name!r} is a "
                                f"{type(f).__name__}: pass it without calling it, e.g. f, not f()")
        self.functions = dict(functions)
        self.description, self.note = str(description), str(note)
        self.button = widgets.Button(description=self.description, icon="clock-o",
                                     layout=widgets.Layout(width="auto"))
        self.output = widgets.Output()
        self.button.on_click(lambda _: self.run())
        super().__init__(children=[self.button, self.output])
        self.add_class("mgl-timing-button")

    def run(self):
        """Time every function, show the result below the button, and return it."""
        self.output.outputs = ()               # the last times only (clear_output needs a kernel)
        self.button.disabled = True            # one timing at a time: a second click would wait behind it
        try:
            text = self._time_all()
        finally:
            self.button.disabled = False
        self.output.append_stdout(text + "\n")
        return text

    def _time_all(self):
        times = {}
        for name, f in self.functions.items():
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    calls, seconds = timeit.Timer(f).autorange()
            except Exception as exc:           # the learner's code failed: say so, no traceback
                return f"{name} failed: {type(exc).__name__}: {exc}"
            times[name] = (seconds / calls, calls)
        width = max(len(name) for name in times)
        lines = [f"{name:<{width}}  {_duration(each)} per call ({calls:,} call{'s' if calls > 1 else ''})"
                 for name, (each, calls) in times.items()]
        (first, (base, _)), *others = times.items()
        for name, (each, _) in others:
            ratio = base / each if each else float("inf")
            word = "faster" if ratio >= 1 else "slower"
            lines.append(f"{name} is about {_ratio(ratio if ratio >= 1 else 1 / ratio)} times {word} than {first}")
        return "\n".join(lines)

    # ---- what is saved with the notebook ----------------------------------

    def to_text(self):
        return f"[{self.description}]  {self.note}"

    def __repr__(self):
        return self.to_text()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.to_text()
        png, (width, height) = button_picture(self.description, self.note)
        bundle["image/png"] = png
        return bundle, {"image/png": {"width": width, "height": height}}


def button_picture(description, note):
    """A PNG of a button labelled `description` with `note` beside it, and its size in CSS px."""
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont

    def font(style):
        path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", style=style))
        return ImageFont.truetype(path, 13 * _SCALE)

    label, aside = font("normal"), font("italic")
    pad, gap, height = 10 * _SCALE, 12 * _SCALE, 28 * _SCALE
    button_width = int(label.getlength(description)) + 2 * pad
    width = button_width + gap + int(aside.getlength(note)) + pad
    image = Image.new("RGB", (width, height + 2 * _SCALE), "white")
    draw = ImageDraw.Draw(image)
    # Drawn like JupyterLab's light-theme button: grey face, dark text.
    draw.rounded_rectangle((0, _SCALE, button_width, height), radius=2 * _SCALE, fill="#eeeeee",
                           outline="#9e9e9e", width=_SCALE)
    middle = (height + _SCALE) // 2
    draw.text((pad, middle), description, font=label, fill="#212121", anchor="lm")
    draw.text((button_width + gap, middle), note, font=aside, fill="#424242", anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return buffer.getvalue(), (image.width // _SCALE, image.height // _SCALE)


def _duration(seconds):
    """Three significant figures in ms (or µs below 0.1 ms): 184 ms, 1.07 ms, 23.4 µs."""
    ms = seconds * 1e3
    if ms >= 0.1:
        return f"{ms:#.3g} ms".replace(". ", " ")
    return f"{ms * 1e3:#.3g} µs".replace(". ", " ")


def _ratio(ratio):
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.1f}"
