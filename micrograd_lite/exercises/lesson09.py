"""Checks for lesson 09: the loss, the training step and the learning rate.

Every expected number is computed here, by the reference loss and training
step below, on the lecture's four examples, never typed in.

The loss is the lecture's: the SUM of the squared errors. A learner who
averages them (the mean squared error) gets a hint naming that, not a pass:
the lesson defines its loss as the sum, its learning rates are chosen for the
sum (the mean's grads are 4 times smaller, so the same rate trains 4 times
slower), and the numbers each exercise compares are the sum's.
"""

import math

from ..engine import Value
from ..nn import MLP
from . import (
    THREE_FIGURES,
    CheckResult,
    _short,
    as_number,
    call_learner,
    check_numbers,
    describe,
    is_a,
    never_raises,
    not_done,
    number_problem,
)

# The lecture's dataset: four inputs of three numbers each, and their targets.
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]

SEED = 5                 # the lesson's network: MLP(3, [4, 4, 1], seed=5)
CHECK_STEPS = 6          # training steps the train_step check runs
CHECK_LR = 0.1
RATE_STEPS = 20          # the learning-rate exercise trains this long
GOOD_LOSS = 0.02         # ...and a good rate ends below this (the lesson's 0.1 reaches 0.0299),
                         # the loss falling at every step on the way
BAD_LOSS = 1.0           # ...and a rate that is too big ends above this, after the loss went up



def make_model():
    return MLP(3, [4, 4, 1], seed=SEED)


_DATA = Value.data       # the slot that holds a Value's number


class _WatchedParameter(Value):
    """A parameter that notes the grad it had each time its data was written,
    so a check can tell an update that ran before backward() (every grad 0)
    from one that never wrote the parameter at all (p = p - lr * p.grad)."""

    __slots__ = ("grads_at_writes",)

    @property
    def data(self):
        return _DATA.__get__(self)

    @data.setter
    def data(self, number):
        _DATA.__set__(self, number)
        try:
            self.grads_at_writes.append(self.grad)
        except AttributeError:           # still inside __init__
            pass


class WatchedMLP(MLP):
    """The lesson's network, counting its forward passes and zero_grad() calls
    and watching its parameters, so a check can tell what train_step did."""

    def __init__(self):
        super().__init__(3, [4, 4, 1], seed=SEED)
        for layer in self.layers:
            for neuron in layer.neurons:
                neuron.w = [_watched(w) for w in neuron.w]
                neuron.b = _watched(neuron.b)
        self.calls = 0
        self.zero_grad_calls = 0

    def __call__(self, x):
        self.calls += 1
        return super().__call__(x)

    def zero_grad(self):
        self.zero_grad_calls += 1
        super().zero_grad()

    def forget_writes(self):
        for p in self.parameters():
            p.grads_at_writes = []


def _watched(value):
    watched = _WatchedParameter(value.data, label=value.label)
    watched.grads_at_writes = []
    return watched


def squared_error(ypred, ys):
    """The lecture's loss: the sum of (prediction - target)**2 over the examples."""
    return sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))


def reference_train_step(model, xs, ys, lr):
    """One step of gradient descent, as the lesson's exercise asks for it: the loss Value."""
    ypred = [model(x) for x in xs]
    loss = squared_error(ypred, ys)
    for p in model.parameters():
        p.grad = 0.0
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def reference_step(model, xs, ys, lr, zero_grad=True, sign=-1.0, zero_after=False, mean=False):
    """One step of gradient descent, its loss as a number. The keyword arguments make the usual mistakes."""
    ypred = [model(x) for x in xs]
    loss = squared_error(ypred, ys)
    if mean:
        loss = loss / len(ys)
    if zero_grad and not zero_after:
        model.zero_grad()
    loss.backward()
    if zero_after:
        model.zero_grad()
    for p in model.parameters():
        p.data += sign * lr * p.grad
    return loss.data


def train(lr, steps, zero_grad=True):
    """Losses of `steps` steps on a fresh lesson network."""
    model = make_model()
    return [reference_step(model, XS, YS, lr, zero_grad=zero_grad) for _ in range(steps)]


def prediction_grads():
    """The lesson network's predictions on XS and d(loss)/d(prediction) for each, by backward()."""
    model = make_model()
    ypred = [model(x) for x in XS]
    loss = squared_error(ypred, YS)
    loss.backward()
    return [p.data for p in ypred], [p.grad for p in ypred]


def _as_list(answer, length, what):
    """(the answer as a list, None) or (None, a ✗ line saying why it is not a list of `length`)."""
    try:
        one_dimensional = getattr(answer, "ndim", 0) == 1
    except Exception:
        one_dimensional = False
    if is_a(answer, (list, tuple)) or one_dimensional:
        try:
            items = list(answer)
        except Exception as error:
            return None, f"✗ {what} could not be read as a list: {type(error).__name__}"
        if len(items) == length:
            return items, None
        return None, f"✗ {what} should be a list of {length} numbers, one per example; yours has {len(items)}"
    described = number_problem(answer) or f"one number, {_short(answer)}"
    return None, f"✗ {what} should be a list of {length} numbers, one per example, got {described}"


@never_raises
def check_prediction_grads(grads):
    """Exercise 1: d(loss)/d(ypred[i]) for the untrained network, predicted before backward()."""
    preds, want = prediction_grads()
    names = [f"ypred[{i}]" for i in range(len(YS))]
    if not_done(grads):
        grads = [...] * len(YS)
    grads, problem = _as_list(grads, len(YS), "my_grads")
    if problem:
        return CheckResult(False, [problem])
    hints = {}
    n = len(YS)
    for name, got, p, y in zip(names, grads, preds, YS):
        got = as_number(got)
        if not is_a(got, float):
            continue
        if math.isclose(got, 2 * (y - p), rel_tol=THREE_FIGURES):
            hints[name] = "the sign is flipped: d/dp (p - y)**2 = 2 * (p - y), prediction minus target"
        elif math.isclose(got, 2 * (p - y) / n, rel_tol=THREE_FIGURES):
            hints[name] = (f"that is 1/{n} of it: you averaged over the {n} examples. This lesson's loss "
                           f"is the sum of the squared errors, not their mean, so the grad is 2 * (p - y)")
        elif math.isclose(got, p - y, rel_tol=THREE_FIGURES):
            hints[name] = "the power rule brings down a 2: 2 * (p - y)"
        elif math.isclose(got, (p - y) ** 2, rel_tol=THREE_FIGURES):
            hints[name] = "that is this example's loss; its grad is the derivative, 2 * (p - y)"
        elif got == 0:
            hints[name] = ("0 is what ypred[i].grad holds before backward(); work it out from "
                           "ypred[i].data and ys[i]: 2 * (p - y)")
        else:
            hints[name] = f"the prediction is {p:.4f} and the target {y:g}; the grad is 2 * (p - y)"
    return check_numbers(dict(zip(names, grads)), dict(zip(names, want)), what="grad",
                         tolerance=THREE_FIGURES, hints=hints)


def _first_step_problem(model, before, loss):
    """What train_step's first call did wrong to the model, judged from the model itself, or None."""
    if model.calls == 0:
        return ("train_step never ran the model it was given. A new MLP built inside it starts "
                "from scratch at every step, and the notebook's own `model` is not the one being "
                "trained: use the `model` argument")
    params = model.parameters()
    if any(p.data != old for p, old in zip(params, before)):
        return None
    written = [g for p in params for g in p.grads_at_writes]
    if any(p.grad != 0 for p in params):
        if written and all(g == 0 for g in written):
            return ("your update ran before loss.backward(): at that moment every grad was still 0, "
                    "so no parameter moved (and at later steps the update would use the grads of the "
                    "step before). Call loss.backward() first, then update the parameters")
        if written:
            return ("your update wrote every parameter's data but left it as it was: "
                    "p.data -= lr * p.grad")
        return ("the grads are there but no parameter moved: `p = p - lr * p.grad` (or "
                "`p -= lr * p.grad`) only makes a new Value called p and leaves the parameter "
                "as it was. Change its data in place: p.data -= lr * p.grad")
    if loss.grad == 0:
        return "every grad is still 0: loss.backward() never ran. Call it before the update"
    return ("every grad is 0 when you step: the grads are set back to 0 after backward(), which wipes "
            "them. Reset them before backward(), or after the update")


def _trajectory_problem(losses, expected):
    """Name the usual mistake whose losses these are, or None."""
    variants = {
        "the losses match at first and then drift: the grads are never set back to 0, so "
        "backward() adds each step's grads to all the earlier ones and the update follows their sum. "
        "Before loss.backward(), set p.grad = 0.0 for every parameter": dict(zero_grad=False),
        "the loss goes up: step against the grad, p.data -= lr * p.grad": dict(sign=+1.0),
        f"you averaged: the losses are those of the mean of the squared errors (the sum divided by "
        f"{len(XS)}). This lesson's loss is their sum, as in the lecture": dict(mean=True),
    }
    for hint, mistake in variants.items():
        model = make_model()
        theirs = [reference_step(model, XS, YS, CHECK_LR, **mistake) for _ in range(len(losses))]
        if all(math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) for a, b in zip(losses, theirs)):
            return hint
    if all(math.isclose(a, b, rel_tol=1e-6) for a, b in zip(losses, expected[1:])):
        return ("each loss is the one of the step after: return the loss computed before "
                "the update, not a new one after it")
    if math.isclose(losses[0], expected[0] / len(XS), rel_tol=1e-6):
        return (f"you averaged: the first loss is 1/{len(XS)} of the expected one, the mean of the "
                "squared errors. This lesson's loss is their sum, as in the lecture")
    if math.isclose(losses[0], expected[0], rel_tol=1e-6):
        return ("the first loss is right, so the forward pass and loss are fine; "
                "look at the reset of the grads, backward() and the update")
    return None


@never_raises
def check_train_step(train_step):
    """Exercise 2: train_step(model, xs, ys, lr) does one step and returns the loss Value."""
    if not callable(train_step):
        _, error = call_learner(train_step, name="train_step")
        return CheckResult(False, [f"✗ {error}"])
    expected = train(CHECK_LR, CHECK_STEPS + 1)
    model = WatchedMLP()
    losses, problem = [], None
    for step in range(CHECK_STEPS):
        before = [p.data for p in model.parameters()]
        model.forget_writes()
        got, error = call_learner(train_step, model, XS, YS, CHECK_LR, name="train_step")
        if error:
            return CheckResult(False, [f"✗ {error} (at step {step})"])
        if step == 0:
            if got is None or got is Ellipsis:
                if model.calls == 0 and all(p.grad == 0 for p in model.parameters()):
                    return CheckResult(False, ["… not done yet: train_step returned nothing "
                                               "(fill it in, and return the loss)"])
                return CheckResult(False, ["✗ train_step returned None — did you forget `return loss`?"])
            if number_problem(got):
                return CheckResult(False, ["✗ train_step should return the loss Value, "
                                           f"got {number_problem(got)}"])
            if not is_a(got, Value):
                return CheckResult(False, [f"✗ train_step returned {describe(got)}: return the loss Value "
                                           "itself, not its number. The cells below read loss.data, as "
                                           "the lecture's loop does"])
            problem = _first_step_problem(model, before, got)
        elif got is None:
            return CheckResult(False, [f"✗ train_step returned None at step {step}"])
        losses.append(got)
    names = [f"loss at step {k}" for k in range(CHECK_STEPS)]      # counted from 0, as the lesson does
    result = check_numbers(dict(zip(names, losses)), dict(zip(names, expected)), what="",
                           tolerance=1e-6, floor=1e-9)
    numbers = [as_number(x) for x in losses]
    if not result.passed and all(is_a(x, float) for x in numbers):
        problem = problem or _trajectory_problem(numbers, expected)
        if problem:
            result.lines.insert(-1, "Hint: " + problem + ".")
    if result.passed and model.zero_grad_calls:
        result.lines.insert(-1, "(You called model.zero_grad(); it runs exactly the loop "
                                "`for p in model.parameters(): p.grad = 0.0`.)")
    return result


def _rate_problem(lr):
    """None for a usable learning rate, else the reason it is not one."""
    if number_problem(lr):
        return f"should be a number, got {number_problem(lr)}"
    lr = as_number(lr)
    if not (math.isfinite(lr) and lr > 0):
        return (f"= {lr!r}: a learning rate is a finite positive number "
                "(a negative one would climb the loss)")
    return None


def _losses(lr):
    try:
        return train(lr, RATE_STEPS)
    except Exception:           # an absurd rate may overflow somewhere: that is a blow-up too
        return [math.nan] * RATE_STEPS


def first_rise(losses):
    """(step, loss before, loss after) of the first step at which the loss went up, or None."""
    for k in range(1, len(losses)):
        if not losses[k] <= losses[k - 1]:          # nan counts as going up
            return k, losses[k - 1], losses[k]
    return None


@never_raises
def check_learning_rates(good=..., too_big=...):
    """Exercise 3: a rate faster than the lesson's 0.1 that never lets the loss rise, and one too big."""
    lines, right = [], 0
    for name, lr in (("good", good), ("too_big", too_big)):
        if not_done(lr):
            lines.append(f"… {name}: not done yet (replace the ... with a learning rate)")
            continue
        problem = _rate_problem(lr)
        if problem:
            lines.append(f"✗ {name} {problem}")
            continue
        lr = as_number(lr)
        losses = _losses(lr)
        final, rise = losses[-1], first_rise(losses)
        ends_high = not math.isfinite(final) or final > BAD_LOSS
        said = f"{name} = {lr:g}: loss {final:.4f} after {RATE_STEPS} steps"
        went_up = f"at step {rise[0]} it rose from {rise[1]:.4f} to {rise[2]:.4f}" if rise else ""
        if name == "good":
            if rise and ends_high:
                lines.append(f"✗ {said}; {went_up} and it never came back down: try a smaller rate")
            elif rise:
                lines.append(f"✗ {said}, but {went_up}: a step overshot, and the loss only came back "
                             "down by luck. A good rate lets it fall at every step: try a smaller one")
            elif final >= GOOD_LOSS:
                lines.append(f"✗ {said}, not below {GOOD_LOSS}: it falls at every step, but too slowly. "
                             "Try a larger rate")
            else:
                right += 1
                lines.append(f"✓ {said}, below {GOOD_LOSS}, and it fell at every step")
        elif ends_high and rise:
            right += 1
            lines.append(f"✓ {said}; {went_up}: the steps overshoot")
        elif ends_high:
            lines.append(f"✗ {said}, above {BAD_LOSS:g}, but only because the steps are tiny: it falls "
                         "at every step. Too big means the steps overshoot: try a much larger rate")
        else:
            lines.append(f"✗ {said}, which still trains (it should end above {BAD_LOSS:g}); "
                         "try a larger rate")
    lines.append("All right, well done!" if right == 2 else f"{right} of 2 right.")
    return CheckResult(right == 2, lines)
