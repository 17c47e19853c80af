"""Running a solution never replaces the learner's own work.

Every lesson is run as a learner who has not finished any exercise would run
it: every cell but the solutions, top to bottom. Then every solution cell
runs, as Run All or a curious Shift+Enter would run it. Each name the
learner's cells defined must still be the same object afterwards, and each
class must still have exactly the same attributes.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9]*.md"))

pytestmark = pytest.mark.lessons

SNAPSHOT = """
__learner_names = {
    name: (value, dict(vars(value)) if isinstance(value, type) else None)
    for name, value in list(globals().items())
    if not name.startswith("_") and name not in ("In", "Out", "exit", "quit", "get_ipython")
}
"""

COMPARE = """
def __what_changed(learner_names, now):
    changed = []
    for name, (value, attributes) in learner_names.items():
        if now.get(name, None) is not value:
            changed.append(f"{name} was replaced")
        elif attributes is not None and (vars(value).keys() != attributes.keys() or any(
                vars(value)[key] is not attributes[key] for key in attributes
                if key not in ("__dict__", "__weakref__"))):
            changed.append(f"the class {name} was changed")
    return changed

__changed = __what_changed(__learner_names, globals())
assert not __changed, "a solution cell changed the learner's work: " + "; ".join(__changed)
print("learner's names intact:", len(__learner_names))
"""


def is_solution(cell):
    return "solution" in cell.get("metadata", {}).get("tags", [])


def run_with_solutions_last(md):
    notebook = jupytext.read(md, fmt="md:myst")
    learner = [c for c in notebook.cells if c.cell_type == "code" and not is_solution(c)]
    solutions = [c for c in notebook.cells if c.cell_type == "code" and is_solution(c)]
    notebook.cells = (learner + [nbformat.v4.new_code_cell(SNAPSHOT)] + solutions
                      + [nbformat.v4.new_code_cell(COMPARE)])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(md.parent)}}).execute()
    return notebook, len(solutions)


@pytest.mark.parametrize("md", LESSONS, ids=lambda p: p.stem)
def test_solutions_leave_the_learners_names_alone(md):
    notebook, solutions = run_with_solutions_last(md)
    assert solutions > 0, f"{md.name} has no solution cell"
    assert "learner's names intact" in notebook.cells[-1].outputs[0]["text"]


def test_the_comparison_catches_a_solution_without_the_magic(tmp_path):
    """A solution cell that just redefines the learner's function is caught."""
    md = tmp_path / "99_plain.md"
    md.write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n"
        "  display_name: Python 3\n  language: python\n---\n\n"
        "```{code-cell} ipython3\ndef trace(root):\n    ...\n```\n\n"
        "```{code-cell} ipython3\n---\ntags: [solution]\n---\ndef trace(root):\n    return set(), set()\n```\n")
    with pytest.raises(Exception, match="trace was replaced"):
        run_with_solutions_last(md)
