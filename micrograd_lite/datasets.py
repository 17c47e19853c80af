"""Small datasets made on the spot, seeded, with no download and no numpy."""

import math
import random


def make_moons(n=100, noise=0.1, seed=0):
    """Two interleaving half circles: the classic 2-D dataset for lesson 10.

    Returns (points, labels): `n` [x, y] pairs and labels of -1 or +1, the same
    for the same arguments on every machine. Half the points (rounded down) are
    in the upper moon, labelled -1; the rest in the lower moon, labelled +1.
    """
    rng = random.Random(seed)
    n_upper = n // 2
    points, labels = [], []
    for i in range(n):
        upper = i < n_upper
        count = n_upper if upper else n - n_upper
        k = i if upper else i - n_upper
        t = math.pi * k / max(count - 1, 1)
        if upper:
            x, y = math.cos(t), math.sin(t)
        else:
            x, y = 1 - math.cos(t), 0.5 - math.sin(t)
        points.append([x + rng.gauss(0, noise), y + rng.gauss(0, noise)])
        labels.append(-1 if upper else 1)
    order = list(range(n))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]
