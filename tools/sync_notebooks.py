"""Regenerate each notebooks/NN_name.ipynb from its .md source and execute it.

    python tools/sync_notebooks.py notebooks/01_derivatives.md ...

The .md (MyST, jupytext) is the source. The .ipynb is written fresh from it,
executed in the notebooks folder with the `python3` kernel, and saved with its
outputs and widget state. Cell ids are numbered and no execution timestamps
are kept, so re-syncing an unchanged lesson changes as little as possible in
the .ipynb (widget model ids still change: ipywidgets makes them at random).
"""

import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient


def sync(md_path):
    md_path = Path(md_path)
    notebook = jupytext.read(md_path)
    notebook.metadata.setdefault("jupytext", {})["formats"] = "ipynb,md:myst"
    notebook.metadata["jupytext"].pop("text_representation", None)
    for i, cell in enumerate(notebook.cells):
        cell.id = f"cell-{i:03d}"
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(md_path.parent)}},
    )
    client.execute()
    nbformat.write(notebook, md_path.with_suffix(".ipynb"))


def main(paths):
    # Each live widget also saves what the course pages need to replay it
    # (micrograd_lite/live/page_record.py); only stored outputs carry it.
    os.environ["MICROGRAD_LITE_PAGE_RECORD"] = "1"
    for path in paths:
        start = time.perf_counter()
        sync(path)
        print(f"synced {path} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
