"""Pictures of DOT graphs that draw with graphviz-pure: in a notebook, as bytes, as files.

A `graphviz.Digraph` runs the system's `dot` for everything it draws, and a
learner has none (dot_program.py says why the course needs none). The classes
here keep graphviz's whole API and send every drawing method through the
course's layout program instead:

    display in a notebook   _repr_mimebundle_(include=..., exclude=...)
    bytes                   svg(), png(), pipe(format=...)
    files                   render(filename, format="png"), view(), save() (the DOT text)
    new graphs              copy(), subgraph(...), unflatten() (needs Graphviz's own
                            `unflatten`; without it, an error that says so)

The display is the one path every picture in the course takes: draw_dot's,
`show(digraph)`'s and the widgets' saved pictures. It shows the SVG one px per
point, shrunk to the notebook's column when that keeps its text readable, and
a PNG drawn at the size the SVG is shown (for notebooks that are not trusted
yet, where JupyterLab hides SVG). pipe(), svg(), png() and render() give what
the layout program draws, as graphviz's methods do.
"""

import contextlib
import os
import shutil
import subprocess
import sys
from copy import copy as shallow_copy
from pathlib import Path

import graphviz

from .dot_program import RENDERER_SETTING, RendererMissing, render, renderer_command, run_layout
from .graph_style import FONT_PX, fits_column, shown_scale
from .graph_svg import held_svg, sized_svg, svg_size

__all__ = ["PureDigraph", "PureSource", "show", "RendererMissing", "ViewerMissing",
           "RENDERER_SETTING", "render", "renderer_command", "with_graph_attrs"]

SVG, PNG, TEXT = "image/svg+xml", "image/png", "text/plain"


class ViewerMissing(RuntimeError):
    """view() saved the picture but found no program to open it; the message names the file."""


def with_graph_attrs(source, **attrs):
    """DOT text with more graph attributes, e.g. dpi=72 (Graphviz's PNG default,
    96, is 1.33 px per point) or a label."""
    head, rest = source.split("{", 1)
    lines = "".join(f"\n\t{name}={value}" for name, value in attrs.items())
    return f"{head}{{{lines}{rest}"


def open_in_viewer(path, quiet=False):
    """Open a saved picture with the system's viewer, without waiting for it to close."""
    if sys.platform.startswith("win"):
        os.startfile(os.path.normpath(path))      # opens and returns at once
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(opener)
    if found is None:
        raise ViewerMissing(
            f"Saved the picture as {path}, but found no program to open it (`{opener}` is not on PATH). "
            "Open that file yourself, or show the picture here: put the graph last in a notebook cell.")
    subprocess.Popen([found, os.fspath(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL if quiet else None, start_new_session=True)


class PureRendering:
    """graphviz's drawing methods, drawn by graphviz-pure: mixed into a Digraph or a Source.

    The format defaults to svg, not graphviz's pdf, which graphviz-pure does not write.
    """

    png_allowed = True      # False: SVG and text only (a big graph's PNG weighs ~1 MB)
    _svg_drawn = None       # ((source, engine), svg): drawn again whenever the source changes

    def __init__(self, *args, format="svg", **kwargs):
        super().__init__(*args, format=format, **kwargs)

    # ---- bytes ---------------------------------------------------------------

    def pipe(self, format=None, renderer=None, formatter=None, neato_no_op=None, quiet=False, *,
             engine=None, encoding=None):
        """What the layout program draws, as bytes (or text, given an `encoding`), like graphviz's pipe()."""
        fmt = ":".join(part for part in (format or self.format, renderer, formatter) if part)
        options = [f"-n{int(neato_no_op)}"] if neato_no_op else []
        drawn = run_layout(self.source, fmt, engine or self.engine, options)
        return drawn if encoding is None else drawn.decode(encoding)

    def svg(self):
        """The SVG as the layout program draws it (sizes in points)."""
        key = (self.source, self.engine)
        if self._svg_drawn is None or self._svg_drawn[0] != key:
            self._svg_drawn = (key, self.pipe(format="svg", encoding="utf-8"))
        return self._svg_drawn[1]

    def png(self):
        """The PNG as the layout program draws it (96 dpi, 1.33 px per point)."""
        return self.pipe(format="png")

    def copy(self):
        """An independent copy, as graphviz's copy() makes: same DOT text, same attributes.

        graphviz's builds type(self)(**its own arguments), which a subclass with
        a constructor of its own (ComputationGraph) does not take; a shallow
        copy keeps such a subclass's attributes, and graphviz's __init__ then
        gives it its own body and attribute dicts.
        """
        twin = shallow_copy(self)
        PureRendering.__init__(twin, **self._copy_kwargs())
        return twin

    # ---- files ---------------------------------------------------------------

    def render(self, filename=None, directory=None, view=False, cleanup=False, format=None, renderer=None,
               formatter=None, neato_no_op=None, quiet=False, quiet_view=False, *, outfile=None, engine=None,
               raise_if_result_exists=False, overwrite_source=False):
        """Save the DOT text to `filename`, draw it to `filename` + "." + format, return that path.

        As graphviz's render(): `render("x", format="png")` writes x and x.png;
        `render(outfile="x.png")` writes x.gv and x.png; `view=True` opens the picture.
        """
        if outfile is not None:
            outfile = Path(outfile)
            format = format or outfile.suffix.lstrip(".").lower()
            if not format:
                raise ValueError(f"can't tell the format from outfile {os.fspath(outfile)!r}: give it a "
                                 "suffix (.svg, .png) or pass format=")
            if directory is None:
                outfile = Path(self.directory, outfile)
            if filename is None:
                filename = outfile.with_suffix(".gv")
        fmt = format or self.format
        filepath = self.save(filename, directory=directory)
        suffix = ".".join(part for part in (formatter, renderer, fmt) if part)
        out = outfile if outfile is not None else Path(f"{filepath}.{suffix}")
        if out.exists() and raise_if_result_exists:
            raise graphviz.FileExistsError(f"output file exists: {os.fspath(out)!r}")
        if out.resolve() == Path(filepath).resolve() and not overwrite_source:
            raise ValueError(f"outfile {os.fspath(out)!r} is the DOT file; pass overwrite_source=True")
        out.write_bytes(self.pipe(fmt, renderer, formatter, neato_no_op, engine=engine))
        if cleanup:
            os.remove(filepath)
        if view or quiet_view:
            open_in_viewer(out, quiet=quiet_view)
        return os.fspath(out)

    def view(self, filename=None, directory=None, cleanup=False, quiet=False, quiet_view=False):
        """render() the picture, then open it with the system's viewer (ViewerMissing if there is none)."""
        return self.render(filename, directory, view=True, cleanup=cleanup, quiet=quiet, quiet_view=quiet_view)

    def unflatten(self, stagger=None, fanout=False, chain=None):
        """graphviz's unflatten(), run by Graphviz's own `unflatten` program, drawn by graphviz-pure."""
        if shutil.which("unflatten") is None:
            raise RendererMissing(
                "unflatten() runs Graphviz's `unflatten` program, which graphviz-pure does not include "
                "and which is not on PATH.\nFix: install Graphviz, which brings it (apt install graphviz, "
                "brew install graphviz or conda install graphviz); or, for a graph too wide to read, "
                'draw_dot(root, rankdir="TB") lays it out top to bottom.')
        flat = super().unflatten(stagger=stagger, fanout=fanout, chain=chain)
        return PureSource(flat.source, engine=self.engine)

    # ---- the notebook --------------------------------------------------------

    def _display_text(self):
        return self.source

    def _caption(self, width, height):
        """A caption for a picture too wide to read in the column, fitted to it;
        None shows such a picture at full size, to scroll."""
        return None

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        """SVG, PNG and text (or those of them in `include` and not in `exclude`)."""
        wanted = ({SVG, PNG, TEXT} if include is None else set(include)) - set(exclude or ())
        bundle = {}
        if wanted & {SVG, PNG}:
            try:
                bundle = self._pictures(wanted)
            except RendererMissing as missing:
                if TEXT not in wanted:
                    raise
                return {TEXT: self._display_text() + "\n\n" + str(missing)}
        if TEXT in wanted:
            bundle[TEXT] = self._display_text()
        return bundle

    def _pictures(self, wanted):
        source, svg = self.source, self.svg()
        width, height = svg_size(svg)
        caption = None if fits_column(width) else self._caption(width, height)
        if caption:
            # Too wide to read in the column: show all of it, fitted, under a
            # caption that says so and is itself drawn at the notebook's text size.
            source = with_graph_attrs(source, label=f'"{caption}"', labelloc="t", labeljust="l",
                                      fontsize=f"{FONT_PX / shown_scale(width):.0f}")
            svg = run_layout(source, "svg", self.engine).decode("utf-8")
            width, height = svg_size(svg)
            scale = shown_scale(width)
        else:
            scale = shown_scale(width) if fits_column(width) else 1.0
        pictures = {}
        if SVG in wanted:
            pictures[SVG] = sized_svg(held_svg(svg), round(width * scale), round(height * scale))
        if PNG in wanted and self.png_allowed:
            # The PNG is drawn at the size the SVG is shown (JupyterLab shows a
            # PNG at its pixel size, squeezed to the column when wider), so
            # both views of the picture look alike.
            pictures[PNG] = run_layout(with_graph_attrs(source, dpi=round(72 * scale, 2)), "png", self.engine)
        return pictures


class PureDigraph(PureRendering, graphviz.Digraph):
    """A graphviz.Digraph that draws with graphviz-pure."""

    def subgraph(self, graph=None, name=None, comment=None, graph_attr=None, node_attr=None, edge_attr=None,
                 body=None):
        """graphviz's subgraph(): `g.subgraph(other)`, or `with g.subgraph(name="cluster_x") as c:`.

        In the with-block form graphviz makes the new subgraph as type(self)(...);
        here it is a PureDigraph whatever the subclass, added to this graph when the block ends.
        """
        if graph is not None:
            return super().subgraph(graph, name=name, comment=comment, graph_attr=graph_attr,
                                    node_attr=node_attr, edge_attr=edge_attr, body=body)
        inner = PureDigraph(name=name, comment=comment, graph_attr=graph_attr, node_attr=node_attr,
                            edge_attr=edge_attr, body=body, directory=self.directory, format=self.format,
                            engine=self.engine, encoding=self.encoding)
        return _added_when_done(self, inner)


@contextlib.contextmanager
def _added_when_done(parent, subgraph):
    yield subgraph
    parent.subgraph(subgraph)


class PureSource(PureRendering, graphviz.Source):
    """DOT text that draws with graphviz-pure, as graphviz.Source with a system `dot`."""

    def __repr__(self):
        return self.source


def show(graph):
    """Display a graphviz.Digraph (or DOT text) in a notebook as draw_dot's pictures show: `show(dot)`."""
    if isinstance(graph, PureRendering):
        return graph
    return PureSource(getattr(graph, "source", graph), engine=getattr(graph, "engine", None))
