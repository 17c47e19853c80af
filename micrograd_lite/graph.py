"""Drawing the computation graph: `draw_dot(root)`.

draw_dot, the live graph and the stepper all draw through the same pieces, so
they agree by construction:

    graph_style.py   the rules: number format, grad colours, sizes, direction
    graph_dot.py     the DOT text: one builder for every picture, and the text table
    graph_svg.py     the SVG: its size, text held in its boxes, sized for the notebook
    render.py        drawing with graphviz-pure: the notebook display, bytes, files
    dot_program.py   which layout program runs, and running it

draw_dot returns a ComputationGraph: a graphviz.Digraph that also knows its
Values, and whose every drawing method (display, svg(), pipe(), render(),
view(), ...) goes through graphviz-pure, so no system Graphviz is needed. In
a notebook it shows as SVG (sharp), PNG (for notebooks that are not trusted
yet, where JupyterLab hides SVG) and a text table of labels, data and grads,
which is what nbval compares.

The names of those modules that the rest of the package and the tests use
are importable from here too.
"""

from .dot_program import RendererMissing
from .engine import topological_order
from .graph_dot import (
    CELL_PADDING,
    FONT_NAME,
    NODESEP,
    RANKSEP,
    dot_source,
    graph_attr,
    node_cells,
    node_label,
    text_table,
)
from .graph_style import (
    COLUMN_WIDTH,
    CURRENT,
    FONT_PX,
    GRAD_FAINT,
    GRAD_FULL,
    HIGHLIGHT,
    LEVELS,
    MAX_NODES,
    MIN_SCALE,
    MIN_TEXT_PX,
    NAN_COLOUR,
    NEGATIVE,
    NUMBER_WIDTH,
    POSITIVE,
    RANKDIRS,
    ZERO_GRAD,
    GraphTooLarge,
    check_rankdir,
    check_size,
    escape,
    fits_column,
    format_number,
    grad_fill,
    grad_level,
    level_opacity,
    on_white,
    pick_rankdir,
    shown_scale,
)
from .graph_svg import SVG_NS, held_svg, hold_text, sized_svg, svg_size, times_width
from .render import PureDigraph, render, with_graph_attrs

__all__ = [
    "draw_dot", "ComputationGraph",
    # re-exported: the rules, the DOT text, the SVG, the renderer
    "COLUMN_WIDTH", "CURRENT", "FONT_PX", "GRAD_FAINT", "GRAD_FULL", "HIGHLIGHT", "LEVELS", "MAX_NODES",
    "MIN_SCALE", "MIN_TEXT_PX", "NAN_COLOUR", "NEGATIVE", "NUMBER_WIDTH", "POSITIVE", "RANKDIRS", "ZERO_GRAD",
    "GraphTooLarge", "check_rankdir", "check_size", "escape", "fits_column", "format_number", "grad_fill",
    "grad_level", "level_opacity", "on_white", "pick_rankdir", "shown_scale",
    "CELL_PADDING", "FONT_NAME", "NODESEP", "RANKSEP", "dot_source", "graph_attr", "node_cells", "node_label",
    "text_table",
    "SVG_NS", "held_svg", "hold_text", "sized_svg", "svg_size", "times_width",
    "RendererMissing", "render", "with_graph_attrs",
]


class ComputationGraph(PureDigraph):
    """A graphviz.Digraph that draws with graphviz-pure and knows its Values, for the
    text view and the picture sized to the notebook."""

    def __init__(self, nodes, rankdir="LR", cells=None, marks=None):
        super().__init__(graph_attr=graph_attr(rankdir))
        self.values = nodes           # in topological order: inputs first
        self.rankdir = rankdir
        dot_source(nodes, rankdir, node_cells(nodes) if cells is None else cells, marks, graph=self)
        self.png_allowed = True       # False: SVG and text only (a big graph's PNG weighs ~1 MB)
        self.fit_width = True

    def to_text(self, grads=None):
        return text_table(self.values, grads)

    def __repr__(self):
        return self.to_text()

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

    def _display_text(self):
        return self.to_text()

    def _caption(self, width, height):
        if not self.fit_width:
            return None
        return (f"{len(self.values):,} Values, {width:,.0f} × {height:,.0f} px at full size, "
                "fitted to the notebook's width: draw_dot(...).natural_size() shows it "
                "at full size, to scroll")


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

    The result draws with graphviz-pure, in a notebook and out of it:
    `g.svg()`, `g.png()`, `g.pipe(format="png")`, `g.render("L", format="png")`
    (writes L and L.png), `g.view()`; `g.source` is its DOT text, and a title
    set with `g.attr(label="...")` shows in the picture.
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
