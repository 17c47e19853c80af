"""Everything a learner may call on draw_dot(L) works with no system Graphviz, through
the same renderer (graphviz-pure) as the picture in the notebook.

Every test runs with a PATH holding nothing but an empty folder, and no
MICROGRAD_LITE_DOT: the first test shows that graphviz's own Digraph cannot draw
there, so each later one shows draw_dot's object drawing where graphviz's would fail.
"""

import io
import os
import signal
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

import micrograd_lite.render as render_module
from lecture import lecture_L
from micrograd_lite import draw_dot
from micrograd_lite.graph import ComputationGraph
from micrograd_lite.render import RENDERER_SETTING, PureDigraph, PureSource, RendererMissing, ViewerMissing, show

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
SVG, PNG, TEXT = "image/svg+xml", "image/png", "text/plain"


@pytest.fixture(autouse=True)
def no_system_dot(tmp_path, monkeypatch):
    """PATH = one empty folder (returned), no renderer setting, and the tests' files written in tmp_path."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv(RENDERER_SETTING, raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.fixture
def L_graph():
    L = lecture_L()
    L.backward()
    return draw_dot(L)


def program(folder, name, script):
    """A shell program `name` in `folder`."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return path


def svg_texts(svg):
    return [t.text for t in ET.fromstring(svg.split("?>", 1)[-1]).iter("{http://www.w3.org/2000/svg}text")]


def test_graphviz_own_digraph_cannot_draw_here(L_graph):
    # What every test below would meet with a plain graphviz.Digraph.
    plain = graphviz.Digraph(body=list(L_graph.body))
    with pytest.raises(graphviz.ExecutableNotFound):
        plain.pipe(format="svg")
    with pytest.raises(graphviz.ExecutableNotFound):
        plain.render("plain", format="png")


def test_draw_dot_gives_a_digraph_that_reads_its_source(L_graph):
    assert isinstance(L_graph, graphviz.Digraph)
    assert L_graph.source.startswith("digraph {") and "v0 [label=<" in L_graph.source
    assert str(L_graph) == L_graph.source


def test_svg_png_and_pipe(L_graph):
    svg = L_graph.svg()
    assert svg.startswith("<?xml") and "<svg" in svg and "data -8.0000" in svg_texts(svg)
    assert L_graph.png()[:8] == PNG_MAGIC
    assert L_graph.pipe()[:5] == b"<?xml"                          # svg by default, not graphviz's pdf
    assert L_graph.pipe(format="png")[:8] == PNG_MAGIC
    assert L_graph.pipe(format="jpeg")[:3] == JPEG_MAGIC
    assert L_graph.pipe(format="svg", encoding="utf-8") == svg
    assert L_graph._repr_image_svg_xml() == svg and L_graph._repr_image_png()[:8] == PNG_MAGIC


def test_a_format_graphviz_pure_does_not_write_says_what_to_do(L_graph):
    with pytest.raises(RuntimeError, match=r"(?s)\"pdf\" not recognized.*svg or png.*MICROGRAD_LITE_DOT=system"):
        L_graph.pipe(format="pdf")


@pytest.mark.parametrize("fmt, magic", [("svg", b"<?xml"), ("png", PNG_MAGIC)])
def test_render_writes_the_picture_and_returns_its_path(L_graph, fmt, magic):
    path = L_graph.render("L", format=fmt)
    assert path == f"L.{fmt}"
    assert Path(path).read_bytes().startswith(magic)
    assert Path("L").read_text() == L_graph.source                 # the DOT text, as graphviz saves it


def test_render_to_an_outfile_or_a_folder(L_graph, tmp_path):
    assert L_graph.render(outfile="picture.png") == "picture.png"
    assert Path("picture.png").read_bytes()[:8] == PNG_MAGIC and Path("picture.gv").exists()
    path = L_graph.render("L", directory=tmp_path / "pictures", cleanup=True)
    assert Path(path) == tmp_path / "pictures" / "L.svg" and Path(path).read_bytes()[:5] == b"<?xml"
    assert not (tmp_path / "pictures" / "L").exists()              # cleanup=True removed the DOT file


def test_render_with_no_name_uses_graphviz_default_name():
    assert draw_dot(lecture_L()).render() == "ComputationGraph.gv.svg"
    assert Path("ComputationGraph.gv.svg").read_bytes()[:5] == b"<?xml"


def test_view_renders_then_opens_without_waiting(L_graph, monkeypatch):
    opened = []
    monkeypatch.setattr(render_module, "open_in_viewer", lambda path, quiet=False: opened.append(path))
    assert L_graph.view("L") == "L.svg"
    assert [str(p) for p in opened] == ["L.svg"] and Path("L.svg").read_bytes()[:5] == b"<?xml"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the viewer looked for is xdg-open")
def test_view_starts_the_viewer_and_does_not_wait_for_it(L_graph, no_system_dot, tmp_path):
    opened = tmp_path / "opened"
    # A viewer that says what it opened, then stays open as a real one does.
    program(no_system_dot, "xdg-open", f'printf "%s %s" "$$" "$1" > {opened}.part\n'
                                       f'/bin/mv {opened}.part {opened}\nexec /bin/sleep 60\n')
    start = time.monotonic()
    assert L_graph.view("L") == "L.svg"
    assert time.monotonic() - start < 30                            # not waited for (it stays 60 s)
    deadline = time.monotonic() + 10
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid, path = opened.read_text().split(" ", 1)
    os.kill(int(pid), signal.SIGTERM)                                # the viewer this test started
    assert path == "L.svg"


@pytest.mark.skipif(sys.platform.startswith("win"), reason="Windows opens files itself")
def test_view_with_no_viewer_names_the_saved_file(L_graph):
    with pytest.raises(ViewerMissing, match=r"Saved the picture as L\.svg, but found no program to open it"):
        L_graph.view("L")
    assert Path("L.svg").read_bytes()[:5] == b"<?xml"


def test_a_title_set_with_attr_shows_in_the_picture(L_graph):
    before = L_graph._repr_mimebundle_()                             # drawn (and cached) without a title
    L_graph.attr(label="My title")
    after = L_graph._repr_mimebundle_()
    assert "My title" not in svg_texts(before[SVG]) and "My title" in svg_texts(after[SVG])
    assert "My title" in svg_texts(L_graph.svg())
    assert after[PNG] != before[PNG]
    shown = int(ET.fromstring(after[SVG].split("?>", 1)[1]).get("height").removesuffix("px"))
    assert abs(Image.open(io.BytesIO(after[PNG])).height - shown) <= 2  # the PNG has the title's room too


def test_the_display_honours_include_and_exclude(L_graph):
    assert sorted(L_graph._repr_mimebundle_()) == [PNG, SVG, TEXT]
    assert list(L_graph._repr_mimebundle_(include=[PNG])) == [PNG]
    assert sorted(L_graph._repr_mimebundle_(exclude=[PNG])) == [SVG, TEXT]
    assert L_graph._repr_mimebundle_(include=[SVG], exclude=[SVG]) == {}
    assert list(L_graph._repr_mimebundle_(include=[TEXT])) == [TEXT]
    # As IPython asks for it.
    data, _ = DisplayFormatter().format(L_graph, exclude={PNG})
    assert PNG not in data and data[SVG].startswith("<?xml") and "-8.0000" in data[TEXT]


def test_a_picture_asked_for_with_no_renderer_says_why(L_graph, monkeypatch):
    monkeypatch.setenv(RENDERER_SETTING, "system")                   # and no `dot` on PATH
    assert list(L_graph._repr_mimebundle_()) == [TEXT]
    with pytest.raises(RendererMissing, match="not on PATH"):
        L_graph._repr_mimebundle_(include=[PNG])


def test_copy_is_independent_and_still_knows_its_values(L_graph):
    twin = L_graph.copy()
    assert type(twin) is ComputationGraph and twin.source == L_graph.source
    assert twin.to_text() == L_graph.to_text() and twin.rankdir == L_graph.rankdir
    twin.attr(label="only the copy")
    assert "only the copy" in twin.source and "only the copy" not in L_graph.source
    assert "only the copy" in svg_texts(twin._repr_mimebundle_()[SVG])


def test_subgraph_in_a_with_block_and_as_an_argument(L_graph):
    with L_graph.subgraph(name="cluster_inputs") as inputs:
        inputs.attr(label="the inputs", style="dashed")
        inputs.node("v0")
    assert isinstance(inputs, PureDigraph)
    other = PureDigraph(name="cluster_note")
    other.node("note", label="a note")
    L_graph.subgraph(other)
    assert "subgraph cluster_inputs {" in L_graph.source and "subgraph cluster_note {" in L_graph.source
    texts = svg_texts(L_graph._repr_mimebundle_()[SVG])
    assert "the inputs" in texts and "a note" in texts


def test_unflatten_without_graphviz_names_the_fix(L_graph):
    with pytest.raises(RendererMissing, match=r"(?s)`unflatten` program.*Fix: install Graphviz"):
        L_graph.unflatten(stagger=3)


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the fake unflatten is a shell script")
def test_unflatten_with_graphviz_draws_its_result_with_graphviz_pure(L_graph, no_system_dot):
    program(no_system_dot, "unflatten", "exec /bin/cat\n")                     # leaves the graph as it is
    flat = L_graph.unflatten(stagger=3)
    assert isinstance(flat, PureSource) and flat.source.strip() == L_graph.source.strip()
    assert flat.svg().startswith("<?xml") and flat._repr_mimebundle_()[PNG][:8] == PNG_MAGIC


def test_show_draws_a_plain_digraph_by_the_same_rules_as_draw_dot(L_graph):
    plain = graphviz.Digraph(body=list(L_graph.body), graph_attr=dict(L_graph.graph_attr))
    shown, drawn = show(plain)._repr_mimebundle_(), L_graph._repr_mimebundle_()
    assert shown[SVG] == drawn[SVG] and shown[PNG] == drawn[PNG]    # the same DOT text, the same picture
    assert shown[TEXT] == plain.source
    assert show(L_graph) is L_graph                                  # draw_dot's own display, table and all


def test_every_picture_sends_its_png_at_the_size_its_svg_is_shown(L_graph):
    from lecture import SLIDERS, build_L
    from micrograd_lite.live import live_graph
    dot = graphviz.Digraph()
    dot.edge("x", "y")
    for bundle in (L_graph._repr_mimebundle_(), show(dot)._repr_mimebundle_(),
                   show("digraph { a -> b -> c }")._repr_mimebundle_(),
                   live_graph(build_L, **SLIDERS)._repr_mimebundle_()):
        svg = ET.fromstring(bundle[SVG].split("?>", 1)[1])
        width = float(svg.get("width").removesuffix("px"))
        assert abs(Image.open(io.BytesIO(bundle[PNG])).width - width) <= 2


def test_no_file_is_left_outside_the_folder_asked_for(L_graph, tmp_path):
    L_graph.render("L", format="png")
    assert sorted(os.listdir(tmp_path)) == sorted(["L", "L.png", "bin"])
