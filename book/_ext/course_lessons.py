"""The course's own additions to MyST-NB.

* ``{course-lessons}``: the lesson list of the landing page and the table of
  contents, both made from the files matching ``notebooks/[0-9]*.ipynb``.
  Each entry takes its title from the lesson's first heading and its one-line
  description from the intro under it: the sentence that starts "In this
  lesson", else the first sentence (or, with no intro, the first item of
  "What you'll do").
* Widgets: a page has no Python behind it. A widget that saved a page record
  (micrograd_lite/live/page_record.py) runs again in the page through
  _static/live_pages.js; any other widget is a snapshot with its controls
  switched off. A note under each one says which, and points to JupyterLab.
  A widget whose state was not saved in the notebook falls back to the static
  picture or text that comes with it in the same output.
* Exercise solutions (cells tagged ``solution`` and ``hide-input``) fold
  their output as well as their code, since the output shows the checked
  answer, and their toggle says "Show the solution".
"""

import html
import json
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

LESSON_GLOB = "notebooks/[0-9]*.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

WIDGET_NOTE = (
    "This is a snapshot of the widget as the lesson left it. "
    "Nothing runs behind this page, so its controls are switched off here: "
    "open this lesson in JupyterLab (`make lab`) to play with it."
)
# What works on the page for a widget with a record, by the record's kind.
LIVE_NOTES = {
    "live_graph": ("Live in this page: the sliders recompute every data and grad, as the lesson does. "
                   "To change the expression itself, open this lesson in JupyterLab (`make lab`)."),
    "stepper": ("Live in this page: Next, Back, Reset, Play and the step slider walk through backward(), "
                "recorded when the lesson ran. To step through your own graph, open this lesson in "
                "JupyterLab (`make lab`)."),
    "training": ("This page replays a run recorded when the lesson ran: {steps} steps at learning rate "
                 "{lr:g}. Play, Step and Reset move through it; the learning rate can only change in "
                 "JupyterLab (`make lab`), where the network really trains."),
}
RECORD_CLASS = "mgl-record"


# ---------------------------------------------------------------- lesson list

def lesson_paths(srcdir):
    return sorted(Path(srcdir).glob(LESSON_GLOB))


def _markdown_lines(notebook):
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            yield from text.splitlines()
            yield ""


def _paragraphs(lines):
    """Blocks of consecutive non-blank lines."""
    block = []
    for line in lines:
        if line.strip():
            block.append(line.strip())
        elif block:
            yield block
            block = []
    if block:
        yield block


_NOT_PROSE = ("#", "-", "*", "+", ">", "```", ":::", "|", "!", "<", "$$", "{")


def _sentences(text):
    return [m.group(1) for m in re.finditer(r"(.+?[.!?])(?=\s|$)", text)] or [text]


def _pick_sentence(intro):
    """The sentence that says what the lesson does ("In this lesson we ..."),
    or else the intro's first sentence."""
    sentences = [s.strip() for block in intro for s in _sentences(" ".join(block))]
    for sentence in sentences:
        if re.match(r"In this lesson\b", sentence):
            return sentence
    return sentences[0] if sentences else ""


def describe_lesson(path):
    """(title, one-line description) of a lesson notebook."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    lines = list(_markdown_lines(notebook))
    title, start = Path(path).stem, 0
    for i, line in enumerate(lines):
        if line.startswith("# "):
            title, start = line[2:].strip(), i + 1
            break
    intro = []
    for block in _paragraphs(lines[start:]):
        if block[0].startswith("#"):
            break                                   # the intro is over
        if not block[0].startswith(_NOT_PROSE):
            intro.append(block)
    description = _pick_sentence(intro)
    if not description:
        # No intro paragraph: use the first thing the learner will do.
        for i, line in enumerate(lines):
            if re.match(r"#+\s+What you.ll do", line):
                for item in lines[i + 1:]:
                    if item.startswith("#"):
                        break
                    if re.match(r"\s*[-*+]\s+\S", item):
                        description = re.sub(r"^\s*[-*+]\s+", "", item).strip()
                        break
                break
    return title, description


class CourseLessons(SphinxDirective):
    """The lesson list, plus the (hidden) table of contents it implies."""

    has_content = False

    def run(self):
        srcdir = Path(self.env.srcdir)
        items = nodes.bullet_list(classes=["course-lessons"])
        docnames = []
        for path in lesson_paths(srcdir):
            self.env.note_dependency(str(path))
            docname = path.relative_to(srcdir).with_suffix("").as_posix()
            docnames.append(docname)
            title, description = describe_lesson(path)
            link = addnodes.pending_xref(
                "", nodes.inline("", "", *_inline_code(title)), refdomain="std", reftype="doc",
                reftarget="/" + docname, refexplicit=True, refwarn=True, refdoc=self.env.docname)
            para = nodes.paragraph("", "", nodes.strong("", "", link))
            if description:
                para += nodes.Text(": ")
                para += self._parse_inline(description)
            items += nodes.list_item("", para)
        if not docnames:
            return [nodes.paragraph(text="There are no lessons yet.")]
        toctree = ["```{toctree}", ":hidden:", ":maxdepth: 1", ":caption: Lessons", "",
                   *("/" + d for d in docnames), "```"]
        holder = nodes.container()
        self.state.nested_parse(StringList(toctree, source=self.env.docname), self.content_offset, holder)
        return [items, *holder.children]

    def _parse_inline(self, markdown):
        """The inline nodes of one line of MyST markdown (maths, code, emphasis)."""
        holder = nodes.container()
        self.state.nested_parse(StringList([markdown], source=self.env.docname), self.content_offset, holder)
        para = next(iter(holder.findall(nodes.paragraph)), None)
        return para.children if para is not None else [nodes.Text(markdown)]


def _inline_code(text):
    """Text with `code` spans as literal nodes (titles may name `Value`)."""
    return [nodes.literal(part, part) if i % 2 else nodes.Text(part)
            for i, part in enumerate(text.split("`")) if part]


def _reread_root(app, env, added, changed, removed):
    # The lesson list reads every lesson: re-read it whenever the build runs,
    # so a lesson added, removed or retitled shows up.
    return [app.config.root_doc]


# ------------------------------------------------------------ widget snapshots

def _saved_widget_state(path):
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def widget_record(state, model_id):
    """The page record saved among the children of widget `model_id`, or None."""
    model = state.get(model_id, {}).get("state", {})
    for child in model.get("children", []):
        child_state = state.get(child.replace("IPY_MODEL_", ""), {}).get("state", {})
        if RECORD_CLASS in child_state.get("_dom_classes", []):
            match = re.search(r">(.*)</code>", child_state.get("value", ""), re.S)
            if match:
                try:
                    return json.loads(html.unescape(match.group(1)))
                except ValueError:
                    return None
    return None


def widget_note(record):
    if record and record.get("live") and record.get("kind") in LIVE_NOTES:
        return LIVE_NOTES[record["kind"]].format(**record)
    return WIDGET_NOTE


class WidgetSnapshots(SphinxPostTransform):
    """Note under each widget; static fallback when its state is missing."""

    default_priority = 3    # before MyST-NB picks one mime type per output (4)
    formats = ("html",)

    def run(self, **kwargs):
        bundles = [n for n in self.document.findall(nodes.container)
                   if n.get("nb_element") == "mime_bundle"
                   and any(c.get("mime_type") == WIDGET_VIEW for c in n.children)]
        if not bundles:
            return
        saved = _saved_widget_state(self.env.doc2path(self.env.docname))
        for bundle in bundles:
            view = next(c for c in bundle.children if c.get("mime_type") == WIDGET_VIEW)
            model_id = _model_id(view)
            if model_id not in saved and len(bundle.children) > 1:
                bundle.remove(view)
            record = widget_record(saved, model_id)
            live = bool(record and record.get("live"))
            note = nodes.container(classes=["widget-snapshot-note", "widget-live-note" if live else "widget-inert-note"])  # noqa: E501
            note += nodes.paragraph("", "", *_inline_code(widget_note(record)))
            bundle.parent.insert(bundle.parent.index(bundle) + 1, note)


def _model_id(view_node):
    for raw in view_node.findall(nodes.raw):
        match = re.search(r'"model_id":\s*"([^"]+)"', raw.astext())
        if match:
            return match.group(1)
    return None


# ------------------------------------------------------------------ solutions

class SolutionPrompts(SphinxPostTransform):
    default_priority = 150  # before MyST-NB wraps hidden inputs (199)
    formats = ("html",)

    def run(self, **kwargs):
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") == "cell_code" and "tag_solution" in cell["classes"] \
                    and cell.get("hide_mode"):
                # Fold the output too: it shows the checked answer.
                cell["hide_mode"] = "all"
                cell["prompt_show"] = "Show the solution"
                cell["prompt_hide"] = "Hide the solution"


def setup(app):
    app.add_directive("course-lessons", CourseLessons)
    app.connect("env-get-outdated", _reread_root)
    app.add_post_transform(WidgetSnapshots)
    app.add_post_transform(SolutionPrompts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
