"""Sphinx configuration for the course pages (`make book`).

The pages show the outputs stored in `notebooks/NN_name.ipynb`: the same
outputs nbval checks on every `make test`, so nothing runs twice and a page
never shows a result the tests have not seen. `book/notebooks` is a link to
the repository's `notebooks/` folder, and only the executed `.ipynb` of each
lesson pair reaches Sphinx (the `.md` twin would make it warn "multiple files
found").

Lessons are found by the pattern `notebooks/[0-9]*.ipynb`: the landing page,
the table of contents and the next/previous links all grow with them, so a
new lesson needs no edit here (see `_ext/course_lessons.py`).
"""

import os
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parent
REPO = BOOK.parent
# Fetched by tools/book_build.sh (the scripts the pages load; git-ignored).
ASSETS = Path(os.environ.get("BOOK_ASSETS", REPO / "_build" / "book_assets")).resolve()

sys.path.insert(0, str(BOOK / "_ext"))

project = "micrograd_lite"
author = "the micrograd_lite authors"
copyright = "the micrograd_lite authors, MIT licence"

extensions = ["myst_nb", "sphinx_copybutton", "course_lessons", "course_pages"]

# One setting for where the course lives online: with COURSE_REPOSITORY_URL
# set (https://github.com/owner/repo), the pages get repository, Binder and
# Colab buttons and the landing page names the address; unset, none of them.
REPOSITORY_URL = os.environ.get("COURSE_REPOSITORY_URL", "").strip().rstrip("/")
REPOSITORY_BRANCH = os.environ.get("COURSE_REPOSITORY_BRANCH", "main")
# Where the pages are published, for absolute preview links (optional).
html_baseurl = os.environ.get("COURSE_PAGES_URL", "")

# Only the landing page and the executed lessons; never the .md sources, the
# checkpoints or any scratch notebook lying in notebooks/.
root_doc = "index"
include_patterns = ["index.md", "notebooks/[0-9]*.ipynb"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]

# Render the stored, nbval-checked outputs; never execute at build time.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "substitution"]
myst_heading_anchors = 3

# Widgets: the saved widget state is drawn by @jupyter-widgets/html-manager,
# served from this site (tools/book_build.sh fetches it) instead of a CDN.
# embed.js bundles the standard widgets, so no require.js is needed.
nb_ipywidgets_js = {"widgets/dist/embed.js": {}}

# Maths: MathJax 3 from this site too (Sphinx's default is a CDN).
mathjax_path = "mathjax/es5/tex-chtml.js"
mathjax_config_path = "_static/mathjax_config.js"

html_theme = "sphinx_book_theme"
html_title = "micrograd_lite"
# The landing page's title, and what previews of the pages say.
course_title = "A hands-on course in backpropagation"   # + " — micrograd_lite", the theme's suffix
course_description = ("Build a tiny automatic differentiation engine in plain Python, one Jupyter "
                      "lesson at a time, until it trains a small neural network: live computation "
                      "graphs, step-by-step backpropagation and self-checked exercises.")
course_preview = "course-preview.png"
course_preview_alt = "A computation graph: boxes with each value's data and grad, joined by the operations."
course_repository_root = str(REPO)
templates_path = ["_templates"]
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
if ASSETS.is_dir():
    html_static_path += [str(ASSETS)]
html_css_files = ["course.css"]
html_js_files = [("live_pages.js", {"defer": "defer"}), ("course_pages.js", {"defer": "defer"})]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
# An explicit default: the theme logs a console error when none is set.
html_context = {"default_mode": "light"}
html_theme_options = {
    # The book theme has no top bar; without this the PyData theme it builds
    # on adds one holding a second search box.
    "navbar_persistent": [],
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    # Each lesson page links its own .ipynb and .md (see _ext/course_pages.py).
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    "search_bar_text": "Search the course...",
}
if REPOSITORY_URL:
    tags.add("repository")  # noqa: F821
    html_theme_options.update({
        "repository_url": REPOSITORY_URL,
        "repository_branch": REPOSITORY_BRANCH,
        "path_to_docs": "",         # the lessons are notebooks/ at the top
        "use_repository_button": True,
        "launch_buttons": {"binderhub_url": "https://mybinder.org", "colab_url": "https://colab.research.google.com",
                           "notebook_interface": "jupyterlab"},
    })
html_context["course_repository_url"] = REPOSITORY_URL
myst_substitutions = {"repository_url": REPOSITORY_URL}

# Copy buttons on code, not on outputs.
copybutton_selector = "div:not(.output) > div.highlight > pre"
copybutton_exclude = ".linenos, .gp"


def _check_assets(app, config):
    local = [p for p in (*config.nb_ipywidgets_js, config.mathjax_path) if "://" not in p]
    missing = [p for p in local if not (ASSETS / p).is_file()]
    if missing:
        from sphinx.errors import ConfigError
        raise ConfigError(
            f"missing {', '.join(missing)} under {ASSETS}: build the pages with "
            "`make book` (or tools/book_build.sh), which fetches them from npm once."
        )


def setup(app):
    app.connect("config-inited", _check_assets)
