"""graphviz-pure against the system `dot`: render time, layout, and same bytes every run.

Draws two graphs with each renderer, taking turns so both see the same machine
load: the lecture's tanh neuron (draw_dot after backward) and MLP(3, [4, 4, 1],
seed=0) on x = [1.0, 2.0, 3.0]. For each it prints

* the median wall time of one render to SVG (a process start included, as in a
  notebook);
* whether both renderers put the same nodes in the same ranks and the same
  order within a rank (the layout a learner sees), read from the SVG;
* whether graphviz-pure gives identical SVG bytes in fresh processes with
  different PYTHONHASHSEEDs, which is what lets nbval compare the stored SVG.

    python benchmarks/bench_render.py [--repeats 30]

The system `dot` is optional: without one, only graphviz-pure is timed.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET

from micrograd_lite import MLP, Value, draw_dot
from micrograd_lite.render import RENDERER_SETTING, renderer_command

SVG = "{http://www.w3.org/2000/svg}"


def lecture_neuron():
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def mlp_graph():
    out = MLP(3, [4, 4, 1], seed=0)([1.0, 2.0, 3.0])
    out.backward()
    return out


GRAPHS = {"neuron": lecture_neuron, "MLP(3,[4,4,1])": mlp_graph}


def run(program, source):
    done = subprocess.run([program, "-Tsvg"], input=source.encode(), capture_output=True, check=True)
    return done.stdout


def node_positions(svg):
    """{node name: (x, y)} of each node's centre, from the SVG's <title> and first shape."""
    root = ET.fromstring(svg)
    where = {}
    for group in root.iter(SVG + "g"):
        if group.get("class") != "node":
            continue
        name = group.find(SVG + "title").text
        shape = next(el for el in group if el.tag in (SVG + "polygon", SVG + "ellipse"))
        if shape.tag == SVG + "ellipse":
            where[name] = (float(shape.get("cx")), float(shape.get("cy")))
        else:
            xs, ys = zip(*(map(float, p.split(",")) for p in shape.get("points").split()))
            where[name] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return where


def layout(svg):
    """Ranks (columns, for rankdir=LR) as lists of node names, top to bottom."""
    columns = {}
    for name, (x, y) in node_positions(svg).items():
        columns.setdefault(round(x), []).append((y, name))
    return [[name for _, name in sorted(col)] for _, col in sorted(columns.items())]


def bytes_in_fresh_processes(seeds=(0, 1, 12345)):
    code = textwrap.dedent("""
        import hashlib, sys
        sys.path.insert(0, %r)
        from bench_render import GRAPHS
        from micrograd_lite import draw_dot
        from micrograd_lite.render import render
        for name, build in GRAPHS.items():
            print(name, hashlib.sha256(render(draw_dot(build()), "svg").encode()).hexdigest())
    """ % os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != RENDERER_SETTING}
    outputs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**env, "PYTHONHASHSEED": str(seed)}).stdout for seed in seeds]
    return outputs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    os.environ.pop(RENDERER_SETTING, None)
    renderers = {"graphviz-pure": renderer_command()}
    system = shutil.which("dot")
    if system:
        version = subprocess.run([system, "-V"], capture_output=True, text=True).stderr.strip()
        renderers[f"system dot ({version})"] = system
    for name, build in GRAPHS.items():
        source = draw_dot(build()).source
        times = {label: [] for label in renderers}
        for _ in range(args.repeats):
            for label, program in renderers.items():
                start = time.perf_counter()
                run(program, source)
                times[label].append(time.perf_counter() - start)
        print(f"{name}: {len(node_positions(run(renderers['graphviz-pure'], source)))} nodes")
        for label, samples in times.items():
            print(f"  {label:<40} median {statistics.median(samples) * 1e3:6.1f} ms")
        if system:
            same = layout(run(renderers["graphviz-pure"], source)) == layout(run(system, source))
            print(f"  same ranks and order within ranks: {same}")
    runs = bytes_in_fresh_processes()
    for line in runs[0].splitlines():
        print(f"graphviz-pure sha256 {line}")
    print(f"identical SVG bytes in {len(runs)} processes with different PYTHONHASHSEEDs: "
          f"{len(set(runs)) == 1}")


if __name__ == "__main__":
    main()
