"""What a course page needs to run a live widget with no Python behind it.

The course pages (`make book`) show each widget from the state saved when its
notebook ran. Saved alone, that state is a snapshot: a slider moves its handle
while the graph keeps its old numbers. So each widget also saves a *record*,
a small JSON document that `book/_static/live_pages.js` turns back into a
working widget:

    live graph   the graph's ops in topological order, which leaves the
                 sliders set and the constants, so the page recomputes every
                 node's data and grad (the engine's maths, in JavaScript)
    stepper      every step of the backward pass: its text and its picture
    training     a run recorded when the notebook executed: the loss curve
                 and the picture every few steps, played back by Play

The record rides in the saved widget state as one hidden child,
`<code class="mgl-record" hidden>JSON</code>` inside an `ipywidgets.HTML`:
`attach_page_record(widget)` adds it. In JupyterLab it does nothing at all.

The numbers layer. The page redraws a live graph's numbers in a copy of the
numbers layer Python draws (`GraphLayout.numbers_svg`), drawn once with every
optional piece present (each node's highlight and grad colour) and tagged:

    data-mgl-node="i"                        on every element that belongs to node i
    data-mgl-field="data" | "grad"           a <tspan> holding just the number
    data-mgl-field="grad-fill"               the grad field's <rect>: fill, fill-opacity
    data-mgl-field="mark-fill" | "mark-line" the highlight: fill resp. stroke colour

A numbers layer that already carries these attributes is used as it is;
otherwise `numbers_template` tags the layer layout.py draws today.

JSON has no inf or nan, so non-finite numbers travel as the strings "inf",
"-inf" and "nan".
"""

import base64
import html
import io
import json
import math
import os
import xml.etree.ElementTree as ET

import ipywidgets as widgets

from ..engine import Value, topological_order
from .layout import SVG_NS, GraphLayout, node_texts, structure

RECORD_CLASS = "mgl-record"
RECORD_SETTING = "MICROGRAD_LITE_PAGE_RECORD"
VERSION = 1

# Ops the page knows how to recompute, as Value names them (`**2` is a number
# exponent, `-` with one input is negation).
PAGE_OPS = ("+", "-", "*", "/", "**", "exp", "log", "tanh", "sigmoid", "relu")

# A recorded training run: how many steps, and a picture every how many.
TRAINING_STEPS = 60
TRAINING_FRAMES = 15


def attach_page_record(widget):
    """Add the record of `widget` to its saved state, and keep it up to date.

    The one line each live widget's `__init__` ends with:
    `attach_page_record(self)`. It never raises: a widget the page cannot
    replay gets a record saying why, and the page shows it as a snapshot.

    It records only while a lesson is executed for its stored outputs
    (tools/sync_notebooks.py sets MICROGRAD_LITE_PAGE_RECORD=1): a learner's
    own run neither waits for it (a training view's record trains a run) nor
    sends it to the browser. Otherwise it returns None.
    """
    if not os.environ.get(RECORD_SETTING):
        return None
    holder = widgets.HTML(layout=widgets.Layout(display="none"))
    holder.add_class(RECORD_CLASS)

    def refresh(_change=None):
        holder.value = record_html(page_record(widget))

    refresh()
    widget.children = (*widget.children, holder)
    # A live graph is laid out again when its shape changes or a number outgrows
    # its field: the record must describe the picture on screen.
    static = getattr(widget, "static_layer", None)
    if static is not None and hasattr(widget, "sliders"):
        static.observe(refresh, names="value")
    return holder


def record_html(record):
    """The record as the hidden HTML the page reads (no `<script>`: the saved
    widget state itself sits inside a script element on the page)."""
    return f'<code class="{RECORD_CLASS}" hidden>{html.escape(json.dumps(record, separators=(",", ":")))}</code>'


def page_record(widget):
    """The record of a LiveGraph, BackwardStepper or TrainingView (a dict)."""
    from .live_graph import LiveGraph
    from .stepper import BackwardStepper
    from .training import TrainingView

    makers = ((LiveGraph, live_graph_record), (BackwardStepper, stepper_record),
              (TrainingView, training_record))
    for cls, make in makers:
        if isinstance(widget, cls):
            try:
                return make(widget)
            except Exception as exc:       # never break the lesson for the sake of the page
                return _inert(cls.__name__, f"the record could not be made ({type(exc).__name__}: {exc})")
    return _inert(type(widget).__name__, "this widget has no page version")


def _inert(kind, why):
    return {"version": VERSION, "kind": kind, "live": False, "why": why}


# ------------------------------------------------------------------ live graph

def live_graph_record(widget):
    """Everything the page needs to recompute a LiveGraph as its sliders move."""
    nodes = widget.nodes
    if widget.error:
        return _inert("live_graph", "the graph's build raised an error")
    graph_layout = _graph_layout(widget)
    inputs = _slider_inputs(widget, nodes)
    ops = [_op_record(v, nodes) for v in nodes]
    unknown = sorted({op["op"] for op in ops if op["op"] not in PAGE_OPS and op["op"] != ""})
    if unknown:
        return _inert("live_graph", f"the page cannot compute {', '.join(unknown)}")
    if None in inputs.values():
        missing = [name for name, i in inputs.items() if i is None]
        return _inert("live_graph", f"slider {', '.join(missing)} feeds no node of the graph")
    why = _changes_with_sliders(widget, nodes, set(inputs.values()))
    if why:
        return _inert("live_graph", why)
    for name, i in inputs.items():
        ops[i]["slider"] = name
    texts = node_texts(nodes)
    return {
        "version": VERSION, "kind": "live_graph", "live": True,
        "sliders": list(widget.sliders),
        "nodes": ops,
        "shown": [[t[0], t[1]] for t in texts],      # what is on screen: the page highlights changes
        "highlighted": list(widget.highlighted),
        "renders": widget.renders,
        "template": numbers_template(graph_layout, len(nodes)),
        "sizes": _sizes(graph_layout),
        "colours": _colours(),
    }


def _graph_layout(widget):
    # The widget keeps its layout as `_layout`; a public name for it would be
    # better (`graph_layout`: ipywidgets already takes `layout`).
    found = getattr(widget, "graph_layout", None) or getattr(widget, "_layout", None)
    if isinstance(found, GraphLayout):
        return found
    raise AttributeError("the widget has no GraphLayout (expected .graph_layout)")


def _slider_inputs(widget, nodes):
    """slider name -> index of the leaf it sets (None: no leaf).

    The graph is built once more with Values of our own, so each slider's leaf
    is found by identity, whatever label the build gives it. Without access to
    the build, a leaf labelled with the slider's name and holding its value.
    """
    build = _build_of(widget)
    if build is not None:
        inputs = {name: Value(s.value, label=name) for name, s in widget.sliders.items()}
        order = topological_order(build(**inputs))
        if structure(order) == structure(nodes):
            index = {id(v): i for i, v in enumerate(order)}
            return {name: index.get(id(v)) for name, v in inputs.items()}
    found = {}
    for name, slider in widget.sliders.items():
        matches = [i for i, v in enumerate(nodes)
                   if not v._prev and v.label == name and v.data == slider.value]
        found[name] = matches[0] if len(matches) == 1 else None
    return found


def _sizes(graph_layout):
    """The style of both layers for each choice of the widget's size buttons."""
    if not hasattr(graph_layout, "fit_width"):
        return {}
    was = graph_layout.fit_width
    try:
        sizes = {}
        for choice, fit in (("fit", True), ("natural", False)):
            graph_layout.fit_width = fit
            sizes[choice] = graph_layout.css()
        return sizes
    finally:
        graph_layout.fit_width = was


def _build_of(widget):
    return getattr(widget, "build", None)


def _op_record(v, nodes):
    index = {id(n): i for i, n in enumerate(nodes)}
    record = {"op": v.op, "args": [index[id(c)] for c in v._prev], "label": v.label}
    if not v._prev:
        record["data"] = _number(v.data)
    elif v.op.startswith("**") and len(v.op) > 2:
        record["op"], record["exponent"] = "**", _number(float(v.op[2:]))
    return record


def _changes_with_sliders(widget, nodes, input_indices):
    """Why the page cannot recompute this graph, or "" when it can.

    The page keeps one graph: it is right only if the build gives the same
    shape and the same constants wherever the sliders are. Checked at both
    ends of every slider (a build that branches on a value, or draws random
    numbers, shows up here).
    """
    build = _build_of(widget)
    if build is None:
        return ""
    want = structure(nodes)
    constants = [v.data for i, v in enumerate(nodes) if not v._prev and i not in input_indices]
    for end in ("min", "max"):
        inputs = {name: Value(getattr(s, end), label=name) for name, s in widget.sliders.items()}
        try:
            other = topological_order(build(**inputs))
        except Exception:
            return f"the build raises with every slider at its {end}imum"
        if structure(other) != want:
            return f"the graph changes shape with the sliders at their {end}ima"
        mine = {id(v) for v in inputs.values()}
        if [v.data for v in other if not v._prev and id(v) not in mine] != constants:
            return "the graph's constants change between builds"
    return ""


def _colours():
    """The colour scale of graph.grad_fill, for the page's copy of it."""
    from .. import graph

    return {"positive": graph.POSITIVE, "negative": graph.NEGATIVE, "nan": graph.NAN_COLOUR,
            "highlight": graph.HIGHLIGHT, "current": graph.CURRENT, "levels": graph.LEVELS,
            "faint": graph.GRAD_FAINT, "full": graph.GRAD_FULL, "zero": graph.ZERO_GRAD,
            "opacity": [f"{graph.level_opacity(k):.3f}" for k in range(graph.LEVELS + 1)]}


def _number(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


# ------------------------------------------------------- the numbers template

def numbers_template(graph_layout, n):
    """The numbers layer with every node's optional pieces present, tagged
    with data-mgl-node / data-mgl-field (see the module docstring)."""
    texts = [("0", "0", 1.0)] * n               # a nonzero grad: its field's rect is drawn
    svg = tag_numbers_svg(graph_layout.numbers_svg(texts, highlighted=list(range(n))))
    root = ET.fromstring(svg)
    for span in root.iter(f"{{{SVG_NS}}}tspan"):
        span.text = None                        # the page writes the numbers
    return ET.tostring(root, encoding="unicode")


def tag_numbers_svg(svg):
    """A numbers layer as layout.py draws it, with data-mgl-node / data-mgl-field
    on each node's pieces; the numbers themselves go into <tspan>s. A layer
    that carries the attributes already is returned as it is."""
    if "data-mgl-field" in svg:
        return svg
    root = ET.fromstring(svg)
    body = root.find(f"{{{SVG_NS}}}g")
    pending = []                                # a node's pieces come before its <g data-node>
    for child in list(body):
        tag = child.tag.split("}")[-1]
        node = child.get("data-node")
        if tag == "g" and node and node.startswith("v"):
            i = node[1:]
            for piece in pending:
                piece.set("data-mgl-node", i)
            child.set("data-mgl-node", i)
            for field, text in zip(("data", "grad"), child.findall(f"{{{SVG_NS}}}text")):
                prefix, _, number = (text.text or "").rpartition(" ")
                text.text = prefix + " "
                span = ET.SubElement(text, f"{{{SVG_NS}}}tspan")
                span.set("data-mgl-field", field)
                span.set("data-mgl-node", i)
                span.text = number
            pending = []
        elif tag == "path":
            child.set("data-mgl-field", "mark-fill")
            pending.append(child)
        elif tag == "rect" and child.get("class") == "mark":
            child.set("data-mgl-field", "mark-line")
            pending.append(child)
        elif tag == "rect" and child.get("fill") != "white":
            child.set("data-mgl-field", "grad-fill")
            pending.append(child)
    return ET.tostring(root, encoding="unicode")


def numbers_shown(svg):
    """What a numbers layer shows, per node: data, grad, grad colour and
    opacity (None when the field is blank), highlight colour (None). The
    browser tests read the page's layer the same way."""
    root = ET.fromstring(tag_numbers_svg(svg))
    shown = {}
    for el in root.iter():
        i, field = el.get("data-mgl-node"), el.get("data-mgl-field")
        if i is None or field is None:
            continue
        node = shown.setdefault(int(i), {"data": None, "grad": None, "fill": None, "mark": None})
        hidden = "display:none" in (el.get("style") or "").replace(" ", "")
        if field in ("data", "grad"):
            node[field] = el.text
        elif field == "grad-fill" and not hidden:
            node["fill"] = (el.get("fill"), round(float(el.get("fill-opacity")), 3))
        elif field == "mark-line" and not hidden:
            node["mark"] = el.get("stroke")
    return [shown[i] for i in sorted(shown)]


# --------------------------------------------------------------------- stepper

def stepper_record(widget):
    """Every step of a BackwardStepper: its text and its numbers layer, as
    the widget itself draws them (the page only shows them)."""
    start = widget.step
    text_box = widget.text_box
    steps = []
    try:
        for k in range(widget.steps + 1):
            widget.step = k
            steps.append({"text": text_box.value, "numbers": widget.numbers_layer.value})
    finally:
        widget.step = start
    return {"version": VERSION, "kind": "stepper", "live": True, "steps": steps, "start": start}


# -------------------------------------------------------------------- training

def training_record(widget, steps=TRAINING_STEPS, frames=TRAINING_FRAMES):
    """A run of `steps` training steps, recorded on the widget itself, then
    undone with its Reset: the losses, and a picture every few steps."""
    if widget.steps:
        return _inert("training", "the view had already trained when the record was made")
    steps = min(steps, widget.max_steps)
    every = max(1, math.ceil(steps / frames))
    pictures = [_small_png(widget.static_png())]
    statuses = [widget.status.value]
    try:
        while widget.steps < steps:
            widget.run(min(every, steps - widget.steps))
            pictures.append(_small_png(widget.static_png()))
            statuses.append(widget.status.value)
            if widget.error:
                break
        losses = [_number(x) for x in widget.losses]
    finally:
        widget.reset()
    return {"version": VERSION, "kind": "training", "live": True,
            "lr": widget.learning_rate, "every": every,
            "boundary": "decision boundary" in widget.to_text(), "steps": len(losses) - 1, "losses": losses,
            "frames": pictures, "statuses": statuses}


def _small_png(png):
    """The same picture as a palette PNG: about a fifth of the bytes."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
