"""What makes the course pages a course site, beyond rendering the lessons.

* Downloads: each lesson page offers its notebook (.ipynb, with outputs) and
  its source (.md), copied next to the page; the landing page offers the whole
  course as one .zip (made by tools/course_zip.py). Each lesson page also links
  the whole course and the student edition, the lessons without their
  solutions (made by tools/book_build.sh with tools/student_edition.py).
* Titles and previews: the landing page's <title> is the course's name alone;
  every page gets a meta description (a lesson's is its blurb from the lesson
  list) and Open Graph tags with a preview image.
* Pictures: each plot and graph gets alt text that says what it shows (a
  graph: its expression and its output's value, from the output's text table
  and the structure of its SVG); graphs are marked `mgl-graph`, which
  course_pages.js shows at a readable size in a sideways-scrolling box.
"""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

from course_lessons import describe_lesson, lesson_paths
from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ZIP_NAME = "micrograd_lite_course.zip"
STUDENT_ZIP_NAME = "micrograd_lite_student.zip"
GRAPH_HEADER = re.compile(r"^\s*value\s+op\s+data\s+grad\s*$")
MAX_ALT = 300


def lesson_docnames(app):
    srcdir = Path(app.srcdir)
    return {p.relative_to(srcdir).with_suffix("").as_posix(): p for p in lesson_paths(srcdir)}


# ------------------------------------------------------------------ downloads

class LessonDownloads(SphinxPostTransform):
    """A line under each lesson's title: the notebook and its source."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs):
        docname = self.env.docname
        if docname not in lesson_docnames(self.app):
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None:
            return
        stem = Path(docname).name
        links = (f'<p class="course-downloads">Take this lesson with you: '
                 f'<a href="{stem}.ipynb" download>the notebook (.ipynb)</a> · '
                 f'<a href="{stem}.md" download>its source (.md)</a> · '
                 f'<a href="{_root_relative(docname)}{ZIP_NAME}" download>the whole course (.zip)</a> · '
                 f'<a href="{_root_relative(docname)}{STUDENT_ZIP_NAME}" download>'
                 f'the student edition, without solutions (.zip)</a></p>')
        title = next((i for i, child in enumerate(section.children) if isinstance(child, nodes.title)), -1)
        section.insert(title + 1, nodes.raw("", links, format="html"))


def _root_relative(docname):
    return "../" * docname.count("/")


def copy_downloads(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for docname, path in lesson_docnames(app).items():
        target = out / docname
        target.parent.mkdir(parents=True, exist_ok=True)
        for source in (path, path.with_suffix(".md")):
            if source.is_file():
                shutil.copyfile(source, target.with_suffix(source.suffix))
    # The pages do not load fontawesome.js (see _templates/static/webpack-macros.html):
    # do not ship its 3 MB either.
    for unused in (out / "_static" / "scripts").glob("fontawesome.js*"):
        unused.unlink()
    repo = Path(app.config.course_repository_root)
    script = repo / "tools" / "course_zip.py"
    if script.is_file():
        subprocess.run([sys.executable, str(script), str(out / ZIP_NAME)], cwd=repo, check=True)


# ------------------------------------------------------- titles and previews

def page_meta(app, pagename, templatename, context, doctree):
    config = app.config
    lessons = lesson_docnames(app)
    if pagename == config.root_doc:
        # The heading is the project's name, which the theme adds to every title:
        # the landing page's own title says what the course is instead.
        context["title"] = config.course_title
        description = config.course_description
    elif pagename in lessons:
        description = describe_lesson(lessons[pagename])[1] or config.course_description
        description = re.sub(r"[`*$]", "", description)
    else:
        description = config.course_description
    title = re.sub(r"<[^>]+>", "", context.get("title") or config.course_title)
    if config.html_title and config.html_title not in title:
        title = f"{title} — {config.html_title}"
    image = f"{config.html_baseurl.rstrip('/')}/_static/{config.course_preview}" if config.html_baseurl \
        else _root_relative(pagename) + f"_static/{config.course_preview}"
    tags = [("name", "description", description), ("property", "og:title", title),
            ("property", "og:description", description), ("property", "og:type", "website"),
            ("property", "og:image", image), ("property", "og:image:alt", config.course_preview_alt),
            ("name", "twitter:card", "summary_large_image")]
    if config.html_baseurl:
        tags.append(("property", "og:url", f"{config.html_baseurl.rstrip('/')}/{pagename}.html"))
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta {kind}="{name}" content="{html.escape(value, quote=True)}" />' for kind, name, value in tags)


# ---------------------------------------------------------------- pictures

class PictureAltText(SphinxPostTransform):
    """Alt text for every plot and graph in the lessons' outputs."""

    default_priority = 3    # while each output still holds all its mime types
    formats = ("html",)

    def run(self, **kwargs):
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            images = [img for img in bundle.findall(nodes.image)]
            if not images:
                continue
            text = "".join(c.astext() for c in bundle.children if c.get("mime_type") == "text/plain")
            lines = text.splitlines()
            graph = next((i for i, line in enumerate(lines) if GRAPH_HEADER.match(line)), None)
            if graph is not None:
                alt = graph_alt(lines[graph + 1:], self._svg_text(bundle))
                for img in images:
                    img["classes"] = [*img.get("classes", []), "mgl-graph"]
            else:
                alt = plot_alt(bundle)
            for img in images:
                img["alt"] = alt[:MAX_ALT]

    def _svg_text(self, bundle):
        for child in bundle.children:
            if child.get("mime_type") == "image/svg+xml":
                for img in child.findall(nodes.image):
                    for candidate in (Path(img["uri"]), Path(self.env.srcdir) / img["uri"].lstrip("/")):
                        try:
                            return candidate.read_text(encoding="utf-8")
                        except (OSError, ValueError):
                            continue
        return ""


def graph_alt(rows, svg):
    """'Computation graph: e = a * b, d = e + c, L = d * f; output L = -8.0000'.

    `rows` are the lines of the graph's text table (label, op, data, grad, in
    topological order); the SVG's edges say which node feeds which.
    """
    table = []
    for row in rows:
        parts = row.split()
        if len(parts) >= 4:
            table.append((" ".join(parts[:-3]), parts[-3], parts[-2]))
    if not table:
        return "Computation graph"
    inputs = _graph_inputs(svg, len(table))
    labels = [label for label, _, _ in table]
    named = [not re.fullmatch(r"v\d+", label) for label in labels]

    def expression(i, top=False):
        label, op, _ = table[i]
        args = inputs.get(i, [])
        if op == "input" or not args:
            return label
        if named[i] and not top:
            return label
        parts = [expression(j) for j in args]
        if len(parts) == 2:
            text = f"{parts[0]} {op} {parts[1]}"
        elif op.startswith("**"):
            text = f"{parts[0]}{op}"
        elif op == "-":
            text = f"-{parts[0]}"
        else:
            text = f"{op}({parts[0]})"
        return text if top else f"({text})"

    root = len(table) - 1
    if not inputs:
        return (f"Computation graph of {len(table)} values; output {labels[root]} = {table[root][2]}")
    steps = [f"{labels[i]} = {expression(i, top=True)}" for i in range(len(table))
             if table[i][1] != "input" and (named[i] or i == root)]
    shown = "; ".join(steps)
    if len(shown) > 200:
        shown = "; ".join(steps[:3]) + f"; … ({len(table)} values in all)"
    return f"Computation graph: {shown}. Output {labels[root]} = {table[root][2]}"


def _graph_inputs(svg, n):
    """node index -> indices of its inputs, in order, from draw_dot's SVG edges."""
    edges = []
    for number, title in re.findall(r'<g id="edge(\d+)" class="edge">\s*<title>([^<]*)</title>', svg):
        source, _, target = html.unescape(title).partition("->")
        edges.append((int(number), source, target))
    inputs = {}
    for _, source, target in sorted(edges):
        match = re.fullmatch(r"v(\d+)_op", target)
        if match and re.fullmatch(r"v\d+", source) and int(match.group(1)) < n:
            inputs.setdefault(int(match.group(1)), []).append(int(source[1:]))
    return inputs


def plot_alt(bundle):
    """'Plot: <its title>' from the cell's code, else the section it is in."""
    cell = bundle.parent
    while cell is not None and cell.get("nb_element") != "cell_code":
        cell = cell.parent
    code = ""
    if cell is not None:
        code = "".join(n.astext() for n in cell.findall(nodes.literal_block)
                       if n.parent is not None and n.parent.get("nb_element") == "cell_code_source")
    titles = [t for _, t in re.findall(r"""(?:set_title|suptitle|plt\.title)\(\s*f?(["'])(.+?)\1""", code)]
    if titles and not any("{" in t for t in titles):   # an f-string's fields say nothing here
        return "Plot: " + "; ".join(titles)
    section = bundle.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    heading = section.next_node(nodes.title).astext() if section is not None else ""
    return f"Plot for “{heading}”, drawn by the code above" if heading else "Plot drawn by the code above"


def setup(app):
    app.add_config_value("course_title", "", "html")
    app.add_config_value("course_description", "", "html")
    app.add_config_value("course_preview", "course-preview.png", "html")
    app.add_config_value("course_preview_alt", "", "html")
    app.add_config_value("course_repository_root", str(Path(__file__).resolve().parents[2]), "html")
    app.add_post_transform(LessonDownloads)
    app.add_post_transform(PictureAltText)
    app.connect("html-page-context", page_meta, priority=900)   # after the theme sets the title
    app.connect("build-finished", copy_downloads)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
