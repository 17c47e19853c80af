"""Live widgets for the lessons: play with a graph while it recomputes.

    live_graph(build, a=(min, max, value), ...)   sliders -> forward + backward, redrawn in place
    backward_stepper(root)                         backprop one node at a time, with its chain-rule terms
    training_view(model, points, labels, loss_fn)  train while watching the loss and decision boundary

They need ipywidgets (part of the course install) and Graphviz's `dot`.
"""

from .live_graph import LiveGraph, live_graph
from .stepper import BackwardStepper, backward_stepper
from .training import TrainingView, training_view

__all__ = ["live_graph", "LiveGraph", "backward_stepper", "BackwardStepper", "training_view", "TrainingView"]
