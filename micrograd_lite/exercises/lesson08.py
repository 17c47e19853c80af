"""Checks for lesson 08: the learner's MyNeuron, MyLayer and MyMLP, and two counts.

The learner's classes are checked against the package's `micrograd_lite.nn`
by `networks.check_class`, on the shapes below: not square, a layer of one
neuron, an MLP with one output and one with two.

The expected counts come from building the networks with `micrograd_lite.nn`
and counting, never from typed-in constants.
"""

import re

from ..engine import Value, topological_order
from ..nn import MLP
from . import CheckResult, _short, as_number, call_learner, check_numbers, is_a, never_raises, not_done, number_problem
from .networks import Shape, check_class

# ---- the learner's classes ---------------------------------------------------

NEURON_SHAPES = [Shape("neuron", (3,))]
LAYER_SHAPES = [Shape("layer", (3, 2)), Shape("layer", (2, 1))]          # not square, and one neuron
MLP_SHAPES = [Shape("mlp", (3, [4, 2, 1])), Shape("mlp", (2, [3, 2]))]   # one output, and two


@never_raises
def check_neuron(MyNeuron):
    """Exercise 1: MyNeuron(nin), with __call__(x) and parameters()."""
    return check_class(MyNeuron, NEURON_SHAPES, "MyNeuron")


@never_raises
def check_layer(MyLayer):
    """MyLayer(nin, nout): nout MyNeurons on the same inputs (half of exercise 2)."""
    return check_class(MyLayer, LAYER_SHAPES, "MyLayer")


@never_raises
def check_mlp(MyMLP):
    """MyMLP(nin, nouts): MyLayers in a row (the other half of exercise 2)."""
    return check_class(MyMLP, MLP_SHAPES, "MyMLP")


@never_raises
def check_layer_and_mlp(MyLayer, MyMLP):
    """Exercise 2: MyLayer and MyMLP, one block of feedback each."""
    layer, mlp = check_layer(MyLayer), check_mlp(MyMLP)
    lines = [line for line in layer.lines + mlp.lines
             if not line.startswith(("All right", "Not quite yet"))]
    passed = layer.passed and mlp.passed
    if passed:
        lines.append("All right, well done!")
    elif not layer.passed and not any(line.startswith("…") for line in layer.lines):
        lines.append("Not quite yet. (MyMLP is built from MyLayer: fix MyLayer first.)")
    else:
        lines.append("Not quite yet.")
    return CheckResult(passed, lines)


# ---- counting parameters and Values ------------------------------------------

# The shapes a learner's `count_parameters` is tried on: the lecture's network,
# lesson 10's classifier, the live one from this lesson and two edge cases.
PARAMETER_SHAPES = [(3, [4, 4, 1]), (2, [16, 16, 1]), (2, [2, 1]), (1, [1]), (5, [3])]

# The networks whose forward graph the learner counts.
GRAPH_SHAPES = [(2, [2, 1]), (2, [16, 16, 1])]


def shape_name(nin, nouts):
    return f"MLP({nin}, {list(nouts)})"


def parameters_of(nin, nouts):
    return len(MLP(nin, nouts, seed=0).parameters())


def values_in_forward(nin, nouts):
    """Values in one forward pass of MLP(nin, nouts) on `nin` input Values."""
    model = MLP(nin, nouts, seed=0)
    x = [Value(1.0, label=f"x{i}") for i in range(nin)]
    return len(topological_order(model(x)))


def _layer_sizes(nin, nouts):
    sizes = [nin] + list(nouts)
    return list(zip(sizes[:-1], sizes[1:]))


def _as_counts(result):
    """Counts read better as 41 than as 41.0."""
    result.lines = [re.sub(r"(?<![\d.])(-?\d+)\.0(?![\d])", r"\1", line) for line in result.lines]
    return result


@never_raises
def check_count_parameters(count_parameters):
    """Exercise 3: count_parameters(nin, nouts) for several shapes, by formula."""
    if not_done(count_parameters):
        return CheckResult(False, ["… count_parameters: not done yet (define the function and pass it in)"])
    answers, expected, hints = {}, {}, {}
    if not callable(count_parameters):
        return CheckResult(False, [f"✗ pass the function itself, check_count_parameters(count_parameters), "
                                   f"not {type(count_parameters).__name__} {_short(count_parameters)}"])
    for nin, nouts in PARAMETER_SHAPES:
        name = shape_name(nin, nouts)
        expected[name] = parameters_of(nin, nouts)
        got, error = call_learner(count_parameters, nin, list(nouts))
        call = f"count_parameters({nin}, {nouts})"
        if error:
            return CheckResult(False, [f"✗ {call} raised {error}"])
        if got is None:
            return CheckResult(False, [f"✗ {call} returned None — did you forget `return`?"])
        if got is Ellipsis:
            return CheckResult(False, ["… count_parameters: not done yet (it still returns ...)"])
        problem = number_problem(got) if got is not Ellipsis else None
        if problem:
            return CheckResult(False, [f"✗ {call} should return a number, got {problem}"])
        answers[name] = got
        got = as_number(got)
        if not is_a(got, float):
            continue
        weights_only = sum(a * b for a, b in _layer_sizes(nin, nouts))
        neurons = sum(nouts)
        if got == weights_only:
            hints[name] = f"that counts only the weights; every neuron also has a bias ({neurons} neurons here)"
        elif got == weights_only + 1 or got == weights_only + len(nouts):
            hints[name] = "one bias per neuron, not one per layer or per network"
        else:
            hints[name] = ("a layer of nout neurons with nin inputs each has nout * (nin + 1) "
                           "parameters; add that up over the layers")
    return _as_counts(check_numbers(answers, expected, what="parameters", hints=hints))


@never_raises
def check_graph_size(answers):
    """Exercise 4: how many Values one forward pass makes, inputs included."""
    names = [shape_name(nin, nouts) for nin, nouts in GRAPH_SHAPES]
    if not is_a(answers, dict):
        return CheckResult(False, [f"✗ graph_sizes should be a dict like {{{names[0]!r}: 25, ...}}, "
                                   f"got {type(answers).__name__} {_short(answers)}"])
    expected = {shape_name(nin, nouts): values_in_forward(nin, nouts) for nin, nouts in GRAPH_SHAPES}
    hints = {}
    for nin, nouts in GRAPH_SHAPES:
        name = shape_name(nin, nouts)
        got = as_number(answers.get(name, ...))
        if not is_a(got, float):
            continue
        want = expected[name]
        params = parameters_of(nin, nouts)
        computed = want - params - nin          # the products, sums and tanhs
        if got == want - nin:
            hints[name] = f"the {nin} input Values are part of the graph too"
        elif got == computed:
            hints[name] = "that is only the computed Values; the leaves (inputs, weights, biases) are Values too"
        elif got == want - params:
            hints[name] = f"the {params} weights and biases are Values in the graph as well"
        else:
            hints[name] = ("a neuron with k inputs adds k + 1 parameters, k products, k sums and "
                           "1 tanh; add the input Values once")
    result = _as_counts(check_numbers(answers, expected, what="Values", hints=hints))
    unknown = [key for key in answers if key not in expected]
    if unknown:
        result.lines.insert(-1, f"✗ not one of the networks asked about: {', '.join(map(_short, unknown))}")
        result.passed = False
    return result
