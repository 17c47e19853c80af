"""Checking a learner's own neuron, layer or MLP class against micrograd_lite.nn.

`check_class` builds the learner's network for each Shape it is given, sets
every parameter it finds through `parameters()` to chosen numbers, runs it on
chosen inputs and compares the output and every parameter's grad with the
package's class holding the same numbers. Any correct implementation passes
(loops or list comprehensions, a layer of one neuron returning a Value or a
list of one, each neuron's bias listed after or before its weights); each
typical mistake gets its own hint. Lesson 08's checks are built on it.
"""

import random
from dataclasses import dataclass

from ..engine import Value
from ..nn import MLP, Layer, Module, Neuron
from . import CheckResult, _short, as_number, call_learner, error_text, is_a, not_done

# The inputs each network is run on: plain floats, as in the lecture, none 0
# (so every weight gets a grad) and all different.
INPUTS = {2: [0.5, -1.5], 3: [2.0, -1.0, 0.5]}


@dataclass
class Shape:
    """One network to try: its kind, constructor arguments and (nin, nout) per layer."""
    kind: str              # "neuron", "layer" or "mlp"
    args: tuple

    @property
    def layers(self):
        if self.kind == "neuron":
            return [(self.args[0], 1)]
        if self.kind == "layer":
            return [self.args]
        sizes = [self.args[0]] + list(self.args[1])
        return list(zip(sizes[:-1], sizes[1:]))

    @property
    def nin(self):
        return self.args[0]

    @property
    def outputs(self):
        return self.layers[-1][1]

    def count(self, layers=None):
        return sum(nout * (nin + 1) for nin, nout in (layers or self.layers))

    def call(self, cls_name):
        return f"{cls_name}({', '.join(map(str, self.args))})"

    def reference(self, activation="tanh"):
        """The package's own Neuron, Layer or MLP of this shape."""
        if self.kind == "neuron":
            return Neuron(self.nin, activation, rng=0)
        if self.kind == "layer":
            return Layer(*self.args, activation, rng=0)
        return MLP(*self.args, activation, seed=0)

    def role(self, index):
        """'the bias of neuron 1', 'weight 2 of neuron 0 in layer 1', ... for a canonical position."""
        for i, (nin, nout) in enumerate(self.layers):
            if index < nout * (nin + 1):
                neuron, k = divmod(index, nin + 1)
                where = "" if self.kind == "neuron" else f" of neuron {neuron}"
                where += f" in layer {i}" if self.kind == "mlp" else ""
                return (f"the bias{where}" if k == nin else f"weight {k}{where}").strip()
            index -= nout * (nin + 1)
        return f"item {index}"


def check_class(cls, shapes, expected_name):
    """Check the learner's class `cls` on each Shape; never raises, whatever `cls` is."""
    if not_done(cls):
        return CheckResult(False, [f"… {expected_name}: not done yet (write the class and pass it in)"])
    if not is_a(cls, type):
        return CheckResult(False, [f"✗ pass your class {expected_name} itself, not "
                                   f"{type(cls).__name__} {_short(cls)}"])
    try:
        is_the_package_s = issubclass(cls, Module)
    except Exception:                     # a metaclass that raises: not a class we can build anyway
        is_the_package_s = False
    if is_the_package_s:
        return CheckResult(False, [f"✗ {cls.__name__} is (or is built on) the package's own class from "
                                   f"micrograd_lite.nn; write {expected_name} yourself, on top of Value"])
    lines = []
    for shape in shapes:
        try:
            line, about_this_shape = _check_shape(cls, shape)
        except Exception as error:      # the learner's objects misbehaving somewhere unexpected
            line, about_this_shape = f"✗ {shape.call(cls.__name__)}: your code raised {error_text(error)}", False
        if not about_this_shape:          # the same for every shape: say it once
            return CheckResult(False, [line])
        lines.append(line)
    passed = all(line.startswith("✓") for line in lines)
    if not passed and shapes[0].kind != "neuron":
        below = "MyNeuron" if shapes[0].kind == "layer" else "MyLayer and MyNeuron"
        lines.append(f"Not quite yet. (If the checks of {below} pass, the problem is in this class.)")
    else:
        lines.append("All right, well done!" if passed else "Not quite yet.")
    return CheckResult(passed, lines)


def _layouts(shape):
    """The orders a correct parameters() may list the Values in: for every
    neuron its weights then its bias (the lecture's and the package's order),
    or its bias first. Each is a list: learner's position -> canonical position."""
    canonical, bias_first, start = [], [], 0
    for nin, nout in shape.layers:
        for _ in range(nout):
            group = list(range(start, start + nin + 1))
            canonical += group
            bias_first += group[-1:] + group[:-1]
            start += nin + 1
    return [canonical, bias_first]


def _chosen_numbers(shape):
    """One number per parameter, in canonical order: none near 0, so a bias
    left out or a weight ignored always shows."""
    rng = random.Random(7)
    return [rng.choice((-1, 1)) * rng.uniform(0.2, 0.9) for _ in range(shape.count())]


def _neurons_of(model):
    """The package model's neurons, layer by layer, in canonical order."""
    if isinstance(model, Neuron):
        return [[model]]
    layers = [model] if isinstance(model, Layer) else model.layers
    return [layer.neurons for layer in layers]


def _run_reference(shape, numbers, activation="tanh", linear=()):
    """(outputs, grads in canonical order) of the package's class holding `numbers`.

    `linear` names neurons, as (layer, neuron) pairs, left without their activation."""
    model = shape.reference(activation)
    for i, j in linear:
        _neurons_of(model)[i][j].activation = "linear"
    params = model.parameters()
    for p, number in zip(params, numbers):
        p.data = number
    out = model(list(INPUTS[shape.nin]))
    outs = out if isinstance(out, list) else [out]
    _loss(outs).backward()
    return [o.data for o in outs], [p.grad for p in params]


def _loss(outs):
    """1*out0 + 2*out1 + ...: a different grad into each output, so swapped outputs show."""
    return sum((Value(k + 1.0) * o for k, o in enumerate(outs)), Value(0.0))


def _check_shape(cls, shape):
    """(one feedback line, whether it is about this shape) for one network of this shape."""
    name = shape.call(cls.__name__)
    model, error = call_learner(cls, *shape.args)
    if error:
        return f"✗ {name} raised {error}", False
    params, problem = _parameters_of(model, shape, cls.__name__)
    if problem:
        return problem
    want = shape.count()
    if len(params) != want:
        hint = _count_hint(shape, len(params))
        return f"✗ {name}.parameters() has {len(params)} Values, expected {want}: {hint}", True

    numbers = _chosen_numbers(shape)
    want_outs, want_grads = _run_reference(shape, numbers)
    matched, slip = None, None
    for layout in _layouts(shape):
        outs, problem = _forward(model, params, layout, numbers, shape, name)
        if problem:
            return problem
        if len(outs) == len(want_outs) and all(_close(o.data, w) for o, w in zip(outs, want_outs)):
            matched = layout
            break
        slip = slip or _activation_slip(shape, numbers, outs)
    layout = matched or _layouts(shape)[0]
    outs, _ = _forward(model, params, layout, numbers, shape, name)
    said = f"✗ {name}(x) = {_show(outs)}, expected {_show(want_outs)}"
    if slip and not matched:
        return f"{said}: {slip}", True
    _loss(outs).backward()
    unused = [i for i, p in enumerate(params) if p.grad == 0]
    if unused:
        i = unused[0]
        more = f" (and {len(unused) - 1} more)" if len(unused) > 1 else ""
        return (f"✗ {name}: parameters()[{i}], {shape.role(layout[i])}{more}, gets no grad: the forward pass "
                "does not use that Value (it adds a float such as self.b.data, or a copy, or leaves it out), "
                "so training would never move it"), True
    if not matched:
        return f"{said}: a neuron computes tanh(w0*x0 + w1*x1 + ... + b), with its own weights and bias", True
    wrong = [i for i, p in enumerate(params) if not _close(p.grad, want_grads[layout[i]])]
    if wrong:
        return (f"✗ {name}: the output is right but the grad of {shape.role(layout[wrong[0]])} is "
                f"{params[wrong[0]].grad:.6g}, expected {want_grads[layout[wrong[0]]]:.6g}"), True
    order = "" if matched == _layouts(shape)[0] else " (each bias before its weights)"
    return (f"✓ {name}: {want} parameters{order}; its output {_show(want_outs)} and every grad match "
            f"micrograd_lite.nn.{type(shape.reference()).__name__}"), True


def _parameters_of(model, shape, cls_name):
    """(list of Values, None), or (None, (line, about this shape))."""
    try:
        method = getattr(model, "parameters", None)
    except Exception:               # an object whose attributes raise
        method = None
    if not callable(method):
        return None, (f"✗ {cls_name} has no parameters() method: add one that returns a list of "
                      "every weight and bias", False)
    params, error = call_learner(method)
    if error:
        return None, (f"✗ {cls_name}.parameters() raised {error}", False)
    if params is Ellipsis:
        return None, (f"… {cls_name}.parameters(): not done yet (it still returns ...)", False)
    if params is None:
        return None, (f"✗ {cls_name}.parameters() returned None — did you forget `return`?", False)
    if is_a(params, (Value, str, dict)) or _size_or_iter(params) is None:
        return None, (f"✗ {cls_name}.parameters() should return a list of Values, got "
                      f"{type(params).__name__} {_short(params)}", False)
    params, error = call_learner(list, params)
    if error:
        return None, (f"✗ {cls_name}.parameters() returned something that cannot be listed: {error}", False)
    for i, p in enumerate(params):
        if is_a(p, Value):
            continue
        if p is Ellipsis:
            return None, (f"… {cls_name}: not done yet (a weight or the bias is still ...)", False)
        if is_a(p, (list, tuple)):
            return None, (f"✗ {cls_name}.parameters() is a list of lists: make it one flat list of Values, "
                          "e.g. [p for n in self.neurons for p in n.parameters()]", False)
        if is_a(as_number(p), float):
            what = shape.role(i) if len(params) == shape.count() else f"item {i}"
            return None, (f"✗ {cls_name}.parameters(): {what} is the plain number {_short(p)}, not a Value. "
                          "A bias (or weight) kept as a float has no grad, so training can never change it: "
                          "make it a Value, e.g. self.b = Value(0.0)", False)
        return None, (f"✗ {cls_name}.parameters() should hold only Values; item {i} is "
                      f"{type(p).__name__} {_short(p)}", False)
    twice = _repeated(params, shape)
    if twice:
        return None, (f"✗ {shape.call(cls_name)}: {twice}", False)
    return params, None


def _repeated(params, shape):
    """What is wrong if the same Value is listed more than once, else None."""
    if len({id(p) for p in params}) == len(params):
        return None
    if len(params) == shape.count():
        start = 0
        for i, (nin, nout) in enumerate(shape.layers):
            groups = [params[start + j * (nin + 1): start + (j + 1) * (nin + 1)] for j in range(nout)]
            if nout > 1 and all(_same(g, groups[0]) for g in groups):
                where = f"layer {i}'s" if shape.kind == "mlp" else "its"
                return (f"{where} neurons are all one and the same neuron: [MyNeuron(nin)] * nout repeats one "
                        "object, so they can never learn different things. Make a new one each time: "
                        "[MyNeuron(nin) for _ in range(nout)]")
            start += nout * (nin + 1)
    return ("the same Value is listed more than once in parameters(): [Value(...)] * nin repeats one Value; "
            "make a new one for every weight, e.g. [Value(random.uniform(-1, 1)) for _ in range(nin)]")


def _size_or_iter(thing):
    """Something iterable to list, or None (never raises)."""
    try:
        return iter(thing) if hasattr(thing, "__iter__") else None
    except Exception:
        return None


def _same(a, b):
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _forward(model, params, layout, numbers, shape, name):
    """Set the parameters (in this layout), run the model: (output Values, None) or (None, problem)."""
    for p, i in zip(params, layout):
        p.data, p.grad = numbers[i], 0.0
    out, error = call_learner(model, list(INPUTS[shape.nin]))
    if error:
        if "'float' object" in error:
            error += " (the check passes plain floats, as the lecture does: wi * xi works for them too)"
        return None, (f"✗ {name}(x) raised {error}", False)
    if out is Ellipsis:
        return None, (f"… calling {name}: not done yet (__call__ still returns ...)", False)
    if out is None:
        return None, (f"✗ calling {name} returned None — did you forget `return`?", False)
    outs = list(out) if is_a(out, (list, tuple)) else [out]
    if not all(is_a(o, Value) for o in outs):
        bad = next(o for o in outs if not is_a(o, Value))
        return None, (f"✗ {name}(x) should give Values, got {type(bad).__name__} {_short(bad)}: keep every "
                      "step a Value (no .data, no math.tanh), so backward() can reach the weights", False)
    if len(outs) != shape.outputs:
        why = ("one per neuron" if shape.kind == "layer"
               else "those of the last layer: feed each layer's outputs into the next")
        return None, (f"✗ {name}(x) gave {len(outs)} outputs, expected {shape.outputs}, {why}", True)
    return outs, None


def _activation_slip(shape, numbers, outs):
    """What is wrong if the outputs are those of another activation, everywhere
    or in one layer or one neuron only, else None."""
    got = [o.data for o in outs]
    variants = [
        ("no tanh: a neuron squashes its sum, return act.tanh()", {"activation": "linear"}),
        ("that is relu; this lesson's neuron uses tanh", {"activation": "relu"}),
    ]
    sizes = [nout for _, nout in shape.layers]
    if len(sizes) > 1:
        for i, nout in enumerate(sizes):
            which = f"layer {i}, the output layer," if i == len(sizes) - 1 else f"layer {i}"
            variants.append((f"{which} has no tanh: its neurons return their raw sum w0*x0 + ... + b. "
                             "In this lesson every neuron ends with tanh, the output ones too",
                             {"linear": [(i, j) for j in range(nout)]}))
    if sum(sizes) > 1:
        for i, nout in enumerate(sizes):
            for j in range(nout):
                where = f"neuron {j}" + (f" of layer {i}" if len(sizes) > 1 else "")
                variants.append((f"{where} has no tanh: its output is the raw sum w0*x0 + ... + b, while "
                                 "every other neuron squashes it. Each neuron ends with tanh",
                                 {"linear": [(i, j)]}))
    for hint, variant in variants:
        want = _run_reference(shape, numbers, **variant)[0]
        if len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want)):
            return hint
    return None


def _count_hint(shape, got):
    weights = sum(nin * nout for nin, nout in shape.layers)
    nin = shape.nin
    if got == weights:
        which = "the bias is" if shape.kind == "neuron" else "the biases are"
        return (f"{which} missing. A bias kept as a plain float is not a Value, has no grad and never "
                "trains: make it self.b = Value(0.0) and list it with the weights")
    if shape.kind == "neuron":
        return f"one weight per input ({nin}) and one bias: make the weights with range(nin)"
    if got == sum(nout * (k + 2) for k, nout in shape.layers):
        return "every neuron has one weight too many: MyNeuron(nin) needs nin weights, one per input"
    if shape.kind == "layer":
        neuron_count = nin + 1
        nout = shape.layers[0][1]
        if got == neuron_count:
            return "that is one neuron's parameters: collect those of every neuron in the layer"
        if got == nin * (nout + 1) and got != (nin + 2) * nout:
            return ("inputs and outputs swapped: a layer has nout neurons with nin inputs each, "
                    "[MyNeuron(nin) for _ in range(nout)]")
        return f"{nout} neuron{'s' if nout != 1 else ''} with {nin} weights and 1 bias each"
    counts = [shape.count([layer]) for layer in shape.layers]
    if got == counts[-1]:
        return "that is only the last layer's parameters: collect those of every layer"
    for i, count in enumerate(counts):
        if got == sum(counts) - count:
            return f"layer {i}'s {count} parameters are missing: collect those of every layer"
    if got == sum(nout * (nin + 1) for _, nout in shape.layers):
        return "every layer has nin inputs here; each takes as many inputs as the layer before has neurons"
    return "each layer of nout neurons with nin inputs has nout * (nin + 1) parameters"


def _show(values):
    numbers = [v.data if is_a(v, Value) else v for v in values]
    text = ", ".join(f"{x:.4f}" for x in numbers)
    return text if len(numbers) == 1 else f"[{text}]"


def _close(got, want):
    return abs(got - want) <= 1e-9 * max(1.0, abs(want))



