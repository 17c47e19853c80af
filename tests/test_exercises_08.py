"""The exercise checks of lesson 08: each reference solution and other
correct forms pass, each typical mistake fails with the hint about that
mistake, and junk input gets one line of feedback, never an exception."""

import random

import numpy as np
import pytest

from junk import Evil
from micrograd_lite import Value
from micrograd_lite.exercises import lesson08


def text(result):
    return repr(result)


JUNK = [None, "abc", [1, 2], {"a": 1}, float("nan"), 3, lambda *args: None, lambda *args: 1 / 0]


# ---- exercises 1-2: MyNeuron, MyLayer, MyMLP -----------------------

def network(bias=lambda: Value(random.uniform(-1, 1)), squash=lambda act: act.tanh(),
            neuron_parameters=lambda n: n.w + [n.b], extra_weights=0, share_neurons=False,
            single_output=True, mlp_parameters=lambda layers: [p for layer in layers for p in layer.parameters()],
            add_bias=lambda n: n.b, weights=None, squashed=lambda layer, row, rows: True):
    """The learner's three classes, with one thing changed (a mistake, or another correct form)."""
    class MyNeuron:
        def __init__(self, nin):
            self.w = weights(nin) if weights else [Value(random.uniform(-1, 1)) for _ in range(nin + extra_weights)]
            self.b = bias()

        def __call__(self, x):
            act = add_bias(self)
            for wi, xi in zip(self.w, x):
                act = act + wi * xi
            return act if getattr(self, "raw", False) else squash(act)

        def parameters(self):
            return neuron_parameters(self)

    class MyLayer:
        def __init__(self, nin, nout):
            self.neurons = [MyNeuron(nin)] * nout if share_neurons else [MyNeuron(nin) for _ in range(nout)]
            self.place(0)

        def place(self, layer):
            """`squashed` decides, by layer and row, which neurons keep their tanh."""
            for row, neuron in enumerate(self.neurons):
                neuron.raw = not squashed(layer, row, len(self.neurons))

        def __call__(self, x):
            outs = [n(x) for n in self.neurons]
            return outs[0] if single_output and len(outs) == 1 else outs

        def parameters(self):
            params = []
            for neuron in self.neurons:
                params.extend(neuron.parameters())
            return params

    class MyMLP:
        def __init__(self, nin, nouts):
            sizes = [nin] + nouts
            self.layers = [MyLayer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]
            for i, layer in enumerate(self.layers):
                layer.place(i)

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

        def parameters(self):
            return mlp_parameters(self.layers)

    return {"neuron": MyNeuron, "layer": MyLayer, "mlp": MyMLP}


CHECKS = {"neuron": lesson08.check_neuron, "layer": lesson08.check_layer, "mlp": lesson08.check_mlp}


def feedback(kind, **change):
    result = CHECKS[kind](network(**change)[kind])
    return result.passed, text(result)


@pytest.mark.parametrize("kind", CHECKS)
@pytest.mark.parametrize("change", [
    {},                                                           # the lesson's solution
    {"neuron_parameters": lambda n: [n.b] + n.w},                 # bias first
    {"single_output": False},                                     # a layer of one returns a list
    {"bias": lambda: Value(0.0)},                                 # the package's starting bias
    {"squash": lambda act: ((2 * act).exp() - 1) / ((2 * act).exp() + 1)},   # tanh in pieces
])
def test_08_correct_classes_pass(kind, change):
    passed, said = feedback(kind, **change)
    assert passed, said
    assert "every grad match micrograd_lite.nn" in said


@pytest.mark.parametrize("kind", CHECKS)
def test_08_bias_as_a_plain_float_is_named(kind):
    passed, said = feedback(kind, bias=lambda: 0.0)
    assert not passed and "plain number 0.0, not a Value" in said and "never change it" in said
    passed, said = feedback(kind, bias=lambda: 0.0, neuron_parameters=lambda n: n.w)
    assert not passed and "plain float" in said and "never" in said
    passed, said = feedback(kind, add_bias=lambda n: n.b.data)     # a Value, but used as a float
    assert not passed and "gets no grad" in said and "self.b.data" in said


@pytest.mark.parametrize("kind", CHECKS)
def test_08_typical_mistakes_get_their_hint(kind):
    passed, said = feedback(kind, squash=lambda act: act)
    assert not passed and "no tanh" in said
    passed, said = feedback(kind, extra_weights=1)
    assert not passed and "expected" in said and "weight" in said
    passed, said = feedback(kind, weights=lambda nin: [Value(0.5)] * nin)
    assert not passed and "repeats one Value" in said
    passed, said = feedback(kind, add_bias=lambda n: Value(0.0))
    assert not passed and "the bias" in said and "gets no grad" in said


def test_08_neuron_wrong_weight_count_is_named():
    passed, said = feedback("neuron", extra_weights=1)
    assert "has 5 Values, expected 4: one weight per input (3)" in said


def test_08_one_neuron_of_a_layer_left_without_tanh_is_named():
    passed, said = feedback("layer", squashed=lambda layer, row, rows: row != rows - 1)
    assert not passed
    assert "MyLayer(3, 2)(x) = [0.2241, -1.4645]" in said
    assert "neuron 1 has no tanh" in said and "every other neuron squashes it" in said
    passed, said = feedback("layer", squashed=lambda layer, row, rows: row != 0)
    assert not passed and "neuron 0 has no tanh" in said


def test_08_one_neuron_or_one_layer_of_an_mlp_left_without_tanh_is_named():
    passed, said = feedback("mlp", squashed=lambda layer, row, rows: (layer, row) != (0, 2))
    assert not passed and said.count("neuron 2 of layer 0 has no tanh") == 2
    passed, said = feedback("mlp", squashed=lambda layer, row, rows: (layer, row) != (1, 1))
    assert not passed and "neuron 1 of layer 1 has no tanh" in said
    passed, said = feedback("mlp", squashed=lambda layer, row, rows: layer != 0)
    assert not passed and said.count("layer 0 has no tanh: its neurons return their raw sum") == 2
    last_linear = network(squashed=lambda layer, row, rows: layer < 2)["mlp"]    # layer 2 is MLP(3, [4, 2, 1])'s last
    said = text(lesson08.check_mlp(last_linear))
    assert "layer 2, the output layer, has no tanh" in said and "the output ones too" in said


def test_08_bias_first_with_a_neuron_left_without_tanh_is_still_named():
    passed, said = feedback("layer", neuron_parameters=lambda n: [n.b] + n.w,
                            squashed=lambda layer, row, rows: row != 1)
    assert not passed and "neuron 1 has no tanh" in said


@pytest.mark.parametrize("kind", ["layer", "mlp"])
def test_08_a_layer_that_shares_one_neuron_is_named(kind):
    passed, said = feedback(kind, share_neurons=True)
    assert not passed and "one and the same neuron" in said and "for _ in range(nout)" in said


def test_08_mlp_parameters_missing_a_layer_or_flattened_wrong():
    def last_only(layers):
        for layer in layers:
            params = layer.parameters()
        return params

    passed, said = feedback("mlp", mlp_parameters=last_only)
    assert not passed and "only the last layer's parameters" in said
    passed, said = feedback("mlp", mlp_parameters=lambda layers: [p for lay in layers[1:] for p in lay.parameters()])
    assert not passed and "layer 0's 16 parameters are missing" in said
    passed, said = feedback("mlp", mlp_parameters=lambda layers: [layer.parameters() for layer in layers])
    assert not passed and "list of lists" in said
    passed, said = feedback("mlp", mlp_parameters=lambda layers: None)
    assert not passed and "did you forget `return`?" in said


def test_08_layer_with_inputs_and_outputs_swapped():
    class SwappedLayer:
        def __init__(self, nin, nout):
            self.neurons = [network()["neuron"](nout) for _ in range(nin)]

        def __call__(self, x):
            return [n(x) for n in self.neurons]

        def parameters(self):
            return [p for n in self.neurons for p in n.parameters()]

    said = text(lesson08.check_layer(SwappedLayer))
    assert "inputs and outputs swapped" in said


class Stub:
    """The exercise cell as the learner first sees it."""
    def __init__(self, *args):
        self.w = ...
        self.b = ...

    def __call__(self, x):
        return ...

    def parameters(self):
        return ...


@pytest.mark.parametrize("kind", CHECKS)
def test_08_stub_and_junk_never_raise(kind):
    check = CHECKS[kind]
    assert "not done yet" in text(check(Stub))
    assert "not done yet" in text(check(...))

    class NoReturn(Stub):
        def __call__(self, x):
            self.w = [Value(0.1) for _ in x]     # ...and forgot `return`

        def parameters(self):
            return [Value(0.1) for _ in range(20)]

    assert "did you forget `return`?" in text(check(NoReturn)) or "Values, expected" in text(check(NoReturn))

    class Raises:
        def __init__(self, *args):
            raise RuntimeError("boom")

    assert "raised RuntimeError: boom" in text(check(Raises))
    for junk in JUNK + [dict, int, type("NoParameters", (), {"__init__": lambda self, *a: None})]:
        result = check(junk)
        assert not result.passed and len(result.lines) <= 3


def test_08_inputs_are_plain_floats_as_in_the_lecture():
    class WantsValues:
        def __init__(self, nin):
            self.w = [Value(0.3) for _ in range(nin)]
            self.b = Value(0.1)

        def __call__(self, x):
            return sum((wi * xi.data for wi, xi in zip(self.w, x)), self.b).tanh()

        def parameters(self):
            return self.w + [self.b]

    assert "the check passes plain floats" in text(lesson08.check_neuron(WantsValues))


# ---- exercises 3-4: counting ----------------------------------------------

def count_parameters(nin, nouts):
    sizes = [nin] + list(nouts)
    return sum(nout * (k + 1) for k, nout in zip(sizes[:-1], sizes[1:]))


def values_in_forward(nin, nouts):
    sizes = [nin] + list(nouts)
    return nin + sum(nout * (3 * k + 2) for k, nout in zip(sizes[:-1], sizes[1:]))


def test_08_count_parameters_solution_and_other_forms_pass():
    result = lesson08.check_count_parameters(count_parameters)
    assert result.passed
    assert "MLP(3, [4, 4, 1]) parameters = 41" in text(result)
    assert "41.0" not in text(result)
    assert lesson08.check_count_parameters(lambda nin, nouts: np.int64(count_parameters(nin, nouts))).passed
    assert lesson08.check_count_parameters(lambda nin, nouts: float(count_parameters(nin, nouts))).passed


def test_08_count_parameters_typical_mistakes():
    def weights_only(nin, nouts):
        sizes = [nin] + list(nouts)
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))

    result = lesson08.check_count_parameters(weights_only)
    assert not result.passed
    assert "is 32, expected 41" in text(result)
    assert "every neuron also has a bias" in text(result)
    one_bias_per_layer = text(lesson08.check_count_parameters(
        lambda nin, nouts: weights_only(nin, nouts) + len(nouts)))
    assert "one bias per neuron, not one per layer" in one_bias_per_layer


def test_08_count_parameters_stub_errors_and_junk():
    assert "not done yet" in text(lesson08.check_count_parameters(lambda nin, nouts: ...))
    result = lesson08.check_count_parameters(lambda nin, nouts: nouts[5])
    assert not result.passed
    assert "raised IndexError" in text(result)
    assert "did you forget `return`?" in text(lesson08.check_count_parameters(lambda nin, nouts: None))
    assert "without quotes" in text(lesson08.check_count_parameters(lambda nin, nouts: "41"))
    for junk in JUNK:
        assert not lesson08.check_count_parameters(junk).passed


def test_08_graph_size_solution_passes():
    answers = {lesson08.shape_name(nin, nouts): values_in_forward(nin, nouts)
               for nin, nouts in lesson08.GRAPH_SHAPES}
    result = lesson08.check_graph_size(answers)
    assert result.passed, text(result)
    assert "MLP(2, [16, 16, 1]) Values = 980" in text(result)
    numpy_answers = {name: np.int64(value) for name, value in answers.items()}
    assert lesson08.check_graph_size(numpy_answers).passed


def test_08_graph_size_without_leaves_or_inputs_gets_a_hint():
    result = lesson08.check_graph_size({"MLP(2, [2, 1])": 24, "MLP(2, [16, 16, 1])": 980 - 337 - 2})
    assert not result.passed
    assert "the 2 input Values are part of the graph too" in text(result)
    assert "only the computed Values" in text(result)


@pytest.mark.parametrize("junk", JUNK + [[24, 980], (24, 980), {"MLP(2, [2, 1])": [26]}])
def test_08_graph_size_junk_never_raises(junk):
    result = lesson08.check_graph_size(junk)
    assert not result.passed


def test_08_layer_and_mlp_together():
    classes = network()
    result = lesson08.check_layer_and_mlp(classes["layer"], classes["mlp"])
    assert result.passed, text(result)
    assert text(result).count("✓") == 4
    shared = network(share_neurons=True)
    said = text(lesson08.check_layer_and_mlp(shared["layer"], shared["mlp"]))
    assert "one and the same neuron" in said and "fix MyLayer first" in said
    said = text(lesson08.check_layer_and_mlp(classes["layer"], network(squash=lambda act: act)["mlp"]))
    assert "✓ MyLayer(3, 2)" in said and "no tanh" in said
    said = text(lesson08.check_layer_and_mlp(Stub, Stub))
    assert said.count("not done yet") == 2
    for junk in JUNK:
        assert not lesson08.check_layer_and_mlp(junk, junk).passed


def test_the_package_s_own_classes_do_not_pass_for_the_learner_s():
    from micrograd_lite.nn import MLP, Layer, Neuron
    assert "write MyNeuron yourself" in text(lesson08.check_neuron(Neuron))
    assert "write MyLayer yourself" in text(lesson08.check_layer(Layer))

    class Wrapped(MLP):
        pass

    assert not lesson08.check_mlp(Wrapped).passed


def test_learner_objects_that_raise_anywhere_get_one_line():
    class OddList(list):
        def __iter__(self):
            raise RuntimeError("odd list")

    classes = network()

    class OddNeuron(classes["neuron"]):
        def __call__(self, x):
            return OddList([super().__call__(x)])

    said = text(lesson08.check_neuron(OddNeuron))
    assert "raised RuntimeError: odd list" in said


class EvilToTheCore(Evil):
    """Even attributes every object has (__class__, __iter__) raise."""
    def __getattribute__(self, name):
        raise RuntimeError("evil getattribute")


@pytest.mark.parametrize("check", [
    lesson08.check_neuron, lesson08.check_layer, lesson08.check_mlp, lambda j: lesson08.check_layer_and_mlp(j, j),
    lesson08.check_count_parameters, lesson08.check_graph_size,
])
@pytest.mark.parametrize("make_junk", [
    Evil, EvilToTheCore, lambda: [Evil()], lambda: {"MLP(2, [2, 1])": EvilToTheCore()},
    lambda: lambda *a: Evil(), lambda: lambda *a: EvilToTheCore(),
    lambda: True, lambda: np.array([1.0, 2.0]), lambda: Value(1.0), lambda: Value,
    lambda: type("EvilClass", (), {"__init__": lambda self, *a: None, "parameters": lambda self: [Evil()],
                                   "__call__": lambda self, x: Evil(), "relu": lambda self: Evil()}),
    lambda: type("EvilToTheCoreClass", (), {"__init__": lambda self, *a: None,
                                            "parameters": lambda self: [EvilToTheCore()] * 4,
                                            "__call__": lambda self, x: EvilToTheCore()}),
], ids=["evil", "evil to the core", "list of evil", "dict of evil", "returns evil", "returns evil to the core",
        "bool", "array", "a Value", "Value", "evil class", "evil to the core class"])
def test_no_check_raises_or_passes_on_junk(check, make_junk):
    result = check(make_junk())
    assert not result.passed
    assert repr(result)
