"""Live widgets for the lessons: play with a graph while it recomputes.

    live_graph(build, a=(min, max, value), ...)   sliders -> forward + backward, redrawn in place
    backward_stepper(root)                         backprop one node at a time, with its chain-rule terms
    training_view(model, points, labels, loss_fn)  train while watching the loss and decision boundary

They need ipywidgets (part of the course install). The graph pictures come
from micrograd_lite.graph, like draw_dot's: layout.py lays a graph out once
and redraws only its numbers; picture.py holds what the widgets share (the
two-layer picture, the colour legend, the output saved with the notebook).
"""

from .live_graph import LiveGraph, live_graph
from .stepper import BackwardStepper, backward_stepper
from .timer import TimingButton, timing_button
from .training import TrainingView, training_view

__all__ = ["live_graph", "LiveGraph", "backward_stepper", "BackwardStepper", "training_view", "TrainingView",
           "timing_button", "TimingButton"]
