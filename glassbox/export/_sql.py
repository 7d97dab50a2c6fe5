"""One portable SQL SELECT (CASE WHEN, EXP) that scores every row of a table."""
import math

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

from . import _gam, _leaves
from ._format import fmt_label


def quote_identifier(name):
    """A double-quoted SQL identifier (embedded quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def _text(value):
    return "'" + str(value).replace("'", "''") + "'"


def _number(x):
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"SQL has no literal for {x}")
    return repr(x)


def output_columns(model):
    """Names of the score columns: ``proba_<class>`` (classifiers) or ``prediction``."""
    if not is_classifier(model):
        return ["prediction"]
    classes = [fmt_label(c) for c in model.classes_]
    return [f"proba_{classes[1]}"] if len(classes) == 2 else [f"proba_{c}" for c in classes]


def to_sql(model, *, table="data", key=None, indent="  "):
    """A single SELECT that scores every row of ``table``.

    Columns of ``table`` carry the training feature names; NULL is a missing value;
    categorical columns hold the category text (numbers compare as numbers). The result has
    the ``key`` column when given, then the positive-class probability (binary classifiers,
    column ``proba_<class>``), one ``proba_<class>`` column per class (multiclass) or
    ``prediction`` (regressors). Only CASE WHEN, comparisons, arithmetic and EXP are used.

    Parameters
    ----------
    model : fitted glassbox estimator
    table : str, default="data"
        Table (or view) to score; quoted as one identifier.
    key : str, optional
        A column of ``table`` returned first, to join the scores back.

    Returns
    -------
    str
    """
    check_is_fitted(model)
    for name, value in (("table", table), ("key", key)):
        if not (isinstance(value, str) and value) and not (name == "key" and value is None):
            raise TypeError(f"{name} must be a non-empty string{' or None' if name == 'key' else ''}, got {value!r}")
    if _gam.matches(model):
        exprs, needs_outer = _gam_scores(model, indent)
    elif _leaves.matches(model):
        exprs, needs_outer = _leaf_scores(model, indent), None
    else:
        raise TypeError(f"to_sql does not know how to score a {type(model).__name__}")
    names = output_columns(model)
    key_col = [quote_identifier(key)] if key is not None else []
    src = quote_identifier(table)
    if needs_outer is None:
        cols = key_col + [f"{e} AS {quote_identifier(n)}" for e, n in zip(exprs, names)]
        return "SELECT\n" + ",\n".join(indent + c for c in cols) + f"\nFROM {src};\n"
    # Additive models: inner query sums the scores, outer query applies the inverse link.
    inner_cols = key_col + [f"{e} AS score_{i}" for i, e in enumerate(exprs)]
    inner = "SELECT\n" + ",\n".join(indent * 2 + c for c in inner_cols) + f"\n{indent}FROM {src}"
    outer_cols = key_col + [f"{e} AS {quote_identifier(n)}" for e, n in zip(needs_outer, names)]
    return ("SELECT\n" + ",\n".join(indent + c for c in outer_cols)
            + f"\nFROM (\n{indent}{inner}\n) AS scored;\n")


# --------------------------------------------------------------------------- additive models


def _axis_cases(axis, values, indent):
    """CASE over one axis' cells; ``values[cell]`` is the SQL for that cell."""
    col = quote_identifier(axis.feature)
    whens = [f"WHEN {col} IS NULL THEN {values[0]}"]
    if axis.continuous:
        for i, cut in enumerate(axis.cuts):
            whens.append(f"WHEN {col} < {_number(cut)} THEN {values[i + 1]}")
        whens.append(f"ELSE {values[len(axis.cuts) + 1]}")
    else:
        by_cell = {}
        for category, cell in axis.mapping.items():
            by_cell.setdefault(int(cell), []).append(_text(category))
        for cell in sorted(by_cell):
            whens.append(f"WHEN {col} IN ({', '.join(by_cell[cell])}) THEN {values[cell]}")
        whens.append(f"ELSE {values[axis.n_cells - 1]}")
    return "CASE " + " ".join(whens) + " END"


def _term_case(axes, table, indent):
    if len(axes) == 1:
        return _axis_cases(axes[0], [_number(v) for v in table], indent)
    inner = [_term_case(axes[1:], table[i], indent) for i in range(axes[0].n_cells)]
    return _axis_cases(axes[0], inner, indent)


def _gam_scores(model, indent):
    link = model.link_
    if link not in _gam.LINKS:
        raise ValueError(f"cannot write SQL for link {link!r}")
    k = _gam.n_classes_axis(model)
    intercept = np.asarray(model.intercept_, dtype=np.float64).reshape(-1)
    sums = []
    for c in range(k or 1):
        parts = [f"({_number(intercept[c])})"]
        for t in range(len(model.term_features_)):
            scores = np.asarray(model.term_scores_[t], dtype=np.float64)
            table = scores[..., c] if k else scores
            parts.append(_term_case(_gam.term_axes(model, t), table, indent))
        sums.append(f"\n{indent * 3}+ ".join(parts))
    if link == "logit":
        outer = ["1.0 / (1.0 + EXP(-score_0))"]
    elif link == "mlogit":
        # P(c) = 1 / sum_j exp(s_j - s_c): no overflow for the winning class, no MAX needed.
        outer = ["1.0 / (" + " + ".join("1.0" if j == c else f"EXP(score_{j} - score_{c})"
                                        for j in range(k)) + ")" for c in range(k)]
    elif link == "log":
        outer = ["EXP(score_0)"]
    else:
        outer = ["score_0"]
    return sums, outer


# --------------------------------------------------------------------------- leaf models


def condition_sql(cond, binary_columns=False):
    """SQL truth of one :class:`Condition`, with its missing-value semantics spelt out.

    ``binary_columns``: the model reads 0/1 (or boolean) columns as they are (the binarizer's
    passthrough), so "x == 1" / "x == True" compare with the number 1, which is how databases
    store booleans.
    """
    col = quote_identifier(cond.feature)
    if binary_columns and cond.op in ("==", "!=") and cond.value in ("1", "True"):
        return f"{col} = 1" if cond.op == "==" else f"({col} <> 1 OR {col} IS NULL)"
    if cond.op == "is missing":
        return f"{col} IS NULL"
    if cond.op == "is not missing":
        return f"{col} IS NOT NULL"
    if cond.op == "<=":
        return f"{col} <= {_number(cond.value)}"
    if cond.op == ">":
        return f"({col} > {_number(cond.value)} OR {col} IS NULL)"
    if cond.op == "==":
        return f"{col} = {_text(cond.value)}"
    return f"({col} <> {_text(cond.value)} OR {col} IS NULL)"


def _leaf_scores(model, indent):
    rules = _leaves.scoring_rules(model)  # CASE WHEN takes the first match, as a rule list does
    binary = bool(getattr(model.binarizer_, "passthrough_", False))
    whens = []
    for literals, _ in rules:
        conds = _leaves.literal_conditions(model, literals)
        whens.append(" AND ".join(condition_sql(c, binary) for c in conds) if conds else "1 = 1")
    values = np.array([v for _, v in rules], dtype=np.float64)
    if is_classifier(model) and values.shape[1] == 2:
        columns = [1]
    else:
        columns = list(range(values.shape[1]))
    exprs = []
    for j in columns:
        cases = "".join(f"\n{indent * 2}ELSE {_number(values[i, j])}" if w == "1 = 1" and i == len(whens) - 1
                        else f"\n{indent * 2}WHEN {w} THEN {_number(values[i, j])}" for i, w in enumerate(whens))
        exprs.append(f"CASE{cases}\n{indent}END")
    return exprs
