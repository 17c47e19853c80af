"""Float arithmetic that returns IEEE 754 results (inf, nan) instead of raising.

Python raises ZeroDivisionError for 1/0 and OverflowError for math.exp(1000),
where a float unit (and numpy, and PyTorch) give inf. A learner dragging a
slider to an extreme should see that inf in the graph, not a traceback, so
the engine does its risky arithmetic through these four functions.
"""

import math

inf = math.inf
nan = math.nan


def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:                        # 0/0 and nan/0 have no answer
            return nan
        return math.copysign(inf, a) * math.copysign(1.0, b)   # 1/-0.0 is -inf


def safe_exp(x):
    try:
        return math.exp(x)
    except OverflowError:                           # x > ~709.78
        return inf


def safe_log(x):
    if x > 0:
        return math.log(x)
    if x == 0:
        return -inf
    return nan                                      # negative, or nan


def safe_pow(x, n):
    try:
        return math.pow(x, n)
    except OverflowError:
        negative = x < 0 and _is_odd_integer(n)
        return -inf if negative else inf
    except ValueError:                              # 0 ** negative, or negative ** fraction
        if x == 0:
            return math.copysign(inf, x) if _is_odd_integer(n) else inf
        return nan


def _is_odd_integer(n):
    return float(n).is_integer() and int(n) % 2 == 1
