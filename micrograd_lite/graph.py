"""Drawing the computation graph: `draw_dot(root)`, and what every picture of it shares.

Each Value is a box `label | data over grad`; each operation is a small oval
between a node and its inputs, as in the lecture. draw_dot, the live graph
and the stepper all draw through this module, so they agree by construction:

* One DOT builder. `dot_source` writes every picture's DOT text. Node names
  come from the position in the topological order (`v0`, `v1`, ...), never
  from `id()`, so the same expression gives the same source in every run.
* One number format. `format_number` never prints more than NUMBER_WIDTH
  characters, so a layout made once fits every later value.
* One grad colour. `grad_fill` colours a grad on an absolute, logarithmic
  scale, the same in every picture and on every slider move.
* One size policy. A picture is shown at full size (14 px text) when it fits
  COLUMN_WIDTH, shrunk to the column when its text stays >= MIN_TEXT_PX, and
  otherwise the graph is laid out top to bottom if that is narrower.
* Outputs that test well. In a notebook a graph shows as SVG (sharp), PNG (for
  notebooks that are not trusted yet, where JupyterLab hides SVG) and a text
  table of labels, data and grads, which is what nbval compares.
"""

import html
import math
import xml.etree.ElementTree as ET

import graphviz

from .engine import topological_order
from .render import RendererMissing, render

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

# More than this many Values make a picture nobody can read, and `dot` can take
# minutes on it.
MAX_NODES = 600

NUMBER_WIDTH = 12   # "-99999.9999", "-2.0640e+07" and "-1.5000e+300" all fit


def format_number(x, short=False):
    """4 decimals like the lecture, switching to exponent form for big numbers.

    `short=True` drops trailing zeros (1.0, -2.0, 0.8814), as the stepper's
    chain-rule lines print them. Never more than NUMBER_WIDTH characters.
    """
    # The common case first and inline: an MLP's live graph formats ~250 numbers a move.
    # (nan fails both comparisons, so it goes the long way.)
    if -1e5 < x < 1e5:
        text = f"{x:.4f}"
        if text == "-0.0000":
            text = "0.0000"                   # a zero never shows a sign
        if short:
            text = text.rstrip("0")
            text = text + "0" if text.endswith(".") else text
        return text
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.4e}"


def escape(text):
    """Text made safe inside XML or HTML: DOT's HTML-like labels, SVG text, widget HTML."""
    return html.escape(str(text).replace("\r", " ").replace("\n", " "), quote=True)


class GraphTooLarge(ValueError):
    pass


def check_size(nodes, max_nodes):
    """Refuse a graph of more than `max_nodes` Values, with its size and what to draw instead."""
    if len(nodes) > max_nodes:
        raise GraphTooLarge(
            f"this graph has {len(nodes):,} Values; drawing more than {max_nodes:,} would be "
            "unreadable and can keep `dot` busy for minutes. Draw a smaller piece "
            "(one neuron, or one example's loss), or pass max_nodes="
            f"{len(nodes)} if you really want all of it."
        )


# ---- grad colours ------------------------------------------------------------

# Colours a learner can tell apart even with red-green colour blindness
# (ColorBrewer's RdBu ends): blue for a positive grad, red for a negative one.
POSITIVE = "#2166ac"
NEGATIVE = "#b2182b"
NAN_COLOUR = "#888888"
HIGHLIGHT = "#ffd21f"      # the live graph's "changed by the last move"
CURRENT = "#ff8c00"        # the stepper's current node

# The colour's strength is fixed by |grad| alone, on a log scale: faint at
# GRAD_FAINT, full at GRAD_FULL. So a grad of 0.0001 looks faint next to a
# grad of 1 in every picture and after every move, and a vanishing grad (a
# saturated tanh's) looks like one. Below ZERO_GRAD a grad is rounding noise
# (1 - tanh(20)**2 is exactly 0, yet such sums leave -9e-16): drawn as zero.
GRAD_FAINT = 1e-4
GRAD_FULL = 10.0
ZERO_GRAD = 1e-12
LEVELS = 20                # strengths a colour can take: updates pick one of a fixed set
_LOG_FAINT, _LOG_SPAN = math.log10(GRAD_FAINT), math.log10(GRAD_FULL / GRAD_FAINT)


def grad_level(grad):
    """None for a grad drawn as zero (or nan), else 0 (faint) .. LEVELS (full)."""
    size = abs(grad)
    if not size >= ZERO_GRAD:             # also nan
        return None
    if size >= GRAD_FULL:                 # also inf
        return LEVELS
    strength = (math.log10(size) - _LOG_FAINT) / _LOG_SPAN
    return min(LEVELS, max(0, round(strength * LEVELS)))


def level_opacity(level):
    return 0.06 + 0.54 * level / LEVELS


def grad_fill(grad):
    """(colour, opacity) for a grad field, or None for no colour: hue = sign, strength = size."""
    if grad != grad:
        return NAN_COLOUR, 0.4
    level = grad_level(grad)
    if level is None:
        return None
    return (POSITIVE if grad > 0 else NEGATIVE), level_opacity(level)


def on_white(colour, opacity):
    """The opaque colour `colour` at `opacity` makes over white, as "#rrggbb"."""
    rgb = [int(colour[k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02x}" for c in rgb)


# ---- the DOT text ------------------------------------------------------------

# Between the ranks and the nodes: a little tighter than Graphviz's defaults
# (0.5 in, 0.25 in), which leave more white than the text needs.
RANKSEP = "0.3"
NODESEP = "0.15"
CELL_PADDING = 2
# Graphviz sizes the boxes with Times' metrics; a browser without Times draws
# the SVG in whatever serif it has, and a wider one spills out of the boxes.
# So the SVG names Times and its metric-compatible twins (Windows', Linux's)
# before any serif, and hold_text keeps the text in its field even then.
# (The PNG has its own font.)
FONT_NAME = "Times,'Times New Roman','Liberation Serif','Nimbus Roman',serif"


def graph_attr(rankdir):
    return {"rankdir": rankdir, "ranksep": RANKSEP, "nodesep": NODESEP, "bgcolor": "white"}


def dot_source(nodes, rankdir, cells, marks=None, graph=None):
    """The DOT text of a graph's picture.

    `cells` holds (data text, grad text, grad fill) per node, in the order of
    `nodes` (topological); a fill is grad_fill's (colour, opacity) or None.
    `marks` maps node indices to a colour that fills the label and data
    fields (the live graph's highlight, the stepper's current node).

    Each box is an HTML-like table, not a record: a table looks the same in
    both directions (a record turns its fields with rankdir) and can colour a
    single field. `graph`: a Digraph to add to instead of a new one.
    """
    marks = marks or {}
    g = graphviz.Digraph(graph_attr=graph_attr(rankdir)) if graph is None else graph
    # The op ovals' size, as the default for every node (a plain box ignores it):
    # Graphviz's smallest default oval (0.75 x 0.5 in) is wider than "tanh".
    g.attr("node", width="0.5", height="0.4", margin="0.02,0.02", fontname=FONT_NAME, fontsize=str(FONT_PX))
    index = {id(v): i for i, v in enumerate(nodes)}
    for i, (v, cell) in enumerate(zip(nodes, cells)):
        g.node(f"v{i}", label=node_label(v.label, cell, marks.get(i)), shape="plain")
        if v.op:
            g.node(f"v{i}_op", label=escape(v.op))
            g.edge(f"v{i}_op", f"v{i}")
            for child in v._prev:
                g.edge(f"v{index[id(child)]}", f"v{i}_op")
    return g


def node_label(label, cell, mark=None):
    """`label | data over grad` as an HTML-like table (with the `<` `>` DOT needs around it)."""
    data_text, grad_text, fill = cell
    marked = f' BGCOLOR="{mark}73"' if mark else ""          # 0x73: 45 % opaque
    grad_bg = f' BGCOLOR="{fill[0]}{round(fill[1] * 255):02x}"' if fill else ""
    return (f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="{CELL_PADDING}">'
            f'<TR><TD ROWSPAN="2"{marked}>{escape(label) or " "}</TD><TD{marked}>data {escape(data_text)}</TD></TR>'
            f'<TR><TD{grad_bg}>grad {escape(grad_text)}</TD></TR></TABLE>>')


def node_cells(nodes, grads=None):
    """(data text, grad text, grad fill) per node, as every picture prints them."""
    grads = [v.grad for v in nodes] if grads is None else grads
    return [(format_number(v.data), format_number(g), grad_fill(g)) for v, g in zip(nodes, grads)]


# ---- sizes -------------------------------------------------------------------

# The course is read in JupyterLab at 1280 x 800 with the file browser open:
# an output column of 848 px. Graphviz's 14 pt text, drawn one px per point,
# reads like the notebook's own 14 px; shrunk to fit it must stay >= 11 px.
COLUMN_WIDTH = 840
FONT_PX = 14
MIN_TEXT_PX = 11
MIN_SCALE = MIN_TEXT_PX / FONT_PX


def shown_scale(width):
    """How much a picture `width` px wide at full size is shrunk to fit the column (1 = not)."""
    return min(1.0, COLUMN_WIDTH / width)


def fits_column(width):
    return width * MIN_SCALE <= COLUMN_WIDTH


def svg_size(svg_text):
    """(width, height) of Graphviz's SVG in points, which the course draws one px each."""
    root = ET.fromstring(svg_text)
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def pick_rankdir(layouts):
    """The direction to draw in, from {rankdir: width at full size}.

    Left to right (as the lecture draws) whenever that fits the column with
    text of at least MIN_TEXT_PX; otherwise top to bottom if that is narrower.
    """
    lr = layouts["LR"]
    if fits_column(lr) or "TB" not in layouts:
        return "LR"
    return "TB" if layouts["TB"] < lr else "LR"


RANKDIRS = ("auto", "LR", "TB", "RL", "BT")


def check_rankdir(rankdir):
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir should be one of {', '.join(map(repr, RANKDIRS))}, not {rankdir!r}; "
                         '"auto" picks left to right or top to bottom, whichever fits the notebook')


# ---- draw_dot ----------------------------------------------------------------

def text_table(nodes, grads=None):
    """One line per Value, inputs first: what the picture says, as text.

    `grads` (one per Value, in the same order) replaces the Values' own grads,
    for a picture of backprop part way through (the stepper's).
    """
    grads = [v.grad for v in nodes] if grads is None else grads
    rows = [(v.label or f"v{i}", v.op or "input", format_number(v.data), format_number(g))
            for i, (v, g) in enumerate(zip(nodes, grads))]
    w_label = max(len("value"), *(len(r[0]) for r in rows))
    w_op = max(len("op"), *(len(r[1]) for r in rows))
    lines = [f"{'value':<{w_label}}  {'op':<{w_op}}  {'data':>{NUMBER_WIDTH}}  {'grad':>{NUMBER_WIDTH}}"]
    lines += [f"{lab:<{w_label}}  {op:<{w_op}}  {data:>{NUMBER_WIDTH}}  {grad:>{NUMBER_WIDTH}}"
              for lab, op, data, grad in rows]
    return "\n".join(lines)


class ComputationGraph(graphviz.Digraph):
    """A graphviz.Digraph that also knows its Values, for the text view and the sized picture."""

    def __init__(self, nodes, rankdir="LR", cells=None, marks=None):
        super().__init__(graph_attr=graph_attr(rankdir))
        self.values = nodes           # in topological order: inputs first
        self.rankdir = rankdir
        dot_source(nodes, rankdir, node_cells(nodes) if cells is None else cells, marks, graph=self)
        self._svg = None
        self.png_allowed = True       # False: SVG and text only (a big graph's PNG weighs ~1 MB)

    def to_text(self, grads=None):
        return text_table(self.values, grads)

    def __repr__(self):
        return self.to_text()

    def svg(self):
        """The SVG as Graphviz draws it (sizes in points)."""
        if self._svg is None:
            self._svg = render(self, "svg")
        return self._svg

    @property
    def width(self):
        """Width at full size, in px."""
        return svg_size(self.svg())[0]

    def natural_size(self):
        """The same picture shown at full size (14 px text), for a graph wider than the
        notebook: the output then scrolls sideways. By default such a graph is fitted
        to the column, with a caption saying how big it is."""
        self.fit_width = False
        return self

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        text = self.to_text()
        try:
            source, svg = self.source, self.svg()
            width, height = svg_size(svg)
            if not fits_column(width) and getattr(self, "fit_width", True):
                # Too wide to read in the column: show all of it, fitted, under a
                # caption that says so and is itself drawn at the notebook's text size.
                caption = (f"{len(self.values):,} Values, {width:,.0f} × {height:,.0f} px at full size, "
                           "fitted to the notebook's width: draw_dot(...).natural_size() shows it "
                           "at full size, to scroll")
                size = FONT_PX / shown_scale(width)
                source = with_graph_attrs(source, label=f'"{caption}"', labelloc="t", labeljust="l",
                                          fontsize=f"{size:.0f}")
                svg = render(source, "svg")
                width, height = svg_size(svg)
                scale = shown_scale(width)
            else:
                scale = shown_scale(width) if fits_column(width) else 1.0
            # The PNG is drawn at the size the SVG is shown (JupyterLab shows a
            # PNG at its pixel size, squeezed to the column when wider), so
            # both views of the picture look alike.
            png = render(with_graph_attrs(source, dpi=round(72 * scale, 2)), "png") if self.png_allowed else None
        except RendererMissing as missing:
            return {"text/plain": text + "\n\n" + str(missing)}
        bundle = {"image/svg+xml": sized_svg(held_svg(svg), round(width * scale), round(height * scale)),
                  "text/plain": text}
        if png is not None:
            bundle["image/png"] = png
        return bundle


def hold_text(root):
    """Keep each box's text inside its field whatever font the browser has.

    Graphviz measures text in Times; a browser without Times (or a metric
    twin) draws a wider serif, which would spill over the field's border.
    Each field's text is centred in it, so the width Graphviz measured is the
    field's width less twice the text's indent; `textLength` holds the text
    to that (no change where the fonts agree). `root`: the SVG's ElementTree root.
    """
    for g in root.iter(f"{{{SVG_NS}}}g"):
        if g.get("class") != "node":
            continue
        field = None
        for child in g:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "polygon" and child.get("stroke") not in (None, "none"):
                xs = [float(p.split(",")[0]) for p in child.get("points").split()]
                field = (min(xs), max(xs))
            elif tag == "text" and field and child.get("text-anchor") == "start":
                width = field[1] - field[0] - 2 * (float(child.get("x")) - field[0])
                if width > 0:
                    child.set("textLength", f"{width:.2f}")
                    child.set("lengthAdjust", "spacingAndGlyphs")
    return root


# Widths in Times (thousandths of an em, from its Adobe metrics, which Graphviz
# uses too) of every character a number's field can show: "data ", "grad " and
# what format_number prints.
_TIMES = {" ": 250, "+": 564, "-": 333, ".": 250, "a": 444, "d": 500, "e": 444, "f": 333, "g": 500,
          "i": 278, "n": 500, "r": 333, "t": 278, **{digit: 500 for digit in "0123456789"}}


def times_width(text):
    """How wide Graphviz measures `text` in Times at FONT_PX (other characters count 0.5 em)."""
    return sum(_TIMES.get(ch, 500) for ch in text) * FONT_PX / 1000


def held_svg(svg):
    """Graphviz's SVG text, with hold_text applied (and its XML declaration kept)."""
    root = hold_text(ET.fromstring(svg))
    return '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(root, encoding="unicode")


def sized_svg(svg, width, height):
    """Graphviz's SVG with its size set in px: JupyterLab draws an SVG at exactly its
    own size, never shrinking it to the column."""
    before, tag = svg.split("<svg", 1)
    head, rest = tag.split(">", 1)
    head = _set_attr(_set_attr(head, "width", f"{width}px"), "height", f"{height}px")
    return before + "<svg" + head + ">" + rest


def with_graph_attrs(source, **attrs):
    """DOT text with more graph attributes, e.g. dpi=72 (Graphviz's PNG default,
    96, is 1.33 px per point) or a label."""
    head, rest = source.split("{", 1)
    lines = "".join(f"\n\t{name}={value}" for name, value in attrs.items())
    return f"{head}{{{lines}{rest}"


def _set_attr(tag_text, name, value):
    start = tag_text.index(f'{name}="') + len(name) + 2
    end = tag_text.index('"', start)
    return tag_text[:start] + value + tag_text[end:]


def draw_dot(root, rankdir="auto", max_nodes=MAX_NODES):
    """Draw the graph that produced `root`.

    >>> from micrograd_lite import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> L = a * b; L.label = "L"
    >>> g = draw_dot(L); g.rankdir, g.values[0].label
    ('LR', 'a')

    `rankdir="auto"` draws left to right when that fits a notebook's column
    and top to bottom when that is narrower; `"LR"` or `"TB"` insist. Graphs
    of more than `max_nodes` Values are refused with the size and what to
    draw instead.
    """
    check_rankdir(rankdir)
    nodes = topological_order(root)
    check_size(nodes, max_nodes)
    if rankdir != "auto":
        return ComputationGraph(nodes, rankdir)
    lr = ComputationGraph(nodes, "LR")
    try:
        if fits_column(lr.width):
            return lr
        tb = ComputationGraph(nodes, "TB")
        return tb if pick_rankdir({"LR": lr.width, "TB": tb.width}) == "TB" else lr
    except RendererMissing:
        return lr                     # shown as its text table, with the message
