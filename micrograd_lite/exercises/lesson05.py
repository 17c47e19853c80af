"""Checks for lesson 05, automating backward: the learner writes the heart of micrograd.

- `check_local_backward(MyValue)`: each of `+`, `*` and `tanh` gets its
  `_backward`, run alone on new leaves with an out.grad of -2.5, so a missing
  `* out.grad` shows. `=` and `+=` both pass here (new leaves start at 0).
- `check_topo(build_topo)`: every node once, each after its inputs, on graphs
  with shared nodes, and called twice, so state kept between calls shows.
- `check_backward(MyValue)`: the neuron's grads against the package's, and the
  order each `_backward` runs in, watched call by call.
- `check_accumulates(MyValue)`: the `+=` fix, op by op (grads already there
  must survive), on `a + a`, `a * a`, and a Value used three times.
- `check_topo_no_recursion(f)`: the optional sort, on a chain deeper than
  Python's recursion limit.

Every check runs the learner's code on Values it builds itself, never raises,
and names the mistake it sees. The numbers avoid 0, 1 and equal inputs, so
that most wrong formulas give a number no right one gives.
"""

import dis
import math
import sys
import types

from ..engine import Value as PackageValue
from ..engine import topological_order
from . import CheckResult, as_number, call_learner, describe, get_safely, is_a, never_raises, not_done
from .lesson03 import build_L

A, B, N = 1.5, -4.0, 0.8        # the inputs: a and b for + and *, n for tanh
G = -2.5                        # out.grad: not 1, so a forgotten `* out.grad` shows
BEFORE = {"a": 0.75, "b": -0.5, "n": 0.3}  # grads already there from another use (check_accumulates)
T = math.tanh(N)

# Each op: how to make it, what its forward gives, its inputs' right local derivatives,
# and the usual wrong ones: (hint, {input: what that input's grad gets added}).
OPS = {
    "+": {
        "method": "__add__", "formula": "out = a + b", "make": lambda a, b: a + b,
        "forward": A + B, "forward_text": "self.data + other.data", "local": {"a": 1.0, "b": 1.0},
        "mistakes": [
            ("multiply by out.grad, the grad flowing into out (-2.5 here): self.grad = 1.0 * out.grad",
             {"a": 1.0, "b": 1.0}),
            ("that is *'s rule, the other input's data; the local derivative of a + b is 1 for both",
             {"a": B * G, "b": A * G}),
        ],
    },
    "*": {
        "method": "__mul__", "formula": "out = a * b", "make": lambda a, b: a * b,
        "forward": A * B, "forward_text": "self.data * other.data", "local": {"a": B, "b": A},
        "mistakes": [
            ("multiply by out.grad, the grad flowing into out (-2.5 here): "
             "self.grad = other.data * out.grad", {"a": B, "b": A}),
            ("the factors are swapped: each input's grad gets the OTHER input's data, "
             "self.grad = other.data * out.grad", {"a": A * G, "b": B * G}),
            ("the factors are swapped (each input gets the OTHER input's data), and "
             "out.grad is missing", {"a": A, "b": B}),
        ],
    },
    "tanh": {
        "method": "tanh", "formula": "out = n.tanh()", "make": lambda n: n.tanh(),
        "forward": T, "forward_text": "math.tanh(self.data)", "local": {"n": 1 - T**2},
        "mistakes": [
            ("that is 1 - n**2 with n = self.data, the input; the local derivative is 1 - t**2 "
             "with t the OUTPUT, tanh(n)", {"n": (1 - N**2) * G}),
            ("multiply by out.grad, the grad flowing into out (-2.5 here): "
             "self.grad = (1 - t**2) * out.grad", {"n": 1 - T**2}),
            ("that is t * out.grad; the local derivative of tanh is 1 - t**2", {"n": T * G}),
            ("that is out.grad alone: multiply it by tanh's local derivative, 1 - t**2",
             {"n": G}),
            ("that is (1 - t) * out.grad: square t, 1 - t**2", {"n": (1 - T) * G}),
        ],
    },
}


# ---- small helpers ----------------------------------------------------------

def is_stub(function):
    """True for a function whose body does nothing: `...`, `pass`, a docstring, `return None`."""
    try:
        code = getattr(function, "__code__", None)
        if not is_a(code, types.CodeType):
            return False
        for instruction in dis.get_instructions(code):
            if instruction.opname in ("RESUME", "NOP", "CACHE", "RETURN_VALUE"):
                continue
            if instruction.opname in ("LOAD_CONST", "RETURN_CONST") and instruction.argval is None:
                continue
            return False
    except Exception:
        return False
    return True


def _num(x):
    try:
        return repr(float(f"{float(x):.6g}"))
    except Exception:
        return describe(x)


def _close(got, want):
    number = as_number(got)
    return (is_a(number, float) and math.isfinite(number)
            and math.isclose(number, want, rel_tol=1e-6, abs_tol=1e-9))


def _class_problem(Value, call):
    """None if `Value` is a class the check can run, else the result to return."""
    if not_done(Value):
        return CheckResult.not_done(call, f"pass your class: {call}")
    if not is_a(Value, type):
        return CheckResult.failed(f"pass the class itself, {call}, not {describe(Value)}")
    if Value is PackageValue:
        return CheckResult.failed(f"that is the package's Value: pass your own class, {call}")
    return None



def _finish(lines, passed):
    lines.append("All right, well done!" if passed else "Not quite yet.")
    return CheckResult(passed, lines)


# ---- one op's _backward, run alone -----------------------------------------

def _run_op(Value, op, before):
    """Make `op` on new leaves of `Value`, set their grads to `before`, out.grad to G and call
    out._backward(). Returns ("grads", {input: grad}), ("stub", None) or ("problem", text)."""
    spec = OPS[op]
    names = list(spec["local"])
    data = {"a": A, "b": B, "n": N}
    leaves = []
    for name in names:
        leaf, problem = call_learner(Value, data[name])
        if problem:
            return "problem", f"{Value.__name__}({data[name]}) raised {problem}"
        leaves.append(leaf)
    out, problem = call_learner(spec["make"], *leaves)
    method = spec["method"]
    if problem:
        return "problem", f"{method} raised {problem}"
    if out is None:
        return "problem", f"{method} returned None: end it with `return out`"
    missing = object()
    if any(get_safely(out, attribute, missing) is missing for attribute in ("data", "_prev", "_backward")):
        return "problem", (f"{method} should return the new node out (a {Value.__name__}), got "
                           f"{describe(out)}: end it with `return out`")
    forward = get_safely(out, "data")
    if not _close(forward, spec["forward"]):
        return "problem", (f"the forward part of {method} changed: out.data should be "
                           f"{spec['forward_text']} = {_num(spec['forward'])}, got {_num(forward)}. "
                           "Keep the given lines as they were and fill in only _backward")
    try:
        children = tuple(get_safely(out, "_prev", ()))
    except Exception:
        children = ()
    if not all(any(child is leaf for child in children) for leaf in leaves):
        return "problem", (f"out._prev should hold the inputs: keep {method}'s given line "
                           "out = MyValue(..., (self, other), ...) as it was")
    backward = get_safely(out, "_backward")
    leaf_code = get_safely(get_safely(leaves[0], "_backward"), "__code__", False)
    if get_safely(backward, "__code__", None) is leaf_code:
        return "problem", (f"out._backward is still the leaf's `lambda: None` from __init__: "
                           f"attach it: out._backward = _backward, before `return out` in {method}")
    if not callable(backward):
        return "problem", (f"out._backward is {describe(backward)}, not a function: attach the "
                           "function itself, out._backward = _backward (no brackets after _backward)")
    if is_stub(backward):
        return "stub", None
    try:
        for name, leaf in zip(names, leaves):
            leaf.grad = before.get(name, 0.0)
        out.grad = G
    except Exception as error:
        return "problem", f"setting .grad raised {type(error).__name__}: {error}"
    _, problem = call_learner(backward)
    if problem:
        return "problem", f"its _backward raised {problem}"
    return "grads", {name: get_safely(leaf, "grad") for name, leaf in zip(names, leaves)}


def _judge_op(op, grads, before):
    """(passed, line) for the grads one op's _backward gave, with `before` already in them."""
    spec = OPS[op]
    right = {name: before.get(name, 0.0) + local * G for name, local in spec["local"].items()}
    shown = ", ".join(f"{name}.grad = {_num(want)}" for name, want in right.items())
    if all(_close(grads[name], want) for name, want in right.items()):
        return True, f"✓ {spec['formula']}: {shown}"
    wrong, hints = [], []
    for name, want in right.items():
        got = grads[name]
        if _close(got, want):
            continue
        number = as_number(got)
        if not is_a(number, float):
            wrong.append(f"{name}.grad should be a number, got {describe(got)}")
            continue
        wrong.append(f"{name}.grad is {_num(number)}, expected {_num(want)}")
        had = before.get(name, 0.0)
        if had and _close(number, want - had):
            hints.append(f"{spec['method']} assigns with =, which throws away the grad an input "
                         "already had from another use: add with +=")
            continue
        for hint, delta in spec["mistakes"]:
            if name in delta and (_close(number, had + delta[name]) or _close(number, delta[name])):
                hints.append(hint)
                if had and not _close(number, had + delta[name]):
                    hints.append(f"and {spec['method']} assigns with =: add with +=")
                break
    hints = list(dict.fromkeys(hints))
    line = f"✗ {spec['formula']}: " + "; ".join(wrong)
    if hints:
        line += ". Hint: " + "; ".join(hints)
    return False, line


def _ops_lines(Value, before):
    """(lines, passed, stubs): each op's _backward run alone, judged."""
    lines, passed, stubs = [], True, 0
    for op, spec in OPS.items():
        kind, found = _run_op(Value, op, before)
        if kind == "stub":
            stubs += 1
            passed = False
            lines.append(f"… {spec['formula']}: not done yet (replace the ... in {spec['method']}'s "
                         "_backward)")
        elif kind == "problem":
            passed = False
            lines.append(f"✗ {spec['formula']}: {found}")
        else:
            ok, line = _judge_op(op, found, before)
            passed = passed and ok
            lines.append(line)
    return lines, passed, stubs


@never_raises
def check_local_backward(Value):
    """Exercise 1: `_backward` for +, * and tanh in the learner's class, each run alone."""
    problem = _class_problem(Value, "check_local_backward(MyValue)")
    if problem is not None:
        return problem
    lines, passed, stubs = _ops_lines(Value, {})
    if stubs == len(OPS):
        return CheckResult.not_done("the three _backward functions", "replace each ... with its "
                                    "chain-rule step")
    head = (f"Each _backward alone, on new leaves a = {A}, b = {B} (n = {N} for tanh), "
            f"with out.grad = {G}:")
    return _finish([head] + lines, passed)


# ---- the sort ------------------------------------------------------------------

def _name(node, names):
    return names.get(id(node)) or get_safely(node, "label") or "a node"


def _graphs():
    """Fresh package graphs: [(description, root, {id: label})]."""
    L, nodes = build_L()
    a = PackageValue(3.0, label="a")
    b = a + a; b.label = "b"
    p = PackageValue(-2.0, label="p")
    q = p * p; q.label = "q"
    u, v, c, d = (PackageValue(x, label=name) for name, x in (("u", 2.0), ("v", -1.5), ("c", 4.0), ("d", 0.5)))
    x = u * v; x.label = "x"
    y = x + c; y.label = "y"
    z = x * d; z.label = "z"
    r = y + z; r.label = "r"
    graphs = [("L = (a*b + c) * f", L), ("b = a + a", b), ("q = p * p", q),
              ("r = y + z, with x = u*v feeding y = x + c and z = x * d", r)]
    return [(what, root, {id(n): n.label for n in topological_order(root)}) for what, root in graphs]


STATE_KEPT = "it still holds nodes from an earlier call"


def _topo_problems(result, root, names, earlier=(), name="build_topo"):
    """What is wrong with `result` as a topological order of root's graph: [(fact, hint)]."""
    if result is None:
        return [(f"{name} returned None", "end it with `return topo`")]
    if is_a(result, (set, frozenset)):
        return [("it returned a set, which has no order", "return a list, each node after its inputs")]
    if not is_a(result, (list, tuple)):
        return [(f"{name} should return a list of nodes, got {describe(result)}", None)]
    result = list(result)
    nodes = topological_order(root)
    if any(is_a(item, str) for item in result):
        return [("it returned labels (strings)", "append the nodes themselves, topo.append(v), not v.label")]
    ids = {id(n) for n in nodes}
    foreign = [item for item in result if id(item) not in ids]
    problems = []
    if any(id(item) in earlier for item in foreign):
        problems.append((STATE_KEPT, None))
    elif foreign:
        problems.append((f"{describe(foreign[0])} is not a node of this graph", None))
    counts = {}
    for item in result:
        counts[id(item)] = counts.get(id(item), 0) + 1
    repeated = [n for n in nodes if counts.get(id(n), 0) > 1]
    if repeated:
        problems.append((f"{', '.join(_name(n, names) for n in repeated)} "
                         f"{'is' if len(repeated) == 1 else 'are'} listed more than once",
                         "a node used twice is reached twice: remember visited nodes in a set "
                         "and skip one already in it"))
    missing = [n for n in nodes if id(n) not in counts]
    if missing:
        problems.append((f"missing: {', '.join(_name(n, names) for n in missing)}",
                         "visit every child in v._prev, and theirs"))
    first = {}
    for i, item in enumerate(result):
        first.setdefault(id(item), i)
    edges = [(child, node) for node in nodes for child in node._prev]
    backwards = [(child, node) for child, node in edges
                 if id(child) in first and id(node) in first and first[id(child)] > first[id(node)]]
    if backwards and len(backwards) == len(edges):
        return problems + [("every node comes before its inputs",
                            "append a node only AFTER visiting its children")]
    if result and id(root) in first and result[-1] is not root:
        problems.append((f"the root {_name(root, names)} is not last",
                         "every other node is an input of the root, so it comes last"))
        backwards = [(child, node) for child, node in backwards if node is not root]
    for child, node in backwards[:2]:
        problems.append((f"{_name(node, names)} comes before its input {_name(child, names)}",
                         "append a node only after all its children are in the list"))
    return problems


def _topo_line(what, problems, shown):
    """One ✗ line: the facts, then each hint not `shown` in an earlier line."""
    hints = [hint for _, hint in problems if hint and hint not in shown]
    shown.update(hints)
    line = f"✗ {what}: " + "; ".join(fact for fact, _ in problems)
    return line + (". Hint: " + "; ".join(dict.fromkeys(hints)) if hints else "")


@never_raises
def check_topo(build_topo, name="build_topo"):
    """Exercise 2: `build_topo(root)` lists every node once, each after its inputs."""
    if not_done(build_topo) or is_stub(build_topo):
        return CheckResult.not_done(name, "replace the ... with the sort")
    if not callable(build_topo):
        return CheckResult.failed(f"{name} should be a function, got {describe(build_topo)}")
    graphs = _graphs()
    what, L, names = graphs[0]
    # The first graph twice in a row, then the others: state kept between calls shows.
    runs = [graphs[0], (what + ", a second call", L, names)] + graphs[1:]
    lines, shown, seen, first, state_kept = [], set(), set(), None, False
    for what, root, names in runs:
        result, problem = call_learner(build_topo, root, name=name)
        problems = [(problem, None)] if problem else _topo_problems(result, root, names, seen, name)
        if first is None:
            first = (result, problems)
        elif root is L and not first[1]:        # the first call was right: is the second?
            if not problems and (result is first[0] or list(result) != list(first[0])):
                problems = [("it gave a different list from the first call", None)]
            state_kept = bool(problems)
        state_kept = state_kept or (STATE_KEPT, None) in problems
        if problems:
            lines.append(_topo_line(what, problems, shown))
        else:
            lines.append(f"✓ {what}: " + " → ".join(_name(n, names) for n in result))
        seen |= {id(n) for n in topological_order(root)}
    if state_kept:
        lines.append("✗ the first call was right, a later one not: it keeps state between calls (a "
                     "list or set made outside it, or a default like visited=set(), which Python "
                     "makes once, when def runs). Make topo and visited new inside every call")
    return _finish(lines, all(line.startswith("✓") for line in lines))


@never_raises
def check_topo_no_recursion(build_topo_no_recursion):
    """Optional exercise: the sort with a stack of its own, on a chain deeper than the recursion limit."""
    name = "build_topo_no_recursion"
    result = check_topo(build_topo_no_recursion, name=name)
    if not result.passed:
        return result
    lines = result.lines[:-1]
    depth = min(max(2000, sys.getrecursionlimit() + 500), 200_000)
    x = deep = PackageValue(0.5, label="x")
    for _ in range(depth):
        deep = deep + x
    names = {id(x): "x", id(deep): "the top"}
    what = f"a chain {depth:,} deep (x + x + x + ..., past Python's recursion limit)"
    try:
        order = build_topo_no_recursion(deep)
    except RecursionError:
        lines.append(f"✗ {what}: it recursed too deep (RecursionError): keep your own stack, a list "
                     "you push nodes onto and pop them from, instead of calling itself")
        return _finish(lines, False)
    except Exception as error:
        lines.append(f"✗ {what}: {name} raised {type(error).__name__}: {error}")
        return _finish(lines, False)
    problems = _topo_problems(order, deep, names, name=name)
    if problems:
        lines.append(_topo_line(what, problems, set()))
        return _finish(lines, False)
    lines.append(f"✓ {what}: {len(order):,} nodes, each after its inputs")
    return _finish(lines, True)


# ---- backward() ------------------------------------------------------------------

NEURON = (("x1", 2.0), ("x2", 0.0), ("w1", -3.0), ("w2", 1.0), ("b", 6.8813735870195432))


def _neuron(Value):
    """Lesson 04's neuron with `Value`: (root, [(name, node)]) for every node."""
    leaf = {name: Value(x) for name, x in NEURON}
    x1w1 = leaf["x1"] * leaf["w1"]
    x2w2 = leaf["x2"] * leaf["w2"]
    s = x1w1 + x2w2
    n = s + leaf["b"]
    o = n.tanh()
    named = list(leaf.items()) + [("x1*w1", x1w1), ("x2*w2", x2w2), ("x1*w1 + x2*w2", s),
                                  ("n", n), ("o", o)]
    return o, named


def _shared(Value):
    """r = y + tanh(y) with y = x * w: y feeds two nodes, one of them through another."""
    x, w = Value(-0.7), Value(1.3)
    y = x * w
    t = y.tanh()
    r = y + t
    return r, [("x", x), ("w", w), ("y", y), ("tanh(y)", t), ("r", r)]


def _instrument(named):
    """Wrap every node's _backward to record (node, its grad) at each call; None if we can't."""
    calls = []
    try:
        for _, node in named:
            original = node._backward

            def recorded(node=node, original=original):
                calls.append((node, get_safely(node, "grad")))
                return original()
            node._backward = recorded
    except Exception:
        return None
    return calls


def _walk_problems(root, named, calls):
    """What is wrong with the order of the _backward calls one backward() made."""
    names = {id(node): name for name, node in named}
    root_name = names[id(root)]
    if not calls:
        if _close(get_safely(root, "grad"), 1.0):
            return [f"{root_name}.grad is 1 but no node's _backward ran: call node._backward() for "
                    "every node of build_topo(self), from the end"]
        return ["backward() set no grad and called no _backward: set self.grad = 1.0, then call "
                "_backward on every node, in reverse topological order"]
    problems = []
    root_calls = [grad for node, grad in calls if node is root]
    if not _close(get_safely(root, "grad"), 1.0):
        problems.append(f"{root_name}.grad is {_num(get_safely(root, 'grad'))} after backward(): seed it, "
                        "self.grad = 1.0, before the walk. With 0 flowing in, every grad stays 0")
    elif root_calls and not _close(root_calls[0], 1.0):
        problems.append(f"{root_name}.grad was still {_num(root_calls[0])} when its _backward ran: "
                        "set self.grad = 1.0 BEFORE the walk, not after")
    called = [node for node, _ in calls]
    ids = [id(node) for node in called]
    inner = [node for _, node in named if get_safely(node, "_prev")]
    never = [name for name, node in named if id(node) not in ids and get_safely(node, "_prev")]
    if ids == [id(root)] and len(inner) > 1:
        problems.append(f"only {root_name}'s own _backward ran: call _backward on every node "
                        "build_topo(self) lists, not just self._backward()")
    elif never:
        problems.append(f"the _backward of {', '.join(never)} never ran: walk every node "
                        "build_topo(self) lists (each only passes its grad one step)")
    twice = [name for name, node in named if ids.count(id(node)) > 1 and get_safely(node, "_prev")]
    if twice:
        problems.append(f"the _backward of {', '.join(twice)} ran more than once: each node once "
                        "(does check_topo(build_topo) pass?)")
    first = {}
    for i, node in enumerate(called):
        first.setdefault(id(node), i)
    edges = [(child, node) for node in inner for child in node._prev
             if get_safely(child, "_prev") and id(child) in first and id(node) in first]
    early = [(child, node) for child, node in edges if first[id(child)] < first[id(node)]]
    if early and len(early) == len(edges):
        problems.append("the walk went forwards, from the leaves to the output: go through "
                        "the topological order backwards, for node in reversed(topo)")
    elif early:
        child, node = early[0]
        problems.append(f"{names[id(child)]}'s _backward ran before "
                        f"{names[id(node)]}'s, which passes {names[id(child)]} its grad: walk "
                        "reversed(build_topo(self)), so every node comes after all its users")
    return problems


def _call_backward(root):
    """Run the learner's root.backward(): None, or what went wrong."""
    method = get_safely(root, "backward")
    _, problem = call_learner(method, name="backward")
    if problem and "NoneType" in problem and any(word in problem for word in ("iter", "reversible", "subscript")):
        problem += " (did build_topo return its list? check_topo(build_topo) tells)"
    elif problem and "build_topo" in problem and "not defined" in problem:
        problem += " (run the cell that defines build_topo first)"
    return problem


@never_raises
def check_backward(Value):
    """Exercise 3: `backward()` seeds the output with 1 and runs every _backward, users first."""
    problem = _class_problem(Value, "check_backward(MyValue)")
    if problem is not None:
        return problem
    method = get_safely(Value, "backward")
    if method is None:
        return CheckResult.not_done("backward", "define it, then attach it: MyValue.backward = backward")
    if is_stub(method):
        return CheckResult.not_done("backward", "replace the ... with the seed and the walk")
    if not callable(method):
        return CheckResult.failed(f"MyValue.backward should be your function, got {describe(method)}")
    if not check_local_backward(Value).passed:
        return CheckResult.failed("first make check_local_backward(MyValue) pass: backward() can "
                                  "only be as right as each _backward it calls")
    try:
        root, named = _neuron(Value)
    except Exception as error:
        return CheckResult.failed(f"building the neuron with your class raised "
                                  f"{type(error).__name__}: {error}")
    calls = _instrument(named)
    problem = _call_backward(root)
    if problem:
        return CheckResult.failed(f"on lesson 04's neuron, {problem}")
    lines = []
    problems = [] if calls is None else _walk_problems(root, named, calls)
    if problems:
        lines += [f"✗ on lesson 04's neuron: {p}" for p in problems]
        return _finish(lines, False)
    package_root, package_named = _neuron(PackageValue)
    package_root.backward()
    wrong = [f"{name}.grad is {_num(get_safely(node, 'grad'))}, expected {_num(want.grad)}"
             for (name, node), (_, want) in zip(named, package_named)
             if not _close(get_safely(node, "grad"), want.grad)]
    if wrong:
        lines.append("✗ on lesson 04's neuron: " + "; ".join(wrong))
    else:
        leaves = ", ".join(f"{name}.grad = {_num(want.grad)}" for name, want in package_named[:5])
        lines.append(f"✓ lesson 04's neuron: {leaves}, like the package's")
    root, named = _shared(Value)
    calls = _instrument(named)
    problem = _call_backward(root)
    graph = "r = y + tanh(y), where y feeds two nodes"
    if problem:
        lines.append(f"✗ on {graph}: {problem}")
    elif calls is not None:
        problems = _walk_problems(root, named, calls)
        lines += [f"✗ on {graph}: {p}" for p in problems]
        if not problems:
            lines.append(f"✓ {graph}: every _backward ran once, after all its node's users")
    passed = all(line.startswith("✓") for line in lines)
    return _finish(lines, passed)


# ---- the += fix ------------------------------------------------------------------

def _three_uses(Value):
    """o = (x*w + tanh(x)) * x: x is used three times."""
    x, w = Value(0.6), Value(-1.2)
    o = (x * w + x.tanh()) * x
    return o, [("x", x), ("w", w)]


def _shared_lines(Value):
    """a + a and a * a with out.grad = G: (lines, passed)."""
    lines, passed = [], True
    for formula, make, want, wrong_one in (
            ("out = a + a", lambda a: a + a, 2 * G, G),
            ("out = a * a", lambda a: a * a, 2 * A * G, A * G)):
        try:
            a = Value(A)
            out = make(a)
            out.grad = G
            out._backward()
            got = a.grad
        except Exception as error:
            passed = False
            lines.append(f"✗ {formula}: raised {type(error).__name__}: {error}")
            continue
        if _close(got, want):
            lines.append(f"✓ {formula}: a.grad = {_num(want)}, a share from each use")
            continue
        passed = False
        line = f"✗ {formula}: a.grad is {_num(got)}, expected {_num(want)}"
        if _close(got, wrong_one):
            line += (". Hint: that is one use's share: self and other are both a, and the second "
                     "line overwrote the first. Add with +=")
        lines.append(line)
    return lines, passed


@never_raises
def check_accumulates(Value):
    """Exercise 4: every _backward adds its share with +=, so a Value used twice gets both."""
    problem = _class_problem(Value, "check_accumulates(MyValue)")
    if problem is not None:
        return problem
    lines, passed, stubs = _ops_lines(Value, BEFORE)
    if stubs == len(OPS):
        return CheckResult.not_done("the three _backward functions", "replace each ... with its "
                                    "chain-rule step, adding with +=")
    head = (f"Each _backward alone, with grads already there from another use (a.grad = "
            f"{BEFORE['a']}, b.grad = {BEFORE['b']}, n.grad = {BEFORE['n']}) and out.grad = {G}:")
    lines = [head] + lines
    if passed:
        shared, passed = _shared_lines(Value)
        lines += shared
    if passed:
        graph = "o = (x*w + tanh(x)) * x, with x used three times"
        backward = check_backward(Value)
        if not backward.passed:
            lines.append(f"✗ {graph}: first make check_backward(MyValue) pass")
            return _finish(lines, False)
        o, named = _three_uses(Value)
        problem = _call_backward(o)
        want_o, want = _three_uses(PackageValue)
        want_o.backward()
        if problem:
            lines.append(f"✗ {graph}: {problem}")
            passed = False
        else:
            wrong = [f"{name}.grad is {_num(get_safely(node, 'grad'))}, expected {_num(ref.grad)}"
                     for (name, node), (_, ref) in zip(named, want)
                     if not _close(get_safely(node, "grad"), ref.grad)]
            passed = not wrong
            lines.append(f"✗ {graph}: " + "; ".join(wrong) if wrong else
                         f"✓ backward() on {graph}: " + ", ".join(
                             f"{name}.grad = {_num(ref.grad)}" for name, ref in want))
    return _finish(lines, passed)
