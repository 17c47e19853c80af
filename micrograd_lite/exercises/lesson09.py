"""Checks for lesson 09: the loss, the training loop and the learning rate.

Every expected number is computed here, by the reference loss and training
step below, on the lecture's four examples, never typed in.
"""

import math

from ..engine import Value
from ..nn import MLP
from . import THREE_FIGURES, CheckResult, as_number, call_learner, check_numbers, not_done, number_problem

# The lecture's dataset: four inputs of three numbers each, and their targets.
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]

SEED = 5                 # the lesson's network: MLP(3, [4, 4, 1], seed=5)
CHECK_STEPS = 6          # training steps the train_step check runs
CHECK_LR = 0.1
RATE_STEPS = 20          # the learning-rate exercise trains this long
GOOD_LOSS = 0.05         # ...and a good rate ends below this, never above where it started
BAD_LOSS = 1.0           # ...and a rate that is too big ends above this


def make_model():
    return MLP(3, [4, 4, 1], seed=SEED)


class WatchedMLP(MLP):
    """The lesson's network, counting its forward passes, so a check can tell
    whether train_step used the model it was given."""

    def __init__(self):
        super().__init__(3, [4, 4, 1], seed=SEED)
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        return super().__call__(x)


def squared_error(ypred, ys):
    """The lecture's loss: the sum of (prediction - target)**2 over the examples."""
    return sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))


def reference_step(model, xs, ys, lr, zero_grad=True, sign=-1.0, zero_after=False):
    """One step of gradient descent. The keyword arguments make the usual mistakes."""
    ypred = [model(x) for x in xs]
    loss = squared_error(ypred, ys)
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
    if isinstance(answer, (list, tuple)) or (hasattr(answer, "ndim") and getattr(answer, "ndim", 0) == 1):
        items = list(answer)
        if len(items) == length:
            return items, None
        return None, f"✗ {what} should be a list of {length} numbers, one per example; yours has {len(items)}"
    described = number_problem(answer) or f"one number, {answer!r}"
    return None, f"✗ {what} should be a list of {length} numbers, one per example, got {described}"


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
    for name, got, p, y in zip(names, grads, preds, YS):
        got = as_number(got)
        if not isinstance(got, float):
            continue
        if math.isclose(got, 2 * (y - p), rel_tol=THREE_FIGURES):
            hints[name] = "the sign is flipped: d/dp (p - y)**2 = 2 * (p - y), prediction minus target"
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
    if any(p.grad != 0 for p in params):
        return ("the grads are there but no parameter moved: `p = p - lr * p.grad` (or "
                "`p -= lr * p.grad`) only makes a new Value called p and leaves the parameter "
                "as it was. Change its data in place: p.data -= lr * p.grad")
    if isinstance(loss, Value) and loss.grad == 0:
        return "every grad is still 0: loss.backward() never ran. Call it before the update"
    return ("every grad is 0 when you step: zero_grad() runs after backward() and wipes them. "
            "Call it before backward()")


def _trajectory_problem(losses, expected):
    """Name the usual mistake whose losses these are, or None."""
    variants = {
        "the losses match at first and then drift: zero_grad() is missing, so each step "
        "also follows every earlier step's grads": dict(zero_grad=False),
        "the loss goes up: step against the grad, p.data -= lr * p.grad": dict(sign=+1.0),
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
        return (f"the first loss is 1/{len(XS)} of the expected one: that is the mean of the "
                "squared errors, and this lesson's loss is their sum")
    if math.isclose(losses[0], expected[0], rel_tol=1e-6):
        return ("the first loss is right, so the forward pass and loss are fine; "
                "look at zero_grad(), backward() and the update")
    return None


def check_train_step(train_step):
    """Exercise 2: train_step(model, xs, ys, lr) does one step and returns the loss."""
    if not callable(train_step):
        _, error = call_learner(train_step, name="train_step")
        return CheckResult(False, [f"✗ {error}"])
    expected = train(CHECK_LR, CHECK_STEPS + 1)
    model = WatchedMLP()
    losses, problem = [], None
    for step in range(CHECK_STEPS):
        before = [p.data for p in model.parameters()]
        got, error = call_learner(train_step, model, XS, YS, CHECK_LR, name="train_step")
        if error:
            return CheckResult(False, [f"✗ {error} (at step {step + 1})"])
        if step == 0:
            if got is None or got is Ellipsis:
                if model.calls == 0 and all(p.grad == 0 for p in model.parameters()):
                    return CheckResult(False, ["… not done yet: train_step returned nothing "
                                               "(fill it in, and return the loss)"])
                return CheckResult(False, ["✗ train_step returned None — did you forget `return loss`?"])
            if number_problem(got):
                return CheckResult(False, ["✗ train_step should return the loss (a Value, or its "
                                           f"number), got {number_problem(got)}"])
            problem = _first_step_problem(model, before, got)
        elif got is None:
            return CheckResult(False, [f"✗ train_step returned None at step {step + 1}"])
        losses.append(got)
    names = [f"loss at step {k + 1}" for k in range(CHECK_STEPS)]
    result = check_numbers(dict(zip(names, losses)), dict(zip(names, expected)), what="",
                           tolerance=1e-6, floor=1e-9)
    numbers = [as_number(x) for x in losses]
    if not result.passed and all(isinstance(x, float) for x in numbers):
        problem = problem or _trajectory_problem(numbers, expected)
        if problem:
            result.lines.insert(-1, "Hint: " + problem + ".")
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


def check_learning_rates(good=..., too_big=...):
    """Exercise 3: one rate that trains well in 20 steps, one that is too big."""
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
        start, final, peak = losses[0], losses[-1], max(losses[1:], key=lambda x: x if x == x else math.inf)
        blew_up = not math.isfinite(final) or final > BAD_LOSS
        said = f"{name} = {lr:g}: loss {final:.4f} after {RATE_STEPS} steps"
        if name == "good":
            if blew_up:
                lines.append(f"✗ {said}, not below {GOOD_LOSS}; the loss blew up, try a smaller rate")
            elif final >= GOOD_LOSS:
                lines.append(f"✗ {said}, not below {GOOD_LOSS}; still too slow, try a larger rate")
            elif not peak <= start:
                lines.append(f"✗ {said}, but on the way it leapt to {peak:.4f}, above the {start:.4f} "
                             "it started from. That rate was lucky, not good: a step overshot, and a "
                             "slightly different rate can leave the loss stuck up there. Try a smaller rate")
            else:
                right += 1
                lines.append(f"✓ {said}, and it never climbed above where it started")
        elif blew_up:
            right += 1
            lines.append(f"✓ {said}; the steps overshoot")
        else:
            lines.append(f"✗ {said}, which still trains (it should end above {BAD_LOSS}); "
                         "try a larger rate")
    lines.append("All right, well done!" if right == 2 else f"{right} of 2 right.")
    return CheckResult(right == 2, lines)
