"""Fail when a notebook pair has drifted: the .ipynb's cells differ from its .md.

The .md (MyST, jupytext) is the source; the .ipynb is generated from it by
`make sync` and executed. `jupytext --diff` always exits 0, so this compares
the cells itself: their kind, their source and their tags, in order. It also
checks that every code cell of the .ipynb has been executed.

Usage: python tools/check_pairs.py notebooks/01_derivatives.md ...
"""

import sys
from pathlib import Path

import jupytext
import nbformat


def cells_of(notebook):
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ()))) for c in notebook.cells]


def problems_with(md_path):
    md_path = Path(md_path)
    ipynb_path = md_path.with_suffix(".ipynb")
    if not ipynb_path.exists():
        return [f"{md_path}: no paired {ipynb_path.name}; run `make sync`"]
    source = jupytext.read(md_path)
    built = nbformat.read(ipynb_path, as_version=4)
    want, have = cells_of(source), cells_of(built)
    problems = []
    if len(want) != len(have):
        problems.append(f"{ipynb_path}: {len(have)} cells, but {md_path.name} has {len(want)}")
    for i, (w, h) in enumerate(zip(want, have)):
        if w != h:
            first_line = (w[1].splitlines() or [""])[0][:60]
            problems.append(f"{ipynb_path}: cell {i} differs from {md_path.name} (starts {first_line!r})")
            break
    unrun = [i for i, c in enumerate(built.cells) if c.cell_type == "code" and c.execution_count is None]
    if unrun:
        problems.append(f"{ipynb_path}: code cells {unrun[:5]} were never executed")
    return problems


def main(paths):
    if not paths:
        print("check_pairs: no notebooks given")
        return 1
    problems = [p for path in paths for p in problems_with(path)]
    for p in problems:
        print("drift:", p)
    if problems:
        print(f"{len(problems)} notebook pair(s) out of date: edit the .md, then run `make sync`.")
        return 1
    print(f"{len(paths)} notebook pairs in sync.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
