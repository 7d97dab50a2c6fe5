"""Additive models (EBMs): the document sections, the loaded-model check and the term axes.

Reads interpret's fitted vocabulary only: ``term_features_``, ``term_names_``,
``term_scores_`` (missing cell first and unseen cell last on every axis, a trailing class axis
for multiclass), ``bins_`` (per feature a list of levels: a float64 cut array for a continuous
feature, a dict category -> bin index otherwise; a term of k features uses level
``min(k, len(levels)) - 1``), ``bin_weights_``, ``intercept_``, ``link_``, ``classes_``.
"""
from dataclasses import dataclass

import numpy as np
from sklearn.base import is_classifier

from ._document import Code, Facts, Paragraph, Section, Table
from ._format import fmt_label, fmt_number, fmt_value, fmt_weight, join_or
from ._header import feature_names

LINKS = ("identity", "logit", "mlogit", "log")


def matches(model):
    return hasattr(model, "term_scores_") and hasattr(model, "bins_")


@dataclass
class Axis:
    """One axis of a term's score table: which feature, and how a value picks its cell."""

    feature: str
    index: int
    cuts: object  # float64 array (continuous) or None
    mapping: object  # dict category -> cell (categorical) or None
    n_cells: int

    @property
    def continuous(self):
        return self.cuts is not None

    def labels(self):
        """Text of every cell: "missing", value ranges or categories, "unseen"."""
        if self.continuous:
            c = [fmt_value(v) for v in self.cuts]
            if not c:
                values = ["any value"]
            else:
                values = [f"< {c[0]}", *[f"[{a}, {b})" for a, b in zip(c[:-1], c[1:])], f">= {c[-1]}"]
            return ["missing", *values, "unseen"]
        members = [[] for _ in range(self.n_cells)]
        for category, cell in self.mapping.items():
            members[int(cell)].append(str(category))
        values = [join_or(m) if m else "(empty)" for m in members[1:-1]]
        return ["missing", *values, "other/unseen"]

    def shown_cells(self, scores_along_axis_are_zero):
        """Cells worth a row: every cell except a continuous axis' unseen cell when it is empty."""
        cells = list(range(self.n_cells))
        if self.continuous and scores_along_axis_are_zero:
            cells.pop()
        return cells


def term_axes(model, t):
    """The :class:`Axis` of every feature of term ``t``."""
    names = feature_names(model)
    features = tuple(int(f) for f in model.term_features_[t])
    scores = np.asarray(model.term_scores_[t])
    axes = []
    for a, f in enumerate(features):
        levels = model.bins_[f]
        level = levels[min(len(features), len(levels)) - 1]
        n_cells = int(scores.shape[a])
        if isinstance(level, dict):
            axes.append(Axis(names[f], f, None, dict(level), n_cells))
        else:
            axes.append(Axis(names[f], f, np.asarray(level, dtype=np.float64), None, n_cells))
    return axes


def n_classes_axis(model):
    """Number of classes on the trailing score axis (0 when scores have no class axis)."""
    return len(model.classes_) if is_classifier(model) and len(model.classes_) > 2 else 0


def importances(model):
    if callable(getattr(model, "term_importances", None)):
        return np.asarray(model.term_importances(), dtype=np.float64)
    out = []
    for t, scores in enumerate(model.term_scores_):
        s = np.abs(np.asarray(scores, dtype=np.float64))
        if s.ndim > len(model.term_features_[t]):
            s = s.mean(axis=-1)
        w = np.asarray(model.bin_weights_[t], dtype=np.float64)
        out.append(float((s * w).sum() / w.sum()) if w.sum() > 0 else 0.0)
    return np.asarray(out)


# --------------------------------------------------------------------------- document


def model_sections(model, *, decimals, figures=None):
    """Sections describing the whole additive model."""
    classifier = is_classifier(model)
    classes = [fmt_label(c) for c in model.classes_] if classifier else []
    k = n_classes_axis(model)
    intercept = np.asarray(model.intercept_, dtype=np.float64).reshape(-1)
    if not k:
        intercept_text = fmt_number(float(intercept[0]), decimals)
    else:
        intercept_text = ", ".join(f"{c}: {fmt_number(v, decimals)}" for c, v in zip(classes, intercept))
    link = getattr(model, "link_", None)
    facts = [("Intercept", intercept_text), ("Terms", str(len(model.term_features_))),
             ("Link", str(link))]
    how = Section("How a prediction is made", [Paragraph(_how_text(model, classes, link)),
                                               Code(_formula(classes, link))])
    order = np.argsort(-importances(model), kind="stable")
    imp = importances(model)
    imp_table = Table(["rank", "term", "importance"],
                      [[str(r + 1), str(model.term_names_[t]), fmt_number(imp[t], decimals)]
                       for r, t in enumerate(order)])
    terms = [_term_section(model, int(t), decimals, classes if k else None, figures) for t in order]
    return [Section("Additive model", [Facts(facts)], [how]),
            Section("Term importances", [Paragraph("Mean absolute score over the training data."),
                                         imp_table]),
            Section("Terms (in order of importance)", [], terms)]


def _how_text(model, classes, link):
    base = ("Look up each term's score for the row in the tables below (a missing value uses "
            "the 'missing' row, a category not seen in training the 'other/unseen' row) and add "
            "the scores to the intercept.")
    if link == "logit":
        return base + f" The sum is the log-odds of class {classes[1]}."
    if link == "mlogit":
        return base + " Do this once per class; the class sums are turned into probabilities by softmax."
    if link == "log":
        return base + " The prediction is exp(sum)."
    return base + " The sum is the prediction."


def _formula(classes, link):
    if link == "logit":
        return (f"score = intercept + sum of term scores\n"
                f"P({classes[1]}) = 1 / (1 + exp(-score))\nP({classes[0]}) = 1 - P({classes[1]})")
    if link == "mlogit":
        return ("score[c] = intercept[c] + sum of the class-c term scores, for every class c\n"
                "P(c) = exp(score[c]) / sum over classes k of exp(score[k])")
    if link == "log":
        return "prediction = exp(intercept + sum of term scores)"
    return "prediction = intercept + sum of term scores"


def _term_section(model, t, decimals, classes, figures):
    axes = term_axes(model, t)
    scores = np.asarray(model.term_scores_[t], dtype=np.float64)
    weights = getattr(model, "bin_weights_", None)
    weights = None if weights is None else np.asarray(weights[t], dtype=np.float64)
    name = str(model.term_names_[t])
    blocks = []
    if figures is not None and name in figures:
        blocks.append(figures[name])
    if len(axes) == 1:
        blocks.append(_main_table(axes[0], scores, weights, decimals, classes))
    elif len(axes) == 2:
        blocks += _pair_tables(axes, scores, decimals, classes)
    else:
        blocks.append(Paragraph(f"A term of {len(axes)} features: its table is in the JSON export."))
    return Section(f"Term: {name}", blocks)


def _main_table(axis, scores, weights, decimals, classes):
    labels = axis.labels()
    empty_unseen = not np.any(scores[-1])
    header = [axis.feature] + ([f"score ({c})" for c in classes] if classes else ["score"])
    if weights is not None and weights.shape == scores.shape[:1]:
        header.append("training weight")
    rows = []
    for cell in axis.shown_cells(empty_unseen):
        row = [labels[cell]]
        row += [fmt_number(v, decimals) for v in np.atleast_1d(scores[cell])]
        if len(header) > len(row):
            row.append(fmt_weight(weights[cell], decimals))
        rows.append(row)
    return Table(header, rows)


def _pair_tables(axes, scores, decimals, classes):
    a, b = axes
    la, lb = a.labels(), b.labels()
    rows_cells = a.shown_cells(not np.any(scores[-1]))
    col_cells = b.shown_cells(not np.any(scores[:, -1]))
    out = []
    for c, label in enumerate(classes or [None]):
        table = scores if label is None else scores[..., c]
        caption = f"rows: {a.feature}, columns: {b.feature}" + (f", scores for class {label}" if label else "")
        out.append(Table([f"{a.feature} \\ {b.feature}"] + [lb[j] for j in col_cells],
                         [[la[i]] + [fmt_number(table[i, j], decimals) for j in col_cells] for i in rows_cells],
                         caption))
    return out


# --------------------------------------------------------------------------- loaded-model check


def check(model):
    """Raise ValueError when the fitted tables do not fit together (a hand-edited document)."""
    n_features = len(model.bins_)
    if not (len(model.term_features_) == len(model.term_scores_) == len(model.term_names_)):
        raise ValueError("term_features_, term_scores_ and term_names_ have different lengths")
    link = getattr(model, "link_", None)
    if link not in LINKS:
        raise ValueError(f"link_ {link!r} is not one of {LINKS}")
    k = n_classes_axis(model)
    for t, features in enumerate(model.term_features_):
        if not features or any(not 0 <= int(f) < n_features for f in features):
            raise ValueError(f"term {t} reads features {features} outside 0..{n_features - 1}")
        scores = model.term_scores_[t]
        if not isinstance(scores, np.ndarray) or scores.dtype.kind != "f":
            raise ValueError(f"term_scores_[{t}] is not a float array")
        if scores.ndim != len(features) + (1 if k else 0) or (k and scores.shape[-1] != k):
            raise ValueError(f"term_scores_[{t}] has shape {scores.shape} for {len(features)} features")
        for axis in term_axes(model, t):
            if axis.continuous:
                cuts = axis.cuts
                if axis.n_cells != len(cuts) + 3 or not np.all(np.isfinite(cuts)) or np.any(np.diff(cuts) <= 0):
                    raise ValueError(f"term {t}: the cut points of feature {axis.index} do not match its table")
            else:
                cells = [c for c in axis.mapping.values()]
                if not all(isinstance(c, (int, np.integer)) and 1 <= c <= axis.n_cells - 2 for c in cells):
                    raise ValueError(f"term {t}: the category map of feature {axis.index} does not match its table")
    intercept = np.asarray(model.intercept_)
    if intercept.dtype.kind not in "fiu" or intercept.size != (k or 1):
        raise ValueError(f"intercept_ has shape {intercept.shape}")
