"""Reading back the nodes and edges of a DOT graph, for checking a learner's draw_dot.

`read_dot(source)` returns ({node name: label text}, [(tail, head), ...]).
It reads what the graphviz package writes (and the rest of the DOT language a
learner is likely to type): quoted and bare names, `name:port`, attribute
lists, chains `a -> b -> c`, `graph`/`node`/`edge` defaults, subgraphs and
comments. A node with no `label` shows its name, as Graphviz draws it.
Text that is not DOT raises DotError, which the check turns into feedback.
"""

import html
import re


class DotError(ValueError):
    pass


_TOKEN = re.compile(r'''
    (?P<space>\s+|//[^\n]*|\#[^\n]*|/\*.*?\*/)
  | (?P<quoted>"(?:[^"\\]|\\.)*")
  | (?P<edgeop>->|--)
  | (?P<punct>[{}\[\];,=:])
  | (?P<word>-?[\w.\x80-\U0010ffff]+)
''', re.VERBOSE | re.DOTALL)

_KEYWORDS = {"graph", "digraph", "subgraph", "node", "edge", "strict"}


def read_dot(source):
    """({name: label}, [(tail, head)]) of the DOT text `source`."""
    tokens = list(_tokens(source))
    nodes, edges = {}, []
    position = 0

    def peek(offset=0):
        k = position + offset
        return tokens[k] if k < len(tokens) else (None, None)

    def take():
        nonlocal position
        if position >= len(tokens):
            raise DotError("the graph ends too early (a missing } or ])")
        position += 1
        return tokens[position - 1]

    def attributes():
        """key=value pairs of one or more [...] lists, as a dict."""
        found = {}
        while peek()[1] == "[":
            take()
            while peek()[1] != "]":
                kind, key = take()
                if kind == "punct" and key in ",;":
                    continue
                if peek()[1] == "=":
                    take()
                    found[key.lower()] = take()[1]
                else:
                    found[key.lower()] = "true"
            take()
        return found

    def node_id():
        kind, name = take()
        if kind not in ("word", "quoted", "html"):
            raise DotError(f"expected a node name, found {name!r}")
        while peek()[1] == ":":           # name:port or name:port:compass
            take(); take()
        return name

    # header: [strict] (graph|digraph) [name] {
    while peek()[1] is not None and peek()[1] != "{":
        take()
    if peek()[1] != "{":
        raise DotError("no { ... } body: this is not a DOT graph")
    take()
    depth = 1
    while depth:
        kind, text = peek()
        if kind is None:
            raise DotError("the graph ends too early (a missing })")
        if text in (";", ","):
            take()
        elif text == "}":
            take(); depth -= 1
        elif text == "{":
            take(); depth += 1
        elif kind == "word" and text.lower() == "subgraph":
            take()
            if peek()[1] != "{":
                take()                      # the subgraph's name
        elif kind == "word" and text.lower() in ("graph", "node", "edge") and peek(1)[1] == "[":
            take(); attributes()
        elif peek(1)[1] == "=":             # rankdir=LR, a graph attribute
            take(); take(); take()
        else:
            chain = [node_id()]
            while peek()[0] == "edgeop":
                take()
                if peek()[1] == "{":
                    raise DotError("an edge into a { group } is more than this check reads; "
                                   "draw one edge per pair")
                chain.append(node_id())
            attrs = attributes()
            for name in chain:
                nodes.setdefault(name, name)
            if len(chain) == 1 and "label" in attrs:
                nodes[chain[0]] = attrs["label"]
            edges.extend(zip(chain, chain[1:]))
    return {name: (name if label == "\\N" else label) for name, label in nodes.items()}, edges


def _tokens(source):
    """(kind, text) pairs; quoted text comes back unquoted, an <html> label as the text it shows."""
    k = 0
    while k < len(source):
        if source[k] == "<":
            end = _html_end(source, k)
            # an HTML-like label: keep the text it shows, not its tags
            yield "html", html.unescape(re.sub(r"<[^>]*>", " ", source[k + 1:end]))
            k = end + 1
            continue
        match = _TOKEN.match(source, k)
        if not match:
            raise DotError(f"can't read the DOT text at {source[k:k + 20]!r}")
        k = match.end()
        kind = match.lastgroup
        if kind == "space":
            continue
        text = match.group()
        if kind == "quoted":
            text = re.sub(r'\\(["\\])', r"\1", text[1:-1])
        yield kind, text


def _html_end(source, start):
    depth = 0
    for k in range(start, len(source)):
        if source[k] == "<":
            depth += 1
        elif source[k] == ">":
            depth -= 1
            if depth == 0:
                return k
    raise DotError("an <html> label that never closes")
