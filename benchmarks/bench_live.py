"""Kernel-side cost of one live_graph update against the naive re-render, in the same run.

The naive way (the seed notebook's) rebuilds the graph, runs backward(), then
draw_dot() and a `dot` layout to SVG on every slider move. live_graph lays the
graph out once and then only rewrites its numbers layer. Both sides here
include the forward and backward pass; neither includes sending to a browser
(see bench_live_browser.py for key press to picture on screen).

Workloads: the lecture's tanh neuron, and MLP(3, [4, 4, 1], seed=0) on
x = [1.0, 2.0, 3.0] with the three inputs on sliders. The two ways take turns,
a few moves each, so both see the same machine load.

Also times training_view's Step (one training step and one picture) on
MLP(2, [16, 16, 1]) with 100 two-moons points.

Prints the median per update of each and a last line
`live update speedup vs naive: N.Nx` (for the MLP graph).

    python benchmarks/bench_live.py [--moves 40] [--block 8]
"""

import argparse
import statistics
import time

from micrograd_lite import MLP, Value, draw_dot
from micrograd_lite.live import live_graph
from micrograd_lite.render import render


def neuron(x1, x2, w1, w2, b):
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def workloads():
    model = MLP(3, [4, 4, 1], seed=0)
    yield ("neuron", neuron,
           dict(x1=(-3, 3, 2.0), x2=(-3, 3, 0.0), w1=(-3, 3, -3.0), w2=(-3, 3, 1.0), b=(-10, 10, 6.88)), "x1")
    yield ("MLP(3,[4,4,1])", lambda x1, x2, x3: model([x1, x2, x3]),
           dict(x1=(-3, 3, 1.0), x2=(-3, 3, 2.0), x3=(-3, 3, 3.0)), "x1")


def naive_update(build, values):
    root = build(**{k: Value(v, label=k) for k, v in values.items()})
    root.backward()
    # One direction, one `dot` run: draw_dot's automatic choice would lay out twice.
    return render(draw_dot(root, rankdir="LR"), "svg")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--block", type=int, default=8, help="moves per turn")
    args = parser.parse_args()
    speedup = None
    for name, build, sliders, moved in workloads():
        widget = live_graph(build, **sliders)
        slider = widget.sliders[moved]
        values = {k: s.value for k, s in widget.sliders.items()}
        naive, live = [], []
        xs = [slider.min + (slider.max - slider.min) * (i + 0.5) / args.moves for i in range(args.moves)]
        # Turns of `block` moves each way. Not move by move: the first update
        # after a `dot` process runs on caches that process just evicted, which
        # a learner dragging a slider never sees.
        for start in range(0, args.moves, args.block):
            for x in xs[start:start + args.block]:
                values[moved] = x
                t0 = time.perf_counter()
                svg = naive_update(build, values)
                naive.append(time.perf_counter() - t0)
            for x in xs[start:start + args.block]:
                t0 = time.perf_counter()
                slider.value = x
                live.append(time.perf_counter() - t0)
        assert widget.layout_runs == 1, "the live graph ran dot again"
        n_naive, n_live = statistics.median(naive) * 1e3, statistics.median(live) * 1e3
        speedup = n_naive / n_live
        print(f"{name}: {len(widget.nodes)} values; naive re-render {n_naive:.2f} ms "
              f"({len(svg) / 1e3:.0f} kB SVG per move), live update {n_live:.3f} ms "
              f"({len(widget.numbers_layer.value) / 1e3:.0f} kB numbers layer per move, "
              f"{len(widget.static_layer.value) / 1e3:.0f} kB static layer once); {speedup:.1f}x")
    training_rate()
    print(f"live update speedup vs naive: {speedup:.1f}x")


def training_rate(frames=12):
    """training_view's Step on the demo-sized model: one training step and one picture."""
    from micrograd_lite.datasets import make_moons
    from micrograd_lite.live import training_view

    points, labels = make_moons(100, noise=0.1, seed=0)

    def hinge(model, points, labels):
        losses = [(1 - y * model(list(x))).relu() for x, y in zip(points, labels)]
        return sum(losses) * (1.0 / len(losses))

    view = training_view(MLP(2, [16, 16, 1], seed=1), points, labels, hinge, lr=0.1)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(frames):
        view.step()
    per = (time.perf_counter() - t0) / frames
    cpu = (time.process_time() - c0) / frames
    # CPU time too: on a shared 2-core machine the wall time says as much about the neighbours.
    print(f"training view, MLP(2,[16,16,1]) on 100 points: {per * 1e3:.0f} ms per step + picture "
          f"({cpu * 1e3:.0f} ms of CPU), {1 / per:.1f} updates/s ({1 / cpu:.1f} on an idle core)")


if __name__ == "__main__":
    main()
