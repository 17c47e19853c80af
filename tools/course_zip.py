"""Pack the course into one .zip that runs as it is: `make lab` in the unpacked folder.

    python tools/course_zip.py OUT.zip

Run from the repository's top folder (`make book` does, for the landing
page's download). The zip holds every file git tracks, read from the work
tree, except the pages' own sources (book/) and the CI wrapper; outside a git
checkout (a tree unpacked from this very zip, say), every file except
environments, caches and build output. Everything sits in one folder,
micrograd_lite_course/, with fixed timestamps and sorted names, so the same
tree always gives the same zip.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

FOLDER = "micrograd_lite_course"
# What a learner does not need to take the course.
LEFT_OUT = (".ci/", ".github/")
# Never packed, whatever lists them: environments, caches, build output.
NEVER = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints",
         "test-artifacts", ".hypothesis", "micrograd_lite.egg-info"}
REQUIRED = ("Makefile", "README.md", "pyproject.toml", "environment.yml", "micrograd_lite/engine.py")
STAMP = (1980, 1, 1, 0, 0, 0)


def course_files(root):
    root = Path(root)
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root, capture_output=True, check=True).stdout  # noqa: E501
        names = [n for n in listed.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [p.relative_to(root).as_posix() for p in root.rglob("*")]
    keep = []
    for name in sorted(set(names)):
        path = root / name
        parts = set(Path(name).parts)
        if parts & NEVER or name.startswith(LEFT_OUT):
            continue
        if path.is_symlink() and not _inside(root, path):
            continue
        if not (path.is_file() or path.is_symlink()):
            continue
        keep.append(name)
    return keep


def _inside(root, link):
    """A symlink whose target lies in the tree (book/notebooks -> ../notebooks)."""
    try:
        link.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def write_zip(root, out):
    root = Path(root)
    names = course_files(root)
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise SystemExit(f"course_zip: {', '.join(missing)} missing under {root}: run it from the repository's top folder")  # noqa: E501
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in names:
            path = root / name
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            if path.is_symlink():
                # Stored as a link, as unzip and tar restore it (Python's zipfile
                # writes a file holding the target instead).
                info.external_attr = 0o120777 << 16
                archive.writestr(info, os.readlink(path))
                continue
            executable = path.stat().st_mode & 0o111
            info.external_attr = (0o755 if executable else 0o644) << 16
            archive.writestr(info, path.read_bytes())
    return names


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    names = write_zip(Path.cwd(), sys.argv[1])
    print(f"course_zip: {len(names)} files -> {sys.argv[1]}")
