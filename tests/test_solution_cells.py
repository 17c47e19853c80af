"""`%%solution` runs a reference solution without touching the learner's names."""

import pytest
from IPython.core.interactiveshell import InteractiveShell

from micrograd_lite.exercises import solution_cells


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    solution_cells.register(shell)
    shell.user_ns.pop(solution_cells.SOLUTION_NAMESPACE_KEY, None)
    yield shell
    shell.run_cell("%reset -f")
    InteractiveShell.clear_instance()


def run(shell, code):
    result = shell.run_cell(code)
    if result.error_in_exec:
        raise result.error_in_exec
    return result


def test_a_solution_keeps_its_definitions_to_itself(shell):
    run(shell, "def build_topo(root):\n    return 'mine'")
    mine = shell.user_ns["build_topo"]
    run(shell, "%%solution  # expand\ndef build_topo(root):\n    return 'solution'\nassert build_topo(1) == 'solution'")
    assert shell.user_ns["build_topo"] is mine


def test_a_later_solution_builds_on_an_earlier_one(shell):
    run(shell, "def build_topo(root):\n    return 'mine'")
    run(shell, "%%solution\ndef build_topo(root):\n    return 'solution'")
    run(shell, "%%solution\nresult = build_topo(None)\nassert result == 'solution', result")
    assert shell.user_ns["build_topo"](None) == "mine"


def test_a_learners_class_gets_its_methods_back(shell):
    run(shell, "class MyValue:\n    def exp(self):\n        return 'mine'")
    run(shell, "%%solution\ndef exp(self):\n    return 'solution'\nMyValue.exp = exp\nMyValue.extra = 1\n"
               "assert MyValue().exp() == 'solution'")
    run(shell, "assert MyValue().exp() == 'mine'\nassert not hasattr(MyValue, 'extra')")


def test_a_method_the_solution_deletes_comes_back(shell):
    run(shell, "class MyValue:\n    def tanh(self):\n        return 'mine'")
    run(shell, "%%solution\ndel MyValue.tanh")
    run(shell, "assert MyValue().tanh() == 'mine'")


def test_a_failing_solution_still_fails_loudly(shell):
    result = shell.run_cell("%%solution\nassert False, 'the reference solution fails its check'")
    assert isinstance(result.error_in_exec, AssertionError)


def test_ipython_syntax_works_inside(shell):
    run(shell, "%%solution\nx = !echo hi\nassert x == ['hi']")


def test_without_the_magic_the_learners_function_would_be_replaced(shell):
    """The test above can fail: a plain cell does replace it."""
    run(shell, "def build_topo(root):\n    return 'mine'")
    mine = shell.user_ns["build_topo"]
    run(shell, "def build_topo(root):\n    return 'solution'")
    assert shell.user_ns["build_topo"] is not mine


def test_a_solutions_dunder_methods_reach_later_solutions(shell):
    run(shell, "class MyValue:\n    pass")
    run(shell, "%%solution\ndef __add__(self, other):\n    return 'solution'")
    run(shell, "%%solution\nMyValue.__add__ = __add__\nassert MyValue() + 1 == 'solution'")
    run(shell, "assert not hasattr(MyValue, '__add__') or MyValue.__add__ is object.__add__")


def test_a_cell_starting_with_the_solution_line_runs_as_a_solution(shell):
    run(shell, "def trace(root):\n    return 'mine'")
    mine = shell.user_ns["trace"]
    run(shell, solution_cells.SOLUTION_FIRST_LINE + "\ndef trace(root):\n    return 'solution'\n"
               "assert trace(1) == 'solution'\nx = !echo hi")
    assert shell.user_ns["trace"] is mine
    assert "x" not in shell.user_ns


def test_the_solution_line_elsewhere_is_just_a_comment(shell):
    run(shell, "y = 1\n" + solution_cells.SOLUTION_FIRST_LINE + "\ndef trace(root):\n    return 'here'")
    assert shell.user_ns["trace"](None) == "here"
