"""draw_dot: stable DOT source, safe labels, big graphs, and drawing with no `dot` on PATH."""

import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest

from lecture import lecture_L
from micrograd_lite import Value, draw_dot
from micrograd_lite.graph import NUMBER_WIDTH, GraphTooLarge, format_number
from micrograd_lite.render import render


def test_same_expression_same_source_in_one_run():
    assert draw_dot(lecture_L()).source == draw_dot(lecture_L()).source


def test_same_source_in_separate_processes():
    # id() and set order change from process to process; names must not depend on them.
    code = textwrap.dedent("""
        from micrograd_lite import MLP, draw_dot
        m = MLP(3, [4, 4, 1], seed=1)
        print(draw_dot(m([1.0, 2.0, 3.0])).source)
    """)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True).stdout
            for seed in (1, 2)]
    assert runs[0] == runs[1]
    assert "v0 " in runs[0] and not re.search(r"\d{8,}", runs[0])   # no id()-like names


def test_records_and_op_nodes():
    src = draw_dot(lecture_L()).source
    assert '<TD ROWSPAN="2">a</TD><TD>data 2.0000</TD></TR><TR><TD>grad 0.0000</TD>' in src
    assert "rankdir=LR" in src
    assert re.search(r'v\d+_op \[label="\*"\]', src)
    assert "rankdir=TB" in draw_dot(lecture_L(), rankdir="TB").source


def test_text_table_shows_labels_data_and_grads():
    L = lecture_L()
    L.backward()
    text = draw_dot(L).to_text()
    assert text.splitlines()[0].split() == ["value", "op", "data", "grad"]
    assert re.search(r"^a\s+input\s+2\.0000\s+6\.0000$", text, re.M)
    assert re.search(r"^L\s+\*\s+-8\.0000\s+1\.0000$", text, re.M)


@pytest.mark.parametrize("x, text", [
    (2.0, "2.0000"), (-0.0, "0.0000"), (-1e-9, "0.0000"), (99999.99994, "99999.9999"),
    (20640116.1419, "2.0640e+07"), (-1.5e300, "-1.5000e+300"), (float("inf"), "inf"),
    (float("-inf"), "-inf"), (float("nan"), "nan"),
])
def test_numbers_have_bounded_width(x, text):
    assert format_number(x) == text
    assert len(format_number(x)) <= NUMBER_WIDTH


NASTY = ['{x}', 'a|b', '<port>', 'say "hi"', 'back\\slash', 'all {|<>"\\} of them', '</text><script>']


@pytest.mark.parametrize("label", NASTY)
def test_labels_render_exactly_as_written(label):
    v = Value(1.5, label=label)
    out = v * 2; out.label = "out"
    svg = render(draw_dot(out), "svg")
    root = ET.fromstring(svg)          # still well-formed: no markup was injected
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert label in texts
    # The record keeps its three fields: label, data, grad.
    assert "data 1.5000" in texts and "grad 0.0000" in texts


def test_big_graphs_are_refused_with_size_and_advice():
    x = Value(1.0)
    for _ in range(20_000):
        x = x + 1
    with pytest.raises(GraphTooLarge, match=r"40,001 Values.*smaller piece.*max_nodes=40001"):
        draw_dot(x)


def test_notebook_bundle_has_svg_png_and_text():
    L = lecture_L()
    bundle = draw_dot(L)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert "L" in bundle["text/plain"] and "-8.0000" in bundle["text/plain"]


def _draw_in_subprocess(env):
    code = textwrap.dedent("""
        from micrograd_lite import Value, draw_dot
        from IPython.core.formatters import DisplayFormatter
        L = Value(2.0, "a") * 3
        data, _ = DisplayFormatter().format(draw_dot(L))
        print(sorted(data))
        print(data["text/plain"])
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_draws_with_no_dot_on_path(tmp_path):
    # A PATH with nothing on it: no system `dot`, and not even the venv's bin/.
    result = _draw_in_subprocess({**os.environ, "PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "['image/png', 'image/svg+xml', 'text/plain']" in result.stdout


def test_missing_system_dot_gives_one_clear_message(tmp_path):
    result = _draw_in_subprocess({**os.environ, "PATH": str(tmp_path), "MICROGRAD_LITE_DOT": "system"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "['text/plain']" in result.stdout
    assert "MICROGRAD_LITE_DOT='system' asks for `dot`, which is not on PATH" in result.stdout
    assert "unset MICROGRAD_LITE_DOT" in result.stdout
