"""Depth, memory and bad input: the engine's promises beyond the arithmetic."""

import gc
import math

import pytest

from micrograd_lite import MLP, Value, topological_order


def test_a_million_deep_chain_backpropagates():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_no_reference_cycles_so_graphs_free_without_the_collector():
    gc.collect()
    gc.disable()
    try:
        a = Value(2.0)
        out = (a * 3 + 1).tanh()
        out.backward()
        del a, out
        # Whatever the cyclic collector finds now was only freeable through it.
        assert gc.collect() == 0, "a node is kept alive by a reference cycle"
    finally:
        gc.enable()


def test_topological_order_puts_children_first_and_is_stable():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    out = (a * b + a) * b
    order = topological_order(out)
    seen = set()
    for node in order:
        assert all(id(c) in seen for c in node._prev)
        seen.add(id(node))
    assert [n.label for n in order][:2] == ["a", "b"]
    assert [id(n) for n in order] == [id(n) for n in topological_order(out)]


def test_a_cycle_is_reported_not_looped_on():
    a = Value(1.0, "a")
    b = a * 2
    a._prev = (b,)          # only possible by writing to a private field
    a._local_grads = (1.0,)
    with pytest.raises(ValueError, match="cycle"):
        b.backward()


@pytest.mark.parametrize("bad", ["abc", None, [1], {"x": 1}, 1 + 2j])
def test_value_refuses_what_is_not_a_real_number(bad):
    with pytest.raises(TypeError, match=r"needs a real number .*Convert it first"):
        Value(bad)


def test_value_accepts_ints_bools_and_numpy_scalars():
    np = pytest.importorskip("numpy")
    assert Value(3).data == 3.0 and isinstance(Value(3).data, float)
    assert Value(np.float32(0.5)).data == 0.5
    assert Value(True).data == 1.0


def test_operands_that_are_not_numbers_are_refused_by_name():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "2"
    with pytest.raises(TypeError, match="exponent"):
        Value(1.0) ** "2"


def test_value_exponent_has_gradients_on_both_sides():
    a, b = Value(2.0), Value(3.0)
    out = a ** b
    out.backward()
    assert out.data == 8.0
    assert a.grad == pytest.approx(3 * 2.0**2)
    assert b.grad == pytest.approx(8.0 * math.log(2.0))


@pytest.mark.parametrize("make, data, grad", [
    (lambda x: x.log(), -math.inf, math.inf),               # log(0)
    (lambda x: (x - 1).log(), math.nan, None),              # log(-1)
    (lambda x: x ** -1, math.inf, -math.inf),               # 0 ** -1
    (lambda x: 1 / x, math.inf, -math.inf),                 # 1 / 0
    (lambda x: (x + 1000).exp(), math.inf, math.inf),       # exp(1000)
    (lambda x: x / x, math.nan, None),                      # 0 / 0
])
def test_maths_that_breaks_gives_ieee_results_not_exceptions(make, data, grad):
    x = Value(0.0)
    out = make(x)
    out.backward()
    assert _same(out.data, data)
    if grad is not None:
        assert _same(x.grad, grad)


def test_tanh_and_sigmoid_are_stable_at_extremes():
    for x, t, s in [(1e6, 1.0, 1.0), (-1e6, -1.0, 0.0), (800.0, 1.0, 1.0)]:
        v = Value(x)
        out = v.tanh() + v.sigmoid()
        out.backward()
        assert v.tanh().data == t and v.sigmoid().data == s
        assert v.grad == 0.0


def test_nan_flows_through_relu_instead_of_vanishing():
    assert math.isnan(Value(math.nan).relu().data)


def test_mlp_is_reproducible_and_leaves_global_random_alone():
    import random
    random.seed(123)
    before = random.random()
    random.seed(123)
    m1, m2 = MLP(3, [4, 4, 1], seed=7), MLP(3, [4, 4, 1], seed=7)
    assert random.random() == before
    assert [p.data for p in m1.parameters()] == [p.data for p in m2.parameters()]
    assert len(m1.parameters()) == 41
    assert m1.layers[0].neurons[0].b in m1.parameters()      # the bias learns


def test_mlp_bias_receives_gradient_and_zero_grad_clears_it():
    m = MLP(2, [3, 1], seed=0)
    out = m([1.0, -1.0])
    out.backward()
    assert any(n.b.grad != 0 for layer in m.layers for n in layer.neurons)
    m.zero_grad()
    assert all(p.grad == 0 for p in m.parameters())


def test_neuron_activations_and_errors():
    from micrograd_lite import Neuron
    assert Neuron(2, "relu", rng=1)([1.0, 1.0]).op == "relu"
    assert Neuron(2, "linear", rng=1)([1.0, 1.0]).op == "+"
    with pytest.raises(ValueError, match="activation must be one of"):
        Neuron(2, "sigmoidal")
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        Neuron(2)([1, 2, 3])


def _same(x, y):
    return (math.isnan(x) and math.isnan(y)) or x == y


def test_hidden_layers_of_width_one_work():
    m = MLP(3, [1, 1], seed=0)
    assert isinstance(m([1.0, 2.0, 3.0]), type(Value(0.0)))
    assert len(MLP(3, [4, 2], seed=0)([1.0, 2.0, 3.0])) == 2
