"""The same expressions in micrograd_lite and PyTorch give the same data and grads.

Skipped where torch is not installed; CI installs it.
"""

import pytest

from micrograd_lite import Value

torch = pytest.importorskip("torch")


def both(make, xs):
    ours = [Value(x) for x in xs]
    out = make(ours, lambda v: v)
    out.backward()
    theirs = [torch.tensor(x, dtype=torch.double, requires_grad=True) for x in xs]
    tout = make(theirs, torch.as_tensor)
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12, abs=1e-12)
    for o, t in zip(ours, theirs):
        assert o.grad == pytest.approx(t.grad.item(), rel=1e-9, abs=1e-12)


def test_sanity_check():   # micrograd's own test, with our extra ops
    def make(v, _):
        x, = v
        z = 2 * x + 2 + x
        q = z.relu() + z * x
        h = (z * z).relu()
        y = h + q + q * x
        return y
    both(make, [-4.0])


def test_more_ops():
    def make(v, _):
        a, b = v
        c = a + b
        d = a * b + b**3
        c = c + c + 1
        c = c + 1 + c + (-a)
        d = d + d * 2 + (b + a).relu()
        d = d + 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        g = g + 10.0 / f
        return g
    both(make, [-4.0, 2.0])


def test_functions():
    def make(v, _):
        a, b = v
        return (a.tanh() * b.exp()).sigmoid() + (b * b).log() + a**b.tanh() * 0 + (2 - a) / (1 + b) + 2 ** a
    both(make, [0.7, -1.3])
