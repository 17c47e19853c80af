"""The DOT text of a computation graph, and the same graph as a text table.

Each Value is a box `label | data over grad`; each operation is a small oval
between a node and its inputs, as in the lecture. `dot_source` writes every
picture's DOT text (draw_dot's, the live graph's, the stepper's). Node names
come from the position in the topological order (`v0`, `v1`, ...), never from
`id()`, so the same expression gives the same source in every run.
"""

import graphviz

from .graph_style import FONT_PX, NUMBER_WIDTH, escape, format_number, grad_fill

# Between the ranks and the nodes: a little tighter than Graphviz's defaults
# (0.5 in, 0.25 in), which leave more white than the text needs.
RANKSEP = "0.3"
NODESEP = "0.15"
CELL_PADDING = 2
# Graphviz sizes the boxes with Times' metrics; a browser without Times draws
# the SVG in whatever serif it has, and a wider one spills out of the boxes.
# So the SVG names Times and its metric-compatible twins (Windows', Linux's)
# before any serif, and graph_svg.hold_text keeps the text in its field even
# then. (The PNG has its own font.)
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
