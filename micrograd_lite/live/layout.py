"""Lay a graph out once, then redraw only its numbers.

Running `dot` for every slider move costs a layout program run and ~20 ms of
layout on an MLP(3, [4, 4, 1]) graph, and sending the whole 300 kB SVG to the
browser again costs more. But the picture's shape depends only on the graph's
structure (which ops, which labels, what feeds what), not on the numbers. So,
as EurekaLabs' micrograd demo does:

1. `GraphLayout(nodes, rankdir, texts)` lays out draw_dot's own DOT text
   (graph.dot_source) once, with every number replaced by a placeholder a
   little wider than the number it shows now (two characters more), so nearby
   numbers fit its field. When a number does outgrow its field (`fits()` says
   so), the widget lays the graph out again, as it does when the structure
   changes.
2. It splits the SVG into a static layer (boxes, arrows, labels, op ovals) and
   "slots": where each node's data and grad text goes and where its fields are.
3. `numbers_svg(...)` writes a small SVG of just the numbers, the highlights
   and the grad colours. The widget lays it exactly under the static layer, so
   an update sends ~30 kB instead of ~300 kB and runs no `dot` at all.
"""

import math
import xml.etree.ElementTree as ET

from ..graph import (
    CURRENT,
    HIGHLIGHT,
    LEVELS,
    MIN_SCALE,
    NAN_COLOUR,
    NEGATIVE,
    NUMBER_WIDTH,
    POSITIVE,
    SVG_NS,
    check_rankdir,
    dot_source,
    fits_column,
    format_number,
    grad_level,
    hold_text,
    level_opacity,
    pick_rankdir,
    svg_size,
    times_width,
)
from ..render import render

_NS = {"s": SVG_NS}

# A field laid out for k characters holds any format_number text of at most k
# characters: "8" is as wide as any digit and wider than "-" and "."; the "+"
# of an exponent (a bit wider) always comes with a narrow "."; inf and nan are
# at most 4 characters in a field of 5 or more. Each number is centred.
SLACK = 2            # characters a field has beyond the number it was laid out for


def field_chars(text):
    """How many characters a field laid out for `text` holds."""
    return min(NUMBER_WIDTH, len(text) + SLACK)


def placeholder(chars):
    return "8" * chars


def structure(nodes):
    """What decides the picture's shape: each node's op, label and children.

    Two graphs with the same structure get the same layout, whatever their
    numbers, so comparing this tuple says whether `dot` must run again.
    """
    index = {id(v): i for i, v in enumerate(nodes)}
    return (tuple([v.op for v in nodes]), tuple([v.label for v in nodes]),
            tuple([len(v._prev) for v in nodes]),
            tuple([index[id(c)] for v in nodes for c in v._prev]))


class Slot:
    """Where one Value's numbers go in the picture (SVG user units)."""

    __slots__ = ("box", "data_xy", "grad_xy", "grad_box")

    def __init__(self, box, data_xy, grad_xy, grad_box):
        self.box = box            # (x, y, width, height) of the whole box
        self.data_xy = data_xy    # anchor of the data text (centred)
        self.grad_xy = grad_xy
        self.grad_box = grad_box  # the grad field, for its colour


class GraphLayout:
    """One `dot` layout of a graph's structure: a static SVG plus slots.

    `rankdir` is "LR", "TB" (or "RL", "BT") or "auto": left to right when that
    fits a notebook's column, else top to bottom when that is narrower (see
    graph.pick_rankdir). The direction used is in `rankdir` afterwards;
    `width` and `height` are the picture's full size in px.
    """

    def __init__(self, nodes, rankdir="auto", texts=None):
        """`texts`: the (data_text, grad_text, ...) per node the fields are made
        for (see node_texts); without them, fields for the widest numbers."""
        check_rankdir(rankdir)
        self.structure = structure(nodes)
        if texts is None:
            self.chars = [NUMBER_WIDTH] * len(nodes)
        else:
            # data and grad share one column, as wide as the wider of the two.
            self.chars = [max(field_chars(t[0]), field_chars(t[1])) for t in texts]
        cells = [(placeholder(k), placeholder(k), None) for k in self.chars]
        self._marks_expected = [(f"data {placeholder(k)}", f"grad {placeholder(k)}") for k in self.chars]
        if rankdir == "auto":
            svgs = {"LR": render(dot_source(nodes, "LR", cells), "svg")}
            if not fits_column(svg_size(svgs["LR"])[0]):
                svgs["TB"] = render(dot_source(nodes, "TB", cells), "svg")
            rankdir = pick_rankdir({k: svg_size(s)[0] for k, s in svgs.items()})
            svg = svgs[rankdir]
        else:
            svg = render(dot_source(nodes, rankdir, cells), "svg")
        self.rankdir = rankdir
        self.fit_width = False     # True: shrink to the column even below the readable minimum
        self._split(svg, len(nodes))

    @property
    def fits_column(self):
        """Whether the picture fits a notebook's column with readable text."""
        return fits_column(self.width)

    def fits(self, texts):
        """Whether every number in `texts` fits the field laid out for it."""
        for (data_text, grad_text, _), k in zip(texts, self.chars):
            if len(data_text) > k or len(grad_text) > k:
                return False
        return True

    def _split(self, svg_text, n):
        root = ET.fromstring(svg_text)
        # Graphviz sizes in points; drawn one px per point its 14 pt text reads
        # like the notebook's own 14 px.
        self.width, self.height = svg_size(svg_text)
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
            slots[i], font = self._node_slot(g, self._marks_expected[i])
        self.slots = slots
        hold_text(root)                       # the labels left in the static layer
        self.font_family, self.font_size = font or ("Times,serif", "14.00")
        for attr in ("width", "height", "style"):
            root.attrib.pop(attr, None)
        # The outer <svg> is written by _open (it carries the size style), so keep only its inside.
        self._static_inner = ET.tostring(root, encoding="unicode").split(">", 1)[1].rsplit("</svg>", 1)[0]

    @staticmethod
    def _node_slot(g, marks):
        """The slot of one box: its table cells are each a bordered polygon, then its text."""
        cells = []                            # (cell box, text element) in drawing order
        last_box = None
        for child in list(g):
            tag = child.tag.split("}")[-1]
            if tag == "polygon" and child.get("stroke") not in (None, "none"):
                last_box = _box(_points(child.get("points")))
            elif tag == "text":
                cells.append((last_box, child))
        xs = [b[0] for b, _ in cells] + [b[0] + b[2] for b, _ in cells]
        ys = [b[1] for b, _ in cells] + [b[1] + b[3] for b, _ in cells]
        anchors, font = {}, None
        # The label comes first, so a label that looks like a placeholder is kept.
        for box, text in reversed(cells):
            kind = text.text[:4] if text.text in marks else None
            if kind and kind not in anchors:
                anchors[kind] = (box[0] + box[2] / 2, float(text.get("y")), box)
                font = (text.get("font-family"), text.get("font-size"))
                g.remove(text)
        box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        return Slot(box, anchors["data"][:2], anchors["grad"][:2], anchors["grad"][2]), font

    @property
    def static_svg(self):
        """The layer sent once per layout: boxes, labels, arrows, op ovals."""
        return self._open(' class="mgl-static"') + self._static_inner + "</svg>"

    def css(self):
        """The style both live layers share.

        Fitting: as wide as the output area allows, never wider than full size,
        never narrower than MIN_SCALE of it (11 px text), unless `fit_width`
        asks for the whole of a picture too wide for that, whatever its text size. The height follows
        from the viewBox, so the two layers, with the same viewBox and the same
        style, always scale alike and stay aligned.
        """
        full = self.width
        least = 0 if self.fit_width and not self.fits_column else math.ceil(full * MIN_SCALE)
        return f"display:block;width:100%;height:auto;max-width:{full:g}px;min-width:{least}px"

    def _open(self, extra=""):
        return (f'<svg xmlns="{SVG_NS}" width="{self.width:g}px" height="{self.height:g}px" '
                f'viewBox="{self.viewbox}" style="{self.css()}"{extra}>')

    def numbers_svg(self, texts, highlighted=(), current=None, seq=0, hold=False):
        """The layer that changes: backgrounds, highlights, grad colours, numbers.

        `texts` holds (data_text, grad_text, grad) per node; `highlighted` the
        indices of nodes to mark; `seq` counts renders, so a browser test can
        tell one picture from the next. `hold=True` holds each number to its
        width in Times, as graph.hold_text does the labels, so that a browser
        with a wider font keeps it inside its field (the widgets ask for it;
        a layer whose numbers are rewritten elsewhere should not).
        """
        return (self._open(f' class="mgl-numbers" data-seq="{seq}"')
                + self._numbers_body(texts, highlighted, current, hold) + "</svg>")

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
            self._data_open.append(f'<g data-node="v{i}"><text x="{dx:g}" y="{dy:g}"')
            self._grad_open.append(f'</text><text x="{tx:g}" y="{ty:g}"')
            gx, gy, gw, gh = slot.grad_box
            self._grad_rect.append(f'<rect x="{gx:g}" y="{gy:g}" width="{gw:g}" height="{gh:g}" fill="')
            # A highlight fills the box except its grad field (whose colour is
            # the grad's own) and outlines all of it, so hues never mix. The grad
            # field is the box's bottom-right cell, so the rest is one L-shaped path.
            x, y, w, h = slot.box
            fill = (f'<path d="M{x:g} {y:g}H{x + w:g}V{gy:g}H{gx:g}V{y + h:g}H{x:g}Z" fill="{{c}}" '
                    f'fill-opacity="0.45"/>')
            self._marks.append({
                colour: (fill.replace("{c}", colour) + f'<rect class="mark" x="{x - 2:g}" y="{y - 2:g}" '
                         f'width="{w + 4:g}" height="{h + 4:g}" fill="none" stroke="{colour}" stroke-width="3"/>')
                for colour in (HIGHLIGHT, CURRENT)})

    def _numbers_body(self, texts, highlighted, current, hold=False):
        if not hasattr(self, "_head"):
            self._fragments()
        parts = [self._head]
        marked = set(highlighted)
        data_open, grad_open, grad_rect, marks = self._data_open, self._grad_open, self._grad_rect, self._marks
        for i, (data_text, grad_text, grad) in enumerate(texts):
            if i == current:
                parts.append(marks[i][CURRENT])
            elif i in marked:
                parts.append(marks[i][HIGHLIGHT])
            if grad != grad:
                parts.append(grad_rect[i] + _NAN_FILL)
            elif grad:
                level = grad_level(grad)
                if level is not None:
                    parts.append(grad_rect[i] + _FILL[POSITIVE if grad > 0 else NEGATIVE][level])
            if hold:
                parts.append(f"{data_open[i]}{_held('data ' + data_text)}{grad_open[i]}"
                             f"{_held('grad ' + grad_text)}</text></g>")
            else:
                parts.append(f"{data_open[i]}>data {data_text}{grad_open[i]}>grad {grad_text}</text></g>")
        parts.append("</g>")
        return "".join(parts)


# The end of a grad field's <rect>, for every colour and strength, made once:
# an update picks one instead of formatting a number for every node.
_FILL = {colour: [f'{colour}" fill-opacity="{level_opacity(k):.3f}"/>' for k in range(LEVELS + 1)]
         for colour in (POSITIVE, NEGATIVE)}
_NAN_FILL = f'{NAN_COLOUR}" fill-opacity="0.4"/>'


_HELD = {}


def _held(text):
    """The end of a number's <text> tag and the text, held to its width in Times (cached)."""
    found = _HELD.get(text)
    if found is None:
        if len(_HELD) > 50_000:
            _HELD.clear()
        found = _HELD[text] = f' textLength="{times_width(text):.2f}" lengthAdjust="spacingAndGlyphs">{text}'
    return found


def node_texts(nodes, grads=None):
    """(data_text, grad_text, grad) per node, as the picture prints them."""
    if grads is None:
        grads = [v.grad for v in nodes]
    return [(format_number(v.data), format_number(g), g) for v, g in zip(nodes, grads)]


def _points(text):
    return [tuple(float(c) for c in p.split(",")) for p in text.split()]


def _box(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
