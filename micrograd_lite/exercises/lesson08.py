"""Checks for lesson 08: the loss, the training loop and the learning rate.

Every expected number is computed here, by the reference loss and training
step below, on the lecture's four examples, never typed in.
"""

import math

from . import CheckResult, as_number, call_learner, check_numbers, not_done
from ..nn import MLP

# The lecture's dataset: four inputs of three numbers each, and their targets.
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]

SEED = 5                 # the lesson's network: MLP(3, [4, 4, 1], seed=5)
CHECK_STEPS = 6          # training steps the train_step check runs
CHECK_LR = 0.1
RATE_STEPS = 20          # the learning-rate exercise trains this long
GOOD_LOSS = 0.05         # ...and a good rate ends below this
BAD_LOSS = 1.0           # ...and a rate that is too big ends above this


def make_model():
    return MLP(3, [4, 4, 1], seed=SEED)


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


def check_prediction_grads(grads):
    """Exercise 1: d(loss)/d(ypred[i]) for the untrained network, predicted before backward()."""
    preds, want = prediction_grads()
    names = [f"ypred[{i}]" for i in range(len(YS))]
    if not_done(grads) or (isinstance(grads, (list, tuple)) and all(not_done(g) for g in grads)):
        grads = [...] * len(YS)
    if not isinstance(grads, (list, tuple)) or len(grads) != len(YS):
        return CheckResult(False, [f"✗ grads should be a list of {len(YS)} numbers, one per example"])
    hints = {}
    for name, got, p, y in zip(names, grads, preds, YS):
        got = as_number(got)
        if not isinstance(got, (int, float)):
            continue
        if math.isclose(got, 2 * (y - p), rel_tol=1e-4):
            hints[name] = "the sign is flipped: d/dp (p - y)**2 = 2 * (p - y), prediction minus target"
        elif math.isclose(got, p - y, rel_tol=1e-4):
            hints[name] = "the power rule brings down a 2: 2 * (p - y)"
        elif math.isclose(got, (p - y) ** 2, rel_tol=1e-4):
            hints[name] = "that is this example's loss; its grad is the derivative, 2 * (p - y)"
        else:
            hints[name] = f"the prediction is {p:.4f} and the target {y:g}; the grad is 2 * (p - y)"
    return check_numbers(dict(zip(names, grads)), dict(zip(names, want)), what="grad", hints=hints)


def _mistake(losses):
    """Name the usual mistake whose losses these are, or None."""
    variants = {
        "the losses match at first and then drift: zero_grad() is missing, so each step "
        "also follows every earlier step's grads": dict(zero_grad=False),
        "the loss goes up: step against the grad, p.data -= lr * p.grad": dict(sign=+1.0),
        "the loss never changes: zero_grad() runs after backward(), so every grad is 0 "
        "when you step. Call it before backward()": dict(zero_after=True),
    }
    for hint, mistake in variants.items():
        model = make_model()
        theirs = [reference_step(model, XS, YS, CHECK_LR, **mistake) for _ in range(CHECK_STEPS)]
        if all(math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) for a, b in zip(losses, theirs)):
            return hint
    return None


def check_train_step(train_step):
    """Exercise 2: train_step(model, xs, ys, lr) does one step and returns the loss."""
    expected = train(CHECK_LR, CHECK_STEPS)
    model = make_model()
    losses = []
    for step in range(CHECK_STEPS):
        got, error = call_learner(train_step, model, XS, YS, CHECK_LR)
        if error:
            return CheckResult(False, [f"✗ train_step raised {error} at step {step + 1}"])
        if not_done(got):
            if step == 0:
                return CheckResult(False, ["… not done yet: train_step returned nothing "
                                           "(fill it in, and return the loss)"])
            return CheckResult(False, [f"✗ train_step returned nothing at step {step + 1}"])
        losses.append(as_number(got))
    names = [f"loss at step {k + 1}" for k in range(CHECK_STEPS)]
    result = check_numbers(dict(zip(names, losses)), dict(zip(names, expected)), tolerance=1e-6)
    result.lines = [line.replace(" value", "") for line in result.lines]
    if not result.passed and all(isinstance(x, (int, float)) for x in losses):
        hint = _mistake(losses)
        if hint is None and math.isclose(losses[0], expected[0]):
            hint = ("the first loss is right, so the forward pass and loss are fine; "
                    "look at zero_grad(), backward() and the update")
        if hint:
            result.lines.insert(-1, "Hint: " + hint + ".")
    return result


def check_learning_rates(good=..., too_big=...):
    """Exercise 3: one rate that trains well in 20 steps, one that is too big."""
    lines, right = [], 0
    for name, lr in (("good", good), ("too_big", too_big)):
        if not_done(lr):
            lines.append(f"… {name}: not done yet (replace the ... with a learning rate)")
            continue
        if not isinstance(lr, (int, float)) or not lr > 0:
            lines.append(f"✗ {name} = {lr!r}: a learning rate is a positive number "
                         "(a negative one would climb the loss)")
            continue
        final = train(lr, RATE_STEPS)[-1]
        if name == "good" and final < GOOD_LOSS:
            right += 1
            lines.append(f"✓ good = {lr:g}: loss {final:.4f} after {RATE_STEPS} steps")
        elif name == "good":
            advice = ("the loss blew up, try a smaller rate" if final > BAD_LOSS or not math.isfinite(final)
                      else "still too slow, try a larger rate")
            lines.append(f"✗ good = {lr:g}: loss {final:.4f} after {RATE_STEPS} steps, "
                         f"not below {GOOD_LOSS}; {advice}")
        elif final > BAD_LOSS or not math.isfinite(final):
            right += 1
            lines.append(f"✓ too_big = {lr:g}: loss {final:.4f} after {RATE_STEPS} steps; the steps overshoot")
        else:
            lines.append(f"✗ too_big = {lr:g}: loss {final:.4f} after {RATE_STEPS} steps, which still "
                         f"trains (it should end above {BAD_LOSS}); try a larger rate")
    lines.append("All right, well done!" if right == 2 else f"{right} of 2 right.")
    return CheckResult(right == 2, lines)
