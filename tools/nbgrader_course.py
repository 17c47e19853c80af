"""Write an nbgrader course folder: one assignment per lesson, graded by the lessons' own checks.

    python tools/nbgrader_course.py OUTDIR [--timeout SECONDS]

(`make nbgrader` writes _build/nbgrader.) OUTDIR gets nbgrader_config.py (from
tools/nbgrader/nbgrader_config.py.in), source/<lesson>/<lesson>.ipynb for every lesson (the
assignment is named after the lesson, e.g. 05_automating_backward), gradebook.db with every
assignment, and release/<lesson>/<lesson>.ipynb, the students' version, which
`nbgrader generate_assignment` writes. Submissions, grades and feedback already in OUTDIR stay
as they are; `make grades` (tools/grades.py) grades them.

How a lesson becomes an assignment:

- An exercise (the code cell ending in a `check_...(...)` call, before a cell tagged `solution`)
  and its solution become ONE nbgrader answer cell: the exercise's stub as the student sees it,
  the reference solution between `### BEGIN SOLUTION` and `### END SOLUTION` (without its first
  line and its `.assert_passed()` line), then the exercise's check call, which so gives feedback
  on whatever the cell defined. The source notebook runs the reference, which uses the stub's
  names and so replaces it; `generate_assignment` removes it.
- Right after it, a locked, autograded test cell worth POINTS point(s): it runs the same check
  call through micrograd_lite/exercises/grading.py, which loads the checks afresh from the
  package's files, so nothing the notebook redefined (a check, CheckResult) changes the grade.
- Every other cell stays as it is, outputs cleared; a short note on the grading follows the title.
"""

import argparse
import ast
import importlib
import os
import shutil
import string
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "nbgrader" / "nbgrader_config.py.in"
LESSON_GLOB = "notebooks/[0-9]*.ipynb"
COURSE_ID = "micrograd_lite"
TIMEOUT = 30            # seconds a cell may run at autograde (see the config template)
POINTS = 1              # every exercise's check is worth the same
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# A solution cell's first line only says what it is ("# Solution: expand ...", or a cell magic
# that runs it apart from the learner's names): a comment or a magic, not code to keep.
SOLUTION_FIRST_LINES = ("#", "%")
CHECKS_PACKAGE = "micrograd_lite.exercises"

NOTE = """\
> **Graded with nbgrader.** Write your answers where each exercise's `...` are, and run its \
check as usual. The locked cell after each exercise is the grader: it runs the same check \
again, {points} point each, with its own fresh copy of the course's checks, so only your \
answers count. Keep every cell (don't delete or split them), and save before you submit. \
A cell still running after {timeout} s is stopped."""

TEST_CELL = '''\
# Graded, {points}. Runs the exercise's check again,
#     {call}
# with the course's checks loaded afresh from the package's files, so nothing this notebook
# redefined (a check, CheckResult) changes the grade.
import importlib.util as _iu, os as _os, sys as _sys
_found = next(s for s in (f.find_spec("micrograd_lite", None) for f in _sys.meta_path if hasattr(f, "find_spec")) if s)
_grading = _iu.module_from_spec(_iu.spec_from_file_location(
    "_grading", _os.path.join(_found.submodule_search_locations[0], "exercises", "grading.py")))
_grading.__spec__.loader.exec_module(_grading)
{given}_grading.grade({module!r}, {call!r}{given_argument})'''
# The lines an exercise gives (grading.py runs them again), as the test cell shows them.
GIVEN = '''# The lesson's own lines for what the check is given, run again apart from your answer:
_given = """\\
{code}"""
'''


class LessonError(ValueError):
    """A lesson whose exercise and solution cells can't be turned into nbgrader cells."""


def is_solution(cell):
    return "solution" in cell.get("metadata", {}).get("tags", [])


def _check_name(node):
    """The check's name if `node` is a call `check_...(...)`, else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("check_"):
        return node.func.id
    return None


def _check_statement(statement):
    """The call if `statement` is `check_...(...)` on its own, else None."""
    if isinstance(statement, ast.Expr) and _check_name(statement.value):
        return statement.value
    return None


def _asserted_check(statement):
    """The inner call if `statement` is `check_...(...).assert_passed()`, else None."""
    node = statement.value if isinstance(statement, ast.Expr) else None
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "assert_passed" and _check_name(node.func.value)):
        return node.func.value
    return None


def _parse(source, what):
    try:
        return ast.parse(source)
    except SyntaxError as error:
        raise LessonError(f"{what} is not plain Python: {error}") from None


def _lines(source, first, last):
    """Lines first..last (1-based, inclusive) of source."""
    return source.splitlines()[first - 1:last]


def _strip_blank(lines):
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def _has_stub(statement):
    return any(isinstance(node, ast.Constant) and node.value is Ellipsis for node in ast.walk(statement))


def _assigned(statements):
    return {node.id for statement in statements for node in ast.walk(statement)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _arguments(call):
    """{position or keyword: argument node} of a call."""
    found = {index: arg for index, arg in enumerate(call.args)}
    found.update({keyword.arg: keyword.value for keyword in call.keywords})
    return found


def _bindings(exercise_call, exercise, solution_call, solution):
    """Lines that give the exercise call's answer names the values the solution's own check passed.

    Lesson 11's solution checks `dW=np.outer(dn, x)` where the exercise passes `dW=dW`: the
    merged cell must define dW, so it gets `dW = np.outer(dn, x)`.
    """
    lines = []
    theirs = _arguments(solution_call)
    for key, mine in _arguments(exercise_call).items():
        if key not in theirs:
            raise LessonError(f"the solution's {ast.unparse(solution_call)} has no argument {key}")
        wanted = ast.get_source_segment(solution, theirs[key])
        given = ast.get_source_segment(exercise, mine)
        if wanted == given:
            continue
        if not isinstance(mine, ast.Name):
            raise LessonError(f"the exercise passes {given} where its solution passes {wanted}")
        lines.append(f"{mine.id} = {wanted}")
    return lines


def merge(exercise, solution, imports):
    """(answer cell source, test call, given code) from an exercise's and its solution's sources.

    `imports` are the import lines of the cells before the exercise: the given lines, if any,
    run again after them in the test cell (see grading.py).
    """
    tree = _parse(exercise, "an exercise cell")
    checks = [statement for statement in tree.body if _check_statement(statement)]
    if len(checks) != 1 or tree.body[-1] is not checks[0]:
        raise LessonError(f"an exercise should end with its one check call:\n{exercise}")
    call = _check_statement(checks[0])
    stub = _strip_blank(_lines(exercise, 1, checks[0].lineno - 1))

    lines = solution.splitlines()
    if lines and lines[0].startswith(SOLUTION_FIRST_LINES):
        lines = lines[1:]
    body = "\n".join(lines)
    asserted = [statement for statement in _parse(body, "a solution cell").body if _asserted_check(statement)]
    if len(asserted) != 1:
        raise LessonError(f"a solution should check itself once, with .assert_passed():\n{solution}")
    solution_call = _asserted_check(asserted[0])
    if _check_name(solution_call) != _check_name(call):
        raise LessonError(f"the exercise calls {_check_name(call)}, its solution {_check_name(solution_call)}")
    reference = _strip_blank(lines[:asserted[0].lineno - 1] + lines[asserted[0].end_lineno:])
    reference += _bindings(call, exercise, solution_call, body)

    answer = "\n".join(stub + ["", BEGIN] + reference + [END] + _lines(exercise, checks[0].lineno,
                                                                         checks[0].end_lineno))
    return answer, ast.get_source_segment(exercise, call), _given(tree, call, exercise, imports)


def _given(tree, call, exercise, imports):
    """The exercise's lines before its first stub, if the check call passes a name they define.

    Such a name (lesson 11's layer, x, g) is the lesson's to give, not an answer; the test cell
    runs these lines again so that changing them in the answer cell can't change the grade.
    """
    body = tree.body[:-1]
    first_stub = next((i for i, statement in enumerate(body) if _has_stub(statement)), len(body))
    prefix = body[:first_stub]
    names = {node.id for node in _arguments(call).values() if isinstance(node, ast.Name)}
    if not prefix or not names & _assigned(prefix):
        return None
    return "\n".join(imports + _lines(exercise, prefix[0].lineno, prefix[-1].end_lineno)) + "\n"


def _import_lines(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [ast.get_source_segment(source, statement) for statement in tree.body
            if isinstance(statement, (ast.Import, ast.ImportFrom))]


def _check_modules(source):
    """{check name: the module it is imported from} for `from micrograd_lite.exercises... import ...`."""
    found = {}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(CHECKS_PACKAGE):
            found.update({alias.asname or alias.name: node.module for alias in node.names})
    return found


def _grade_id(name, taken):
    grade_id, n = name, 1
    while grade_id in taken:
        n += 1
        grade_id = f"{name}_{n}"
    taken.add(grade_id)
    return grade_id


def _nbgrader(grade_id, solution=False, grade=False, points=None):
    metadata = {"grade": grade, "solution": solution, "locked": grade, "grade_id": grade_id,
                "schema_version": 3, "task": False}
    if grade:
        metadata["points"] = points
    return metadata


def convert(notebook, timeout=TIMEOUT):
    """The lesson `notebook` as an nbgrader source notebook, and [(test grade_id, check call)]."""
    kept, exercises, imports, modules, taken = [], [], [], {}, set()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if not is_solution(cell):
            kept.append(cell)
            if cell.cell_type == "code":
                imports += _import_lines(cell.source)
                modules.update(_check_modules(cell.source))
            continue
        at = next((i for i in range(len(kept) - 1, -1, -1)
                   if kept[i].cell_type == "code" and "nbgrader" not in kept[i].metadata
                   and _ends_with_check(kept[i].source)), None)
        if at is None:
            raise LessonError(f"a solution has no exercise before it:\n{cell.source}")
        exercise = kept[at]
        answer, call, given = merge(exercise.source, cell.source, imports)
        name = ast.parse(call, mode="eval").body.func.id
        if name not in modules:
            raise LessonError(f"{name} is not imported from {CHECKS_PACKAGE} before its exercise")
        module = modules[name]
        if not hasattr(importlib.import_module(module), name):
            raise LessonError(f"{module} has no {name}")
        test_id = _grade_id(name, taken)
        exercise.source = answer
        exercise.metadata["nbgrader"] = _nbgrader(_grade_id("answer_" + name.removeprefix("check_"), taken),
                                                  solution=True)
        test = nbformat.v4.new_code_cell(TEST_CELL.format(
            points=f"{POINTS} point{'s' * (POINTS != 1)}", call=call, module=module.removeprefix("micrograd_lite."),
            given=_given_block(given), given_argument="" if given is None else ", given=_given"))
        test.metadata["nbgrader"] = _nbgrader(test_id, grade=True, points=POINTS)
        kept.insert(at + 1, test)
        exercises.append((test_id, call))
    note = nbformat.v4.new_markdown_cell(NOTE.format(points=POINTS, timeout=timeout))
    notebook.cells = kept[:1] + [note] + kept[1:]
    return notebook, exercises


def _given_block(given):
    if given is None:
        return ""
    if '"""' in given or "\\" in given:
        return f"_given = {given!r}\n"
    return GIVEN.format(code=given)


def _ends_with_check(source):
    try:
        body = ast.parse(source).body
    except SyntaxError:                     # a cell with IPython syntax is no exercise
        return False
    return bool(body) and _check_statement(body[-1]) is not None


def lessons():
    return sorted(ROOT.glob(LESSON_GLOB))


def with_venv_on_path():
    """nbgrader's gradebook runs the `alembic` command, which sits beside this Python (in .venv/bin,
    not on PATH when make calls .venv/bin/python): put that folder first on PATH, for us and for
    the nbgrader commands we start."""
    folder = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != folder:
        os.environ["PATH"] = folder + os.pathsep + os.environ.get("PATH", "")


def write_course(out, timeout=TIMEOUT, log=print):
    """Write the course folder `out` (see the module's docstring); returns {assignment: exercises}."""
    # nbgrader is in the instructor extra, so only this needs it: imported here, not at the top.
    from nbgrader.api import Gradebook

    with_venv_on_path()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    config = string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(timeout=timeout)
    (out / "nbgrader_config.py").write_text(config, encoding="utf-8")
    assignments = {}
    for path in lessons():
        notebook, exercises = convert(nbformat.read(path, as_version=4), timeout)
        folder = out / "source" / path.stem
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / path.name)
        assignments[path.stem] = exercises
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}", COURSE_ID) as gradebook:
        for name in assignments:
            gradebook.update_or_create_assignment(name)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--force"],
                          cwd=out, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{done.stdout}{done.stderr}")
    log(f"nbgrader generate_assignment: {len(assignments)} assignments in {time.monotonic() - started:.1f} s")
    return assignments


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the course folder to write, e.g. _build/nbgrader")
    parser.add_argument("--timeout", type=int, default=TIMEOUT, help="seconds a cell may run at autograde")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("nbgrader") is None:
        sys.exit("nbgrader is not installed: it comes with the instructor extra "
                 "(pip install -e '.[instructor]'), which needs Python 3.11 or newer")
    started = time.monotonic()
    assignments = write_course(args.out, args.timeout)
    for name, exercises in assignments.items():
        print(f"{name}: {len(exercises)} exercises, {len(exercises) * POINTS} points "
              f"({', '.join(grade_id for grade_id, _ in exercises)})")
    print(f"wrote {args.out}/ in {time.monotonic() - started:.1f} s: nbgrader_config.py, source/, release/, "
          "gradebook.db. Put submissions in submitted/<student>/<lesson>/<lesson>.ipynb, then `make grades`.")


if __name__ == "__main__":
    main()
