"""`live_graph`: sliders that redraw the annotated graph while you drag.

Each move runs the forward pass and `backward()` again, highlights the nodes
whose numbers changed and colours each grad by its sign and size. The picture
is laid out once (see layout.py) and only its numbers are rewritten, which is
what keeps a drag smooth on an MLP-sized graph.
"""

import math

import ipywidgets as widgets

from ..engine import Value, backpropagate, topological_order
from ..graph import MAX_NODES, ComputationGraph, check_rankdir, check_size, escape, node_cells, text_table
from .layout import GraphLayout, node_texts, structure
from .page_record import attach_page_record
from .picture import ERROR_STYLE, SizeChoice, StaticPictureMixin, layered_picture, legend_html

# The PNG is for viewers that hide SVG (an untrusted notebook). For a big graph
# it weighs ~1 MB in the .ipynb and the SVG and the table already carry it, so
# only graphs up to this size get one.
PNG_MAX_NODES = 40


def live_graph(build, rankdir="auto", max_nodes=MAX_NODES, **sliders):
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

    `rankdir="auto"` draws left to right when that fits the notebook and top
    to bottom when that is narrower; "LR" or "TB" insist. A graph too big for
    the notebook says how big it is and offers fit to width or natural size.

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
    check_rankdir(rankdir)
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
    shown when `build` raised, else ""), `set(**values)`, `status` (the HTML
    line with the legend and any error), `graph_layout` (the GraphLayout in
    use), `rankdir` (the direction drawn), `size_choice` (fit to width or
    natural size, shown for a graph wider than the notebook), and the two HTML
    layers of the picture, `static_layer` (sent once per layout) and
    `numbers_layer` (rewritten on every move).
    """

    def __init__(self, build, sliders, rankdir="auto", max_nodes=MAX_NODES):
        self.build = build                # the learner's function (the course pages' record re-runs it)
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
        self.status = widgets.HTML(layout=widgets.Layout(margin="0 0 0 4px"))
        self._status_error = ""           # what the status shows; None = just the legend
        self.numbers_layer, self.static_layer, picture = layered_picture()
        self.size_choice = SizeChoice(self._on_size)
        self.layout_runs = 0              # how often `dot` ran: once unless the shape changed
        self.renders = 0
        self.error = ""
        self.graph_layout = None
        self._shown = None                # the texts now on screen, to find what changed
        self.highlighted = []
        root, nodes = self._run(self._values())   # a broken build fails here, loudly, once
        self._show(root, nodes)
        super().__init__(children=[widgets.VBox(list(self.sliders.values())), self.status,
                                   self.size_choice.box, picture])
        self.add_class("mgl-live-graph")
        attach_page_record(self)
        for slider in self.sliders.values():
            slider.observe(self._on_move, names="value")

    # ---- what a move does -------------------------------------------------

    def _values(self):
        return {name: s.value for name, s in self.sliders.items()}

    def _run(self, values):
        inputs = {name: Value(x, label=name) for name, x in values.items()}
        root = self.build(**inputs)
        if not isinstance(root, Value):
            raise TypeError(f"build should return the output Value, not {type(root).__name__} {root!r}")
        nodes = topological_order(root)
        check_size(nodes, self._max_nodes)
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
            self.status.value = _status_html(self.error)
            self._status_error = self.error
            return
        self._show(root, nodes)

    def _show(self, root, nodes):
        self.root, self.nodes = root, nodes
        texts = node_texts(nodes)
        shown = [t[:2] for t in texts]
        same_shape = self.graph_layout is not None and self.graph_layout.structure == structure(nodes)
        if not same_shape or not self.graph_layout.fits(texts):
            # A new shape, or a number too wide for its field: lay out again.
            self.graph_layout = GraphLayout(nodes, self._rankdir, texts)
            self.graph_layout.fit_width = self.size_choice.buttons.value == "fit"
            self.layout_runs += 1
            self.static_layer.value = self.graph_layout.static_svg
            self.size_choice.show(self.graph_layout, len(nodes))
        if same_shape:
            self.highlighted = [i for i, (old, new) in enumerate(zip(self._shown, shown)) if old != new]
        else:
            self.highlighted = []         # a new shape: nothing to compare with
        self._shown = shown
        self.renders += 1
        self.error = ""
        self.numbers_layer.value = self.graph_layout.numbers_svg(texts, self.highlighted, seq=self.renders,
                                                                 hold=True)
        if self._status_error is not None:    # only when an error message has to go
            self.status.value = _status_html("")
            self._status_error = None

    def _on_size(self, choice):
        """Fit to width or natural size, for a graph wider than the notebook."""
        self.graph_layout.fit_width = choice == "fit"
        self.static_layer.value = self.graph_layout.static_svg
        self.numbers_layer.value = self.graph_layout.numbers_svg(node_texts(self.nodes), self.highlighted,
                                                                 seq=self.renders, hold=True)

    @property
    def rankdir(self):
        """The direction the picture is drawn in now: "LR" or "TB" (or what you asked for)."""
        return self.graph_layout.rankdir

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
        return f"live graph ({values})\n" + text_table(self.nodes)

    def static_picture(self):
        """What the saved output shows: the graph as draw_dot draws it, in the same direction."""
        graph = ComputationGraph(self.nodes, self.graph_layout.rankdir, node_cells(self.nodes))
        if len(self.nodes) > PNG_MAX_NODES:
            graph.png_allowed = False
        return graph


def _status_html(error):
    legend = legend_html(highlight_text="changed by the last move")
    if not error:
        return legend
    return (f'<div class="mgl-error" style="{ERROR_STYLE}">build raised {escape(error)}; '
            f'the picture shows the last values that worked.</div>' + legend)
