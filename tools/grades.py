"""Grade every submission in an nbgrader course folder and write the class's grades as a CSV.

    python tools/grades.py COURSE          (`make grades`: COURSE is _build/nbgrader)

COURSE is a folder tools/nbgrader_course.py wrote, with the students' notebooks put in
submitted/<student>/<lesson>/<lesson>.ipynb. For each submission, one at a time, so that one
that fails stops nothing else, this runs `nbgrader autograde`; then `nbgrader generate_feedback`,
which writes feedback/<student>/<lesson>/<lesson>.html: the graded notebook, where each test
cell shows the lines its check gives in the notebook, hints included. It writes

- COURSE/grades.csv: a row per student, a column per exercise (`<lesson>/<check>`, the test
  cell's grade_id), each lesson's total and the overall total;
- COURSE/problems.txt, also printed: a line per problem found, each saying what it cost. A
  notebook that is not valid JSON, or that nbgrader can't grade at all, scores 0 for its lesson;
  a deleted cell, a cell that raised or one stopped after the time limit (a loop that never ends)
  costs only what depends on it: the rest of the notebook still runs and is graded.
"""

import argparse
import csv
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbgrader_course import COURSE_ID, with_venv_on_path  # noqa: E402  (tools/ is not a package)

# What the kernel records for a cell stopped at the time limit.
TIMEOUT_ERRORS = {"CellTimeoutError", "KeyboardInterrupt"}
# A test cell that fails its check raises this (micrograd_lite/exercises/grading.py): a lost
# point, which the CSV shows, not a problem to report.
CHECK_FAILED = "AssertionError"


def nbgrader(course, *args):
    """Run one nbgrader command in the course folder: (succeeded, its log)."""
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True)
    return done.returncode == 0, done.stdout + done.stderr


def exercises(course):
    """{lesson: [(test cell grade_id, points)]}, in the order of the source notebooks."""
    found = {}
    for notebook in sorted((course / "source").glob("*/*.ipynb")):
        cells = nbformat.read(notebook, as_version=4).cells
        found[notebook.parent.name] = [(cell.metadata.nbgrader["grade_id"], cell.metadata.nbgrader["points"])
                                       for cell in cells if cell.metadata.get("nbgrader", {}).get("grade")]
    return found


def graded_cells(course, lesson):
    """The grade_ids of every nbgrader cell (answers and tests) of a lesson's source notebook."""
    notebook = course / "source" / lesson / f"{lesson}.ipynb"
    return [cell.metadata.nbgrader["grade_id"] for cell in nbformat.read(notebook, as_version=4).cells
            if "nbgrader" in cell.metadata]


def submissions(course):
    """[(student, lesson)] for every folder in submitted/."""
    if not (course / "submitted").is_dir():
        return []
    return sorted((student.name, lesson.name) for student in (course / "submitted").glob("*") if student.is_dir()
                  for lesson in student.glob("*") if lesson.is_dir())


def read_problems(course, student, lesson):
    """Problems seen before grading: (a line, or None) for a notebook that can't be read, and deleted cells."""
    path = course / "submitted" / student / lesson / f"{lesson}.ipynb"
    if not path.exists():
        return f"no {path.name} in its folder: 0 for {lesson}", []
    try:
        notebook = nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as error:
        return f"{path.name} is not valid JSON ({str(error).splitlines()[0][:80]}): 0 for {lesson}", []
    except Exception as error:
        return f"{path.name} can't be read as a notebook ({type(error).__name__}): 0 for {lesson}", []
    kept = {cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") for cell in notebook.cells}
    deleted = [grade_id for grade_id in graded_cells(course, lesson) if grade_id not in kept]
    return None, [f"answer cell {grade_id} was deleted (its test grades what the rest of the notebook defines)"
                  if grade_id.startswith("answer_") else
                  f"test cell {grade_id} was deleted: nbgrader put it back and graded the answer"
                  for grade_id in deleted]


def run_problems(course, student, lesson):
    """Problems the graded notebook shows: cells stopped at the time limit, cells that raised."""
    path = course / "autograded" / student / lesson / f"{lesson}.ipynb"
    found = []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells, 1):
        errors = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
        if not errors:
            continue
        name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {number}"
        test = cell.metadata.get("nbgrader", {}).get("grade")
        if any(error.ename in TIMEOUT_ERRORS for error in errors):
            found.append(f"{name} was stopped at the time limit (a loop that never ends?)"
                         + (": 0 for it" if test else ""))
        elif not (test and all(error.ename == CHECK_FAILED for error in errors)):
            error = errors[0]
            first_line = (str(error.evalue).splitlines() or [""])[0][:100]
            found.append(f"{name} raised {error.ename}: {first_line}" + (": 0 for it" if test else ""))
    return found


def edited_locked_cells(log):
    """The locked cells nbgrader found changed (and graded as the source has them)."""
    return [line.split("for cell ")[1].split(" ")[0] for line in log.splitlines()
            if "Attribute 'checksum' for cell" in line]


def split_log(output, student):
    """{lesson: its lines} of one student's autograde log; nbgrader names each notebook's path as it goes."""
    found, lesson = {}, None
    for line in output.splitlines():
        for step in ("submitted", "autograded"):
            marker = f"/{step}/{student}/"
            if marker in line:
                lesson = line.split(marker, 1)[1].split("/")[0]
        found.setdefault(lesson, []).append(line)
    return found


def autograde(course, student, lessons, problems, log):
    """Autograde one student's submissions, all in one nbgrader run; returns the lessons that failed."""
    started = time.monotonic()
    theirs = sorted(folder.name for folder in (course / "submitted" / student).iterdir() if folder.is_dir())
    before = {}
    for lesson in theirs:
        # graded afresh, or not at all: so a folder there afterwards is this run's
        shutil.rmtree(course / "autograded" / student / lesson, ignore_errors=True)
        before[lesson] = read_problems(course, student, lesson) if lesson in lessons else \
            (f"no assignment {lesson} in source/: 0 for it", [])
    ok, output = nbgrader(course, "autograde", "*", "--student", student, "--force")
    logs, failed = split_log(output, student), set()
    for lesson in theirs:
        unreadable, seen = before[lesson]
        if (course / "autograded" / student / lesson / f"{lesson}.ipynb").exists():
            seen += [f"locked cell {grade_id} was edited: the original was graded"
                     for grade_id in edited_locked_cells("\n".join(logs.get(lesson, [])))]
            seen += run_problems(course, student, lesson)
        else:
            failed.add(lesson)
            errors = [line.strip() for line in logs.get(lesson, []) if "Error" in line or "ERROR" in line]
            seen = [unreadable or f"nbgrader could not grade it ({errors[-1][:120] if errors else 'see its log'}): "
                                  f"0 for {lesson}"]
        problems += [f"{student} {lesson}: {line}" for line in seen]
    log(f"autograde {student} ({', '.join(theirs)}): {len(theirs) - len(failed)} graded, {len(failed)} failed, "
        f"in {time.monotonic() - started:.1f} s")
    return {(student, lesson) for lesson in failed}


def grade(course, log=print):
    """Autograde every submission, generate feedback, write grades.csv and problems.txt."""
    course = Path(course).resolve()
    with_venv_on_path()
    lessons = exercises(course)
    done = submissions(course)
    if not done:
        log(f"nothing to grade: put the notebooks in {course / 'submitted'}/<student>/<lesson>/<lesson>.ipynb")
        return [], []
    problems, failed = [], set()
    for student in sorted({student for student, _ in done}):
        failed |= autograde(course, student, lessons, problems, log)

    started = time.monotonic()
    ok, output = nbgrader(course, "generate_feedback", "*", "--force")
    log(f"generate_feedback: {'done' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s")
    for student, lesson in done:
        if (student, lesson) not in failed and not (course / "feedback" / student / lesson / f"{lesson}.html").exists():
            problems.append(f"{student} {lesson}: no feedback was written")

    rows = scores(course, lessons, done, failed, problems)
    write_csv(course / "grades.csv", rows)
    (course / "problems.txt").write_text("".join(line + "\n" for line in problems), encoding="utf-8")
    for line in problems:
        log("problem: " + line)
    log(f"wrote {course / 'grades.csv'} ({len(rows)} students) and {course / 'problems.txt'} "
        f"({len(problems)} problems)")
    return rows, problems


def scores(course, lessons, done, failed, problems):
    """[{column: score}] a row per student, from the gradebook; 0 where a lesson could not be graded."""
    from nbgrader.api import Gradebook, MissingEntry

    submitted = {lesson for _, lesson in done if lesson in lessons}
    students = sorted({student for student, _ in done})
    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for student in students:
            row, total = {"student": student}, 0.0
            for lesson in sorted(submitted):
                lesson_total = 0.0
                for grade_id, _ in lessons[lesson]:
                    score = 0.0
                    if (student, lesson) in done and (student, lesson) not in failed:
                        try:
                            score = gradebook.find_grade(grade_id, lesson, lesson, student).score or 0.0
                        except MissingEntry:
                            problems.append(f"{student} {lesson}: no grade for {grade_id}")
                    row[f"{lesson}/{grade_id}"] = score
                    lesson_total += score
                row[f"{lesson}/total"] = lesson_total   # 0 for a lesson not submitted, with no problem line
                total += lesson_total
            row["total"] = total
            rows.append(row)
    return rows


def write_csv(path, rows):
    columns = list(rows[0]) if rows else ["student", "total"]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: f"{value:g}" if isinstance(value, float) else value for key, value in row.items()})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, help="the course folder, e.g. _build/nbgrader")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("nbgrader") is None:
        sys.exit("nbgrader is not installed: it comes with the instructor extra "
                 "(pip install -e '.[instructor]'), which needs Python 3.11 or newer")
    if not (args.course / "nbgrader_config.py").exists():
        sys.exit(f"{args.course} is not a course folder: run `make nbgrader` first")
    started = time.monotonic()
    grade(args.course)
    print(f"grades.py took {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
