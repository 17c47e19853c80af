"""Pieces the live widgets share: the two-layer picture and the saved output.

Why two HTML widgets on top of each other, and no custom JavaScript? A custom
widget needs a JupyterLab extension (or the anywidget package) installed next
to the course; plain ipywidgets need nothing more. The static layer is sent
once; each update replaces only the small numbers layer under it. A CSS grid
puts both children in the same cell, so they line up exactly.
"""

import ipywidgets as widgets


def layered_picture():
    """(numbers layer, static layer, the box holding both)."""
    cell = "1 / 1 / 2 / 2"
    # Both layers fill the one grid cell, as wide as the output area; each SVG
    # scales to that width within the limits its own style sets (see
    # GraphLayout.css), and the box scrolls sideways when even the smallest
    # readable scale is too wide.
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


class StaticPictureMixin:
    """A widget whose saved output also holds a picture and a plain-text table.

    In a notebook the widget view wins. Where no kernel runs (nbval compares
    outputs, the course pages, a notebook opened before it is run) the saved
    output still shows the initial graph as SVG/PNG, and its text/plain is a
    table with no model ids or addresses, so nbval can compare it.
    Subclasses provide to_text(), static_svg() and static_png() (either may return None).
    """

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.to_text()
        for mime, make in (("image/svg+xml", self.static_svg), ("image/png", self.static_png)):
            try:
                data = make()
            except Exception:             # no `dot`, say: the text still shows
                data = None
            if data and mime == "image/svg+xml":
                # With the XML declaration, as Graphviz writes it, so the course's
                # nbval sanitizer treats it like any drawn graph's SVG.
                data = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + data
            if data:
                bundle[mime] = data
        return bundle

    def __repr__(self):
        return self.to_text()
