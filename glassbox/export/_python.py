"""Standalone Python scoring code (standard library only) for every glassbox model."""
import math

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

from .._version import __version__
from . import _gam, _leaves
from ._header import feature_names


def _plain(obj):
    """numpy values -> plain Python values whose repr() is valid, exact source."""
    if isinstance(obj, np.ndarray):
        return [_plain(v) for v in obj.tolist()] if obj.dtype == object else _plain(obj.tolist())
    if isinstance(obj, np.generic):
        return _plain(obj.item())
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain(v) for v in obj) if isinstance(obj, list) else tuple(_plain(v) for v in obj)
    if isinstance(obj, dict):
        return {_plain(k): _plain(v) for k, v in obj.items()}
    return obj


def _src(obj):
    """Exact Python source of a plain value (floats via repr, non-finite ones via float())."""
    obj = _plain(obj)
    if obj is None or isinstance(obj, (bool, int, str)):
        return repr(obj)
    if isinstance(obj, float):
        if math.isnan(obj):
            return "float('nan')"
        if math.isinf(obj):
            return "float('inf')" if obj > 0 else "float('-inf')"
        return repr(obj)
    if isinstance(obj, list):
        return "[" + ", ".join(_src(v) for v in obj) + "]"
    if isinstance(obj, tuple):
        return "(" + ", ".join(_src(v) for v in obj) + ("," if len(obj) == 1 else "") + ")"
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_src(k)}: {_src(v)}" for k, v in obj.items()) + "}"
    raise TypeError(f"cannot write a {type(obj).__name__} as Python source")


_HELPERS = '''
def _missing(value):
    """None, NaN and other missing markers (pandas.NA) count as missing."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def _label(value):
    """A category as glassbox names it: 3, 3.0 and "3" are the same category."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
'''

_INVERSE_LINK = '''
def _inverse_link(score):
    if LINK == "logit":
        p = 1.0 / (1.0 + math.exp(-score)) if score >= 0 else math.exp(score) / (1.0 + math.exp(score))
        return [1.0 - p, p]
    if LINK == "mlogit":
        top = max(score)
        e = [math.exp(s - top) for s in score]
        total = sum(e)
        return [v / total for v in e]
    if LINK == "log":
        return math.exp(score)
    return score
'''

_GAM_BODY = '''
def _cell(axis, row):
    feature, cuts, categories, n_cells = axis
    value = row.get(feature)
    if _missing(value):
        return 0
    if cuts is not None:
        return 1 + bisect_right(cuts, float(value))
    return categories.get(_label(value), n_cells - 1)


def decision_function(row):
    """The additive score: intercept + term scores (per class for multiclass)."""
    score = list(INTERCEPT) if isinstance(INTERCEPT, list) else INTERCEPT
    for axes, table in TERMS:
        cell = table
        for axis in axes:
            cell = cell[_cell(axis, row)]
        if isinstance(score, list):
            score = [s + c for s, c in zip(score, cell)]
        else:
            score += cell
    return score
'''

_LEAF_BODY = '''
def _holds(condition, row):
    feature, op, threshold = condition
    value = row.get(feature)
    if op in ("is missing", "is not missing"):
        return _missing(value) == (op == "is missing")
    if _missing(value):
        return op in (">", "!=")
    if op in ("<=", ">"):
        return (float(value) <= threshold) == (op == "<=")
    return (_label(value) == threshold) == (op == "==")


def _leaf_values(row):
    for literals, values in LEAVES:
        if all(_holds(CONDITIONS[k], row) == required for k, required in literals):
            return values
    raise ValueError("no leaf applies to this row")
'''


def to_python(model, *, function_name="predict"):
    """Standalone Python source that scores one row given as a dict.

    The module defines ``predict(row)`` (a class label or a value), and for classifiers
    ``predict_proba(row)`` (a list of probabilities in the order of ``CLASSES``); additive
    models also have ``decision_function(row)``. A row is a dict feature name -> value; a
    missing key, None or NaN is a missing value; an unseen category is handled as the model
    does. Only the standard library is used.

    Parameters
    ----------
    model : fitted glassbox estimator
    function_name : str, default="predict"
        Name of the prediction function.

    Returns
    -------
    str
    """
    check_is_fitted(model)
    if not isinstance(function_name, str) or not function_name.isidentifier():
        raise ValueError(f"function_name must be a Python identifier, got {function_name!r}")
    classifier = is_classifier(model)
    head = [f'"""Score one row with a {type(model).__name__} (generated by glassbox {__version__}).',
            "", "Standard library only. A row is a dict: feature name -> value; a missing key, None or",
            'NaN is a missing value; a category not seen in training is handled as the model does.',
            '"""', "import math", "import numbers", "from bisect import bisect_right", "",
            f"FEATURES = {_src(feature_names(model))}"]
    if classifier:
        head.append(f"CLASSES = {_src(list(model.classes_))}")
    if _gam.matches(model):
        body = _gam_source(model, classifier)
    elif _leaves.matches(model):
        body = _leaf_source(model, classifier)
    else:
        raise TypeError(f"to_python does not know how to score a {type(model).__name__}")
    source = "\n".join(head) + "\n" + body
    if function_name != "predict":
        source += f"\n\n{function_name} = predict\n"
    return source


def _gam_source(model, classifier):
    link = model.link_
    if link not in _gam.LINKS:
        raise ValueError(f"cannot write scoring code for link {link!r}")
    k = _gam.n_classes_axis(model)
    intercept = np.asarray(model.intercept_, dtype=np.float64).reshape(-1)
    intercept = intercept.tolist() if k else float(intercept[0])
    terms = []
    for t in range(len(model.term_features_)):
        axes = [(a.feature, a.cuts.tolist() if a.continuous else None,
                 None if a.continuous else {str(c): int(i) for c, i in a.mapping.items()}, a.n_cells)
                for a in _gam.term_axes(model, t)]
        terms.append((axes, np.asarray(model.term_scores_[t], dtype=np.float64).tolist()))
    lines = [f"LINK = {link!r}", f"INTERCEPT = {_src(intercept)}",
             "# One entry per term: (axes, score table). An axis is (feature, cut points or None,",
             "# category -> cell or None, number of cells); cell 0 is missing, the last is unseen.",
             "TERMS = ["]
    lines += [f"    {_src(tuple(term))}," for term in terms]
    lines.append("]")
    out = "\n".join(lines) + "\n" + _HELPERS + _GAM_BODY + _INVERSE_LINK
    return out + _entry_points(classifier, "_inverse_link(decision_function(row))",
                               "_inverse_link(decision_function(row))")


def _leaf_source(model, classifier):
    rules = _leaves.scoring_rules(model)
    conds = model.binarizer_.conditions_
    used = sorted({k for literals, _ in rules for k, _ in literals})
    position = {k: i for i, k in enumerate(used)}
    conditions = [(conds[k].feature, conds[k].op, _plain(conds[k].value)) for k in used]
    lines = ["# Binary tests used by the leaves: (feature, operator, value).", "CONDITIONS = ["]
    lines += [f"    {_src(c)}," for c in conditions]
    lines += ["]", "# Rules in order: (conjunction of (test index, required truth), output); the first",
              "# whose conjunction holds gives the output (tree leaves are disjoint: exactly one holds).",
              "LEAVES = ["]
    for literals, values in rules:
        lines.append(f"    ({_src([(position[k], bool(v)) for k, v in literals])}, {_src(np.asarray(values).tolist())}),")
    lines.append("]")
    out = "\n".join(lines) + "\n" + _HELPERS + _LEAF_BODY
    return out + _entry_points(classifier, "list(_leaf_values(row))", "_leaf_values(row)[0]")


def _entry_points(classifier, proba_expr, value_expr):
    """The public functions of the generated module: predict_proba + predict, or predict."""
    if classifier:
        return f'''

def predict_proba(row):
    """Class probabilities, in the order of CLASSES."""
    return {proba_expr}


def predict(row):
    proba = predict_proba(row)
    return CLASSES[max(range(len(proba)), key=proba.__getitem__)]
'''
    return f'''

def predict(row):
    return {value_expr}
'''
