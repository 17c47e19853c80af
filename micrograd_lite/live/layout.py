"""Lay a graph out once, then redraw only its numbers.

Running `dot` for every slider move costs a Graphviz process and ~40 ms of
layout on an MLP(3, [4, 4, 1]) graph, and sending the whole 300 kB SVG to the
browser again costs more. But the picture's shape depends only on the graph's
structure (which ops, which labels, what feeds what), not on the numbers. So,
as EurekaLabs' micrograd demo does:

1. `GraphLayout(nodes, texts)` runs `dot` once, with every number replaced
   by a placeholder a little wider than the number it shows now (two
   characters more), so nearby numbers fit its field. When a number does
   outgrow its field (`fits()` says so), the widget lays the graph out again,
   as it does when the structure changes. Placeholders as wide as the widest
   thing `format_number` prints (12 characters) would never need that, but
   they made the lecture's 7-node graph 1650 px wide, too wide for a notebook.
2. It splits the SVG into a static layer (boxes, arrows, labels, op ovals) and
   "slots": where each node's data and grad text goes and where its fields are.
3. `numbers_svg(...)` writes a small SVG of just the numbers, the highlights
   and the grad colours. The widget lays it exactly under the static layer, so
   an update sends ~30 kB instead of ~300 kB and runs no `dot` at all.

Node names follow `draw_dot`: `v{i}` is the i-th Value in topological order.
"""

import math
import xml.etree.ElementTree as ET

import graphviz

from ..graph import NUMBER_WIDTH, escape_record_text, format_number
from ..render import render

SVG_NS = "http://www.w3.org/2000/svg"
_NS = {"s": SVG_NS}
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

# A field laid out for k characters holds any format_number text of at most k
# characters: "8" is as wide as any digit and wider than "-" and "."; the "+"
# of an exponent (a bit wider) always comes with a narrow "."; inf and nan are
# at most 4 characters in a field of 5 or more. Each field is centred.
SLACK = 2            # characters a field has beyond the number it was laid out for


def field_chars(text):
    """How many characters a field laid out for `text` holds."""
    return min(NUMBER_WIDTH, len(text) + SLACK)


def placeholder(chars):
    return "8" * chars

# Drawn at full size the text is 14 px, like the notebook's own. In a narrower
# output area both layers shrink together down to this scale (11 px text);
# beyond that the picture scrolls sideways instead of getting unreadable.
MIN_SCALE = 11 / 14
# Between the ranks, nodes and around a record's fields: a little tighter than
# Graphviz's defaults (0.5 in, 0.25 in, 8 pt a side), which leave more white
# than the text needs.
RANKSEP = "0.3"
NODESEP = "0.15"
FIELD_MARGIN = "0.06,0.04"

# Colours a learner can tell apart even with red-green colour blindness
# (ColorBrewer's RdBu ends): blue for a positive grad, red for a negative one.
POSITIVE = "#2166ac"
NEGATIVE = "#b2182b"
NAN_COLOUR = "#888888"
HIGHLIGHT = "#ffd21f"
CURRENT = "#ff8c00"        # the stepper's current node


def structure(nodes):
    """What decides the picture's shape: each node's op, label and children.

    Two graphs with the same structure get the same layout, whatever their
    numbers, so comparing this tuple says whether `dot` must run again.
    """
    index = {id(v): i for i, v in enumerate(nodes)}
    return (tuple([v.op for v in nodes]), tuple([v.label for v in nodes]),
            tuple([len(v._prev) for v in nodes]),
            tuple([index[id(c)] for v in nodes for c in v._prev]))


def dot_source(nodes, rankdir="LR", chars=None):
    """The DOT text of `draw_dot`'s picture, with placeholders for the numbers.

    `chars` holds (data characters, grad characters) per node: how wide each
    field must be. Without it every field takes the widest number.
    """
    if chars is None:
        chars = [(NUMBER_WIDTH, NUMBER_WIDTH)] * len(nodes)
    g = graphviz.Digraph(graph_attr={"rankdir": rankdir, "ranksep": RANKSEP, "nodesep": NODESEP})
    index = {id(v): i for i, v in enumerate(nodes)}
    for i, (v, (dk, gk)) in enumerate(zip(nodes, chars)):
        label = escape_record_text(v.label)
        # data above grad, beside the label: half as wide as the three side by
        # side that draw_dot shows, and the same numbers in the same words.
        g.node(f"v{i}", label=f"{{ {label} | {{ data {placeholder(dk)} | grad {placeholder(gk)} }} }}",
               shape="record", margin=FIELD_MARGIN)
        if v.op:
            # Graphviz's smallest default oval (0.75 x 0.5 in) is wider than "tanh".
            g.node(f"v{i}_op", label=escape_record_text(v.op), width="0.5", height="0.4")
            g.edge(f"v{i}_op", f"v{i}")
            for child in v._prev:
                g.edge(f"v{index[id(child)]}", f"v{i}_op")
    return g


class Slot:
    """Where one Value's numbers go in the picture (SVG user units)."""

    __slots__ = ("box", "data_xy", "grad_xy", "grad_box")

    def __init__(self, box, data_xy, grad_xy, grad_box):
        self.box = box            # (x, y, width, height) of the whole record
        self.data_xy = data_xy    # anchor of the data text (centred)
        self.grad_xy = grad_xy
        self.grad_box = grad_box  # the grad field, for its colour


class GraphLayout:
    """One `dot` layout of a graph's structure: a static SVG plus slots."""

    def __init__(self, nodes, rankdir="LR", texts=None):
        """`texts`: the (data_text, grad_text, ...) per node the fields are made
        for (see node_texts); without them, fields for the widest numbers."""
        self.structure = structure(nodes)
        self.rankdir = rankdir
        if texts is None:
            self.chars = [(NUMBER_WIDTH, NUMBER_WIDTH)] * len(nodes)
        else:
            # data and grad share one column, as wide as the wider of the two.
            self.chars = [(k, k) for k in (max(field_chars(t[0]), field_chars(t[1])) for t in texts)]
        self._marks_expected = [(f"data {placeholder(dk)}", f"grad {placeholder(gk)}") for dk, gk in self.chars]
        svg = render(dot_source(nodes, rankdir, self.chars), "svg")
        self._split(svg, len(nodes))

    def fits(self, texts):
        """Whether every number in `texts` fits the field laid out for it."""
        for (data_text, grad_text, _), (dk, gk) in zip(texts, self.chars):
            if len(data_text) > dk or len(grad_text) > gk:
                return False
        return True

    def _split(self, svg_text, n):
        root = ET.fromstring(svg_text)
        # Graphviz sizes in points (1.33 px each). Drawn one px per point the
        # 14 pt text reads like the notebook's own and an MLP needs less scrolling.
        self.width = root.get("width").replace("pt", "px")
        self.height = root.get("height").replace("pt", "px")
        root.set("width", self.width)
        root.set("height", self.height)
        root.set("style", self.css())
        self.viewbox = root.get("viewBox")
        graph = root.find("s:g", _NS)
        self.transform = graph.get("transform")
        font = None
        slots = [None] * n
        for child in list(graph):
            tag = child.tag.split("}")[-1]
            if tag == "title":
                graph.remove(child)
            elif tag == "polygon" and child.get("fill") == "white":
                graph.remove(child)           # the background: the numbers layer draws it
        for g in graph.findall("s:g", _NS):
            title = g.find("s:title", _NS)
            name = title.text if title is not None else ""
            if title is not None:
                g.remove(title)               # tooltips saying "v3" would only confuse
            if g.get("class") != "node" or not name.startswith("v") or name.endswith("_op"):
                continue
            i = int(name[1:])
            slot, font = self._node_slot(g, self._marks_expected[i])
            slots[i] = slot
        self.slots = slots
        self.font_family, self.font_size = font or ("Times,serif", "14.00")
        self.static_svg = ET.tostring(root, encoding="unicode")

    @staticmethod
    def _node_slot(g, marks):
        box_points = _points(g.find("s:polygon", _NS).get("points"))
        xs = [p[0] for p in box_points]
        ys = [p[1] for p in box_points]
        left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
        v_cuts, h_cuts = [], []
        for line in g.findall("s:polyline", _NS):
            (x1, y1), (x2, y2) = _points(line.get("points"))[:2]
            if x1 == x2:
                v_cuts.append(x1)
            else:
                h_cuts.append(y1)
        anchors = {}
        font = None
        # The label comes first, so a label that looks like a placeholder is kept.
        for text in reversed(g.findall("s:text", _NS)):
            kind = text.text[:4] if text.text in marks else None
            if kind and kind not in anchors:
                x, y = float(text.get("x")), float(text.get("y"))
                anchors[kind] = (x, y)
                font = (text.get("font-family"), text.get("font-size"))
                g.remove(text)
        size = float(font[1]) if font else 14.0

        def field(x, y):
            # The record cell holding a text: between the cuts on either side of it.
            y_mid = y - 0.3 * size
            xl = max([c for c in v_cuts if c <= x] + [left])
            xr = min([c for c in v_cuts if c > x] + [right])
            yt = max([c for c in h_cuts if c <= y_mid] + [top])
            yb = min([c for c in h_cuts if c > y_mid] + [bottom])
            return (xl, yt, xr - xl, yb - yt)

        slot = Slot((left, top, right - left, bottom - top), anchors["data"], anchors["grad"],
                    field(*anchors["grad"]))
        return slot, font

    def css(self):
        """The style both live layers share: as wide as the output area allows,
        never wider than full size, never narrower than MIN_SCALE of it.

        The height follows from the viewBox, so the two layers, with the same
        viewBox and the same style, always scale alike and stay aligned.
        """
        full = float(self.width[:-2])
        return (f"display:block;width:100%;height:auto;max-width:{full:g}px;"
                f"min-width:{math.ceil(full * MIN_SCALE)}px")

    def _open(self, extra="", live=True):
        style = f' style="{self.css()}"' if live else ""
        return (f'<svg xmlns="{SVG_NS}" width="{self.width}" height="{self.height}" '
                f'viewBox="{self.viewbox}"{style}{extra}>')

    def numbers_svg(self, texts, highlighted=(), current=None, seq=0):
        """The layer that changes: backgrounds, highlights, grad colours, numbers.

        `texts` holds (data_text, grad_text, grad) per node; `highlighted` the
        indices of nodes to mark; `seq` counts renders, so a browser test can
        tell one picture from the next.
        """
        return (self._open(f' class="mgl-numbers" data-seq="{seq}"')
                + self._numbers_body(texts, highlighted, current) + "</svg>")

    def _fragments(self):
        """The SVG text around each number, made once per layout.

        An update then only joins these with the new numbers: this is most of
        what keeps an MLP-sized update well under a millisecond.
        """
        vb = [float(t) for t in self.viewbox.split()]
        self._head = (f'<g transform="{self.transform}" font-family="{self.font_family}" '
                      f'font-size="{self.font_size}" text-anchor="middle">'
                      f'<rect x="{vb[0] - 4:g}" y="{-vb[3] + 4:g}" width="{vb[2]:g}" '
                      f'height="{vb[3]:g}" fill="white"/>')
        self._data_open, self._grad_open, self._grad_rect, self._marks = [], [], [], []
        for i, slot in enumerate(self.slots):
            (dx, dy), (tx, ty) = slot.data_xy, slot.grad_xy
            self._data_open.append(f'<g data-node="v{i}"><text x="{dx:g}" y="{dy:g}">data ')
            self._grad_open.append(f'</text><text x="{tx:g}" y="{ty:g}">grad ')
            gx, gy, gw, gh = slot.grad_box
            self._grad_rect.append(f'<rect x="{gx:g}" y="{gy:g}" width="{gw:g}" height="{gh:g}" fill="')
            # A highlight fills the record except its grad field (whose colour is
            # the grad's own) and outlines all of it, so hues never mix. The grad
            # field is the record's bottom-right cell, so the rest is one
            # L-shaped path (a rectangle when the field spans a whole side).
            x, y, w, h = slot.box
            fill = (f'<path d="M{x:g} {y:g}H{x + w:g}V{gy:g}H{gx:g}V{y + h:g}H{x:g}Z" fill="{{c}}" '
                    f'fill-opacity="0.45"/>')
            self._marks.append({
                colour: (fill.replace("{c}", colour) + f'<rect class="mark" x="{x - 2:g}" y="{y - 2:g}" '
                         f'width="{w + 4:g}" height="{h + 4:g}" fill="none" stroke="{colour}" stroke-width="3"/>')
                for colour in (HIGHLIGHT, CURRENT)})

    def _numbers_body(self, texts, highlighted, current):
        if not hasattr(self, "_head"):
            self._fragments()
        parts = [self._head]
        # The output's own grad is always 1; leaving it out of the scale lets the
        # inputs' grads spread over the whole colour range.
        scale = _grad_scale([t[2] for t in (texts[:-1] if len(texts) > 1 else texts)])
        marked = set(highlighted)
        data_open, grad_open, grad_rect, marks = self._data_open, self._grad_open, self._grad_rect, self._marks
        for i, (data_text, grad_text, grad) in enumerate(texts):
            if i == current:
                parts.append(marks[i][CURRENT])
            elif i in marked:
                parts.append(marks[i][HIGHLIGHT])
            if grad != 0:
                if grad != grad:
                    parts.append(grad_rect[i] + _NAN_FILL)
                else:
                    fills = _FILL[POSITIVE] if grad > 0 else _FILL[NEGATIVE]
                    parts.append(grad_rect[i] + fills[grad_level(grad, scale)])
            parts.append(f"{data_open[i]}{data_text}{grad_open[i]}{grad_text}</text></g>")
        parts.append("</g>")
        return "".join(parts)

    def full_svg(self, texts, highlighted=(), current=None):
        """Both layers in one SVG: the static picture saved with the notebook."""
        static_inner = self.static_svg.split(">", 1)[1].rsplit("</svg>", 1)[0]
        # No style: saved as an image, the picture keeps its own size.
        return (self._open(live=False) + self._numbers_body(texts, highlighted, current) + static_inner
                + "</svg>")


LEVELS = 20      # strengths a grad's colour can take (quantized: see _fill)


def grad_level(grad, scale):
    """0..LEVELS: how strongly to colour a nonzero, non-nan grad.

    Relative to the largest finite |grad| in the graph, through a square root
    so that small-but-nonzero grads still show; inf gets the strongest.
    """
    if scale == 0 or abs(grad) >= scale:       # inf, or a scale so tiny the ratio overflows
        return LEVELS
    return min(LEVELS, int(math.sqrt(abs(grad) / scale) * LEVELS + 0.5))


def grad_colour(grad, scale):
    """(colour, opacity) for a grad: hue says its sign, strength its size."""
    if grad != grad:
        return NAN_COLOUR, 0.4
    if grad == 0:
        return None, 0.0
    return (POSITIVE if grad > 0 else NEGATIVE), _opacity(grad_level(grad, scale))


def _opacity(level):
    return 0.1 + 0.5 * level / LEVELS


# The end of a grad field's <rect>, for every colour and strength, made once:
# an update picks one instead of formatting a number for every node.
_FILL = {colour: [f'{colour}" fill-opacity="{_opacity(k):.3f}"/>' for k in range(LEVELS + 1)]
         for colour in (POSITIVE, NEGATIVE)}
_NAN_FILL = f'{NAN_COLOUR}" fill-opacity="0.4"/>'


def _grad_scale(grads):
    finite = [abs(g) for g in grads if g == g and not math.isinf(g)]
    return max(finite, default=0.0)


def node_texts(nodes, grads=None):
    """(data_text, grad_text, grad) per node, as the picture prints them."""
    if grads is None:
        grads = [v.grad for v in nodes]
    return [(_number(v.data), _number(g), g) for v, g in zip(nodes, grads)]


def _number(x):
    # format_number's common case inline (it runs ~250 times per MLP update);
    # every other case goes to format_number itself.
    if -1e5 < x < 1e5:
        text = f"{x:.4f}"
        return "0.0000" if text == "-0.0000" else text
    return format_number(x)


def _points(text):
    return [tuple(float(c) for c in p.split(",")) for p in text.split()]

