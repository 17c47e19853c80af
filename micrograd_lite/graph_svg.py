"""Reading and adjusting the SVG the layout program draws: its size, text held
inside its boxes, and a size in px for the notebook.
"""

import xml.etree.ElementTree as ET

from .graph_style import FONT_PX

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def svg_size(svg_text):
    """(width, height) of Graphviz's SVG in points, which the course draws one px each."""
    root = ET.fromstring(svg_text)
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


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


def _set_attr(tag_text, name, value):
    start = tag_text.index(f'{name}="') + len(name) + 2
    end = tag_text.index('"', start)
    return tag_text[:start] + value + tag_text[end:]
