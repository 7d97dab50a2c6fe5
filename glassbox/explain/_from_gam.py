"""Explanations of additive models (EBMs) from interpret's fitted vocabulary.

Reads ``term_features_``, ``term_names_``, ``term_scores_``, ``bins_``, ``bin_weights_``,
``standard_deviations_``, ``intercept_``, ``link_`` and the model's ``eval_terms``; copies the
learned tables verbatim, so a plotted or exported shape is exactly what the model adds.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import is_classifier

from ._common import as_frame, feature_names_of, feature_types_of, target_array
from ._explanation import Explanation, TermShape


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _continuous_labels(cuts: np.ndarray) -> list[str]:
    if len(cuts) == 0:
        return ["missing", "any value", "unseen"]
    labels = ["missing", f"< {_fmt(cuts[0])}"]
    labels += [f"[{_fmt(a)}, {_fmt(b)})" for a, b in zip(cuts[:-1], cuts[1:])]
    labels += [f">= {_fmt(cuts[-1])}", "unseen"]
    return labels


def _categorical_labels(mapping: dict, n_value: int) -> list[str]:
    members: list[list[str]] = [[] for _ in range(n_value)]
    for category, index in mapping.items():
        if 1 <= int(index) <= n_value:
            members[int(index) - 1].append(str(category))
    return ["missing"] + [", ".join(m) if m else f"bin {i + 1}" for i, m in enumerate(members)] + ["unseen"]


def _display_range(model, feature: int, cuts: np.ndarray) -> tuple:
    bounds = getattr(model, "feature_bounds_", None)
    if bounds is not None:
        low, high = np.asarray(bounds, dtype=np.float64)[feature]
        if np.isfinite(low) and np.isfinite(high):
            return (float(min(low, cuts[0] if len(cuts) else low)),
                    float(max(high, cuts[-1] if len(cuts) else high)))
    if len(cuts) == 0:
        return (-1.0, 1.0)
    span = float(cuts[-1] - cuts[0])
    pad = 0.1 * span if span > 0 else max(1.0, abs(float(cuts[0])) * 0.1)
    return (float(cuts[0] - pad), float(cuts[-1] + pad))


def _axis(model, feature: int, n_term_features: int, n_cells: int, kind: str, term_name: str):
    """Edges, labels and display range of one axis of one term."""
    levels = model.bins_[feature]
    level = levels[min(len(levels), n_term_features) - 1]
    if isinstance(level, dict):
        return None, _categorical_labels(level, n_cells - 2), None
    cuts = np.asarray(level, dtype=np.float64)
    if n_cells != len(cuts) + 3:
        raise ValueError(
            f"term {term_name!r}: feature {feature} has {len(cuts)} cut points, so its axis "
            f"should have {len(cuts) + 3} cells, but term_scores_ has {n_cells}."
        )
    edges = np.concatenate([[-np.inf], cuts, [np.inf]])
    return edges, _continuous_labels(cuts), _display_range(model, feature, cuts)


def _term_shape(model, t: int, importance: float, types: list, names: list) -> TermShape:
    features = tuple(int(f) for f in model.term_features_[t])
    name = str(model.term_names_[t])
    scores = np.asarray(model.term_scores_[t], dtype=np.float64)
    edges, labels, ranges = [], [], []
    for axis, f in enumerate(features):
        e, lab, rng = _axis(model, f, len(features), scores.shape[axis], types[f], name)
        edges.append(e)
        labels.append(lab)
        ranges.append(rng)
    lower = upper = None
    sds = getattr(model, "standard_deviations_", None)
    if sds is not None and sds[t] is not None:
        sd = np.asarray(sds[t], dtype=np.float64)
        lower, upper = scores - sd, scores + sd
    weights = getattr(model, "bin_weights_", None)
    density = None if weights is None else np.asarray(weights[t], dtype=np.float64)
    return TermShape(
        name=name,
        features=features,
        feature_names=tuple(names[f] for f in features),
        kinds=tuple("continuous" if e is not None else types[f] for e, f in zip(edges, features)),
        edges=tuple(edges),
        labels=tuple(labels),
        scores=scores,
        lower=lower,
        upper=upper,
        density=density,
        importance=float(importance),
        display_range=tuple(ranges),
    )


def _header(model) -> dict:
    classifier = is_classifier(model)
    classes = np.asarray(model.classes_) if classifier else None
    multiclass = classifier and len(classes) > 2
    facts = {"link": getattr(model, "link_", None), "objective": getattr(model, "objective", None),
             "n_terms": len(model.term_features_)}
    for attr in ("outer_bags", "inner_bags", "learning_rate", "max_bins", "interactions"):
        if hasattr(model, attr) and isinstance(getattr(model, attr), (int, float, str)):
            facts[attr] = getattr(model, attr)
    summary = getattr(model, "fit_summary_", None)
    if isinstance(summary, dict):
        facts["training"] = summary
    return dict(
        model_type="ebm",
        task="classification" if classifier else "regression",
        output="log_odds" if classifier else "score",
        feature_names=feature_names_of(model),
        feature_types=feature_types_of(model),
        term_names=[str(n) for n in model.term_names_],
        term_features=[tuple(int(f) for f in tf) for tf in model.term_features_],
        classes=classes,
        output_names=[str(c) for c in classes] if multiclass else None,
        facts=facts,
    )


def _intercept(model) -> np.ndarray:
    """``intercept_`` as a 0-d array for one output (interpret stores shape (1,)), else (K,)."""
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    return intercept.reshape(()) if intercept.size == 1 else intercept.reshape(-1)


def gam_global(model) -> Explanation:
    """Global explanation of a fitted GAM: every shape function, importances, intercept."""
    head = _header(model)
    importances = np.asarray(model.term_importances(), dtype=np.float64)
    shapes = tuple(
        _term_shape(model, t, importances[t], head["feature_types"], head["feature_names"])
        for t in range(len(model.term_features_))
    )
    intercept = _intercept(model)
    head["facts"]["intercept"] = intercept
    return Explanation(
        scope="global",
        base_values=float(intercept) if intercept.ndim == 0 else intercept,
        term_importances=importances,
        shapes=shapes,
        **head,
    )


def gam_local(model, X, y=None) -> Explanation:
    """Local explanation: per-term scores from ``eval_terms``, summing with the intercept to the
    model's score (``decision_function`` for classifiers)."""
    head = _header(model)
    data = as_frame(X, head["feature_names"])
    values = np.asarray(model.eval_terms(X), dtype=np.float64)
    n = values.shape[0]
    intercept = _intercept(model)
    base = np.broadcast_to(intercept, (n,) + intercept.shape).copy()
    probabilities = np.asarray(model.predict_proba(X)) if head["task"] == "classification" else None
    head["facts"]["intercept"] = intercept
    return Explanation(
        scope="local",
        base_values=base,
        values=values,
        data=data,
        predictions=np.asarray(model.predict(X)),
        probabilities=probabilities,
        y=target_array(y, n),
        **head,
    )
