"""Pieces the live widgets share: the two-layer picture, its legend and the saved output.

Why two HTML widgets on top of each other, and no custom JavaScript? A custom
widget needs a JupyterLab extension (or the anywidget package) installed next
to the course; plain ipywidgets need nothing more. The static layer is sent
once; each update replaces only the small numbers layer under it. A CSS grid
puts both children in the same cell, so they line up exactly.

Text the widgets write around the picture uses JupyterLab's theme colours
(`--jp-ui-font-color1` and friends), so it reads in the light and the dark
theme alike; the picture itself always sits on white, like draw_dot's.
"""

import ipywidgets as widgets

from ..graph import (
    CURRENT,
    GRAD_FAINT,
    GRAD_FULL,
    HIGHLIGHT,
    LEVELS,
    NEGATIVE,
    POSITIVE,
    ZERO_GRAD,
    escape,
    grad_level,
    level_opacity,
    on_white,
)

# Theme-aware text: the main text colour of the UI, whatever the theme.
TEXT_STYLE = "color:var(--jp-ui-font-color1,#000);font-size:var(--jp-ui-font-size1,13px)"
ERROR_STYLE = "color:var(--jp-error-color1,#d32f2f)"


def layered_picture():
    """(numbers layer, static layer, the box holding both)."""
    cell = "1 / 1 / 2 / 2"
    # Both layers fill the one grid cell, as wide as the output area; each SVG
    # scales to that width within the limits its own style sets (see
    # GraphLayout.css), and the box scrolls sideways only for a big graph
    # shown at natural size.
    numbers = widgets.HTML(layout=widgets.Layout(grid_area=cell, margin="0", width="100%"))
    static = widgets.HTML(layout=widgets.Layout(grid_area=cell, margin="0", width="100%"))
    numbers.add_class("mgl-numbers-layer")
    static.add_class("mgl-static-layer")
    box = widgets.GridBox(
        [numbers, static],
        layout=widgets.Layout(grid_template_columns="minmax(0, 1fr)", grid_template_rows="max-content",
                              overflow="auto", max_width="100%", width="100%"))
    box.add_class("mgl-picture")
    return numbers, static, box


class SizeChoice:
    """For a graph too big for the column: what it is, and fit to width or natural size.

    `box` is the widget row (hidden while the graph fits); `on_change` is
    called with the choice ("fit" or "natural") when the learner picks one.
    """

    def __init__(self, on_change):
        self.note = widgets.HTML()
        self.note.add_class("mgl-size-note")
        self.buttons = widgets.ToggleButtons(options=[("fit to width", "fit"), ("natural size", "natural")],
                                             value="fit", style={"button_width": "auto"})
        self.buttons.observe(lambda change: on_change(change["new"]), names="value")
        self.box = widgets.HBox([self.note, self.buttons],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center",
                                                      display="none"))

    def show(self, layout, values):
        """Show the row when `layout` is too wide for the column; hide it otherwise."""
        if layout.fits_column:
            self.box.layout.display = "none"
            return
        self.note.value = (f'<span style="{TEXT_STYLE}">this graph has {values:,} Values and is '
                           f'{layout.width:,.0f} × {layout.height:,.0f} px at natural size, wider than '
                           f'the notebook:&nbsp;</span>')
        self.box.layout.display = "flex"


def legend_html(highlight_text=None, current_text=None):
    """What the colours mean, in theme colours, with swatches drawn as the picture draws them."""
    def swatch(colour, opacity, text):
        # Opaque (as the colour looks on the picture's white), with black text: legible in any theme.
        return (f'<span style="background:{on_white(colour, opacity)};color:#000;padding:0 4px;'
                f'border:1px solid #000;border-radius:2px;white-space:nowrap">{text}</span>')
    strong = level_opacity(LEVELS)
    faint = level_opacity(grad_level(GRAD_FAINT))
    one = level_opacity(grad_level(1.0))
    parts = [f"grad colour: {swatch(POSITIVE, one, '+1')} {swatch(NEGATIVE, one, '−1')} "
             f"blue &gt; 0, red &lt; 0; strength on a log scale of |grad|, from "
             f"{swatch(POSITIVE, faint, f'{GRAD_FAINT:g}')} faint to "
             f"{swatch(POSITIVE, strong, f'{GRAD_FULL:g}')} full; below {ZERO_GRAD:g} is 0, uncoloured"]
    if highlight_text:
        parts.append(f"{swatch(HIGHLIGHT, 0.45, '&nbsp;')} {escape(highlight_text)}")
    if current_text:
        parts.append(f"{swatch(CURRENT, 0.45, '&nbsp;')} {escape(current_text)}")
    return (f'<div class="mgl-legend" style="{TEXT_STYLE};line-height:1.7">'
            + " &nbsp;·&nbsp; ".join(parts) + "</div>")


class StaticPictureMixin:
    """A widget whose saved output also holds a picture and a plain-text table.

    In a notebook the widget view wins. Where no kernel runs (nbval compares
    outputs, the course pages, a notebook opened before it is run or not
    trusted) the saved output still shows the widget's picture as SVG and
    PNG, and its text/plain is a table with no model ids or addresses, so
    nbval can compare it.

    Subclasses provide to_text() and either static_picture() (a
    graph.ComputationGraph, drawn and sized as draw_dot's) or static_svg()
    and static_png() (either may return None).
    """

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        text = self.to_text()
        try:
            bundle.update(self._static_pictures())
        except Exception:                 # no renderer, say: the text still shows
            pass
        bundle["text/plain"] = text
        return bundle

    def _static_pictures(self):
        graph = self.static_picture() if hasattr(self, "static_picture") else None
        if graph is not None:
            shown = graph._repr_mimebundle_()
            return {mime: data for mime, data in shown.items() if mime.startswith("image/")}
        pictures = {}
        for mime, make in (("image/svg+xml", self.static_svg), ("image/png", self.static_png)):
            data = make()
            if data and mime == "image/svg+xml":
                # With the XML declaration, as Graphviz writes it, so the course's
                # nbval sanitizer treats it like any drawn graph's SVG.
                data = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + data
            if data:
                pictures[mime] = data
        return pictures

    def __repr__(self):
        return self.to_text()

