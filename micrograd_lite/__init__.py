"""micrograd_lite: a tiny scalar autograd engine, built lesson by lesson.

    engine.py    Value and backward()          (lessons 02-07)
    nn.py        Neuron, Layer, MLP            (lessons 08-10)
    graph.py     draw_dot(): the picture       (every lesson)
    graph_style.py, graph_dot.py, graph_svg.py   its rules, DOT text and SVG
    render.py    drawing with graphviz-pure: display, svg()/png(), files, show()
    numerics.py  inf and nan instead of errors
    datasets.py  make_moons(), seeded            (lesson 10)
    live/        live_graph, backward_stepper, training_view: the widgets
    exercises/   the self-checks behind each lesson's exercises

The widgets are imported from `micrograd_lite.live`, so the engine itself
loads without ipywidgets.
"""

from .engine import Value, topological_order
from .graph import draw_dot
from .nn import MLP, Layer, Module, Neuron

__all__ = ["Value", "topological_order", "draw_dot", "Module", "Neuron", "Layer", "MLP"]
__version__ = "0.1.0"
