"""Drawing the computation graph: `draw_dot(root)`.

Each Value is a record node `label | data | grad` (data above grad); each operation is a small
oval between a node and its inputs, as in the lecture.

Three promises the lessons and the live widgets rely on:

* Stable names. Node names come from the position in the topological order
  (`v0`, `v1`, ...), never from `id()`, so the same expression gives the same
  DOT source in every run.
* Fixed-width numbers. `format_number` never prints more than NUMBER_WIDTH
  characters, so a layout made once fits every later value.
* Outputs that test well. In a notebook a graph shows as SVG (sharp), PNG (for
  notebooks that are not trusted yet, where JupyterLab hides SVG) and a text
  table of labels, data and grads. The table is what nbval compares: it means
  the same on every Graphviz version, where SVG coordinates do not.
"""

import math
import graphviz

from .engine import topological_order
from .render import RendererMissing, render

# More than this many Values make a picture nobody can read, and `dot` can take
# minutes on it.
MAX_NODES = 600

NUMBER_WIDTH = 12   # "-99999.9999", "-2.0640e+07" and "-1.5000e+300" all fit


def format_number(x):
    """4 decimals like the lecture, switching to exponent form for big numbers."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    x = x + 0.0                   # -0.0 -> 0.0, so a zero never shows a sign
    if abs(x) < 1e5:
        text = f"{x:.4f}"
        return "0.0000" if text == "-0.0000" else text
    return f"{x:.4e}"


_RECORD_SPECIALS = set('{}|<>"\\')


def escape_record_text(text):
    """Make text safe inside a record label: `{ } | < > " \\` become literal."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    return "".join("\\" + ch if ch in _RECORD_SPECIALS else ch for ch in text)


class GraphTooLarge(ValueError):
    pass


class ComputationGraph(graphviz.Digraph):
    """A graphviz.Digraph that also knows its Values, for the text view."""

    def __init__(self, nodes, **kwargs):
        super().__init__(**kwargs)
        self.values = nodes           # in topological order: inputs first

    def to_text(self, grads=None):
        """One line per Value, inputs first: what the picture says, as text.

        `grads` (one per Value, in the same order) replaces the Values' own grads,
        for a picture of backprop part way through (the stepper's).
        """
        grads = [v.grad for v in self.values] if grads is None else grads
        rows = [(_display_label(v, i), v.op or "input", format_number(v.data), format_number(g))
                for i, (v, g) in enumerate(zip(self.values, grads))]
        w_label = max(len("value"), *(len(r[0]) for r in rows))
        w_op = max(len("op"), *(len(r[1]) for r in rows))
        lines = [f"{'value':<{w_label}}  {'op':<{w_op}}  {'data':>{NUMBER_WIDTH}}  {'grad':>{NUMBER_WIDTH}}"]
        lines += [f"{lab:<{w_label}}  {op:<{w_op}}  {data:>{NUMBER_WIDTH}}  {grad:>{NUMBER_WIDTH}}"
                  for lab, op, data, grad in rows]
        return "\n".join(lines)

    def __repr__(self):
        return self.to_text()

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        text = self.to_text()
        try:
            svg = render(self, "svg")
            png = render(self, "png")
        except RendererMissing as missing:
            return {"text/plain": text + "\n\n" + str(missing)}
        return {"image/svg+xml": svg, "image/png": png, "text/plain": text}


def draw_dot(root, rankdir="LR", max_nodes=MAX_NODES):
    """Draw the graph that produced `root`.

    >>> from micrograd_lite import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> L = a * b; L.label = "L"
    >>> print(draw_dot(L).source.splitlines()[2].strip())
    v0 [label="{ a | { data 2.0000 | grad 0.0000 } }" shape=record]

    `rankdir="TB"` draws top to bottom. Graphs of more than `max_nodes` Values
    are refused with the size and what to draw instead.
    """
    nodes = topological_order(root)
    if len(nodes) > max_nodes:
        raise GraphTooLarge(
            f"this graph has {len(nodes):,} Values; drawing more than {max_nodes:,} would be "
            "unreadable and can keep `dot` busy for minutes. Draw a smaller piece "
            "(one neuron, or one example's loss), or pass max_nodes="
            f"{len(nodes)} if you really want all of it."
        )
    dot = ComputationGraph(nodes, graph_attr={"rankdir": rankdir})
    names = {id(v): f"v{i}" for i, v in enumerate(nodes)}
    for i, v in enumerate(nodes):
        name = names[id(v)]
        dot.node(name, label=record_label(v), shape="record")
        if v.op:
            dot.node(name + "_op", label=escape_record_text(v.op))
            dot.edge(name + "_op", name)
            for child in v._prev:
                dot.edge(names[id(child)], name + "_op")
    return dot


def record_label(v):
    """`label | data over grad`: the lecture's three fields, with the two numbers
    stacked so that a graph of a dozen Values fits a notebook's width. The live
    graph draws its boxes the same way."""
    label = escape_record_text(v.label)
    return f"{{ {label} | {{ data {format_number(v.data)} | grad {format_number(v.grad)} }} }}"


def _display_label(v, index):
    return v.label or f"v{index}"
