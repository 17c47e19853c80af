"""The program that lays graphs out, and running it: `render(source, "svg")`.

The layout program comes from PyPI with the package: graphviz-pure, a port of
Graphviz's `dot` that installs as the command `graphviz-pure` and draws the
same bytes on every platform. So a learner needs no system Graphviz, and the
stored pictures in the lessons are the same on every machine.

Set MICROGRAD_LITE_DOT=system to use the system's own `dot` instead (any other
value is taken as the path of a dot-compatible program).
"""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

RENDERER_SETTING = "MICROGRAD_LITE_DOT"


class RendererMissing(RuntimeError):
    """No layout program could be run; the message says how to get one."""


def renderer_command():
    """The program that lays graphs out, as a path, or raise RendererMissing."""
    choice = os.environ.get(RENDERER_SETTING, "").strip()
    if choice in ("", "pure", "graphviz-pure"):
        found = _bundled_graphviz_pure()
        if found:
            return found
        raise RendererMissing(
            "Can't draw the picture: the graphviz-pure program that micrograd_lite draws with "
            "is not installed.\nFix: pip install graphviz-pure   (or set MICROGRAD_LITE_DOT=system "
            "to use an installed Graphviz), then restart the kernel."
        )
    if choice == "system":
        choice = "dot"
    found = shutil.which(choice)
    if found:
        return found
    raise RendererMissing(
        f"Can't draw the picture: MICROGRAD_LITE_DOT={os.environ[RENDERER_SETTING]!r} asks for "
        f"`{choice}`, which is not on PATH.\nFix: install Graphviz, or unset MICROGRAD_LITE_DOT "
        "to draw with graphviz-pure, then restart the kernel."
    )


def _bundled_graphviz_pure():
    """graphviz-pure where pip put it for this Python, else on PATH.

    pip puts it in the environment's bin/ (Scripts\\ on Windows), or in the user's
    own scripts folder after `pip install --user`. Looking there first means a
    kernel started without that folder on PATH (as JupyterLab may do) still finds it.
    """
    name = "graphviz-pure.exe" if sys.platform.startswith("win") else "graphviz-pure"
    folders = (sysconfig.get_path("scripts"), str(Path(sys.executable).parent),
               sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user")))
    for folder in folders:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return shutil.which("graphviz-pure")


def run_layout(source, fmt, engine=None, options=()):
    """The layout program's output (bytes) for DOT text `source` in format `fmt`.

    `fmt` is what follows -T ("svg", "png", "jpeg", "plain", ...; "png:cairo"
    too); `engine` one of the program's layouts (-K; "dot" by default);
    `options` more command-line flags.
    """
    command = [renderer_command(), f"-T{fmt}"]
    if engine and engine != "dot":
        command.append(f"-K{engine}")
    command += options
    done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, timeout=120)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        if "not recognized" in message:
            message += ("\nFix: draw svg or png, or install Graphviz and set MICROGRAD_LITE_DOT=system "
                        "for the formats only it writes (pdf among them).")
        raise RuntimeError(f"{Path(command[0]).name} failed: {message}")
    return done.stdout


FORMATS = ("svg", "png")


def render(source, fmt="svg"):
    """Lay out DOT `source` (text, or anything with a `.source`) as "svg" (str) or "png" (bytes)."""
    if fmt not in FORMATS:
        raise ValueError(f'render() draws fmt="svg" or fmt="png", not {fmt!r}')
    drawn = run_layout(getattr(source, "source", source), fmt)
    return drawn.decode("utf-8") if fmt == "svg" else drawn
