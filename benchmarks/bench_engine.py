"""Training-step speed of micrograd_lite against karpathy's micrograd, in the same run.

The workload is micrograd's own demo: MLP(2, [16, 16, 1]) with relu hidden
layers, 100 two-moons points, max-margin loss + L2, and one forward, backward
and update per step. The two engines take turns, step by step, so both see the
same machine load. The garbage collector stays on, as it is for a learner.

Each engine runs in a process of its own, one short round at a time (A, B, A,
B, ...). Sharing one process would be unfair: micrograd's graphs are freed
only by the cyclic collector, and a collection that happens to start during
the other engine's step would charge it for micrograd's garbage.

Prints the median step time of each, the depth each engine's backward()
reaches on a chain, and a last line `speedup vs micrograd: N.Nx`.

    python benchmarks/bench_engine.py [--steps 15]
"""

import argparse
import random
import statistics
import subprocess
import sys
import time

import micrograd.engine
import micrograd.nn

import micrograd_lite
from micrograd_lite.datasets import make_moons


def lite_engine(points, labels):
    model = micrograd_lite.MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=1337)
    return model, micrograd_lite.Value


def original_engine(points, labels):
    random.seed(1337)
    model = micrograd.nn.MLP(2, [16, 16, 1])
    return model, micrograd.engine.Value


def training_step(model, Value, points, labels, k):
    inputs = [[Value(x) for x in row] for row in points]
    scores = [model(x) for x in inputs]
    losses = [(1 + -y * s).relu() for y, s in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return total.data


def deepest_backward(Value, depths=(100, 1_000, 10_000, 100_000, 1_000_000)):
    """The deepest chain in `depths` whose backward() works, and the first that fails."""
    reached = 0
    for depth in depths:
        x = Value(1.0)
        y = x
        for _ in range(depth):
            y = y * 1.0
        try:
            y.backward()
        except RecursionError:
            return reached, depth
        reached = depth
    return reached, None


def run_worker(name, steps, first_step):
    """One round in this process: print one step time (seconds) per line."""
    points, labels = make_moons(100, noise=0.1, seed=0)
    model, Value = ENGINES[name](points, labels)
    for k in range(first_step, first_step + steps):
        start = time.perf_counter()
        loss = training_step(model, Value, points, labels, k)
        print(time.perf_counter() - start, loss)


ENGINES = {"micrograd_lite": lite_engine, "micrograd": original_engine}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=5, help="steps per round")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return run_worker(args.worker, args.steps, 0)

    times = {name: [] for name in ENGINES}
    losses = {}
    for _ in range(args.rounds):
        for name in ENGINES:
            out = subprocess.run([sys.executable, __file__, "--worker", name, "--steps", str(args.steps)],
                                 capture_output=True, text=True, check=True).stdout.split()
            times[name] += [float(t) for t in out[0::2]]
            losses[name] = float(out[-1])

    print(f"workload: MLP(2,[16,16,1]) relu, 100 two-moons points, max-margin + L2, "
          f"{args.rounds} rounds x {args.steps} steps per engine, alternating, gc on "
          f"(Python {sys.version.split()[0]})")
    for name in ENGINES:
        print(f"{name:>15}: median step {statistics.median(times[name]) * 1000:8.1f} ms"
              f"   (loss after {args.steps} steps {losses[name]:.4f})")

    lite_depth, _ = deepest_backward(micrograd_lite.Value)
    orig_depth, orig_fail = deepest_backward(micrograd.engine.Value)
    print(f"deep chain backward: micrograd_lite reached depth {lite_depth:,}; micrograd reached "
          f"{orig_depth:,}" + (f" and raised RecursionError at {orig_fail:,}" if orig_fail else "")
          + f" (recursion limit {sys.getrecursionlimit()})")

    speedup = statistics.median(times["micrograd"]) / statistics.median(times["micrograd_lite"])
    print(f"speedup vs micrograd: {speedup:.1f}x")


if __name__ == "__main__":
    main()
