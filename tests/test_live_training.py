"""training_view without a browser: steps, reset, the learning rate, Play/Pause on an event loop."""

import asyncio
import gc
import math
import os
import signal
import threading

import pytest

from micrograd_lite import MLP, Neuron, Value
from micrograd_lite.datasets import make_moons
from micrograd_lite.graph import format_number
from micrograd_lite.live import training_view
from micrograd_lite.live.training import model_output_grid, playing_views


def hinge(model, points, labels):
    losses = [(1 - y * model(list(x))).relu() for x, y in zip(points, labels)]
    return sum(losses) * (1.0 / len(losses))


@pytest.fixture
def moons():
    return make_moons(40, noise=0.1, seed=0)


def view_for(moons, **kw):
    points, labels = moons
    return training_view(MLP(2, [8, 8, 1], seed=1), points, labels, hinge, **kw)


def curve(view):
    """The loss curve the picture draws: (x, y) of its points."""
    (line,) = view.loss_axes.get_lines()
    return list(line.get_xdata()), list(line.get_ydata())


def test_steps_lower_the_loss_and_are_reproducible(moons):
    a, b = view_for(moons, lr=0.2), view_for(moons, lr=0.2)
    a.run(8)
    for _ in range(8):
        b.step()
    assert a.steps == 8 and len(a.losses) == 9
    assert a.losses[-1] < a.losses[0]
    assert a.losses == b.losses
    assert a.status_text().startswith("step 8 · ")


def test_the_status_and_the_picture_show_the_loss_after_the_last_step(moons):
    view = view_for(moons, lr=0.2)
    start = view.loss
    view.run(1)
    after = hinge(view.model, *moons).data          # measured afresh at the trained weights
    assert view.loss == after != start
    assert f"step 1 · loss {format_number(after)} " in view.status_text()
    assert format_number(after) in view.status.value
    assert curve(view) == ([0, 1], [start, after])


def test_the_learning_rate_control_is_used(moons):
    view = view_for(moons, lr=0.1)
    before = [p.data for p in view.params]
    view.lr.value = 0.0001
    view.step()
    moved = max(abs(p.data - x) for p, x in zip(view.params, before))
    assert 0 < moved < 1e-3


@pytest.mark.parametrize("lr", [0.5, 0.3, 0.1, 0.01, 1e-4])
def test_the_learning_rate_reads_as_the_number_set(moons, lr):
    view = view_for(moons, lr=lr)
    assert view.learning_rate == lr and view.lr.label == f"{lr:g}"
    assert f"learning rate {lr:g}" in view.status_text()
    rates = [value for _, value in view.lr.options]
    assert min(r for r in rates if r > 0) == 1e-4           # not 9.98e-05
    assert [label for label, _ in view.lr.options] == [f"{r:g}" for r in rates]
    assert 0.05 in rates and 0.3 in rates and 1.0 in rates


def test_a_learning_rate_off_the_slider_is_added_to_it(moons):
    view = view_for(moons, lr=0.07)
    assert view.lr.label == "0.07"
    view.learning_rate = 0.0042
    assert view.lr.label == "0.0042" and view.learning_rate == 0.0042
    rates = [value for _, value in view.lr.options]
    assert rates == sorted(rates) and 0.07 in rates


def test_a_learning_rate_of_zero_trains_nothing_and_raises_nothing(moons):
    view = view_for(moons, lr=0)                            # was: ValueError: math domain error
    before = [p.data for p in view.params]
    view.run(2)
    assert [p.data for p in view.params] == before
    assert view.losses == [view.losses[0]] * 3
    assert "learning rate 0" in view.status_text()


@pytest.mark.parametrize("lr, error, words", [("0.1", TypeError, "a number such as 0.05, not str"),
                                              (None, TypeError, "not NoneType"),
                                              (float("nan"), ValueError, "finite number"),
                                              (math.inf, ValueError, "finite number")])
def test_a_learning_rate_that_is_not_a_number_is_refused_by_name(moons, lr, error, words):
    with pytest.raises(error, match="lr \\(the learning rate\\)") as caught:
        view_for(moons, lr=lr)
    assert words in str(caught.value)


def test_a_loss_that_is_not_a_value_is_refused_when_the_view_is_made(moons):
    points, labels = moons
    with pytest.raises(TypeError, match="loss_fn should return a Value .* not float"):
        training_view(MLP(2, [4, 1], seed=0), points, labels, lambda m, p, l: 0.5)  # noqa: E741


def test_reset_puts_the_parameters_and_the_axes_back(moons):
    view = view_for(moons, lr=0.3)
    fresh = view_for(moons, lr=0.3)
    start = [p.data for p in view.params]
    first_picture = bytes(view.picture.value)
    view.lr.value = 5.0                      # overshoots: the loss axis grows
    view.run(25)                             # and the step axis goes past 10
    assert bytes(view.picture.value) != first_picture
    assert view.loss_axes.get_xlim() != fresh.loss_axes.get_xlim()
    assert view.loss_axes.get_ylim() != fresh.loss_axes.get_ylim()
    view.lr.value = 0.3
    view.reset()
    assert [p.data for p in view.params] == start
    assert view.losses == fresh.losses and view.status_text().startswith("step 0 · ")
    assert view.loss_axes.get_xlim() == fresh.loss_axes.get_xlim()
    assert view.loss_axes.get_ylim() == fresh.loss_axes.get_ylim()
    assert bytes(view.picture.value) == bytes(fresh.picture.value)
    assert view.to_text() == fresh.to_text()


def test_saved_output_is_deterministic_text_and_a_png(moons):
    b1, b2 = view_for(moons)._repr_mimebundle_(), view_for(moons)._repr_mimebundle_()
    assert b1["text/plain"] == b2["text/plain"]
    assert b1["text/plain"].startswith("training view: MLP with 105 parameters, 40 points (2-D points")
    assert "step 0, loss" in b1["text/plain"]
    assert b1["image/png"].startswith(b"\x89PNG")
    assert "image/svg+xml" not in b1


@pytest.mark.parametrize("kw", [dict(), dict(activation="relu"), dict(linear_output=True)])
def test_the_numpy_boundary_equals_the_models_own_output(kw):
    model = MLP(2, [5, 3, 1], seed=4, **kw)
    xs, ys = [-1.0, 0.0, 0.7], [-0.5, 1.5]
    grid = model_output_grid(model, xs, ys)
    for r, y in enumerate(ys):
        for c, x in enumerate(xs):
            assert grid[r, c] == pytest.approx(model([Value(x), Value(y)]).data, abs=1e-12)


def test_the_boundary_follows_an_mlp_subclass_with_its_own_call():
    class Shifted(MLP):                      # its own forward pass: the numpy copy of MLP's would be wrong
        def __call__(self, x):
            return super().__call__(x) - 0.5

    model = Shifted(2, [4, 1], seed=2)
    grid = model_output_grid(model, [0.0, 1.0], [-1.0])
    assert grid[0, 0] == pytest.approx(model([0.0, -1.0]).data)
    assert grid[0, 1] == pytest.approx(model([1.0, -1.0]).data)


def test_any_model_gets_a_boundary_through_values():
    neuron = Neuron(2, rng=3)                # no layers: the slow, general path
    grid = model_output_grid(neuron, [0.0, 1.0], [2.0])
    assert grid[0, 1] == pytest.approx(neuron([1.0, 2.0]).data)


def test_points_that_are_not_2d_get_only_the_loss_curve():
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]

    def squared(model, xs, ys):               # lesson 09's loss: sum starts from the int 0
        return sum((model(x) - y) ** 2 for x, y in zip(xs, ys))

    view = training_view(MLP(3, [4, 4, 1], seed=5), xs, ys, squared, lr=0.1)
    view.run(20)
    assert view.losses[-1] < view.losses[0]
    assert "3-D points" in view.to_text()


def test_the_garbage_collector_is_back_on_after_a_step(moons):
    view = view_for(moons)
    view.step()
    assert gc.isenabled()


def test_play_runs_on_the_event_loop_and_pause_stops_it(moons):
    view = view_for(moons, lr=0.1)

    async def scenario():
        task = view.play()
        assert view.playing and view.play_button.description == "Pause"
        while view.steps < 3:
            await asyncio.sleep(0.01)          # other work (a Pause click) gets turns
        view.pause()
        await task
        return view.steps

    stopped_at = asyncio.run(scenario())
    assert stopped_at >= 2                    # a step under way at the pause is undone
    assert view.steps == stopped_at           # nothing ran after the pause
    assert not view.playing and view.play_button.description == "Play"
    assert curve(view)[0][-1] == stopped_at and view.status_text().startswith(f"step {stopped_at} · ")


def test_a_step_under_way_when_pause_is_pressed_is_undone(moons):
    points, labels = moons
    calls = []

    def pausing(model, points, labels):     # Pause clicked while the second step runs
        calls.append(1)
        if len(calls) == 4:                  # 1: the view's start, 2-3: step 1, 4: step 2
            view.pause()
        return hinge(model, points, labels)

    view = training_view(MLP(2, [4, 1], seed=0), points, labels, pausing, lr=0.3)
    replay = training_view(MLP(2, [4, 1], seed=0), points, labels, hinge, lr=0.3)
    replay.run(1)
    asyncio.run(scenario_play(view))
    assert view.steps == 1 and view.losses == replay.losses
    assert [p.data for p in view.params] == [p.data for p in replay.params]
    assert curve(view) == ([0, 1], replay.losses)


@pytest.mark.parametrize("steps_per_frame", [1, 3])
def test_play_gives_the_kernel_a_turn_after_every_step(moons, steps_per_frame):
    view = view_for(moons, lr=0.1, steps_per_frame=steps_per_frame, max_steps=12)
    seen = []

    async def scenario():
        task = view.play()
        while not task.done():
            seen.append(view.steps)            # runs between two steps, or Play held the loop
            await asyncio.sleep(0)
        await task

    asyncio.run(scenario())
    assert view.steps == 12
    assert max(b - a for a, b in zip(seen, seen[1:])) == 1


def test_play_keeps_up_with_weights_moved_while_it_plays(moons):
    # While playing, a step reuses the forward pass that measured the last
    # loss. If the learner moves a weight in between, that graph is stale.
    played, replayed = view_for(moons, lr=0.1, max_steps=6), view_for(moons, lr=0.1)
    moved_at = []

    async def scenario():
        task = played.play()
        while not task.done():
            if played.steps == 2 and not moved_at:
                played.params[0].data += 0.5       # between two steps of the running loop
                moved_at.append(played.steps)
            await asyncio.sleep(0)
        await task

    asyncio.run(scenario())
    assert moved_at == [2] and played.steps == 6
    replayed.run(2)
    replayed.params[0].data += 0.5
    replayed.run(4)
    assert played.losses == replayed.losses


async def scenario_play(view):
    await view.play()


def test_play_outside_an_event_loop_says_what_to_do(moons):
    view = view_for(moons, max_steps=3)
    with pytest.raises(RuntimeError, match=r"running event loop.*view\.run\(100\)"):
        view.play()
    assert not view.playing and view.play_button.description == "Play"


def test_play_stops_by_itself_after_max_steps(moons):
    view = view_for(moons, max_steps=4)
    asyncio.run(scenario_play(view))
    assert view.steps == 4 and not view.playing


def test_one_view_trains_at_a_time(moons):
    first = view_for(moons, lr=0.1, max_steps=50)

    async def scenario():
        task = first.play()
        await asyncio.sleep(0)
        second = view_for(moons, lr=0.1)     # the cell is run again: the old view stops
        await task
        assert first.steps < 50 and playing_views() == []
        third = view_for(moons, lr=0.1)
        second_task, third_task = second.play(), third.play()
        await second_task                    # Play on the third paused the second
        assert playing_views() == [third]
        third.pause()
        await third_task

    asyncio.run(scenario())
    assert playing_views() == []


def test_kernel_interrupt_pauses_play(moons):
    # ipykernel ignores SIGINT between messages; Kernel > Interrupt sends it.
    view = view_for(moons, lr=0.1)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        async def scenario():
            task = view.play()
            while view.steps < 2:
                await asyncio.sleep(0.001)
            os.kill(os.getpid(), signal.SIGINT)
            await asyncio.wait_for(task, timeout=30)

        asyncio.run(scenario())
        assert not view.playing and view.interrupted
        assert "paused by Kernel > Interrupt" in view.status_text()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN     # handed back when Play stops
    finally:
        signal.signal(signal.SIGINT, previous)


def test_kernel_interrupt_pauses_play_running_on_another_thread(moons):
    # ipykernel 7 may handle the Play click on a subshell's thread, with its
    # own event loop; the signal still arrives in the main thread.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        async def main_thread():
            view = view_for(moons, lr=0.1, max_steps=200)   # made in a cell, on the main thread
            subshell = threading.Thread(target=lambda: asyncio.run(scenario_play(view)))
            subshell.start()
            for _ in range(10_000):                   # a few seconds at most
                if view.steps >= 2 and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
                    break
                await asyncio.sleep(0.001)
            os.kill(os.getpid(), signal.SIGINT)
            while subshell.is_alive():
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)                # the handler is handed back on this loop
            return view

        view = asyncio.run(main_thread())
        assert not view.playing and view.interrupted
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_keyboard_interrupt_inside_a_step_stops_play_not_the_event_loop(moons):
    points, labels = moons
    calls = []

    def interrupted(model, points, labels):
        calls.append(1)
        if len(calls) > 3:
            raise KeyboardInterrupt
        return hinge(model, points, labels)

    view = training_view(MLP(2, [4, 1], seed=0), points, labels, interrupted)
    asyncio.run(scenario_play(view))
    assert view.interrupted and not view.playing and view.error == ""


def test_a_failing_loss_stops_play_with_a_message_not_a_traceback(moons):
    points, labels = moons
    calls = []

    def flaky(model, points, labels):
        calls.append(1)
        if len(calls) > 3:
            raise ZeroDivisionError("the loss broke")
        return hinge(model, points, labels)

    view = training_view(MLP(2, [4, 1], seed=0), points, labels, flaky)
    asyncio.run(scenario_play(view))
    assert "the loss broke" in view.error and "the loss broke" in view.status.value
    assert "mgl-error" in view.status.value
    assert not view.playing


def test_an_exploding_loss_shows_inf_or_nan_and_keeps_drawing(moons):
    view = view_for(moons, lr=1e6)
    pictures = set()
    for _ in range(4):
        view.step()
        pictures.add(bytes(view.picture.value))
    assert len(pictures) > 1
    assert not math.isfinite(view.loss) or view.loss > view.losses[0]
    assert format_number(view.loss) in view.status_text()
