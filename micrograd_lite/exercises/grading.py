"""Grading for nbgrader's test cells: a lesson's check, run by a copy of the checks nothing else touched.

The course's nbgrader assignments (tools/nbgrader_course.py) follow every exercise with a locked,
autograded test cell. That cell must not trust anything the notebook above it could have changed:
a redefined `check_topo`, a patched `micrograd_lite.exercises.lesson05.check_topo`, a `CheckResult`
whose `passed` always says True. So the test cell loads this file from the installed package's
directory, never through `import` (which would hand back whatever `sys.modules` now holds), and
calls `grade`, which:

1. loads the whole `exercises` subpackage again from its files, under a new private name, so the
   check and `CheckResult` it runs are the ones on disk;
2. shares the rest of the package (engine, nn, ...) with the notebook, so the learner's Values are
   the Values the checks know, after making sure the notebook has not changed those modules: their
   functions and classes must match a copy just loaded from disk;
3. evaluates the exercise's own check call, say `check_topo(build_topo)`, with the fresh check in
   place of the notebook's name and the notebook's answers as its arguments. An exercise whose call
   also passes values the lesson gives (lesson 11's layer, x and g) gets them from `given`, the
   lesson's own lines run again here, so changing them in the answer cell changes nothing;
4. prints the feedback, the same lines the check shows in the notebook, and raises AssertionError
   unless the result is a fresh `CheckResult` whose `passed` is True, so nbgrader gives 0 points.

Out of reach: code that rewrites the package's files, or that goes after the grader's own objects
while the check is running it. Grading runs the learner's code; it can only be as safe as that.
"""

import ast
import contextlib
import importlib
import importlib.util
import os
import sys
import types
import uuid

PACKAGE = "micrograd_lite"
SUBPACKAGE = "exercises"
# Attributes every class or module has that name the copy, not what it does.
OWN_NAMES = {"__module__", "__dict__", "__weakref__", "__qualname__", "__doc__", "__firstlineno__",
             "__static_attributes__"}
SIMPLE = (int, float, complex, str, bytes, bool, tuple, frozenset, type(None))


def grade(module, call, given=None):
    """Run `call` (an exercise's check call, as text) with a fresh `module`'s check; see above.

    `module` is the check's module inside the package, like "exercises.lesson05"; the answers
    are looked up in the caller's namespace, the notebook's.
    """
    __tracebackhide__ = True                  # a failed check shows its feedback, not this frame
    notebook = sys._getframe(1).f_globals
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with _kernel_kept(), _fresh_copies(root) as (fresh, changed):
        checks = importlib.import_module(f"{fresh}.{module}")
        CheckResult = sys.modules[f"{fresh}.{SUBPACKAGE}"].CheckResult
        if changed:
            result = CheckResult(False, [f"✗ the notebook changed {PACKAGE} itself ({', '.join(changed[:3])}), "
                                         "so this check can't be trusted: leave the package's own code as it is"])
        else:
            result = _run(checks, call, notebook, given, CheckResult)
    passed = type(result) is CheckResult and result.passed is True
    print(CheckResult.__repr__(result) if type(result) is CheckResult else repr(result))
    if not passed:
        raise AssertionError(f"{call} did not pass (its feedback is above)")


def _run(checks, call, notebook, given, CheckResult):
    """Evaluate `call` in a copy of the notebook's namespace, the check's name bound to `checks`' own."""
    name = ast.parse(call, mode="eval").body.func.id
    namespace = dict(notebook)
    try:
        if given:
            exec(compile(given, "<the lesson's given lines>", "exec"), namespace)
        namespace[name] = getattr(checks, name)
        return eval(compile(call, "<graded call>", "eval"), namespace)
    except Exception as error:                 # an answer missing (a deleted cell), a given line failing
        return CheckResult(False, [f"✗ {call} could not run: {type(error).__name__}: {error}"])


@contextlib.contextmanager
def _fresh_copies(root):
    """Yield (name of the fresh package, what the notebook changed in the shared modules).

    Two private packages, both gone from sys.modules afterwards: one loaded wholly from disk, to
    compare with; one whose `exercises` is loaded from disk and whose other modules are the
    notebook's own (those the first copy also loaded), to grade with.
    """
    fresh = f"_graded_{PACKAGE}_{uuid.uuid4().hex}"
    disk = fresh + "_disk"
    try:
        spec = importlib.util.spec_from_file_location(disk, os.path.join(root, "__init__.py"),
                                                      submodule_search_locations=[root])
        sys.modules[disk] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[disk])
        package = types.ModuleType(fresh)
        package.__path__, package.__package__ = [root], fresh
        sys.modules[fresh] = package
        changed = []
        for name, module in list(sys.modules.items()):
            part = name[len(PACKAGE):]
            if name.startswith(PACKAGE + ".") and not part.startswith(f".{SUBPACKAGE}") \
                    and disk + part in sys.modules:
                sys.modules[fresh + part] = module
                changed += [f"{part[1:]}.{what}" for what in _changes(module, sys.modules[disk + part], disk)]
        yield fresh, changed
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] in (fresh, disk)]:
            del sys.modules[name]


def _changes(module, original, disk):
    """The names in `module` that differ from `original`, its file loaded afresh in package `disk`."""
    found = []
    for attribute, want in vars(original).items():
        if attribute.startswith("__") or isinstance(want, types.ModuleType):
            continue
        got = vars(module).get(attribute)
        if isinstance(want, type) and want.__module__ == original.__name__:
            found += [f"{attribute}.{what}" for what in _class_changes(got, want)]
        elif isinstance(want, type):              # imported: from a sibling module, or from outside
            home = want.__module__
            home = PACKAGE + home[len(disk):] if home.split(".")[0] == disk else home
            if not (isinstance(got, type) and got.__module__ == home and got.__qualname__ == want.__qualname__):
                found.append(attribute)
        elif not _same(got, want):
            found.append(attribute)
    return found


def _class_changes(got, want):
    if not isinstance(got, type):
        return ["(not a class)"]
    have = {key: value for key, value in vars(got).items() if key not in OWN_NAMES}
    should = {key: value for key, value in vars(want).items() if key not in OWN_NAMES}
    return sorted(set(have) ^ set(should)) + [key for key in should if key in have
                                               and not _same(have[key], should[key])]


def _same(got, want):
    """Whether `got` does what `want` does: the same code for functions, equal simple values."""
    if isinstance(want, (staticmethod, classmethod)):
        return type(got) is type(want) and _same(got.__func__, want.__func__)
    if isinstance(want, property):
        return isinstance(got, property) and all(_same(getattr(got, part), getattr(want, part))
                                                 for part in ("fget", "fset", "fdel"))
    if isinstance(want, types.FunctionType):
        return (isinstance(got, types.FunctionType) and got.__code__ == want.__code__
                and _equal(got.__defaults__, want.__defaults__) and _equal(got.__kwdefaults__, want.__kwdefaults__))
    if isinstance(want, SIMPLE):
        return _equal(got, want)
    return type(got) is type(want)                # slots, other objects: only their kind can be compared


def _equal(a, b):
    try:
        return type(a) is type(b) and (bool(a == b) or (a != a and b != b))   # nan is nan here
    except Exception:
        return False


@contextlib.contextmanager
def _kernel_kept():
    """Undo what importing `exercises` again does to the kernel: a second `%%solution` magic and
    input transformer (exercises/solution_cells.py) each time a test cell runs."""
    shell = None
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:
        pass
    if shell is None:
        yield
        return
    transformers = list(shell.input_transformers_cleanup)
    magic = shell.magics_manager.magics["cell"].get("solution")
    try:
        yield
    finally:
        shell.input_transformers_cleanup[:] = transformers
        if magic is not None:
            shell.magics_manager.magics["cell"]["solution"] = magic
