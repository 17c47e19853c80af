"""Every check of every lesson answers junk with a failing result, never a traceback.

The checks are found, not listed: every `check_*` function of every
`micrograd_lite.exercises.lessonNN` module, called with the same junk in each
of its parameters. A new check is covered the day it is written.
"""

import importlib
import inspect
import pkgutil

import pytest

import micrograd_lite.exercises as exercises
from junk import JUNK
from micrograd_lite.exercises import CheckResult


def every_check():
    for module_info in pkgutil.iter_modules(exercises.__path__):
        if not module_info.name.startswith("lesson"):
            continue
        module = importlib.import_module(f"micrograd_lite.exercises.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and function.__module__ == module.__name__:
                yield pytest.param(function, id=f"{module_info.name}.{name}")


CHECKS = list(every_check())


def test_the_sweep_finds_the_checks_of_every_lesson():
    lessons = {param.id.split(".")[0] for param in CHECKS}
    assert lessons == {f"lesson{n:02d}" for n in range(1, 12)}, sorted(lessons)
    assert len(CHECKS) >= 30


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("junk", JUNK)
def test_junk_gets_a_failing_result_and_never_raises(check, junk):
    answer = JUNK[junk]()
    parameters = [p for p in inspect.signature(check).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    arguments = [answer] * max(len(parameters), 1)
    result = check(*arguments)
    assert isinstance(result, CheckResult)
    assert not result.passed
    assert repr(result).strip()


def test_the_junk_really_is_hostile():
    """The sweep can fail: a check that only calls isinstance raises on this junk."""
    for name in ("Hostile", "Hostile class"):
        with pytest.raises(RuntimeError):
            isinstance(JUNK[name](), int) or JUNK[name]().data
