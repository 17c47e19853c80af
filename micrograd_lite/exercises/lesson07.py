"""Checks for lesson 07: Neuron, Layer and MLP.

The expected counts come from building the networks with `micrograd_lite.nn`
and counting, never from typed-in constants.
"""

import re

from . import CheckResult, call_learner, check_numbers, not_done
from ..engine import Value, topological_order
from ..nn import MLP

# The shapes a learner's `count_parameters` is tried on: the lecture's network,
# lesson 09's classifier, the live one from this lesson and two edge cases.
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


def check_count_parameters(count_parameters):
    """Exercise 1: count_parameters(nin, nouts) for several shapes, by formula."""
    answers, expected, hints = {}, {}, {}
    for nin, nouts in PARAMETER_SHAPES:
        name = shape_name(nin, nouts)
        expected[name] = parameters_of(nin, nouts)
        got, error = call_learner(count_parameters, nin, nouts)
        if error:
            return CheckResult(False, [f"✗ count_parameters({nin}, {nouts}) raised {error}"])
        answers[name] = got
        if not_done(got) or not isinstance(got, (int, float)):
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


def check_graph_size(answers):
    """Exercise 2: how many Values one forward pass makes, inputs included."""
    expected = {shape_name(nin, nouts): values_in_forward(nin, nouts) for nin, nouts in GRAPH_SHAPES}
    hints = {}
    for nin, nouts in GRAPH_SHAPES:
        name = shape_name(nin, nouts)
        got = answers.get(name, ...)
        if not_done(got) or not isinstance(got, (int, float)):
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
    return _as_counts(check_numbers(answers, expected, what="Values", hints=hints))
