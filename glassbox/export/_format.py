"""Numbers and conditions in words, shared by the document builders."""
import math
import numbers

import numpy as np


def fmt_value(x):
    """A threshold or cut point exactly as it acts (shortest text that reads back the same)."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    if 1e-4 <= abs(x) < 1e15:
        return np.format_float_positional(x, trim="-", unique=True)
    return repr(x)


def fmt_number(x, decimals):
    """A score or metric rounded to ``decimals`` places (all digits when ``decimals`` is None)."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return f"{int(x):,}"
    x = float(x)
    if not math.isfinite(x):
        return fmt_value(x)
    if decimals is None:
        return repr(x)
    text = f"{x:.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def fmt_weight(x, decimals):
    """A training weight: a whole number without decimals, else rounded like a score."""
    x = float(x)
    return f"{int(x):,}" if x.is_integer() else fmt_number(x, decimals)


def fmt_percent(x, decimals=1):
    """A fraction as a percentage ("12.5%")."""
    x = float(x)
    if not math.isfinite(x):
        return "n/a"
    return f"{100 * x:.{decimals if decimals is not None else 2}f}%"


def fmt_label(x):
    """A class label or category as text (``1`` and ``1.0`` both read "1")."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        return fmt_value(x)
    return str(x)


def join_or(items):
    """"A", "A or B", "A, B or C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


# --------------------------------------------------------------------------- conjunctions


def describe_conjunction(conditions, decimals=None):
    """Readable, per-feature merged text of a conjunction of :class:`Condition` objects.

    Conditions on the same feature are combined ("age > 30" and "age <= 37.5" become
    "age in (30, 37.5]"; "workclass != A" and "workclass != B" become "workclass is not
    A or B"). Missing values are mentioned when the merged test lets them through and the
    feature had missing values in training, as :meth:`Condition.text` does.

    Returns
    -------
    list of str
        One text per feature, in the order the features first appear.
    """
    by_feature = {}
    for cond in conditions:
        by_feature.setdefault(cond.feature, []).append(cond)
    return [_describe_feature(name, conds, decimals) for name, conds in by_feature.items()]


def _describe_feature(name, conds, decimals):
    lower = upper = None  # value must be > lower and <= upper
    equal, not_equal = None, []
    only_missing = missing_excluded = False
    missing_ok = True
    missing_seen = any(getattr(c, "missing_seen", False) for c in conds)
    for c in conds:
        if c.op == "is missing":
            only_missing = True
        elif c.op == "is not missing":
            missing_excluded = True
            missing_ok = False
        elif c.op == "<=":
            upper = c.value if upper is None else min(upper, c.value)
            missing_ok = False
        elif c.op == ">":
            lower = c.value if lower is None else max(lower, c.value)
        elif c.op == "==":
            equal = c.value
            missing_ok = False
        elif c.op == "!=":
            not_equal.append(c.value)
    if only_missing:
        return f"{name} is missing"
    show = (lambda v: fmt_value(round(float(v), decimals))) if decimals is not None else fmt_value
    if equal is not None:
        text = f"{name} is {equal}"
    elif lower is not None and upper is not None:
        text = f"{name} in ({show(lower)}, {show(upper)}]"
    elif upper is not None:
        text = f"{name} <= {show(upper)}"
    elif lower is not None:
        text = f"{name} > {show(lower)}"
    elif not_equal:
        excluded = sorted(set(map(str, not_equal)))
        text = f"{name} is not {excluded[0]}" if len(excluded) == 1 else \
            f"{name} not in {{{', '.join(excluded)}}}"
    else:
        return f"{name} is not missing" if missing_excluded else f"{name} is anything"
    if missing_ok and missing_seen:
        text = f"({text} or missing)"
    return text
