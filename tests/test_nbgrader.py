"""The nbgrader round trip: `make nbgrader`'s course, its released notebooks, autograde, and `make grades`.

One course for the module, in a temporary folder, as an instructor would run it:
tools/nbgrader_course.py writes it (every lesson, `nbgrader generate_assignment` included), the
tests put submissions in submitted/, and tools/grades.py grades them all in one run (nbgrader
autograde, one run per student, and generate_feedback, as subprocesses). The students:

    reference  every lesson's source notebook, solutions in: full marks in every lesson
    unfilled   lessons 05, 06, 09 as released, nothing filled in: 0, and nothing crashes
    mistaken   05 with `=` left in the += fix, 06 with a one-sided slope: one exercise lost each
    cheater    05 redefines check_topo_no_recursion, 06 patches lesson06.check_numerical_grad,
               09 makes CheckResult.passed always True; each leaves that exercise unfilled
    broken     05 deletes an answer cell and a test cell, 06 loops forever, 09 raises
    garbage    05 is not JSON at all

About 2 minutes in all, nearly all of it in the module's fixture: building the course (7 s),
then autograde running the eleven source notebooks (40 s), the other fourteen submissions
(25 s), the 30-s time limit the loop runs into, and generate_feedback (7 s). The three tests
that run a test cell's grading in a kernel of their own take 4 s.
"""

import ast
import csv
import html
import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

# Whole lessons run under nbgrader here (PyTorch's comparison cells included), so
# these run with the other `lessons` tests, on the default Python; make test
# installs nbgrader (the instructor extra) with the test tools.
pytestmark = pytest.mark.lessons

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "nbgrader_course.py"
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
L05, L06, L09 = "05_automating_backward", "06_more_operations", "09_gradient_descent"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PASSES = '["All right, well done!"]'


def load_tool():
    spec = importlib.util.spec_from_file_location("nbgrader_course", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def graded(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def cell(notebook, grade_id):
    return next(c for c in notebook.cells if graded(c).get("grade_id") == grade_id)


def read(course, step, lesson, student=None):
    folder = course / step / student / lesson if student else course / step / lesson
    return nbformat.read(folder / f"{lesson}.ipynb", as_version=4)


def run(*command, cwd=None):
    started = time.monotonic()
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout, time.monotonic() - started


def submissions(course):
    """Write every student's submission (see the module's docstring) into submitted/."""
    def submit(student, lesson, notebook):
        folder = course / "submitted" / student / lesson
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(notebook, str):
            (folder / f"{lesson}.ipynb").write_text(notebook, encoding="utf-8")
        else:
            nbformat.write(notebook, folder / f"{lesson}.ipynb")

    def unfilled(lesson, grade_id):
        return cell(read(course, "release", lesson), grade_id).source

    for lesson in LESSONS:
        submit("reference", lesson, read(course, "source", lesson))
    for lesson in (L05, L06, L09):
        submit("unfilled", lesson, read(course, "release", lesson))

    notebook = read(course, "source", L05)
    answer = cell(notebook, "answer_accumulates")
    answer.source = answer.source.replace("+=", "=")         # the lecture's bug, left in
    submit("mistaken", L05, notebook)
    notebook = read(course, "source", L06)
    answer = cell(notebook, "answer_numerical_grad")
    answer.source = answer.source.replace("(f(x + h) - f(x - h)) / (2 * h)", "(f(x + h) - f(x)) / h")
    submit("mistaken", L06, notebook)

    notebook = read(course, "source", L05)
    cell(notebook, "answer_topo_no_recursion").source = unfilled(L05, "answer_topo_no_recursion") + (
        "\nfrom micrograd_lite.exercises import CheckResult"
        f"\ncheck_topo_no_recursion = lambda f: CheckResult(True, {PASSES})"
        "\ncheck_topo_no_recursion(build_topo_no_recursion)")
    submit("cheater", L05, notebook)
    notebook = read(course, "source", L06)
    cell(notebook, "answer_numerical_grad").source = unfilled(L06, "answer_numerical_grad") + (
        "\nimport micrograd_lite.exercises.lesson06 as lesson06"
        f"\nlesson06.check_numerical_grad = lambda f: lesson06.CheckResult(True, {PASSES})"
        "\ncheck_numerical_grad = lesson06.check_numerical_grad"
        "\ncheck_numerical_grad(numerical_grad)")
    submit("cheater", L06, notebook)
    notebook = read(course, "source", L09)
    first = cell(notebook, "answer_prediction_grads")       # the first exercise: every check after it is fooled
    first.source = ("from micrograd_lite.exercises import CheckResult\n"
                    "CheckResult.passed = property(lambda self: True, lambda self, value: None)\n"
                    "CheckResult.__bool__ = lambda self: True\n" + first.source)
    cell(notebook, "answer_learning_rates").source = unfilled(L09, "answer_learning_rates")
    submit("cheater", L09, notebook)

    notebook = read(course, "source", L05)
    notebook.cells = [c for c in notebook.cells
                      if graded(c).get("grade_id") not in ("answer_topo_no_recursion", "check_topo")]
    submit("broken", L05, notebook)
    notebook = read(course, "source", L06)
    cell(notebook, "answer_numerical_grad").source = "while True:\n    pass"
    submit("broken", L06, notebook)
    notebook = read(course, "source", L09)
    cell(notebook, "answer_learning_rates").source = 'raise ValueError("no idea which rates")'
    submit("broken", L09, notebook)

    submit("garbage", L05, '{"cells": [')


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    built, build_time = run(sys.executable, TOOL, course)
    submissions(course)
    graded_log, grade_time = run(sys.executable, ROOT / "tools" / "grades.py", course)
    print(f"\nnbgrader_course.py took {build_time:.1f} s, grades.py {grade_time:.1f} s:\n{graded_log}")
    with open(course / "grades.csv", encoding="utf-8") as table:
        grades = {row["student"]: row for row in csv.DictReader(table)}
    problems = (course / "problems.txt").read_text(encoding="utf-8").splitlines()
    return course, grades, problems


def scores(grades, student, lesson):
    """{test cell grade_id: score} of one student's lesson, from grades.csv."""
    return {column.split("/")[1]: float(value) for column, value in grades[student].items()
            if column.startswith(lesson + "/") and not column.endswith("/total")}


def full(course, lesson):
    return {graded(c)["grade_id"]: float(graded(c)["points"]) for c in read(course, "source", lesson).cells
            if graded(c).get("grade")}


# ---- the conversion ----------------------------------------------------------------------------

def solution_cells(lesson):
    notebook = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    return [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]


def reference_lines(answer):
    """The lines between the solution markers of an answer cell."""
    lines = answer.splitlines()
    return lines[lines.index(BEGIN) + 1:lines.index(END)]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_exercise_becomes_an_answer_and_a_locked_test(course, lesson):
    course, _, _ = course
    cells = read(course, "source", lesson).cells
    answers = [i for i, c in enumerate(cells) if graded(c).get("solution")]
    assert len(answers) == len(solution_cells(lesson)) > 0, f"{lesson}: not one answer cell per solution"
    assert not any("solution" in c.metadata.get("tags", []) for c in cells), f"{lesson}: a solution cell is left"
    for i in answers:
        answer, test = cells[i], cells[i + 1]
        assert graded(answer)["grade"] is False and graded(answer)["locked"] is False
        assert dict(graded(test), grade_id=None) == {"grade": True, "solution": False, "locked": True, "points": 1,
                                                     "grade_id": None, "schema_version": 3, "task": False}
        assert "..." in answer.source.split(BEGIN)[0], f"{lesson}: the stub is gone from {graded(answer)}"
        assert re.search(r"^check_\w+\(", answer.source.split(END)[1], re.M), "the check call is not after END"
        assert reference_lines(answer.source), f"{lesson}: {graded(answer)['grade_id']} holds no solution"


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_solution_is_kept_whole_between_the_markers(course, lesson):
    """Every line of the reference solution, bar its first line and its .assert_passed() line."""
    course, _, _ = course
    answers = [c for c in read(course, "source", lesson).cells if graded(c).get("solution")]
    for solution, answer in zip(solution_cells(lesson), answers):
        kept = reference_lines(answer.source)
        body = solution.source.split("\n", 1)[1]
        (check,) = [s for s in ast.parse(body).body if ".assert_passed()" in ast.get_source_segment(body, s)]
        lines = body.splitlines()
        for line in lines[:check.lineno - 1] + lines[check.end_lineno:]:
            if line.strip():
                assert line in kept, f"{lesson}: {line!r} is missing from {graded(answer)['grade_id']}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_test_cells_trust_nothing_the_notebook_defines(course, lesson):
    """A test cell's code names no check and no CheckResult: the call it grades is only a string."""
    course, _, _ = course
    for test in [c for c in read(course, "source", lesson).cells if graded(c).get("grade")]:
        names = {node.id for node in ast.walk(ast.parse(test.source)) if isinstance(node, ast.Name)}
        assert not {name for name in names if name.startswith("check_") or name == "CheckResult"}, test.source
        assert "_grading.grade(" in test.source


def leaked(source, release):
    """Solution lines that show up in the released notebook, though nothing else in the source has them."""
    elsewhere, solutions = set(), set()
    for c in source.cells:
        text = c.source
        if graded(c).get("solution"):
            solutions |= {line.strip() for line in reference_lines(text) if line.strip()}
            text = text.split(BEGIN)[0] + text.split(END)[1]
        elsewhere |= {line.strip() for line in text.splitlines()}
    released = {line.strip() for c in release.cells for line in c.source.splitlines()}
    return (solutions - elsewhere) & released


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_released_notebook_has_no_solution(course, lesson):
    course, _, _ = course
    source, release = read(course, "source", lesson), read(course, "release", lesson)
    assert not leaked(source, release), f"{lesson} hands out solution lines"
    for c in release.cells:
        assert BEGIN not in c.source and END not in c.source
    for answer in [c for c in source.cells if graded(c).get("solution")]:
        stub, check = answer.source.split(BEGIN)[0], answer.source.split(END)[1]
        assert cell(release, graded(answer)["grade_id"]).source == \
            stub + "# (your answer goes in the stub above)" + check, "the stub or the check call changed"
    assert leaked(source, source), "the leak check finds nothing even in the source: it could never fail"


def test_a_lesson_that_breaks_the_shape_is_refused():
    tool = load_tool()
    with pytest.raises(tool.LessonError, match="assert_passed"):
        tool.merge("x = ...\ncheck_x(x)", "# Solution: expand\nx = 1\ncheck_x(x)", [])
    with pytest.raises(tool.LessonError, match="check call"):
        tool.merge("x = ...", "# Solution: expand\nx = 1\ncheck_x(x).assert_passed()", [])
    answer, call, given = tool.merge("x = ...\ncheck_x(x)", "# Solution: expand\nx = 1\ncheck_x(x).assert_passed()", [])
    assert answer == f"x = ...\n\n{BEGIN}\nx = 1\n{END}\ncheck_x(x)" and call == "check_x(x)" and given is None


# ---- autograde and grades.csv --------------------------------------------------------------------

def test_every_source_notebook_gets_full_marks(course):
    course, grades, problems = course
    for lesson in LESSONS:
        assert scores(grades, "reference", lesson) == full(course, lesson), lesson
    assert float(grades["reference"]["total"]) == sum(sum(full(course, lesson).values()) for lesson in LESSONS)
    assert not [line for line in problems if line.startswith("reference ")]


def test_an_unfilled_notebook_gets_zero_and_nothing_crashes(course):
    course, grades, problems = course
    for lesson in (L05, L06, L09):
        assert set(scores(grades, "unfilled", lesson).values()) == {0.0}, lesson
        assert (course / "feedback" / "unfilled" / lesson / f"{lesson}.html").exists()
    assert not [line for line in problems if line.startswith("unfilled ")]


def lost(course, grades, student, lesson):
    """The test cells that did not get their full points."""
    return {grade_id for grade_id, score in scores(grades, student, lesson).items()
            if score != full(course, lesson)[grade_id]}


def test_one_typical_mistake_costs_exactly_that_exercise(course):
    course, grades, _ = course
    assert lost(course, grades, "mistaken", L05) == {"check_accumulates"}
    assert lost(course, grades, "mistaken", L06) == {"check_numerical_grad"}


def test_redefining_or_patching_a_check_or_checkresult_earns_nothing(course):
    course, grades, _ = course
    assert lost(course, grades, "cheater", L05) == {"check_topo_no_recursion"}
    assert lost(course, grades, "cheater", L06) == {"check_numerical_grad"}
    assert lost(course, grades, "cheater", L09) == {"check_learning_rates"}
    # The cheats did fool the notebook's own names: a test cell trusting them would have passed.
    outputs = {lesson: cell(read(course, "autograded", lesson, "cheater"), grade_id).outputs
               for lesson, grade_id in ((L05, "answer_topo_no_recursion"), (L06, "answer_numerical_grad"))}
    for lesson, found in outputs.items():
        assert "All right, well done!" in str(found), f"the {lesson} cheat never fooled the notebook's check"


def test_a_loop_an_error_and_deleted_cells_cost_only_their_part(course):
    course, grades, problems = course
    assert lost(course, grades, "broken", L05) == {"check_topo_no_recursion"}   # its answer cell deleted
    assert lost(course, grades, "broken", L06) == {"check_numerical_grad"}      # its answer loops forever
    assert lost(course, grades, "broken", L09) == {"check_learning_rates"}      # its answer raises
    said = "\n".join(line for line in problems if line.startswith("broken "))
    assert f"broken {L05}: answer cell answer_topo_no_recursion was deleted" in said
    assert f"broken {L05}: test cell check_topo was deleted: nbgrader put it back and graded the answer" in said
    assert f"broken {L06}: answer_numerical_grad was stopped at the time limit" in said
    assert f"broken {L09}: answer_learning_rates raised ValueError: no idea which rates" in said


def test_a_notebook_that_is_not_json_gets_zero_and_the_next_students_are_graded(course):
    course, grades, problems = course
    assert set(scores(grades, "garbage", L05).values()) == {0.0}
    assert any(line.startswith(f"garbage {L05}: {L05}.ipynb is not valid JSON") for line in problems)
    for student in ("mistaken", "reference", "unfilled"):       # after "garbage" in the run
        assert (course / "autograded" / student / L05 / f"{L05}.ipynb").exists(), student


def test_the_csv_has_a_column_per_exercise_and_totals(course):
    course, grades, _ = course
    row = grades["mistaken"]
    for lesson in LESSONS:
        assert [c for c in row if c.startswith(lesson + "/")] == \
            [f"{lesson}/{grade_id}" for grade_id in full(course, lesson)] + [f"{lesson}/total"]
        assert float(row[f"{lesson}/total"]) == sum(scores(grades, "mistaken", lesson).values())
    one_lost_each = sum(full(course, L05).values()) - 1 + sum(full(course, L06).values()) - 1
    assert float(row["total"]) == sum(float(row[f"{lesson}/total"]) for lesson in LESSONS) == one_lost_each


def test_feedback_shows_the_hints_the_notebook_shows(course):
    """The check's lines under the student's own exercise are in the feedback, under the test cell."""
    course, _, _ = course
    graded_notebook = read(course, "autograded", L05, "mistaken")
    shown = "".join(output.get("data", {}).get("text/plain", "") + output.get("text", "")
                    for output in cell(graded_notebook, "answer_accumulates").outputs)
    hints = [line for line in shown.splitlines() if "Hint:" in line]
    assert hints, f"the notebook's check gave no hint: {shown!r}"
    test_output = "".join(output.get("text", "") for output in cell(graded_notebook, "check_accumulates").outputs)
    feedback = html.unescape((course / "feedback" / "mistaken" / L05 / f"{L05}.html").read_text(encoding="utf-8"))
    for line in hints:
        assert line in test_output, f"the test cell does not say {line!r}"
        assert line in feedback, f"the feedback does not say {line!r}"


# ---- the test cells' grading, in a kernel of its own ---------------------------------------------

def run_cells(lesson, grade_id, replace, course):
    """Run the source notebook of `lesson` up to its test cell `grade_id`, with answer cells replaced.

    Returns the executed notebook, the test cell's printed text and the name of the error it raised.
    """
    notebook = read(course, "source", lesson)
    end = notebook.cells.index(cell(notebook, grade_id))
    notebook.cells = notebook.cells[:end + 1]
    for answer_id, source in replace.items():
        cell(notebook, answer_id).source = source
    NotebookClient(notebook, timeout=60, allow_errors=True,
                   resources={"metadata": {"path": str(course)}}).execute()
    outputs = notebook.cells[end].outputs
    errors = [output.ename for output in outputs if output.output_type == "error"]
    return notebook, "".join(output.get("text", "") for output in outputs), (errors or [None])[0]


def test_grading_passes_the_reference(course):
    course, _, _ = course
    _, text, error = run_cells(L05, "check_topo", {}, course)
    assert error is None and "All right, well done!" in text


def test_grading_refuses_a_package_the_notebook_changed(course):
    course, _, _ = course
    source = cell(read(course, "source", L05), "answer_topo").source
    patch = "\nimport micrograd_lite.engine\nmicrograd_lite.engine.topological_order = lambda root: []"
    _, text, error = run_cells(L05, "check_topo", {"answer_topo": source + patch}, course)
    assert error == "AssertionError" and "changed micrograd_lite itself (engine.topological_order)" in text


def test_grading_gives_an_exercise_the_lessons_own_inputs(course):
    """Lesson 11 passes the lesson's layer, x and g to its check; an answer cell that sets g to 0
    (so that dW = 0 is right for it) fools the notebook's own check, not the test cell."""
    course, _, _ = course
    cheat = ("import numpy as np\nlayer = Layer(3, 4, rng=0)\nx = np.array([2.0, 3.0, -1.0])\ng = np.zeros(4)\n"
             "dW, db, dx = np.zeros((4, 3)), np.zeros(4), np.zeros(3)\n"
             "print(check_layer_backward(layer, x, g, dW=dW, db=db, dx=dx).passed)")
    notebook, text, error = run_cells("11_where_next", "check_layer_backward", {"answer_layer_backward": cheat}, course)
    assert error == "AssertionError" and "✗ dW" in text
    assert cell(notebook, "answer_layer_backward").outputs[-1]["text"].strip() == "True", \
        "the cheat does not fool the notebook's own check, so this test shows nothing"
