"""`training_view`: train a model while the learner watches the loss and the decision boundary.

Drawing: matplotlib renders each frame to a PNG that goes into an
`ipywidgets.Image`. ipympl would give a live canvas (zoom, pan), but it is one
more package and JupyterLab extension for every learner to install, and a
frame still costs a full Agg draw there. A PNG in an Image widget needs
nothing beyond the course's matplotlib and ipywidgets, replaces the picture in
place (no flicker, unlike clear_output + display in an Output widget) and
travels as a binary buffer, 10-30 kB a frame. Frames are drawn from one Figure
kept for the widget's life: only the data of its artists changes.

Staying responsive: Play runs the training loop as an asyncio task on the
kernel's event loop and yields after every step, so the kernel handles a
Pause click (a comm message) or a cell between two steps. It sends at most
`FRAMES_PER_SECOND` pictures a second: a small model trains a step in under
a millisecond, and a browser sent a picture per step falls behind, so Pause
seemed to take a second while it worked through the pictures already sent.

Stopping: only one view trains at a time in a kernel. Making a view (re-running
its cell) or pressing Play pauses every other view, so a view whose output
was cleared never trains on unseen. Kernel > Interrupt sends SIGINT; between
messages ipykernel ignores it, so while a view plays it is handled here and
pauses every view (see `_InterruptWatch`).

Speed: one step on MLP(2, [16, 16, 1]) with 100 points makes ~65,000 Values.
The engine makes no reference cycles, so Python's cyclic garbage collector
finds nothing to free, yet it would run dozens of times a step and cost a
third of its time; it is paused during each step. A step ends with a second
forward pass that measures the loss after it, the one the status and the
curve show. Keeping that graph for the next step's backward would save the
pass, but the collector then walks its ~65,000 Values between steps, which
costs more than the pass. The decision boundary is computed with numpy from
the MLP's weights instead of 2,500 Value forward passes.
"""

import asyncio
import gc
import html
import io
import math
import numbers
import signal
import threading
import time
import weakref

import ipywidgets as widgets

from ..engine import Value
from ..graph import format_number
from ..nn import MLP, Layer, Neuron
from .page_record import attach_page_record
from .picture import StaticPictureMixin

FRAMES_PER_SECOND = 25          # Play sends no more pictures a second than this
TURN = 0.005                    # seconds the Play loop leaves the kernel after every step

# The learning rates the slider offers: 1, 2, 3 and 5 in each decade, as
# decimal literals so the slider shows exactly what it uses (0.3, not 0.30000000000000004).
_MANTISSAS = ("1", "2", "3", "5")


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
    >>> view.run(3); view.steps, len(view.losses)
    (3, 4)

    `loss_fn(model, points, labels)` returns the loss as a Value. Each step
    computes it, runs `backward()` and moves every parameter by `-lr * grad`.
    For 2-D points the right panel shows the decision boundary: the sign of
    the model's output over the plane, with the points coloured by label.
    The learning-rate slider offers 1, 2, 3 and 5 in each decade, 0, and `lr`
    itself. Reset puts the parameters back to where they were when the view
    was made. Play stops by itself after `max_steps` steps; `steps_per_frame`
    trains several steps per picture.
    """
    return TrainingView(model, points, labels, loss_fn, lr=lr, steps_per_frame=steps_per_frame,
                        max_steps=max_steps, grid=grid, figsize=figsize)


def playing_views():
    """The training views of this kernel whose Play loop is running (at most one)."""
    return [view for view in _all_views() if view.playing]


def model_output_grid(model, xs, ys):
    """The model's output at every (x, y) of a grid, as a 2-D numpy array (rows = ys).

    A plain MLP from micrograd_lite.nn goes through numpy with its current
    weights; any other model, a subclass with its own forward pass included,
    through its own call, one point at a time.
    """
    import numpy as np

    X, Y = np.meshgrid(xs, ys)
    flat = np.column_stack([X.ravel(), Y.ravel()])
    if _is_plain_mlp(model):
        h = flat
        for layer in model.layers:
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


def _is_plain_mlp(model):
    """True when the model computes exactly what MLP, Layer and Neuron compute: numpy may stand in."""
    if not isinstance(model, MLP) or type(model).__call__ is not MLP.__call__:
        return False
    return all(isinstance(layer, Layer) and type(layer).__call__ is Layer.__call__
               and all(isinstance(n, Neuron) and type(n).__call__ is Neuron.__call__ for n in layer.neurons)
               for layer in model.layers)


def _as_number(out):
    if isinstance(out, (list, tuple)):
        out = out[0]
    return out.data if isinstance(out, Value) else float(out)


def format_rate(lr):
    """A learning rate as the learner wrote it: 0.0001, 0.3, 1e-05, 0."""
    return f"{lr:g}"


def _checked_rate(lr):
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"lr (the learning rate) must be a number such as 0.05, not {type(lr).__name__}")
    lr = float(lr)
    if not math.isfinite(lr):
        raise ValueError(f"lr (the learning rate) must be a finite number such as 0.05, not {lr}")
    return lr


def _rate_options(lr):
    """0, then 1, 2, 3, 5 x 10^k from 1e-4 (or below lr) up to 1 (or above lr), with lr among them."""
    low = min(-4, math.floor(math.log10(abs(lr)))) if lr else -4
    high = max(0, math.ceil(math.log10(abs(lr)))) if lr else 0
    rates = {0.0, lr}
    rates.update(float(f"{m}e{k}") for k in range(low, high + 1) for m in _MANTISSAS)
    return [(format_rate(r), r) for r in sorted(rates)]


class _CollectorPaused:
    """`with _CollectorPaused():` runs its block with the cyclic garbage collector off."""

    def __enter__(self):
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            gc.enable()


class _InterruptWatch:
    """Kernel > Interrupt pauses every playing view.

    JupyterLab's Interrupt sends the kernel SIGINT. ipykernel ignores it
    between messages and raises KeyboardInterrupt only while a cell or a
    click runs, so it would never reach a Play loop. While a loop runs, this
    installs a handler for the ignored signal that pauses the views; it never
    replaces a handler someone else set (a cell being run keeps its
    KeyboardInterrupt), and the loop itself stops on a KeyboardInterrupt.

    Signal handlers live in the main thread, but a Play click may be handled
    on another thread (ipykernel 7 runs a kernel subshell's messages on its
    own thread and event loop), so the handler is set from the main thread's
    event loop, which `remember_main_loop` notes when a view is made.
    """

    def __init__(self):
        self.replaced = None
        self.main_loop = None

    def remember_main_loop(self):
        if threading.current_thread() is threading.main_thread():
            try:
                self.main_loop = asyncio.get_running_loop()
            except RuntimeError:
                pass

    def claim(self):
        self._in_main_thread(self._claim)

    def release(self):
        self._in_main_thread(self._release)

    def _in_main_thread(self, action):
        if threading.current_thread() is threading.main_thread():
            action()
        elif self.main_loop is not None and not self.main_loop.is_closed():
            self.main_loop.call_soon_threadsafe(action)

    def _claim(self):
        if playing_views() and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            self.replaced = signal.SIG_IGN
            signal.signal(signal.SIGINT, self._pause_all)

    def _release(self):
        if (self.replaced is not None and signal.getsignal(signal.SIGINT) is self._pause_all
                and not playing_views()):
            signal.signal(signal.SIGINT, self.replaced)
            self.replaced = None

    @staticmethod
    def _pause_all(signum, frame):
        for view in playing_views():
            view.interrupted = True
            view.pause()


_VIEWS = weakref.WeakSet()            # every TrainingView of this kernel
_VIEWS_LOCK = threading.Lock()        # Play may run on a subshell's thread


def _all_views():
    with _VIEWS_LOCK:
        return list(_VIEWS)
_INTERRUPTS = _InterruptWatch()


class TrainingView(StaticPictureMixin, widgets.VBox):
    """The widget `training_view` returns.

    `step()` trains one frame's worth of steps and redraws, `run(n)` does n,
    `reset()` starts over, `play()` / `pause()` drive the loop in a kernel.
    `losses[k]` is the loss after k steps (`losses[0]` before any), `steps`
    counts the steps, `loss` is the loss now. `learning_rate` is the rate the
    next step uses; the slider `lr` sets it. `status` and `picture` are the
    widgets showing the status line and the plots; `loss_axes` is the loss plot.
    """

    def __init__(self, model, points, labels, loss_fn, lr=0.05, steps_per_frame=1, max_steps=1000,
                 grid=50, figsize=(9.0, 3.4)):
        lr = _checked_rate(lr)
        if len(points) == 0 or len(points) != len(labels):
            raise ValueError(f"points and labels must be two lists of the same, non-zero length; "
                             f"got {len(points)} points and {len(labels)} labels")
        self.model, self.points, self.labels, self.loss_fn = model, points, labels, loss_fn
        self.params = model.parameters()
        self._start = [p.data for p in self.params]
        self.steps_per_frame = steps_per_frame
        self.max_steps = max_steps
        self.error = ""                   # why Play stopped, if training failed
        self.interrupted = False          # Play was stopped by Kernel > Interrupt
        self._task = None
        self._playing = False
        self._two_d = all(len(p) == 2 for p in points)
        self._grid = grid

        # A selection of exact numbers, not a FloatLogSlider: that slider's
        # grid runs through 10 ** (k * step) and shows 9.98e-05 for 1e-4.
        self.lr = widgets.SelectionSlider(options=_rate_options(lr), value=lr, description="learning rate",
                                          style={"description_width": "initial"},
                                          layout=widgets.Layout(width="340px", max_width="100%"))
        self.lr.observe(lambda _: self._show_status(), names="value")
        # Sized to their text and never shrunk: a narrow window wraps the row instead.
        button = dict(flex="0 0 auto", width="auto", min_width="5.5em")
        self.play_button = widgets.Button(description="Play", icon="play", layout=widgets.Layout(**button))
        self.step_button = widgets.Button(description="Step", layout=widgets.Layout(**button))
        self.reset_button = widgets.Button(description="Reset", layout=widgets.Layout(**button))
        self.play_button.on_click(lambda _: self.pause() if self._playing else self.play())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.status = widgets.HTML()
        self.status.add_class("mgl-training-status")
        self.picture = widgets.Image(format="png")
        self._make_figure(figsize)
        self.losses = [self._measure_loss()]
        self._render()
        controls = widgets.HBox([self.play_button, self.step_button, self.reset_button, self.lr],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__(children=[controls, self.status, self.picture])
        self.add_class("mgl-training-view")
        attach_page_record(self)
        for other in _all_views():        # re-running a cell: the old view must not train unseen
            other.pause()
        with _VIEWS_LOCK:
            _VIEWS.add(self)
        _INTERRUPTS.remember_main_loop()

    # ---- what the view holds ----------------------------------------------

    @property
    def steps(self):
        return len(self.losses) - 1

    @property
    def loss(self):
        return self.losses[-1]

    @property
    def learning_rate(self):
        return self.lr.value

    @learning_rate.setter
    def learning_rate(self, lr):
        lr = _checked_rate(lr)
        if lr not in [value for _, value in self.lr.options]:
            self.lr.options = sorted(set(self.lr.options) | {(format_rate(lr), lr)}, key=lambda o: o[1])
        self.lr.value = lr

    @property
    def playing(self):
        return self._playing

    @property
    def loss_axes(self):
        return self._ax_loss

    # ---- training ---------------------------------------------------------

    def _loss_graph(self):
        """The loss at the current parameters, as a Value with its graph."""
        loss = self.loss_fn(self.model, self.points, self.labels)
        if not isinstance(loss, Value):
            raise TypeError(f"loss_fn should return a Value (build it from the model's outputs), "
                            f"not {type(loss).__name__}")
        return loss

    def _measure_loss(self):
        with _CollectorPaused():
            return self._loss_graph().data

    def _train_step(self):
        with _CollectorPaused():          # see the module docstring: no cycles to find
            loss = self._loss_graph()
            self.model.zero_grad()
            loss.backward()
            lr = self.learning_rate
            for p in self.params:
                p.data -= lr * p.grad
            del loss                      # free the step's graph while collection is off
            after = self._loss_graph().data
        self.losses.append(after)

    def step(self):
        """Train `steps_per_frame` steps, then redraw (what the Step button does)."""
        self.run(self.steps_per_frame)

    def run(self, n):
        """Train n steps with one redraw at the end (for scripts and tests)."""
        for _ in range(n):
            self._train_step()
        self._render()

    def reset(self):
        """Pause, put the parameters back where they started, and start the plots over."""
        self.pause()
        for p, x in zip(self.params, self._start):
            p.data = x
            p.grad = 0.0
        self.error, self.interrupted = "", False
        self.losses = [self._measure_loss()]
        self._background = None           # the loss axes fit the new curve from scratch
        self._render()

    # ---- play / pause -----------------------------------------------------

    def play(self):
        """Start training on the running event loop (a Jupyter kernel's); returns the task.

        Every other view pauses: one view trains at a time.
        """
        if self._playing:
            return self._task
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError("play() needs a running event loop, as in a Jupyter kernel, where the "
                               "Play button calls it; in a script call view.run(100) to train 100 "
                               "steps, or await view.play() inside asyncio.run(...)") from None
        for other in playing_views():
            other.pause()
        self._playing = True
        self.error, self.interrupted = "", False
        self.play_button.description, self.play_button.icon = "Pause", "pause"
        self._task = loop.create_task(self._loop())
        return self._task

    def pause(self):
        """Stop Play. A step under way when Pause is pressed is undone: the picture stays as it was."""
        self._playing = False
        if self._task is None or self._task.done():
            self._show_play()

    def _show_play(self):
        self.play_button.description, self.play_button.icon = "Play", "play"

    async def _loop(self):
        frame_gap = 1.0 / FRAMES_PER_SECOND
        last_frame = time.monotonic() - frame_gap
        since_frame = 0
        started = self.steps
        try:
            while self._playing and self.steps - started < self.max_steps:
                _INTERRUPTS.claim()
                before = self._checkpoint()
                try:
                    self._train_step()
                    # Give the kernel a turn after every step. A few ms, not
                    # sleep(0): a click reaches its handler through several
                    # awaits, each needing a pass of the event loop, and with
                    # sleep(0) each pass waited a whole step.
                    await asyncio.sleep(TURN)
                except BaseException:
                    self._restore(before)      # a step cut short is not half kept
                    raise
                if not self._playing:
                    # Pause came while this step ran: undo it, so the picture
                    # stays what the learner saw when they pressed Pause.
                    self._restore(before)
                    break
                since_frame += 1
                now = time.monotonic()
                if since_frame >= self.steps_per_frame and now - last_frame >= frame_gap:
                    self._render()
                    last_frame, since_frame = now, 0
                    await asyncio.sleep(max(0.0, last_frame + frame_gap - time.monotonic()))
        except KeyboardInterrupt:         # an interrupt that reached the step itself
            self.interrupted = True
        except Exception as exc:          # e.g. a loss_fn that raises: say so, stop, no traceback
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._playing = False
            _INTERRUPTS.release()
            try:
                if self.steps != self._shown_steps:
                    self._render()        # steps trained between two frames are shown now
                else:
                    self._show_status()   # the picture is right; a note (interrupted, failed) may be new
            except Exception as exc:
                self.error = self.error or f"{type(exc).__name__}: {exc}"
                self._show_status()
            self._show_play()

    def _checkpoint(self):
        return [p.data for p in self.params], len(self.losses)

    def _restore(self, checkpoint):
        data, n_losses = checkpoint
        for p, x in zip(self.params, data):
            p.data = x
        del self.losses[n_losses:]

    # ---- drawing ----------------------------------------------------------

    def _make_figure(self, figsize):
        # A bare Figure, not pyplot: nothing is shown by the inline backend,
        # and no global figure list keeps it alive.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        self._fig = Figure(figsize=figsize if self._two_d else (figsize[0] / 2 + 0.5, figsize[1]), dpi=80)
        FigureCanvasAgg(self._fig)
        axes = self._fig.subplots(1, 2 if self._two_d else 1, squeeze=False)[0]
        self._ax_loss = axes[0]
        self._ax_loss.set_title("loss", fontsize=11)
        self._ax_loss.set_xlabel("steps taken")
        self._ax_loss.grid(alpha=0.3)
        self._ax_loss.xaxis.set_major_locator(MaxNLocator(integer=True))
        # Markers, so the first step's single point shows too.
        (self._loss_line,) = self._ax_loss.plot([], [], color="#2166ac", lw=1.6, marker="o", markersize=2.5,
                                                animated=True)
        self._ax_loss.set_xlim(-0.2, 10)
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
        width, _ = self._fig.canvas.get_width_height()
        # Its own size where it fits (stretched it would look blurred); in a
        # narrower output it shrinks, and height "auto" keeps its proportions.
        # (Minus the widget's margins, which would push it 2 px past the output's edge.)
        self.picture.layout = widgets.Layout(width=f"{width}px", height="auto",
                                             max_width="calc(100% - 2 * var(--jp-widgets-margin, 2px))")

    def _render(self):
        if self._two_d:
            import numpy as np

            self._map.set_data(np.sign(model_output_grid(self.model, self._xs, self._ys)))
        self._loss_line.set_data(range(len(self.losses)), self.losses)   # losses[k]: after k steps
        self.picture.value = self._draw_png(self._fit_loss_axes())
        self._shown_steps = self.steps
        self._show_status()

    def _show_status(self):
        # Theme colours, so the line reads in JupyterLab's light and dark themes.
        kind, colour = (("mgl-error", "var(--jp-error-color1, #b2182b)") if self.error
                        else ("mgl-status", "var(--jp-content-font-color1, #222)"))
        self.status.value = (f'<span class="{kind}" style="font-family:var(--jp-code-font-family,monospace);'
                             f'color:{colour}">{html.escape(self.status_text())}</span>')

    def status_text(self):
        """The status line: the step shown, its loss and the learning rate, or why training stopped."""
        text = (f"step {self.steps} · loss {format_number(self.loss)}"
                f" · learning rate {format_rate(self.learning_rate)}")
        if self.error:
            text += f" · training stopped: {self.error}"
        elif self.interrupted:
            text += " · paused by Kernel > Interrupt"
        return text

    def _fit_loss_axes(self):
        """Fit the loss axes, growing them in jumps; True when they changed (ticks need a full draw).

        Fresh (first draw, after Reset) they fit the curve; afterwards they only grow.
        """
        n = len(self.losses)
        finite = [x for x in self.losses if math.isfinite(x)]
        lo, hi = min(finite, default=0.0), max(finite, default=1.0)
        x_max = 10
        while x_max < n:
            x_max *= 2
        y = (min(0.0, lo * 1.1), max(hi * 1.1, 1e-3))
        old_x = self._ax_loss.get_xlim()[1]
        old_y = self._ax_loss.get_ylim()
        fresh = self._background is None
        if not fresh and old_x == x_max and old_y[0] <= y[0] and old_y[1] >= y[1]:
            return False
        x_max = x_max if fresh else max(x_max, old_x)
        self._ax_loss.set_xlim(-0.02 * x_max, x_max)     # a little room: step 0's point shows whole
        self._ax_loss.set_ylim(y if fresh else (min(y[0], old_y[0]), max(y[1], old_y[1])))
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
        kind = "2-D points, decision boundary shown" if self._two_d else f"{len(self.points[0])}-D points"
        return (f"training view: {type(self.model).__name__} with {len(self.params)} parameters, "
                f"{len(self.points)} points ({kind}), learning rate {format_rate(self.learning_rate)}\n"
                f"step {self.steps}, loss {format_number(self.loss)}")

    def static_svg(self):
        return None

    def static_png(self):
        return bytes(self.picture.value)       # the widget holds a memoryview; outputs want bytes
