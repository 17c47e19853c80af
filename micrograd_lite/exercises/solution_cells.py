"""Solution cells that run beside the learner's work, never over it.

A lesson's solution cell starts with the line

    # Solution: expand to compare with yours

which is all JupyterLab shows of it while it is folded. Run by accident
(Shift+Enter, Run All) or on purpose, it must never replace what the learner
wrote: their `MyValue`, `trace`, `train_step` stay theirs. So once
`micrograd_lite.exercises` is imported, a cell that starts with that line runs
through the `%%solution` cell magic (which can also be written out), in a
namespace of its own:

- it sees the learner's names (the lesson's imports, the given helpers), with
  the names earlier solution cells defined laid over them, so one solution can
  build on the last (lesson 05's `backward` uses the solution's `build_topo`);
- what it defines stays in that namespace and never reaches the learner's;
- a class the learner owns that the solution changes anyway (say
  `MyValue.exp = exp`) gets its old attributes back when the cell ends.

The solution ends with its own check, `check_...(...).assert_passed()`, so CI
still runs every solution through its check, and the cell prints nothing.
"""

SOLUTION_FIRST_LINE = "# Solution: expand to compare with yours"
SOLUTION_NAMESPACE_KEY = "__solution_namespace__"
# A module's own dunder names, which a solution never defines for the learner.
# Others, like a solution's `def __add__`, are kept for later solutions.
MODULE_NAMES = {"__builtins__", "__name__", "__doc__", "__package__", "__loader__", "__spec__",
                "__file__", "__cached__", SOLUTION_NAMESPACE_KEY}


def _class_attributes(namespace):
    """{class: its attribute dict} for every class the namespace refers to."""
    found = {}
    for value in list(namespace.values()):
        if isinstance(value, type) and value not in found:
            try:
                found[value] = dict(vars(value))
            except TypeError:
                pass
    return found


def _restore(cls, attributes):
    """Give `cls` back exactly the attributes it had, undoing any set or deleted."""
    now = vars(cls)
    for name in [name for name in now if name not in attributes]:
        try:
            delattr(cls, name)
        except (AttributeError, TypeError):
            pass
    for name, value in attributes.items():
        if name not in ("__dict__", "__weakref__") and now.get(name, object()) is not value:
            try:
                setattr(cls, name, value)
            except (AttributeError, TypeError):
                pass


def run_solution(cell, user_namespace, solution_namespace, transform=lambda code: code):
    """Run `cell` apart from `user_namespace`; keep what it defines in `solution_namespace`."""
    namespace = {**user_namespace, **solution_namespace}
    learners_classes = _class_attributes(user_namespace)
    try:
        exec(compile(transform(cell), "<solution>", "exec"), namespace)
    finally:
        for cls, attributes in learners_classes.items():
            _restore(cls, attributes)
        solution_namespace.update(
            (name, value) for name, value in namespace.items()
            if name not in MODULE_NAMES and user_namespace.get(name, object()) is not value)


def run_marked_cells_as_solutions(lines):
    """IPython input transformer: a cell whose first line is SOLUTION_FIRST_LINE runs as `%%solution`."""
    if lines and lines[0].strip() == SOLUTION_FIRST_LINE:
        return [f"get_ipython().run_cell_magic('solution', '', {''.join(lines[1:])!r})\n"]
    return lines


def register(shell=None):
    """Make `%%solution`, and the solution cells' first line, work in the running IPython, if there is one."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is None or not hasattr(shell, "register_magic_function"):
        return

    def solution(line, cell):
        """Run a reference solution without touching your own names or classes."""
        solutions = shell.user_ns.setdefault(SOLUTION_NAMESPACE_KEY, {})
        run_solution(cell, shell.user_ns, solutions, shell.transform_cell)

    shell.register_magic_function(solution, magic_kind="cell", magic_name="solution")
    # First, before IPython reads the cell's own magics; once per shell.
    if run_marked_cells_as_solutions not in shell.input_transformers_cleanup:
        shell.input_transformers_cleanup.insert(0, run_marked_cells_as_solutions)
