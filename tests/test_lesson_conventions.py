"""The shape every lesson keeps, so no lesson gives an answer away or runs too long.

- A solution cell is collapsed; the one line JupyterLab shows of it says it
  is the solution, and it prints nothing (it checks itself silently), so no
  answer appears under an exercise even after Run All. That first line also
  makes it run apart from the learner's names (exercises/solution_cells.py),
  so running it never replaces the learner's own work
  (tests/test_solutions_keep_learner_work.py runs every one to make sure).
- At least two **Predict** prompts, each followed by a cell whose output is
  collapsed until the learner runs it.
- No lesson source is over 400 lines.
- Call-outs are blockquotes: a MyST directive such as {admonition} shows as
  a raw code block in JupyterLab, where learners read the lessons.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9]*.md"))
SOLUTION_FIRST_LINE = "# Solution: expand to compare with yours"
MAX_LINES = 400


def cells(md):
    return nbformat.read(md.with_suffix(".ipynb"), as_version=4).cells


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("md", LESSONS, ids=lambda p: p.stem)
def test_solutions_are_collapsed_and_silent(md):
    solutions = [c for c in cells(md) if "solution" in tags(c)]
    for cell in solutions:
        first = cell.source.splitlines()[0] if cell.source else ""
        assert first == SOLUTION_FIRST_LINE, f"{md.name}: a solution starts with {first!r}"
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, \
            f"{md.name}: a solution is not collapsed in JupyterLab"
        assert "hide-input" in tags(cell), f"{md.name}: a solution is not folded on the course pages"
        assert cell.get("outputs") == [], \
            f"{md.name}: the solution starting {cell.source[:60]!r} shows output under the exercise"


@pytest.mark.parametrize("md", LESSONS, ids=lambda p: p.stem)
def test_at_least_two_predict_prompts_with_hidden_answers(md):
    nb = cells(md)
    prompts = 0
    for i, cell in enumerate(nb):
        if cell.cell_type != "markdown" or not re.search(r"^\*\*Predict", cell.source, re.M):
            continue
        prompts += 1
        answer = next((c for c in nb[i + 1:] if c.cell_type == "code"), None)
        assert answer is not None, f"{md.name}: a Predict prompt has no cell after it"
        assert answer.metadata.get("jupyter", {}).get("outputs_hidden") is True, \
            f"{md.name}: the answer to {cell.source[:60]!r} is not collapsed until it runs"
    assert prompts >= 2, f"{md.name} has {prompts} Predict prompt(s); every lesson asks for at least two"


@pytest.mark.parametrize("md", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_at_most_400_lines(md):
    lines = len(md.read_text().splitlines())
    assert lines <= MAX_LINES, f"{md.name} is {lines} lines; split it or move a part to an optional section"


@pytest.mark.parametrize("md", LESSONS, ids=lambda p: p.stem)
def test_no_directives_jupyterlab_cannot_show(md):
    text = md.read_text()
    found = sorted(set(re.findall(r"^```\{(?!code-cell)([\w-]+)\}", text, re.M)))
    assert not found, f"{md.name} uses {found}: JupyterLab shows these as code; use a > **blockquote**"


def test_the_checks_can_fail(tmp_path):
    """A lesson that breaks each rule is caught (the rules are not vacuous)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1\nprint(x)", metadata={"tags": ["solution"]},
                                          outputs=[nbformat.v4.new_output("stream", text="1\n")])]
    md = tmp_path / "99_bad.md"
    md.write_text("```{admonition} Note\nhi\n```\n" + "\n" * MAX_LINES)
    nbformat.write(nb, md.with_suffix(".ipynb"))
    for test in (test_solutions_are_collapsed_and_silent, test_at_least_two_predict_prompts_with_hidden_answers,
                 test_lesson_is_at_most_400_lines, test_no_directives_jupyterlab_cannot_show):
        with pytest.raises(AssertionError):
            test(md)
