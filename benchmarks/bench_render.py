"""graphviz-pure against the system `dot`: render time, layout, and same bytes every run.

Draws two graphs with each renderer, taking turns so both see the same machine
load: the lecture's tanh neuron (draw_dot after backward) and MLP(3, [4, 4, 1],
seed=0) on x = [1.0, 2.0, 3.0]. For each it prints

* the median wall time of one render to SVG (a process start included, as in a
  notebook);
* whether both renderers put the same nodes in the same ranks and the same
  order within a rank (the layout a learner sees), read from the SVG, and the
  size of each picture (text widths come from each renderer's font metrics);
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
    """{node name: (x, y)}: the centre of the box around each node's shapes."""
    root = ET.fromstring(svg)
    where = {}
    for group in root.iter(SVG + "g"):
        if group.get("class") != "node":
            continue
        xs, ys = [], []
        for shape in group.iter():
            if shape.tag == SVG + "ellipse":
                cx, cy, rx, ry = (float(shape.get(k)) for k in ("cx", "cy", "rx", "ry"))
                xs += [cx - rx, cx + rx]
                ys += [cy - ry, cy + ry]
            elif shape.tag in (SVG + "polygon", SVG + "polyline"):
                for point in shape.get("points").split():
                    x, y = map(float, point.split(","))
                    xs.append(x)
                    ys.append(y)
        where[group.find(SVG + "title").text] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return where


def layout(svg, rankdir):
    """Ranks as lists of node names, each in order across the rank.

    Nodes whose centres lie within 2 pt along the rank direction share a rank
    (dot centres boxes of odd and even widths half a point apart).
    """
    along, across = (0, 1) if rankdir == "LR" else (1, 0)
    ranks, last = [], None
    for name, centre in sorted(node_positions(svg).items(), key=lambda item: item[1][along]):
        if last is None or centre[along] - last > 2:
            ranks.append([])
        ranks[-1].append((centre[across], name))
        last = centre[along]
    return [[name for _, name in sorted(rank)] for rank in ranks]


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
        rankdir = "TB" if "rankdir=TB" in source else "LR"
        times = {label: [] for label in renderers}
        for _ in range(args.repeats):
            for label, program in renderers.items():
                start = time.perf_counter()
                run(program, source)
                times[label].append(time.perf_counter() - start)
        print(f"{name}: {len(node_positions(run(renderers['graphviz-pure'], source)))} nodes, rankdir={rankdir}")
        for label, samples in times.items():
            print(f"  {label:<40} median {statistics.median(samples) * 1e3:6.1f} ms")
        if system:
            pure, theirs = (layout(run(program, source), rankdir) for program in (renderers["graphviz-pure"], system))
            same = pure == theirs
            print(f"  same ranks and order within ranks: {same}")
            for label, program in renderers.items():
                size = ET.fromstring(run(program, source))
                print(f"  {label:<40} picture {size.get('width')} x {size.get('height')}")
    runs = bytes_in_fresh_processes()
    for line in runs[0].splitlines():
        print(f"graphviz-pure sha256 {line}")
    print(f"identical SVG bytes in {len(runs)} processes with different PYTHONHASHSEEDs: "
          f"{len(set(runs)) == 1}")


if __name__ == "__main__":
    main()
