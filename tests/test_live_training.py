"""training_view without a browser: steps, reset, the learning rate, Play/Pause on an event loop."""

import asyncio
import gc
import math

import pytest

from micrograd_lite import MLP, Neuron, Value
from micrograd_lite.datasets import make_moons
from micrograd_lite.live import training_view
from micrograd_lite.live.training import model_output_grid


def hinge(model, points, labels):
    losses = [(1 - y * model(list(x))).relu() for x, y in zip(points, labels)]
    return sum(losses) * (1.0 / len(losses))


@pytest.fixture
def moons():
    return make_moons(40, noise=0.1, seed=0)


def view_for(moons, **kw):
    points, labels = moons
    return training_view(MLP(2, [8, 8, 1], seed=1), points, labels, hinge, **kw)


def test_steps_lower_the_loss_and_are_reproducible(moons):
    a, b = view_for(moons, lr=0.2), view_for(moons, lr=0.2)
    a.run(8)
    for _ in range(8):
        b.step()
    assert len(a.losses) == 8
    assert a.losses[-1] < a.losses[0]
    assert a.losses == b.losses
    assert "step 8 " in a._status.value


def test_the_learning_rate_control_is_used(moons):
    view = view_for(moons, lr=0.1)
    before = [p.data for p in view.params]
    view.lr.value = 0.0001
    view.step()
    moved = max(abs(p.data - x) for p, x in zip(view.params, before))
    assert 0 < moved < 1e-3


def test_reset_puts_the_parameters_back(moons):
    view = view_for(moons, lr=0.3)
    start = [p.data for p in view.params]
    first_picture = view._image.value
    view.run(3)
    assert view._image.value != first_picture
    view.reset()
    assert [p.data for p in view.params] == start
    assert view.losses == [] and "step 0 " in view._status.value
    assert view.to_text() == view_for(moons, lr=0.3).to_text()


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


def test_any_model_gets_a_boundary_through_values():
    neuron = Neuron(2, rng=3)                # no layers: the slow, general path
    grid = model_output_grid(neuron, [0.0, 1.0], [2.0])
    assert grid[0, 1] == pytest.approx(neuron([1.0, 2.0]).data)


def test_points_that_are_not_2d_get_only_the_loss_curve():
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]

    def squared(model, xs, ys):               # lesson 08's loss: sum starts from the int 0
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
        assert view.playing and view._play_button.description == "Pause"
        while len(view.losses) < 3:
            await asyncio.sleep(0.01)          # other work (a Pause click) gets turns
        view.pause()
        await task
        return len(view.losses)

    stopped_at = asyncio.run(scenario())
    assert stopped_at >= 3
    assert len(view.losses) == stopped_at     # nothing ran after the pause
    assert not view.playing and view._play_button.description == "Play"


def test_play_stops_by_itself_after_max_steps(moons):
    view = view_for(moons, max_steps=4)

    async def scenario():
        await view.play()

    asyncio.run(scenario())
    assert len(view.losses) == 4 and not view.playing


def test_a_failing_loss_stops_play_with_a_message_not_a_traceback(moons):
    points, labels = moons
    calls = []

    def flaky(model, points, labels):
        calls.append(1)
        if len(calls) > 3:
            raise ZeroDivisionError("the loss broke")
        return hinge(model, points, labels)

    view = training_view(MLP(2, [4, 1], seed=0), points, labels, flaky)

    async def scenario():
        await view.play()

    asyncio.run(scenario())
    assert "the loss broke" in view.error and "the loss broke" in view._status.value
    assert not view.playing


def test_an_exploding_loss_shows_inf_or_nan_and_keeps_drawing(moons):
    view = view_for(moons, lr=1e6)
    view.run(3)
    view.step()
    assert view.frames >= 3
    assert not math.isfinite(view.losses[-1]) or abs(view.losses[-1]) > 0
