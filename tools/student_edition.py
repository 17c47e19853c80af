"""Write the student edition: every lesson with its solutions removed, the package, and a README for a student.

    python tools/student_edition.py OUTDIR

writes OUTDIR/micrograd_lite_student/ and OUTDIR/micrograd_lite_student.zip
(`make student` writes them to _build/student). Run it from anywhere; it reads
the repository it sits in.

- Each lesson's .ipynb loses every cell tagged `solution`: removed, not folded,
  since a folded cell is one click from being read. Everything else stays as
  the lesson stores it, outputs included: the exercises and their checks, the
  Predict prompts with their collapsed answers, the live widgets. The
  execution counts are renumbered so the kept cells count 1, 2, 3, ...
- Its .md is written by jupytext from that stripped notebook (MyST), so the
  pair agrees cell for cell.
- The package (its source files, no caches), pyproject.toml, LICENSE and
  environment.yml are copied; the README and the Makefile come from
  tools/student_README.md and tools/student_Makefile.
- The zip holds one folder, micrograd_lite_student/, with sorted names and
  every entry dated SOURCE_DATE_EPOCH if it is set, else the last commit's
  time, so the same sources always give the same bytes.
"""

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
from course_zip import course_files  # noqa: E402  (tools/ is not a package)

FOLDER = "micrograd_lite_student"
LESSONS = "notebooks"
LESSON_GLOB = "[0-9]*.ipynb"
COPIED = ("pyproject.toml", "LICENSE", "environment.yml")
TEMPLATES = {"README.md": TOOLS / "student_README.md", "Makefile": TOOLS / "student_Makefile"}
PACKAGE = "micrograd_lite/"
NOT_SOURCE = (".pyc", ".pyo")
# MyST, as the lessons' own .md files are written: without jupytext's version
# lines, so the .md depends on the notebook alone, not on which jupytext wrote it.
MYST = {"extension": ".md", "format_name": "myst",
        "notebook_metadata_filter": "-jupytext.text_representation.jupytext_version,"
                                    "-jupytext.text_representation.format_version"}


def is_solution(cell):
    return "solution" in cell.get("metadata", {}).get("tags", [])


def strip_solutions(notebook):
    """The notebook without its solution cells, its kept code cells numbered 1, 2, 3, ..."""
    notebook.cells = [cell for cell in notebook.cells if not is_solution(cell)]
    count = 0
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.get("execution_count") is None:
            continue
        count += 1
        cell.execution_count = count
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = count
    return notebook


def write_lesson(ipynb, folder):
    notebook = strip_solutions(nbformat.read(ipynb, as_version=4))
    nbformat.write(notebook, folder / ipynb.name)
    (folder / ipynb.name).with_suffix(".md").write_text(jupytext.writes(notebook, fmt=MYST), encoding="utf-8")


def package_files(root):
    """The package's source files, as the full course zip would pack them: no caches, no build output."""
    return [name for name in course_files(root) if name.startswith(PACKAGE) and not name.endswith(NOT_SOURCE)]


def build_folder(folder, root=ROOT):
    if folder.exists():
        shutil.rmtree(folder)
    lessons = sorted((root / LESSONS).glob(LESSON_GLOB))
    if not lessons:
        raise SystemExit(f"student_edition: no lessons in {root / LESSONS}")
    (folder / LESSONS).mkdir(parents=True)
    for ipynb in lessons:
        write_lesson(ipynb, folder / LESSONS)
    for name in package_files(root):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, folder / name)
    for name in COPIED:
        shutil.copyfile(root / name, folder / name)
    for name, template in TEMPLATES.items():
        shutil.copyfile(template, folder / name)
    return lessons


def zip_date(root=ROOT):
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else the newest lesson's: a date
    that changes only with the sources (and never zip's 1980, which says nothing)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                                   text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            epoch = ""
    if not epoch:
        epoch = max(p.stat().st_mtime for p in (root / LESSONS).glob(LESSON_GLOB))
    # zip keeps local time with no zone and even seconds only; UTC makes it the same everywhere.
    return time.gmtime(int(float(epoch)))[:6]


def write_zip(folder, out, date):
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in names:
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (folder / name).read_bytes())
    return names


def build(outdir, root=ROOT):
    """Write OUTDIR/micrograd_lite_student/ and its zip; return (the folder, the zip)."""
    outdir = Path(outdir)
    folder, archive = outdir / FOLDER, outdir / f"{FOLDER}.zip"
    build_folder(folder, Path(root))
    write_zip(folder, archive, zip_date(Path(root)))
    return folder, archive


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    start = time.perf_counter()
    folder, archive = build(sys.argv[1])
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    print(f"student_edition: {files} files -> {folder}, {archive} ({archive.stat().st_size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - start:.1f} s")
