"""The student edition (`make student`): every lesson without its solutions, the package, a README.

The edition is built once per session into a temporary folder, by the same
command `make student` runs. The lessons are then run from a tree unpacked
from its zip, as a student would unpack it, one kernel per lesson (marked
`lessons`), and what they show is read: no error anywhere, and every check
of an exercise left as it is handed out says "not done yet".
"""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from functools import cache
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools"
sys.path.insert(0, str(TOOLS))
from check_pairs import problems_with  # noqa: E402  (tools/ is not a package)

FOLDER = "micrograd_lite_student"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
STEMS = [p.stem for p in LESSONS]
# The package is the finished engine the lessons import and compare the learner's
# work against (lessons 06 on even start from `my_value_after`, the engine as the
# solutions write it). It cannot leave out what the answers compute, so it is not
# scanned for solution lines; the README tells the student it holds finished code.
# Everything else a student is handed must be free of them.
NOT_SCANNED = "micrograd_lite/"
# The first line of a solution cell only says that it is one.
SOLUTION_HEADER = re.compile(r"^\s*(%%solution\b|#\s*solution\b)", re.I)
CHECK_CALL = re.compile(r"\bcheck_\w+\s*\(")
# A shown check whose stub is not filled in should say this, and nothing louder.
NOT_DONE = "not done yet"
# Known exceptions to that rule, each a bug to fix in the check; strict, so a
# fixed check turns its entry red until it is taken out of this list.
KNOWN_LOUD = {}


def is_solution(cell):
    return "solution" in cell.get("metadata", {}).get("tags", [])


def build_edition(out, **env):
    run = subprocess.run([sys.executable, str(TOOLS / "student_edition.py"), str(out)], cwd=ROOT,
                         env={**os.environ, **env}, capture_output=True, text=True)
    assert run.returncode == 0, f"make student fails:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return out / FOLDER, out / f"{FOLDER}.zip"


def last_commit_time():
    """The last commit's time, or None outside a git checkout (a tree unpacked from the course zip)."""
    try:
        return int(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True,
                                  text=True, check=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None


@pytest.fixture(scope="session")
def edition(tmp_path_factory):
    """(the folder, the zip, the commit time the zip should be dated with), built as `make student` builds it."""
    committed = last_commit_time()
    # An empty SOURCE_DATE_EPOCH counts as unset: the zip is dated by the last commit.
    folder, archive = build_edition(tmp_path_factory.mktemp("student"), SOURCE_DATE_EPOCH="")
    return folder, archive, committed


# ------------------------------------------------------------------ what is in it

def test_the_zip_is_the_folder_and_holds_what_a_student_needs(edition):
    folder, archive, _ = edition
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert {n.split("/", 1)[0] for n in names} == {FOLDER}, "everything should sit in one folder"
        inside = {n.split("/", 1)[1]: z.read(n) for n in names}
    on_disk = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert inside == on_disk, "the zip should hold exactly the folder's files"
    assert names == sorted(names), "sorted names, so the same files give the same zip"

    needed = ["README.md", "Makefile", "pyproject.toml", "LICENSE", "environment.yml"]
    needed += [f"notebooks/{stem}{suffix}" for stem in STEMS for suffix in (".ipynb", ".md")]
    # Every source file of the package, found here independently of the tool's own list.
    needed += [p.relative_to(ROOT).as_posix() for p in (ROOT / "micrograd_lite").rglob("*.py")
               if "__pycache__" not in p.parts]
    missing = [n for n in needed if n not in inside]
    assert not missing, f"the edition lacks {missing}"
    extra = [n for n in inside if n not in needed and not n.startswith("micrograd_lite/")]
    assert not extra, f"the edition holds files a student does not need: {extra}"
    assert not [n for n in inside if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]
    assert (ROOT / "tools" / "student_README.md").read_bytes() == inside["README.md"]


def zip_dates(archive):
    with zipfile.ZipFile(archive) as z:
        return {info.date_time for info in z.infolist()}


def test_the_zip_is_dated_by_the_last_commit(edition):
    _, archive, committed = edition
    if committed is None:
        pytest.skip("not a git checkout: the zip is dated by its newest lesson instead")
    # zip stores local time in 2-second steps; the tool writes UTC.
    expected = time.gmtime(committed - committed % 2)[:6]
    assert zip_dates(archive) == {expected}, f"every entry should be dated {expected}, the last commit's time"
    assert expected[0] > 1980


def test_the_same_sources_give_the_same_zip_dated_by_SOURCE_DATE_EPOCH(tmp_path):
    first = build_edition(tmp_path / "a", SOURCE_DATE_EPOCH="1700000000")[1]
    second = build_edition(tmp_path / "b", SOURCE_DATE_EPOCH="1700000000")[1]
    assert first.read_bytes() == second.read_bytes(), "two builds of the same sources differ"
    assert zip_dates(first) == {time.gmtime(1700000000)[:6]}


def comparable(cell):
    """A cell as the student edition must keep it: everything but the execution counts."""
    cell = json.loads(json.dumps(cell))
    cell.pop("execution_count", None)
    for output in cell.get("outputs", []):
        output.pop("execution_count", None)
    return cell


@pytest.mark.parametrize("stem", STEMS)
def test_every_cell_but_the_solutions_is_kept_as_it_is(edition, stem):
    folder, _, _ = edition
    original = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    student = nbformat.read(folder / "notebooks" / f"{stem}.ipynb", as_version=4)
    assert any(is_solution(c) for c in original.cells), f"{stem} has no solution cell to leave out"
    assert not any(is_solution(c) for c in student.cells), "a solution cell is still in the student's notebook"
    kept = [comparable(c) for c in original.cells if not is_solution(c)]
    assert [comparable(c) for c in student.cells] == kept, \
        "the exercises, checks, Predict prompts and widgets should be kept exactly, outputs included"
    assert student.metadata == original.metadata, "the notebook's metadata (widget state, kernel) should be kept"
    counts = [c.execution_count for c in student.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "the kept cells should count 1, 2, 3, ..."


@pytest.mark.parametrize("stem", STEMS)
def test_each_md_is_its_student_notebook_in_myst(edition, stem):
    folder, _, _ = edition
    md = folder / "notebooks" / f"{stem}.md"
    assert problems_with(md) == [], "the .md and the .ipynb of the student's lesson disagree"
    assert "format_name: myst" in md.read_text(encoding="utf-8").split("---")[1]
    assert not any(is_solution(c) for c in jupytext.read(md).cells)


# ------------------------------------------------------- no line of any solution

def code_of(line):
    """The line without its trailing comment; a line that is only a comment stays whole.
    Only the code says the answer, and a comment after it must not hide it from the scan."""
    quote = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return line[:i] if line[:i].strip() else line
        i += 1
    return line


def normalise(text):
    return " ".join(text.split())


def appears(line, text):
    """`line` in `text` as whole tokens: 'p.grad = 0.0' is not found in 'xp.grad = 0.05'."""
    return line in text and re.search(r"(?<!\w)" + re.escape(line) + r"(?!\w)", text) is not None


def lesson_cells(stem):
    """The cells of the lesson as stored (.ipynb) and as written (.md): the two may disagree while a
    lesson is being edited, and a solution line from either must not reach the student."""
    return [*nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4).cells,
            *jupytext.read(ROOT / "notebooks" / f"{stem}.md").cells]


@cache
def given_text():
    """Everything the lessons give the student outside their solutions, whitespace-normalised."""
    return "\n".join(normalise(line) for stem in STEMS for cell in lesson_cells(stem) if not is_solution(cell)
                     for line in cell.source.splitlines())


@cache
def solution_lines():
    """{(lesson, solution number): the lines of that solution the scan looks for}.

    The rule: every line of a solution cell, whitespace-normalised and without
    its trailing comment, except blank lines, the header that says it is a
    solution, and lines some lesson gives outside its solutions anyway. The
    last are the exercise's own scaffolding (`def _backward():`, `return out`)
    and the answers a later lesson hands out once the exercise is behind the
    student (lesson 06 starts from lesson 05's `+=` lines); finding them in the
    edition says nothing about a solution left in. There is no length limit:
    short lines are often the whole answer (`p.grad = 0.0`, `return self * -1`),
    and matching whole tokens keeps them from matching inside unrelated code.
    Each solution keeps at least its own check line, `check_...(...).assert_passed()`,
    so none goes unscanned (the test asserts it).
    """
    found = {}
    for stem in STEMS:
        solutions = list(dict.fromkeys(c.source for c in lesson_cells(stem) if is_solution(c)))
        for number, source in enumerate(solutions, 1):
            lines = source.splitlines()
            if lines and SOLUTION_HEADER.match(lines[0]):
                lines = lines[1:]
            wanted = {normalise(code_of(line)) for line in lines} - {""}
            found[(stem, number)] = sorted(line for line in wanted if not appears(line, given_text()))
    return found


def strings_in(thing):
    if isinstance(thing, str):
        yield thing
    elif isinstance(thing, dict):
        for value in thing.values():
            yield from strings_in(value)
    elif isinstance(thing, list):
        for value in thing:
            yield from strings_in(value)


def scanned_text(path):
    """A file's text, whitespace-normalised line by line; a notebook's every string (sources,
    outputs, metadata), so a solution is found whether JSON escapes it or not."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        text = "\n".join(strings_in(json.loads(text)))
    return "\n".join(normalise(line) for line in text.splitlines())


def leaks(folder):
    """[(file, lesson, line)] for every solution line found in a file of the edition outside the package."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name.startswith(NOT_SCANNED):
            continue
        text = scanned_text(path)
        found += [(name, stem, line) for (stem, _), lines in solution_lines().items()
                  for line in lines if appears(line, text)]
    return found


def test_no_line_of_any_solution_is_in_the_edition(edition):
    folder, _, _ = edition
    unscanned = [key for key, lines in solution_lines().items() if not lines]
    assert not unscanned, f"these solutions have no line the scan could find: {unscanned}"
    assert len(solution_lines()) >= len(STEMS)
    found = leaks(folder)
    assert not found, f"{len(found)} solution line(s) in the student edition, e.g.\n" + \
        "\n".join(f"{name}: {line!r} (from {stem})" for name, stem, line in found[:10])


@pytest.mark.parametrize("how", ["notebook left whole", "one line in the README"])
def test_the_scan_finds_a_solution_left_in(edition, tmp_path, how):
    folder, _, _ = edition
    copy = tmp_path / FOLDER
    shutil.copytree(folder, copy)
    stem = "05_automating_backward"
    if how == "notebook left whole":       # folded, as in the full course, but not removed
        shutil.copyfile(ROOT / "notebooks" / f"{stem}.ipynb", copy / "notebooks" / f"{stem}.ipynb")
    else:
        line = solution_lines()[(stem, 1)][0]
        with open(copy / "README.md", "a", encoding="utf-8") as readme:
            readme.write(f"\n    {line}\n")
    found = leaks(copy)
    assert {name for name, _, _ in found} == {"README.md" if "README" in how else f"notebooks/{stem}.ipynb"}
    assert stem in {s for _, s, _ in found}, found


# ------------------------------------------------------------ the README and Makefile

def test_the_readme_is_written_for_a_student(edition):
    folder, _, _ = edition
    readme = (folder / "README.md").read_text(encoding="utf-8")
    tooling = re.findall(r"\btest(?:s|ed|ing)?\b|pytest|nbval|\bCI\b|nbgrader|otter|make (?:test|sync|book|student)"
                         r"|\btools/|instructor tooling", readme, re.I)
    assert not tooling, f"the student's README speaks of tests or instructor tooling: {sorted(set(tooling))}"
    for stem in STEMS:
        assert stem in readme, f"the README does not say what {stem} asks of the student"
    for words in ("make lab", "make notebook", "not done yet", "not included"):
        assert words in readme, f"the README does not mention {words!r}"


def test_the_makefile_sets_up_and_opens_the_course(edition):
    folder, _, _ = edition
    makefile = (folder / "Makefile").read_text(encoding="utf-8")
    for path in set(re.findall(r"notebooks/[\w.-]+\.ipynb", makefile)) | {"pyproject.toml"}:
        assert (folder / path).is_file(), f"the Makefile names {path}, which the edition lacks"
    assert "tools/" not in makefile and "tests" not in makefile
    # -n prints what `make lab` and `make notebook` would run, from an edition with no .venv yet.
    run = subprocess.run(["make", "-n", "lab", "notebook"], cwd=folder, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for command in ("-m venv", "pip install --quiet -e '.[course]'", "ipykernel install",
                    "jupyter lab", "jupyter notebook"):
        assert command in run.stdout, f"`make lab` / `make notebook` would not run {command!r}:\n{run.stdout}"


# ----------------------------------------------------- running the student's lessons

# The last cell of each run says which micrograd_lite the kernel imported.
WHICH_PACKAGE = "import micrograd_lite; print('package:', micrograd_lite.__file__)"


@pytest.fixture(scope="session")
def unpacked(edition, tmp_path_factory):
    """The edition as a student unpacks it from the zip."""
    _, archive, _ = edition
    where = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(archive) as z:
        z.extractall(where)
    return where / FOLDER


@pytest.fixture(scope="session")
def run_lesson(unpacked):
    """stem -> (the executed student notebook, the error that stopped it or None), each lesson run once."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    # The edition's own package first on the path, ahead of the installed one; no
    # bytecode written into it; plots inline; no page records (only `make sync` saves them).
    env = {k: v for k, v in os.environ.items() if k != "MICROGRAD_LITE_PAGE_RECORD"}
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(unpacked), env.get("PYTHONPATH")])),
               PYTHONDONTWRITEBYTECODE="1", PYDEVD_DISABLE_FILE_VALIDATION="1",
               MPLBACKEND="module://matplotlib_inline.backend_inline")

    @cache
    def run(stem):
        notebook = nbformat.read(unpacked / "notebooks" / f"{stem}.ipynb", as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(WHICH_PACKAGE))
        client = NotebookClient(notebook, timeout=120, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(unpacked / "notebooks")}})
        try:
            client.execute(env=env)
        except CellExecutionError as error:
            return notebook, error
        return notebook, None

    return run


def output_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
        else:
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def errors_in(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"
            or (o.output_type == "stream" and o.name == "stderr" and "Traceback" in o.text)]


def loud_lines(cell):
    return [line for line in output_text(cell).splitlines() if line.lstrip().startswith("✗")]


@pytest.mark.lessons
@pytest.mark.parametrize("stem", STEMS)
def test_each_student_lesson_runs_top_to_bottom_with_its_stubs_unfilled(run_lesson, unpacked, stem):
    notebook, error = run_lesson(stem)
    assert error is None, f"{stem} stops with an error:\n{str(error)[-3000:]}"
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert not errors_in(cell), f"cell {i} shows an error:\n{output_text(cell)[-2000:]}"
            # A cell that only uses a check (say, to pick the learner's class or the
            # package's) must not fail loudly either; a shown check has its own test below.
            if CHECK_CALL.search(cell.source) and not shown_check(cell.source):
                assert not loud_lines(cell), f"cell {i} fails loudly: {loud_lines(cell)}"
    package = Path(output_text(notebook.cells[-1]).split("package:", 1)[1].strip())
    assert package.is_relative_to(unpacked), f"the lesson ran with {package}, not the edition's own package"


def shown_check(source):
    """The check whose result the cell shows (its last line is `check_...(...)`), or None."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        body = ast.parse(TransformerManager().transform_cell(source)).body
    except SyntaxError:
        return None
    last = body[-1] if body else None
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and isinstance(last.value.func, ast.Name):
        name = last.value.func.id
        return name if name.startswith("check_") else None
    return None


def shown_checks():
    """(lesson, check) for every exercise cell that shows a check's result, as the lessons store them."""
    found = []
    for ipynb in LESSONS:
        for cell in nbformat.read(ipynb, as_version=4).cells:
            name = cell.cell_type == "code" and not is_solution(cell) and shown_check(cell.source)
            if name and (ipynb.stem, name) not in found:
                found.append((ipynb.stem, name))
    return [pytest.param(*key, marks=pytest.mark.xfail(strict=True, reason=KNOWN_LOUD[key]))
            if key in KNOWN_LOUD else key for key in found]


@pytest.mark.lessons
@pytest.mark.parametrize(("stem", "check"), shown_checks())
def test_each_check_on_an_unfilled_stub_says_not_done_yet(run_lesson, stem, check):
    notebook, _ = run_lesson(stem)
    cells = [c for c in notebook.cells if c.cell_type == "code" and shown_check(c.source) == check]
    assert cells, f"no cell of the student's {stem} shows {check}"
    for cell in cells:
        text = output_text(cell)
        assert not errors_in(cell), f"{check} raised:\n{text[-2000:]}"
        assert NOT_DONE in text, f"{check} on the unfilled stub says:\n{text}"
        assert not loud_lines(cell), f"{check} on the unfilled stub fails loudly: {loud_lines(cell)}"


def test_there_are_checks_to_run():
    assert len(shown_checks()) >= len(STEMS), "the lessons should show at least one check each"
