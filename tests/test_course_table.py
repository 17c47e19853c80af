"""Lesson 10's "you wrote" table is true, row by row.

The table in notebooks/10_classification.md tells the learner where they wrote
each piece the lesson relies on: code names in backticks in its "you wrote"
column, and a lesson number in its "in lesson" column. A row is true when that
lesson's .md has an exercise cell (a code cell not tagged `solution`) with a
`def <name>` or `class <name>` whose body still holds a `...` to fill in: the
place where the learner writes it. Every name of the row must be found there.
"""

import ast
import re
from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
TABLE_LESSON = NOTEBOOKS / "10_classification.md"
NAMES_COLUMN, LESSON_COLUMN = "you wrote", "in lesson"


def table_rows(text):
    """[(names, lesson)] for each row of the table whose header has the two columns.

    `names` is every identifier in backticks in the "you wrote" cell, `lesson`
    the "in lesson" cell as written ("05"). Raises if there is no such table.
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        header = _cells(line)
        if line.lstrip().startswith("|") and NAMES_COLUMN in header and LESSON_COLUMN in header:
            names_at, lesson_at = header.index(NAMES_COLUMN), header.index(LESSON_COLUMN)
            rows = []
            for row in lines[i + 2:]:               # skip the |---| line
                if not row.lstrip().startswith("|"):
                    break
                cells = _cells(row)
                rows.append((re.findall(r"`([A-Za-z_]\w*)`", cells[names_at]), cells[lesson_at]))
            return rows
    raise AssertionError(f"no table with a {NAMES_COLUMN!r} and an {LESSON_COLUMN!r} column")


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def stubbed_definitions(md_path):
    """The names of every def and class, in a non-solution code cell, whose body holds a `...`."""
    names = set()
    for cell in jupytext.read(md_path, fmt="md:myst").cells:
        if cell.cell_type != "code" or "solution" in cell.metadata.get("tags", []):
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))    # magics are not Python
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and any(
                    isinstance(inner, ast.Constant) and inner.value is Ellipsis
                    for statement in node.body for inner in ast.walk(statement)):
                names.add(node.name)
    return names


def row_problem(names, lesson, notebooks=NOTEBOOKS):
    """None if lesson `lesson` has an exercise stub for every name, else what is wrong."""
    if not names:
        return "the row names no code in backticks"
    if not re.fullmatch(r"\d\d", lesson):
        return f"{lesson!r} is not a lesson number such as 05"
    found = sorted(Path(notebooks).glob(f"{lesson}_*.md"))
    if len(found) != 1:
        return f"lesson {lesson} is {len(found)} files in {notebooks}, not one"
    missing = [name for name in names if name not in stubbed_definitions(found[0])]
    if missing:
        return (f"{found[0].name} has no exercise cell defining {missing} with a `...` to fill in "
                "(a solution cell does not count)")
    return None


ROWS = table_rows(TABLE_LESSON.read_text(encoding="utf-8"))


def test_the_table_covers_lessons_05_to_09():
    assert len(ROWS) >= 8
    assert {lesson for _, lesson in ROWS} == {"05", "06", "07", "08", "09"}


@pytest.mark.parametrize("names, lesson", ROWS, ids=[f"{lesson}-{'+'.join(names)}" for names, lesson in ROWS])
def test_each_row_names_the_lesson_where_the_learner_writes_it(names, lesson):
    problem = row_problem(names, lesson)
    assert problem is None, f"10_classification.md says {names} were written in lesson {lesson}, but {problem}"


# ---- the test can fail ---------------------------------------------------------

HEADER = (
    "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n"
    "  display_name: Python 3\n  language: python\n---\n\n")


def code_cell(source, tags=None):
    meta = f"---\ntags: [{', '.join(tags)}]\n---\n" if tags else ""
    return f"```{{code-cell}} ipython3\n{meta}{source}\n```\n\n"


@pytest.fixture
def lessons(tmp_path):
    """Three little lessons: build_topo is an exercise in 05, only a solution in 06, finished code in 07."""
    (tmp_path / "05_a.md").write_text(
        HEADER + code_cell("def build_topo(root):\n    ...   # yours\n\ncheck(build_topo)"))
    (tmp_path / "06_b.md").write_text(
        HEADER + code_cell("# Solution: expand to compare with yours\ndef build_topo(root):\n    ...",
                           tags=["hide-input", "solution"]))
    (tmp_path / "07_c.md").write_text(HEADER + code_cell("def build_topo(root):\n    return [root]"))
    return tmp_path


def test_a_row_naming_the_right_lesson_passes(lessons):
    assert row_problem(["build_topo"], "05", lessons) is None


@pytest.mark.parametrize("lesson, words", [
    ("06", "a solution cell does not count"),       # only in a solution
    ("07", "no exercise cell defining ['build_topo']"),   # defined, but nothing left to fill in
    ("08", "not one"),                              # no such lesson
    ("5", "not a lesson number"),
])
def test_a_row_naming_a_wrong_lesson_fails(lessons, lesson, words):
    problem = row_problem(["build_topo"], lesson, lessons)
    assert problem is not None and words in problem


def test_a_name_missing_from_the_lesson_fails(lessons):
    assert "['relu']" in row_problem(["build_topo", "relu"], "05", lessons)


def test_the_table_parser_reads_names_and_lessons():
    text = ("| uses | twin | you wrote | in lesson |\n|---|---|---|---|\n"
            "| `+` and `*` | `Value` | `_backward` in `__add__`, `__mul__` | 05 |\n"
            "| relu | `Value.relu` | `relu` | 07 |\n\nafter the table\n")
    assert table_rows(text) == [(["_backward", "__add__", "__mul__"], "05"), (["relu"], "07")]
    with pytest.raises(AssertionError):
        table_rows("| a | b |\n|---|---|\n| 1 | 2 |\n")


def test_the_real_table_with_a_row_moved_to_a_wrong_lesson_fails():
    moved = TABLE_LESSON.read_text(encoding="utf-8").replace("| `train_step` | 09 |", "| `train_step` | 08 |")
    rows = table_rows(moved)
    assert (["train_step"], "08") in rows
    assert row_problem(["train_step"], "08") is not None
