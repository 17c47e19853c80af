"""`training_view`: train a model while the learner watches the loss and the decision boundary.

Drawing: matplotlib renders each frame to a PNG that goes into an
`ipywidgets.Image`. ipympl would give a live canvas (zoom, pan), but it is one
more package and JupyterLab extension for every learner to install, and a
frame still costs a full Agg draw there. A PNG in an Image widget needs
nothing beyond the course's matplotlib and ipywidgets, replaces the picture in
place (no flicker, unlike clear_output + display in an Output widget) and
travels as a binary buffer, ~30 kB a frame. Frames are drawn from one Figure
kept for the widget's life: only the data of its artists changes.

Staying responsive: Play runs the training loop as an asyncio task on the
kernel's event loop and yields after every step, so the kernel handles the
Pause click (a comm message) between two steps.

Speed: one step on MLP(2, [16, 16, 1]) with 100 points makes ~65,000 Values.
The engine makes no reference cycles, so Python's cyclic garbage collector
finds nothing to free, yet it would run dozens of times a step and cost a
third of its time; it is paused during each step. The decision boundary is
computed with numpy from the MLP's weights instead of 2,500 Value forward passes.
"""

import asyncio
import gc
import io
import math

import ipywidgets as widgets

from ..engine import Value
from ..graph import format_number
from .widgets import StaticPictureMixin


def training_view(model, points, labels, loss_fn, lr=0.05, steps_per_frame=1, max_steps=1000,
                  grid=50, figsize=(9.0, 3.4)):
    """Train `model` with gradient descent, with Play / Pause / Step / Reset and a learning rate.

    >>> from micrograd_lite import MLP
    >>> from micrograd_lite.datasets import make_moons
    >>> points, labels = make_moons(20, seed=0)
    >>> def loss_fn(model, points, labels):
    ...     losses = [(1 - y * model(list(x))).relu() for x, y in zip(points, labels)]
    ...     return sum(losses) * (1.0 / len(losses))
    >>> view = training_view(MLP(2, [8, 1], seed=1), points, labels, loss_fn, lr=0.1)
    >>> view.run(3); len(view.losses)
    3

    `loss_fn(model, points, labels)` returns the loss as a Value. Each step
    computes it, runs `backward()` and moves every parameter by `-lr * grad`.
    For 2-D points the right panel shows the decision boundary: the sign of
    the model's output over the plane, with the points coloured by label.
    Reset puts the parameters back to where they were when the view was made.
    Play stops by itself after `max_steps` steps; `steps_per_frame` trains
    several steps per picture for small, fast models.
    """
    return TrainingView(model, points, labels, loss_fn, lr=lr, steps_per_frame=steps_per_frame,
                        max_steps=max_steps, grid=grid, figsize=figsize)


def model_output_grid(model, xs, ys):
    """The model's output at every (x, y) of a grid, as a 2-D numpy array (rows = ys).

    An MLP from micrograd_lite.nn goes through numpy with its current weights,
    any other model through Values, one point at a time.
    """
    import numpy as np

    X, Y = np.meshgrid(xs, ys)
    flat = np.column_stack([X.ravel(), Y.ravel()])
    layers = getattr(model, "layers", None)
    if layers and all(hasattr(layer, "neurons") for layer in layers):
        h = flat
        for layer in layers:
            W = np.array([[w.data for w in n.w] for n in layer.neurons])
            b = np.array([n.b.data for n in layer.neurons])
            z = h @ W.T + b
            acts = [n.activation for n in layer.neurons]
            h = np.column_stack([np.tanh(z[:, j]) if a == "tanh" else np.maximum(z[:, j], 0.0) if a == "relu"
                                 else z[:, j] for j, a in enumerate(acts)])
        out = h[:, 0]
    else:
        out = np.array([_as_number(model([float(a), float(c)])) for a, c in flat])
    return out.reshape(X.shape)


def _as_number(out):
    if isinstance(out, (list, tuple)):
        out = out[0]
    return out.data if isinstance(out, Value) else float(out)


class TrainingView(StaticPictureMixin, widgets.VBox):
    """The widget `training_view` returns.

    `step()` trains one frame's worth of steps and redraws, `run(n)` does n,
    `reset()` starts over, `play()` / `pause()` drive the loop in a kernel.
    `losses` holds the loss before each step; `steps` counts them.
    """

    def __init__(self, model, points, labels, loss_fn, lr=0.05, steps_per_frame=1, max_steps=1000,
                 grid=50, figsize=(9.0, 3.4)):
        self.model, self.points, self.labels, self.loss_fn = model, points, labels, loss_fn
        self.params = model.parameters()
        self._start = [p.data for p in self.params]
        self.steps_per_frame = steps_per_frame
        self.max_steps = max_steps
        self.losses = []
        self.frames = 0
        self.error = ""
        self._task = None
        self._playing = False
        self._two_d = all(len(p) == 2 for p in points)
        self._grid = grid

        # The slider moves in steps of 0.05 in log10(lr). Its grid goes through
        # log10(lr) itself: otherwise the browser snaps 0.5 to 0.501 on first
        # draw and trains with a rate the lesson never asked for.
        step = 0.05
        here = math.log10(lr)
        lo_exp = here - step * math.ceil((here - min(-4.0, here - 1.0)) / step - 1e-9)
        hi_exp = here + step * math.ceil((max(0.0, here + 0.5) - here) / step - 1e-9)
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=lo_exp, max=hi_exp,
                                         step=step, description="learning rate", readout_format=".3g",
                                         style={"description_width": "initial"},
                                         layout=widgets.Layout(width="360px"))
        self._play_button = widgets.Button(description="Play", icon="play", layout=widgets.Layout(width="90px"))
        self._step_button = widgets.Button(description="Step", layout=widgets.Layout(width="80px"))
        self._reset_button = widgets.Button(description="Reset", layout=widgets.Layout(width="80px"))
        self._play_button.on_click(lambda _: self.pause() if self._playing else self.play())
        self._step_button.on_click(lambda _: self.step())
        self._reset_button.on_click(lambda _: self.reset())
        self._status = widgets.HTML()
        self._image = widgets.Image(format="png", layout=widgets.Layout(width="auto"))
        self._make_figure(figsize)
        self._current_loss = self._loss_value()
        self._render()
        super().__init__(children=[
            widgets.HBox([self._play_button, self._step_button, self._reset_button, self.lr]),
            self._status, self._image])
        self.add_class("mgl-training-view")

    # ---- training ---------------------------------------------------------

    def _loss_value(self):
        was = gc.isenabled()
        gc.disable()
        try:
            return _as_number(self.loss_fn(self.model, self.points, self.labels))
        finally:
            if was:
                gc.enable()

    def _train_step(self):
        was = gc.isenabled()
        gc.disable()                      # see the module docstring: no cycles to find
        try:
            loss = self.loss_fn(self.model, self.points, self.labels)
            if not isinstance(loss, Value):
                raise TypeError(f"loss_fn should return a Value, not {type(loss).__name__}")
            self.model.zero_grad()
            loss.backward()
            lr = self.lr.value
            for p in self.params:
                p.data -= lr * p.grad
            self.losses.append(loss.data)
            del loss                      # free the step's graph while collection is off
        finally:
            if was:
                gc.enable()

    def step(self):
        """Train `steps_per_frame` steps, then redraw (what the Step button does)."""
        for _ in range(self.steps_per_frame):
            self._train_step()
        self._current_loss = None
        self._render()

    def run(self, n):
        """Train n steps with one redraw at the end (for scripts and tests)."""
        for _ in range(n):
            self._train_step()
        self._current_loss = None
        self._render()

    def reset(self):
        self.pause()
        for p, x in zip(self.params, self._start):
            p.data = x
            p.grad = 0.0
        self.losses = []
        self._current_loss = self._loss_value()
        self._render()

    # ---- play / pause -----------------------------------------------------

    def play(self):
        """Start training on the kernel's event loop; returns the task."""
        if self._playing:
            return self._task
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # In a Jupyter kernel a button click runs on the kernel's loop; a plain script has none.
            try:
                loop = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:
                raise RuntimeError("Play needs a running event loop, as in a Jupyter kernel; "
                                   "in a script call view.run(steps) instead") from None
        self._playing = True
        self._play_button.description, self._play_button.icon = "Pause", "pause"
        self._task = asyncio.ensure_future(self._loop(), loop=loop)
        return self._task

    def pause(self):
        """Stop after the current step. The button turns back into Play once that step is drawn."""
        self._playing = False
        if self._task is None or self._task.done():
            self._show_play()

    def _show_play(self):
        self._play_button.description, self._play_button.icon = "Play", "play"

    @property
    def playing(self):
        return self._playing

    async def _loop(self):
        try:
            started = len(self.losses)
            while self._playing and len(self.losses) - started < self.max_steps:
                self.step()
                # Give the kernel a turn: a Pause click waiting in its queue runs now.
                await asyncio.sleep(0.001)
        except Exception as exc:          # e.g. a loss_fn that raises: say so, stop, no traceback
            self._status.value = (f'<span class="mgl-error" style="color:#b2182b">training stopped: '
                                  f'{type(exc).__name__}: {_escape(str(exc))}</span>')
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._playing = False
            self._show_play()

    # ---- drawing ----------------------------------------------------------

    def _make_figure(self, figsize):
        # A bare Figure, not pyplot: nothing is shown by the inline backend,
        # and no global figure list keeps it alive.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self._fig = Figure(figsize=figsize if self._two_d else (figsize[0] / 2 + 0.5, figsize[1]), dpi=80)
        FigureCanvasAgg(self._fig)
        axes = self._fig.subplots(1, 2 if self._two_d else 1, squeeze=False)[0]
        self._ax_loss = axes[0]
        self._ax_loss.set_title("loss", fontsize=11)
        self._ax_loss.set_xlabel("steps taken")
        self._ax_loss.grid(alpha=0.3)
        from matplotlib.ticker import MaxNLocator

        self._ax_loss.xaxis.set_major_locator(MaxNLocator(integer=True))
        # Markers, so the first step's single point shows too.
        (self._loss_line,) = self._ax_loss.plot([], [], color="#2166ac", lw=1.6, marker="o", markersize=2.5,
                                                animated=True)
        self._ax_loss.set_xlim(0, 10)
        self._background = None
        self._animated = [self._loss_line]
        if self._two_d:
            import numpy as np

            ax = self._ax_map = axes[1]
            pts = np.array(self.points, dtype=float)
            pad = max(0.25 * (pts.max(axis=0) - pts.min(axis=0)).max(), 0.5)
            self._xs = np.linspace(pts[:, 0].min() - pad, pts[:, 0].max() + pad, self._grid)
            self._ys = np.linspace(pts[:, 1].min() - pad, pts[:, 1].max() + pad, self._grid)
            extent = (self._xs[0], self._xs[-1], self._ys[0], self._ys[-1])
            self._map = ax.imshow(np.zeros((self._grid, self._grid)), origin="lower", extent=extent,
                                  cmap="RdBu", vmin=-3.2, vmax=3.2, interpolation="nearest", aspect="auto",
                                  animated=True)
            labels = np.array([float(y) for y in self.labels])
            dots = ax.scatter(pts[:, 0], pts[:, 1], c=np.where(labels > 0, "#2166ac", "#b2182b"),
                              s=20, edgecolors="#222222", linewidths=0.5, animated=True)
            self._animated += [self._map, dots]
            ax.set_title("decision boundary: sign of the output", fontsize=11)
            ax.set_xticks([])
            ax.set_yticks([])
        self._fig.tight_layout()
        width, height = self._fig.canvas.get_width_height()
        # Shown at its own size: stretched to the cell's width it would look blurred.
        self._image.layout = widgets.Layout(width=f"{width}px", height=f"{height}px")

    def _render(self):
        n = len(self.losses)
        if self._two_d:
            import numpy as np

            self._map.set_data(np.sign(model_output_grid(self.model, self._xs, self._ys)))
        self._loss_line.set_data(range(n), self.losses)      # losses[k]: the loss after k steps
        self._image.value = self._draw_png(self._fit_loss_axes(n))
        self.frames += 1
        loss = self.losses[-1] if self.losses else self._current_loss
        self._status.value = (f'<span style="font-family:var(--jp-code-font-family,monospace)">'
                              f'step {n} · loss {format_number(loss) if loss is not None else "?"}'
                              f' · learning rate {self.lr.value:.3g}</span>')

    def _fit_loss_axes(self, n):
        """Grow the loss axes in jumps; True when they changed (then ticks need a full draw)."""
        finite = [x for x in self.losses if math.isfinite(x)]
        if self._current_loss is not None and math.isfinite(self._current_loss):
            finite.append(self._current_loss)
        hi = max(finite, default=1.0)
        lo = min(finite, default=0.0)
        x_max = 10
        while x_max < n + 1:
            x_max *= 2
        y = (min(0.0, lo * 1.1), max(hi * 1.1, 1e-3))
        old_x = self._ax_loss.get_xlim()[1]
        old_y = self._ax_loss.get_ylim()
        if old_x == x_max and old_y[0] <= y[0] and old_y[1] >= y[1]:
            return False
        self._ax_loss.set_xlim(0, x_max)
        self._ax_loss.set_ylim(min(y[0], old_y[0]) if self._background else y[0],
                               max(y[1], old_y[1]) if self._background else y[1])
        return True

    def _draw_png(self, axes_changed):
        # Blitting: the axes, ticks, titles and points are drawn once and kept
        # as a background; a frame redraws only the boundary map, the points
        # over it and the loss curve. Text layout is most of a full draw.
        canvas = self._fig.canvas
        if axes_changed or self._background is None:
            canvas.draw()                 # skips the animated artists
            self._background = canvas.copy_from_bbox(self._fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            artist.axes.draw_artist(artist)
        from PIL import Image

        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=1)   # speed over bytes: it stays local
        return buffer.getvalue()

    # ---- what is saved with the notebook ----------------------------------

    def to_text(self):
        n = len(self.losses)
        loss = self.losses[-1] if self.losses else self._current_loss
        kind = "2-D points, decision boundary shown" if self._two_d else f"{len(self.points[0])}-D points"
        return (f"training view: {type(self.model).__name__} with {len(self.params)} parameters, "
                f"{len(self.points)} points ({kind}), learning rate {self.lr.value:.3g}\n"
                f"step {n}, loss {format_number(loss) if loss is not None else '?'}")

    def static_svg(self):
        return None

    def static_png(self):
        return bytes(self._image.value)       # the widget holds a memoryview; outputs want bytes


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;")
