"""The exercise checks of lessons 06-07: each reference solution passes, and a
typical wrong answer fails with feedback that names the mistake."""

import math


from micrograd_lite.exercises import lesson06, lesson07


def text(result):
    return repr(result)


# ---- lesson 06: breaking tanh apart ----------------------------------------

def test_06_local_grads_reference_passes():
    assert lesson06.check_local_grads(pow_x=27.0, div_x=0.5, div_y=-0.75, sub_y=-1.0).passed


def test_06_local_grads_typical_mistakes():
    feedback = text(lesson06.check_local_grads(pow_x=9.0, div_x=0.5, div_y=0.75, sub_y=1.0))
    assert "pow_x local grad is 9.0, expected 27.0" in feedback and "power rule" in feedback
    assert "wrong sign" in feedback
    assert "sub_y local grad is 1.0, expected -1.0" in feedback
    assert text(lesson06.check_local_grads()).count("not done yet") == 4


def test_06_sigmoid_reference_passes():
    result = lesson06.check_sigmoid_from_pieces(lambda n: 1 / (1 + (-n).exp()))
    assert result.passed
    assert "✓ w1.grad" in text(result)


def test_06_sigmoid_typical_mistakes():
    plus = text(lesson06.check_sigmoid_from_pieces(lambda n: 1 / (1 + n.exp())))
    assert "exp(-n)" in plus and "✗ w1.grad" in plus
    assert "ready-made" in text(lesson06.check_sigmoid_from_pieces(lambda n: n.sigmoid()))
    floats = text(lesson06.check_sigmoid_from_pieces(lambda n: 1 / (1 + math.exp(-n.data))))
    assert "should return a Value" in floats
    assert "not done yet" in text(lesson06.check_sigmoid_from_pieces(lambda n: ...))


# ---- lesson 07 ------------------------------------------------------------------

def count_parameters(nin, nouts):
    sizes = [nin] + list(nouts)
    return sum(nout * (k + 1) for k, nout in zip(sizes[:-1], sizes[1:]))


def values_in_forward(nin, nouts):
    sizes = [nin] + list(nouts)
    return nin + sum(nout * (3 * k + 2) for k, nout in zip(sizes[:-1], sizes[1:]))


def test_07_count_parameters_solution_passes():
    result = lesson07.check_count_parameters(count_parameters)
    assert result.passed
    assert "MLP(3, [4, 4, 1]) parameters = 41" in text(result)
    assert "41.0" not in text(result)


def test_07_count_parameters_without_biases_is_told_about_biases():
    def weights_only(nin, nouts):
        sizes = [nin] + list(nouts)
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))

    result = lesson07.check_count_parameters(weights_only)
    assert not result.passed
    assert "is 32, expected 41" in text(result)
    assert "every neuron also has a bias" in text(result)


def test_07_count_parameters_stub_is_not_done_and_errors_are_reported():
    assert "not done yet" in text(lesson07.check_count_parameters(lambda nin, nouts: ...))
    result = lesson07.check_count_parameters(lambda nin, nouts: nouts[5])
    assert not result.passed
    assert "raised IndexError" in text(result)


def test_07_graph_size_solution_passes():
    answers = {lesson07.shape_name(nin, nouts): values_in_forward(nin, nouts)
               for nin, nouts in lesson07.GRAPH_SHAPES}
    result = lesson07.check_graph_size(answers)
    assert result.passed, text(result)
    assert "MLP(2, [16, 16, 1]) Values = 980" in text(result)


def test_07_graph_size_without_leaves_or_inputs_gets_a_hint():
    result = lesson07.check_graph_size({"MLP(2, [2, 1])": 24, "MLP(2, [16, 16, 1])": 980 - 337 - 2})
    assert not result.passed
    assert "the 2 input Values are part of the graph too" in text(result)
    assert "only the computed Values" in text(result)
