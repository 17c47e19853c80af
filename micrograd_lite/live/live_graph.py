"""`live_graph`: sliders that redraw the annotated graph while you drag.

Each move runs the forward pass and `backward()` again, highlights the nodes
whose numbers changed and colours each grad by its sign and size. The picture
is laid out once (see layout.py) and only its numbers are rewritten, which is
what keeps a drag smooth on an MLP-sized graph.
"""

import math

import ipywidgets as widgets

from ..engine import Value, backpropagate, topological_order
from ..render import render
from ..graph import MAX_NODES, ComputationGraph, GraphTooLarge, draw_dot
from .layout import NEGATIVE, POSITIVE, GraphLayout, node_texts, structure
from .widgets import StaticPictureMixin, layered_picture

PNG_MAX_NODES = 40


def live_graph(build, rankdir="LR", max_nodes=MAX_NODES, **sliders):
    """Sliders for the inputs of `build`, and its graph redrawn as they move.

    >>> w = live_graph(lambda a, b, c, f: (a*b + c) * f,
    ...                a=(-4, 4, 2.0), b=(-4, 4, -3.0), c=(-10, 10, 10.0), f=(-4, 4, -2.0))
    >>> w.root.data, w.sliders["a"].value
    (-8.0, 2.0)
    >>> w.set(a=3.0); w.root.data
    -2.0

    Show `w` as the last line of a cell to get the sliders and the picture.

    `build` receives one `Value` per slider, not a float, so that `a*b` builds
    a graph and the gradients reach the sliders' inputs. Each input is labelled
    with its slider's name; set another label inside `build` if you like. Give
    other nodes a label there too (`e = a*b; e.label = "e"`) to see it drawn.

    Each slider is `name=(min, max, value)` or `name=(min, max, value, step)`;
    `name=(min, max)` starts in the middle. The default step is a round number
    near (max - min) / 200.

    The grads shown are d(output)/d(node) for the current slider values: before
    each `backward()` the widget sets the grads of the graph's leaves to zero
    (your model's parameters too, if `build` uses one), so they never pile up.

    If `build` makes a graph of another shape for some values (an `if` on
    `a.data`, say), the picture is laid out again; so it is when a number
    grows too wide for its field (each field has room for two more characters
    than the number it was laid out for). Maths that breaks (log of a
    negative number, division by zero) shows `nan` or `inf`; an exception in
    `build` is reported under the sliders and the last good picture stays.
    """
    if not callable(build):
        raise TypeError("live_graph needs a function as its first argument, e.g. "
                        "live_graph(lambda a, b: a * b, a=(-3, 3, 2.0), b=(-3, 3, -1.0))")
    if not sliders:
        raise TypeError("live_graph needs at least one slider, e.g. a=(-3, 3, 2.0)")
    return LiveGraph(build, sliders, rankdir=rankdir, max_nodes=max_nodes)


def slider_spec(name, spec):
    """(min, max[, value[, step]]) -> (min, max, value, step), checked."""
    if not isinstance(spec, (tuple, list)) or not 2 <= len(spec) <= 4:
        raise TypeError(f"slider {name!r} should be (min, max, value) or (min, max, value, step), not {spec!r}")
    try:
        numbers = [float(x) for x in spec]
    except (TypeError, ValueError):
        raise TypeError(f"slider {name!r} should hold numbers, not {spec!r}") from None
    lo, hi = numbers[0], numbers[1]
    if not lo < hi:
        raise ValueError(f"slider {name!r}: min ({lo:g}) must be less than max ({hi:g})")
    value = numbers[2] if len(numbers) > 2 else (lo + hi) / 2
    if not lo <= value <= hi:
        raise ValueError(f"slider {name!r}: the start value {value:g} is outside [{lo:g}, {hi:g}]")
    step = numbers[3] if len(numbers) > 3 else round_step((hi - lo) / 200)
    if not step > 0:
        raise ValueError(f"slider {name!r}: the step must be positive, not {step:g}")
    return lo, hi, value, step


def round_step(raw):
    """The 1, 2 or 5 times a power of ten nearest to `raw` (on a log scale)."""
    power = 10.0 ** math.floor(math.log10(raw))
    best = min((1, 2, 5, 10), key=lambda m: abs(math.log10(m * power / raw)))
    return float(f"{best * power:.12g}")


def _decimals(step):
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


class LiveGraph(StaticPictureMixin, widgets.VBox):
    """The widget `live_graph` returns. Useful attributes for lessons and tests:

    `sliders` (name -> FloatSlider), `root` (the output Value of the last
    build), `nodes` (its Values, in topological order), `highlighted` (indices
    into `nodes` whose numbers changed in the last move), `error` (the message
    shown when `build` raised, else ""), `set(**values)`, and the two HTML
    layers of the picture, `static_layer` (sent once per layout) and
    `numbers_layer` (rewritten on every move).
    """

    def __init__(self, build, sliders, rankdir="LR", max_nodes=MAX_NODES):
        self._build = build
        self._rankdir = rankdir
        self._max_nodes = max_nodes
        self._quiet = False               # set() changes several sliders, then renders once
        self.sliders = {}
        # One label width for all, so the slider tracks line up.
        label_width = f"{max(len(n) for n in sliders) * 0.6 + 1.2:.1f}em"
        for name, spec in sliders.items():
            lo, hi, value, step = slider_spec(name, spec)
            self.sliders[name] = widgets.FloatSlider(
                value=value, min=lo, max=hi, step=step, description=name,
                readout_format=f".{max(_decimals(step), 1)}f", continuous_update=True,
                style={"description_width": label_width},
                layout=widgets.Layout(width="420px"))
        self._status = widgets.HTML(layout=widgets.Layout(margin="0 0 0 4px"))
        self._status_error = ""           # what the status shows; None = just the legend
        self.numbers_layer, self.static_layer, picture = layered_picture()
        self.layout_runs = 0              # how often `dot` ran: once unless the shape changed
        self.renders = 0
        self.error = ""
        self._layout = None
        self._shown = None                # the texts now on screen, to find what changed
        self.highlighted = []
        root, nodes = self._run(self._values())   # a broken build fails here, loudly, once
        self._show(root, nodes)
        super().__init__(children=[widgets.VBox(list(self.sliders.values())), self._status, picture])
        self.add_class("mgl-live-graph")
        for slider in self.sliders.values():
            slider.observe(self._on_move, names="value")

    # ---- what a move does -------------------------------------------------

    def _values(self):
        return {name: s.value for name, s in self.sliders.items()}

    def _run(self, values):
        inputs = {name: Value(x, label=name) for name, x in values.items()}
        root = self._build(**inputs)
        if not isinstance(root, Value):
            raise TypeError(f"build should return the output Value, not {type(root).__name__} {root!r}")
        nodes = topological_order(root)
        if len(nodes) > self._max_nodes:
            raise GraphTooLarge(f"this graph has {len(nodes):,} Values, more than max_nodes={self._max_nodes}")
        # Not root.backward(): that would sort the graph a second time and add
        # this move's grads to whatever a Value captured by `build` already had.
        for v in nodes:
            v.grad = 0.0
        root.grad = 1.0
        backpropagate(nodes)
        return root, nodes

    def _on_move(self, change=None):
        if self._quiet:
            return
        # Always read every slider now, not the value in `change`: whatever
        # messages came before, the picture ends on the sliders' final values.
        try:
            root, nodes = self._run(self._values())
        except Exception as exc:          # a learner's build may raise; report it, no traceback
            self.error = f"{type(exc).__name__}: {exc}"
            self._status.value = _status_html(self.error)
            self._status_error = self.error
            return
        self._show(root, nodes)

    def _show(self, root, nodes):
        self.root, self.nodes = root, nodes
        texts = node_texts(nodes)
        shown = [t[:2] for t in texts]
        same_shape = self._layout is not None and self._layout.structure == structure(nodes)
        if not same_shape or not self._layout.fits(texts):
            # A new shape, or a number too wide for its field: lay out again.
            self._layout = GraphLayout(nodes, self._rankdir, texts)
            self.layout_runs += 1
            self.static_layer.value = self._layout.static_svg
        if same_shape:
            self.highlighted = [i for i, (old, new) in enumerate(zip(self._shown, shown)) if old != new]
        else:
            self.highlighted = []         # a new shape: nothing to compare with
        self._shown = shown
        self.renders += 1
        self.error = ""
        self.numbers_layer.value = self._layout.numbers_svg(texts, self.highlighted, seq=self.renders)
        if self._status_error is not None:    # only when an error message has to go
            self._status.value = _status_html("")
            self._status_error = None

    def set(self, **values):
        """Move several sliders at once (one redraw), e.g. `w.set(a=1.0, b=2.0)`."""
        unknown = set(values) - set(self.sliders)
        if unknown:
            raise KeyError(f"no slider named {sorted(unknown)}; the sliders are {list(self.sliders)}")
        self._quiet = True
        try:
            for name, x in values.items():
                self.sliders[name].value = x
        finally:
            self._quiet = False
        self._on_move()

    # ---- what is saved with the notebook ----------------------------------

    def to_text(self):
        """The slider values and the graph as a table: deterministic, for nbval."""
        values = ", ".join(f"{k}={v:g}" for k, v in self._values().items())
        return f"live graph ({values})\n" + ComputationGraph(self.nodes).to_text()

    def static_svg(self):
        texts = node_texts(self.nodes)
        return self._layout.full_svg(texts, self.highlighted)

    def static_png(self):
        # The PNG is for viewers that hide SVG (an untrusted notebook). For a big
        # graph it weighs ~1 MB in the .ipynb and the SVG and the table already
        # carry it, so only small graphs get one.
        if len(self.nodes) > PNG_MAX_NODES:
            return None
        return render(draw_dot(self.root, rankdir=self._rankdir, max_nodes=self._max_nodes), "png")


def _status_html(error):
    legend = (f'<span style="font-size:90%;color:#444">grad colour: '
              f'<b style="color:{POSITIVE}">blue &gt; 0</b>, <b style="color:{NEGATIVE}">red &lt; 0</b>, '
              f'stronger = larger |grad| &nbsp;·&nbsp; '
              f'<span style="background:#ffd21f73">&nbsp;highlight&nbsp;</span> = changed by the last move</span>')
    if not error:
        return legend
    message = error.replace("&", "&amp;").replace("<", "&lt;")
    return (f'<span class="mgl-error" style="color:{NEGATIVE}">build raised {message}; '
            f'the picture shows the last values that worked.</span><br>' + legend)
