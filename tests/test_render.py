"""render(): which program lays graphs out, what happens when none can, and same bytes every run."""

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lecture import lecture_L
from micrograd_lite import draw_dot
from micrograd_lite.render import RENDERER_SETTING, RendererMissing, render, renderer_command, show


@pytest.fixture
def bare_path(tmp_path, monkeypatch):
    """A PATH with nothing on it but the returned folder, and no renderer setting."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv(RENDERER_SETTING, raising=False)
    return folder


def fake_dot(folder, svg):
    """A `dot` that ignores its input and prints `svg`."""
    program = folder / "dot"
    program.write_text(f"#!/bin/sh\ncat >/dev/null\nprintf '%s' '{svg}'\n")
    program.chmod(0o755)
    return program


def test_graphviz_pure_is_the_default_even_with_nothing_on_path(bare_path):
    assert Path(renderer_command()).name.startswith("graphviz-pure")
    svg = render(draw_dot(lecture_L()), "svg")
    assert "graphviz-pure" in svg and "<svg" in svg


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the fake dot is a shell script")
def test_system_setting_runs_the_dot_on_path(bare_path, monkeypatch):
    program = fake_dot(bare_path, "<svg>from the system dot</svg>")
    monkeypatch.setenv(RENDERER_SETTING, "system")
    assert renderer_command() == str(program)
    assert render("digraph { a -> b }", "svg") == "<svg>from the system dot</svg>"


def test_system_setting_without_a_dot_says_how_to_fix_it(bare_path, monkeypatch):
    monkeypatch.setenv(RENDERER_SETTING, "system")
    advice = r"(?s)MICROGRAD_LITE_DOT='system' asks for `dot`.*unset MICROGRAD_LITE_DOT"
    with pytest.raises(RendererMissing, match=advice):
        render("digraph { a -> b }", "svg")


def test_a_program_path_that_does_not_exist_is_named(bare_path, monkeypatch):
    monkeypatch.setenv(RENDERER_SETTING, "/no/such/dot")
    with pytest.raises(RendererMissing, match=r"`/no/such/dot`, which is not on PATH"):
        renderer_command()


def test_a_graph_the_renderer_rejects_raises_with_its_message():
    with pytest.raises(RuntimeError, match=r"graphviz-pure.* failed: .*syntax error"):
        render("digraph {", "svg")


def test_only_svg_and_png_are_drawn():
    with pytest.raises(ValueError, match=r'fmt="svg" or fmt="png", not \'pdf\''):
        render("digraph { a -> b }", "pdf")


def test_png_is_a_png():
    assert render(draw_dot(lecture_L()), "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_show_draws_any_digraph_with_the_same_renderer(bare_path):
    import graphviz
    dot = graphviz.Digraph()
    dot.edge("x", "y")
    shown = show(dot)
    assert "graphviz-pure" in shown.svg()
    bundle = shown._repr_mimebundle_()
    assert sorted(bundle) == ["image/png", "image/svg+xml", "text/plain"]
    assert bundle["text/plain"] == dot.source
    # Shown one px per point, as draw_dot's pictures are (Graphviz's own SVG says pt).
    assert 'width="62pt"' in shown.svg() and 'width="62px"' in bundle["image/svg+xml"]


def test_show_says_what_is_missing_instead_of_raising(bare_path, monkeypatch):
    monkeypatch.setenv(RENDERER_SETTING, "system")
    bundle = show("digraph { x -> y }")._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert "x -> y" in bundle["text/plain"] and "which is not on PATH" in bundle["text/plain"]


def test_same_svg_bytes_in_separate_processes(monkeypatch):
    # What lets nbval compare the stored SVG of a graph strictly: fresh processes,
    # different hash seeds, the same bytes, and the same as in this process.
    code = textwrap.dedent("""
        import hashlib, sys
        sys.path.insert(0, %r)
        from lecture import lecture_L
        from micrograd_lite import MLP, draw_dot
        from micrograd_lite.render import render
        L = lecture_L(); L.backward()
        out = MLP(3, [4, 4, 1], seed=0)([1.0, 2.0, 3.0]); out.backward()
        for root in (L, out):
            print(hashlib.sha256(render(draw_dot(root), "svg").encode()).hexdigest())
    """ % str(Path(__file__).parent))
    env = {k: v for k, v in os.environ.items() if k != RENDERER_SETTING}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**env, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1]
    monkeypatch.delenv(RENDERER_SETTING, raising=False)
    L = lecture_L()
    L.backward()
    assert runs[0].split()[0] == hashlib.sha256(render(draw_dot(L), "svg").encode()).hexdigest()
