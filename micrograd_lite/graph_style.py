"""The rules every picture of a graph follows: how numbers print, how grads are
coloured, how big a picture is shown and which way it is laid out.

draw_dot, the live graph and the stepper all read them from here, so they agree
by construction:

* One number format. `format_number` never prints more than NUMBER_WIDTH
  characters, so a layout made once fits every later value.
* One grad colour. `grad_fill` colours a grad on an absolute, logarithmic
  scale, the same in every picture and on every slider move.
* One size policy. A picture is shown at full size (14 px text) when it fits
  COLUMN_WIDTH, shrunk to the column when its text stays >= MIN_TEXT_PX, and
  otherwise the graph is laid out top to bottom if that is narrower.
"""

import html
import math

# More than this many Values make a picture nobody can read, and `dot` can take
# minutes on it.
MAX_NODES = 600

NUMBER_WIDTH = 12   # "-99999.9999", "-2.0640e+07" and "-1.5000e+300" all fit


def format_number(x, short=False):
    """4 decimals like the lecture, switching to exponent form for big numbers.

    `short=True` drops trailing zeros (1.0, -2.0, 0.8814), as the stepper's
    chain-rule lines print them. Never more than NUMBER_WIDTH characters.
    """
    # The common case first and inline: an MLP's live graph formats ~250 numbers a move.
    # (nan fails both comparisons, so it goes the long way.)
    if -1e5 < x < 1e5:
        text = f"{x:.4f}"
        if text == "-0.0000":
            text = "0.0000"                   # a zero never shows a sign
        if short:
            text = text.rstrip("0")
            text = text + "0" if text.endswith(".") else text
        return text
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.4e}"


def escape(text):
    """Text made safe inside XML or HTML: DOT's HTML-like labels, SVG text, widget HTML."""
    return html.escape(str(text).replace("\r", " ").replace("\n", " "), quote=True)


class GraphTooLarge(ValueError):
    pass


def check_size(nodes, max_nodes):
    """Refuse a graph of more than `max_nodes` Values, with its size and what to draw instead."""
    if len(nodes) > max_nodes:
        raise GraphTooLarge(
            f"this graph has {len(nodes):,} Values; drawing more than {max_nodes:,} would be "
            "unreadable and can keep `dot` busy for minutes. Draw a smaller piece "
            "(one neuron, or one example's loss), or pass max_nodes="
            f"{len(nodes)} if you really want all of it."
        )


# ---- grad colours ------------------------------------------------------------

# Colours a learner can tell apart even with red-green colour blindness
# (ColorBrewer's RdBu ends): blue for a positive grad, red for a negative one.
POSITIVE = "#2166ac"
NEGATIVE = "#b2182b"
NAN_COLOUR = "#888888"
HIGHLIGHT = "#ffd21f"      # the live graph's "changed by the last move"
CURRENT = "#ff8c00"        # the stepper's current node

# The colour's strength is fixed by |grad| alone, on a log scale: faint at
# GRAD_FAINT, full at GRAD_FULL. So a grad of 0.0001 looks faint next to a
# grad of 1 in every picture and after every move, and a vanishing grad (a
# saturated tanh's) looks like one. Below ZERO_GRAD a grad is rounding noise
# (1 - tanh(20)**2 is exactly 0, yet such sums leave -9e-16): drawn as zero.
GRAD_FAINT = 1e-4
GRAD_FULL = 10.0
ZERO_GRAD = 1e-12
LEVELS = 20                # strengths a colour can take: updates pick one of a fixed set
_LOG_FAINT, _LOG_SPAN = math.log10(GRAD_FAINT), math.log10(GRAD_FULL / GRAD_FAINT)


def grad_level(grad):
    """None for a grad drawn as zero (or nan), else 0 (faint) .. LEVELS (full)."""
    size = abs(grad)
    if not size >= ZERO_GRAD:             # also nan
        return None
    if size >= GRAD_FULL:                 # also inf
        return LEVELS
    strength = (math.log10(size) - _LOG_FAINT) / _LOG_SPAN
    return min(LEVELS, max(0, round(strength * LEVELS)))


def level_opacity(level):
    return 0.06 + 0.54 * level / LEVELS


def grad_fill(grad):
    """(colour, opacity) for a grad field, or None for no colour: hue = sign, strength = size."""
    if grad != grad:
        return NAN_COLOUR, 0.4
    level = grad_level(grad)
    if level is None:
        return None
    return (POSITIVE if grad > 0 else NEGATIVE), level_opacity(level)


def on_white(colour, opacity):
    """The opaque colour `colour` at `opacity` makes over white, as "#rrggbb"."""
    rgb = [int(colour[k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02x}" for c in rgb)


# ---- sizes and direction -------------------------------------------------------

# The course is read in JupyterLab at 1280 x 800 with the file browser open:
# an output column of 848 px. Graphviz's 14 pt text, drawn one px per point,
# reads like the notebook's own 14 px; shrunk to fit it must stay >= 11 px.
COLUMN_WIDTH = 840
FONT_PX = 14
MIN_TEXT_PX = 11
MIN_SCALE = MIN_TEXT_PX / FONT_PX


def shown_scale(width):
    """How much a picture `width` px wide at full size is shrunk to fit the column (1 = not)."""
    return min(1.0, COLUMN_WIDTH / width)


def fits_column(width):
    return width * MIN_SCALE <= COLUMN_WIDTH


def pick_rankdir(layouts):
    """The direction to draw in, from {rankdir: width at full size}.

    Left to right (as the lecture draws) whenever that fits the column with
    text of at least MIN_TEXT_PX; otherwise top to bottom if that is narrower.
    """
    lr = layouts["LR"]
    if fits_column(lr) or "TB" not in layouts:
        return "LR"
    return "TB" if layouts["TB"] < lr else "LR"


RANKDIRS = ("auto", "LR", "TB", "RL", "BT")


def check_rankdir(rankdir):
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir should be one of {', '.join(map(repr, RANKDIRS))}, not {rankdir!r}; "
                         '"auto" picks left to right or top to bottom, whichever fits the notebook')
