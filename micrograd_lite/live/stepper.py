"""`backward_stepper`: backpropagation one node at a time, as the lecture does by hand.

Step 1 seeds the output's grad with 1. Each later step takes the next node in
reverse topological order and applies the chain rule to its inputs, showing
every term with its numbers:

    d = e + c
    e.grad += 1.0 × d.grad = -2.0
    c.grad += 1.0 × d.grad = -2.0

The terms use the local derivatives the engine stored in `node._local_grads`,
in the same order as `backward()`, so the last step gives exactly (bit for
bit) the grads `backward()` computes starting from zero grads.
"""

import ipywidgets as widgets

from ..engine import topological_order
from ..graph import (
    CURRENT,
    HIGHLIGHT,
    MAX_NODES,
    ComputationGraph,
    check_rankdir,
    check_size,
    escape,
    format_number,
    node_cells,
    text_table,
)
from .layout import GraphLayout, node_texts
from .page_record import attach_page_record
from .picture import TEXT_STYLE, StaticPictureMixin, layered_picture, legend_html

# One line on why each op's local derivative is what it is.
_WHY = {
    "+": "a sum passes its grad to each input unchanged (local derivative 1)",
    "-": "a difference passes +1 × its grad to the left input and -1 × to the right",
    "*": "a product's local derivative for one input is the other input's data",
    "/": "a / b: local derivatives 1/b for a and -a/b² for b",
    "tanh": "tanh: local derivative 1 - tanh²",
    "exp": "exp: local derivative exp(x), the node's own data",
    "log": "log: local derivative 1/x",
    "sigmoid": "sigmoid: local derivative s(1 - s)",
    "relu": "relu: local derivative 1 where the input is positive, else 0",
    "**": "a ** b: local derivatives b·a^(b-1) for a and a^b·ln(a) for b",
}


def backward_stepper(root, rankdir="auto", interval=900, max_nodes=MAX_NODES):
    """Step through `root.backward()` one node at a time: Next, Back, Reset, Play.

    >>> from micrograd_lite import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> L = a * b; L.label = "L"
    >>> s = backward_stepper(L)
    >>> s.next(); s.next(); print("\\n".join(s.terms))
    a.grad += -3.0 × L.grad = -3.0
    b.grad += 2.0 × L.grad = 2.0

    The stepper works on its own copy of the grads: it never changes your
    Values (call `L.backward()` for that). Its last step equals `backward()`
    run on zero grads. `interval` is Play's pause between steps, in ms.
    `rankdir` is as for draw_dot: "auto" picks the direction that fits.
    """
    check_rankdir(rankdir)
    return BackwardStepper(root, rankdir=rankdir, interval=interval, max_nodes=max_nodes)


class Step:
    __slots__ = ("node", "receivers", "heading", "terms", "grads", "why")

    def __init__(self, node, receivers, heading, terms, grads, why=""):
        self.node = node              # index of the node this step handles (None before the start)
        self.receivers = receivers    # indices whose grad this step changed
        self.heading = heading        # the node's formula, or what to do ("" for none)
        self.terms = terms            # the chain-rule lines, one per grad this step adds to
        self.grads = grads            # every node's grad after this step
        self.why = why                # one line on the op's local derivative ("" for none)

    @property
    def lines(self):
        """Every line shown for this step: the formula, the terms, and why."""
        return ([self.heading] if self.heading else []) + self.terms + ([f"({self.why})"] if self.why else [])


def plan_steps(nodes):
    """Every state of the backward pass: index 0 before it starts, then one per step."""
    n = len(nodes)
    names = [grad_name(v.label or f"v{i}") for i, v in enumerate(nodes)]
    index = {id(v): i for i, v in enumerate(nodes)}
    grads = [0.0] * n
    root = n - 1
    steps = [Step(None, [], "Press Next: backpropagation starts at the output.", [], list(grads))]
    grads[root] += 1.0
    out = nodes[root].label or f"v{root}"
    steps.append(Step(root, [root], "", [f"{names[root]}.grad = 1.0  (d{out}/d{out}: "
                                         "the output's gradient with respect to itself)"], list(grads)))
    for i in range(n - 1, -1, -1):
        node = nodes[i]
        if not node._prev:
            continue                  # an input: nothing further back to pass a grad to
        formula = _formula(node, names[i], [names[index[id(c)]] for c in node._prev])
        lines, receivers = [], []
        for child, local in zip(node._prev, node._local_grads):
            j = index[id(child)]
            before = grads[j]
            term = local * grads[i]
            grads[j] += term          # the chain rule, exactly as backward() does it
            line = f"{names[j]}.grad += {short(local)} × {names[i]}.grad = {short(term)}"
            if before != 0:
                line += f"  → {names[j]}.grad = {short(grads[j])}"
            lines.append(line)
            receivers.append(j)
        why = _WHY.get(node.op) or ("a power: local derivative n·x^(n-1)" if node.op.startswith("**")
                                    else "")
        if node.op == "-" and len(node._prev) == 1:
            why = "negation: local derivative -1"
        steps.append(Step(i, receivers, formula, lines, list(grads), why))
    return steps


def short(x):
    return format_number(x, short=True)


def grad_name(label):
    """How a label reads before `.grad`: in parentheses when it has spaces, `(x1*w1 + x2*w2).grad`."""
    return f"({label})" if any(ch.isspace() for ch in label) else label


def _formula(node, name, inputs):
    op = node.op
    if len(inputs) == 2:
        return f"{name} = {inputs[0]} {op} {inputs[1]}"
    if op.startswith("**"):
        return f"{name} = {inputs[0]}{op}"
    if op == "-":
        return f"{name} = -{inputs[0]}"
    return f"{name} = {op}({inputs[0]})"


class BackwardStepper(StaticPictureMixin, widgets.VBox):
    """The widget `backward_stepper` returns.

    `step` is where it stands (0 = not started, `steps` = done); `next()`,
    `back()`, `reset()` move it; `grads` are the grads shown (in the order of
    `nodes`, which is topological), `terms` the chain-rule lines of the
    current step, `text_box` the HTML widget showing its text, `rankdir` the
    direction drawn and `graph_layout` the GraphLayout of the picture.
    """

    def __init__(self, root, rankdir="auto", interval=900, max_nodes=MAX_NODES):
        self.root = root
        self.nodes = topological_order(root)
        check_size(self.nodes, max_nodes)
        self._plan = plan_steps(self.nodes)
        self.steps = len(self._plan) - 1
        # Fields wide enough for every step's numbers: one layout for all of them.
        data = [t[0] for t in node_texts(self.nodes)]
        grads = [max(column, key=len) for column in zip(*[[t[1] for t in node_texts(self.nodes, s.grads)]
                                                          for s in self._plan])]
        self.graph_layout = GraphLayout(self.nodes, rankdir, [(d, g, 0.0) for d, g in zip(data, grads)])
        self.rankdir = self.graph_layout.rankdir
        self.numbers_layer, self.static_layer, picture = layered_picture()
        self.static_layer.value = self.graph_layout.static_svg

        self._position = widgets.IntSlider(value=0, min=0, max=self.steps, description="step",
                                           continuous_update=True, layout=widgets.Layout(width="360px"))
        self._play = widgets.Play(value=0, min=0, max=self.steps, interval=interval,
                                  description="Play", show_repeat=False)
        widgets.jslink((self._play, "value"), (self._position, "value"))   # runs in the browser
        buttons = []
        for text, action, tip in (("◀ Back", self.back, "undo the last step"),
                                  ("Next ▶", self.next, "handle the next node"),
                                  ("Reset", self.reset, "all grads back to zero")):
            b = widgets.Button(description=text, tooltip=tip, layout=widgets.Layout(width="90px"))
            b.on_click(lambda _b, act=action: act())
            buttons.append(b)
        self._back_button, self._next_button, self._reset_button = buttons
        self.text_box = widgets.HTML()
        legend = widgets.HTML(legend_html(highlight_text="grads this step added to",
                                          current_text="the node this step handles"))
        self._position.observe(lambda change: self._render(), names="value")
        self._render()
        # Wrapping, not clipping: in a narrow window the slider goes to a second row
        # instead of the buttons being cut to "Ne...".
        controls = widgets.HBox(buttons + [self._play, self._position],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        # The text is the second child: the course pages' record of a stepper reads it there.
        super().__init__(children=[controls, self.text_box, legend, picture])
        self.add_class("mgl-backward-stepper")
        attach_page_record(self)

    # ---- moving -----------------------------------------------------------

    @property
    def step(self):
        return self._position.value

    @step.setter
    def step(self, k):
        self._position.value = max(0, min(self.steps, int(k)))

    def next(self):
        self.step = self.step + 1

    def back(self):
        self.step = self.step - 1

    def reset(self):
        self._play.value = 0
        self.step = 0

    @property
    def grads(self):
        return list(self._plan[self.step].grads)

    @property
    def terms(self):
        """The chain-rule lines of the current step (without its formula and hint)."""
        return list(self._plan[self.step].terms)

    # ---- drawing ----------------------------------------------------------

    def shown_texts(self):
        """(data text, grad text, grad) per node, as this step shows them."""
        return node_texts(self.nodes, self._plan[self.step].grads)

    def _render(self):
        s = self._plan[self.step]
        receivers = [j for j in s.receivers if j != s.node]
        self.numbers_layer.value = self.graph_layout.numbers_svg(self.shown_texts(), receivers, current=s.node,
                                                                 seq=self.step, hold=True)
        head = f"<b>step {self.step} of {self.steps}</b>"
        if self.step == self.steps:
            head += " · done: these are the grads backward() computes"
        body = "<br>".join(escape(line) for line in s.lines)
        self.text_box.value = (f'<div class="mgl-stepper-text" style="{TEXT_STYLE};'
                            f'font-family:var(--jp-code-font-family,monospace);line-height:1.5">'
                            f'{head}<br>{body}</div>')
        self._back_button.disabled = self.step == 0
        self._next_button.disabled = self.step == self.steps

    def to_text(self):
        s = self._plan[self.step]
        # The table's grad column shows the stepper's grads, not the Values'.
        return (f"backward stepper: step {self.step} of {self.steps}\n" + "\n".join(s.lines) + "\n"
                + text_table(self.nodes, s.grads))

    def static_picture(self):
        """What the saved output shows: this step's picture as draw_dot draws it, marks and all."""
        s = self._plan[self.step]
        marks = {j: HIGHLIGHT for j in s.receivers if j != s.node}
        if s.node is not None:
            marks[s.node] = CURRENT
        return ComputationGraph(self.nodes, self.rankdir, node_cells(self.nodes, s.grads), marks)
