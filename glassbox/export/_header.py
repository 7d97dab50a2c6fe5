"""The parts every rule document shares: model, target, training data, training metrics."""
import numbers

import numpy as np
from sklearn.base import is_classifier

from ._document import Facts, Paragraph, Section, Table
from ._format import fmt_label, fmt_number, fmt_weight

MODEL_TITLES = {
    "ExplainableBoostingClassifier": "Explainable boosting machine (classifier)",
    "ExplainableBoostingRegressor": "Explainable boosting machine (regressor)",
    "OptimalSparseTreeClassifier": "Optimal sparse decision tree (classifier)",
    "OptimalSparseTreeRegressor": "Optimal sparse decision tree (regressor)",
    "OptimalRuleListClassifier": "Certifiably optimal rule list (classifier)",
}


def feature_names(model):
    """The model's original feature names (``feature_names_in_`` or the generated ones)."""
    for attr in ("feature_names_in_", "feature_names_"):
        names = getattr(model, attr, None)
        if names is not None:
            return [str(n) for n in names]
    binarizer = getattr(model, "binarizer_", None)
    if binarizer is not None and getattr(binarizer, "feature_names_", None) is not None:
        return [str(n) for n in binarizer.feature_names_]
    return [f"feature_{i:04d}" for i in range(int(model.n_features_in_))]


def feature_types(model):
    """The type of every original feature ("continuous", "nominal", "ordinal")."""
    for owner in (model, getattr(model, "binarizer_", None)):
        for attr in ("feature_types_in_", "feature_types_"):
            types = getattr(owner, attr, None)
            if types is not None:
                return [str(t) for t in types]
    return ["unknown"] * len(feature_names(model))


def header_sections(model, *, decimals, target_name=None):
    """The "Model", "Training data" and "Training metrics" sections."""
    name = type(model).__name__
    classifier = is_classifier(model)
    facts = [("Model", MODEL_TITLES.get(name, name)), ("Class", f"glassbox.{name}"),
             ("Task", "classification" if classifier else "regression")]
    if target_name:
        facts.append(("Target", str(target_name)))
    if classifier:
        classes = [fmt_label(c) for c in model.classes_]
        facts.append(("Classes", ", ".join(classes)))
        if len(classes) == 2:
            facts.append(("Positive class", classes[1]))
    sections = [Section("Model", [Facts(facts)])]

    names, types = feature_names(model), feature_types(model)
    summary = getattr(model, "fit_summary_", None) or {}
    data_facts = []
    for key, label in (("n_samples", "Rows"), ("rows", "Rows"), ("total_weight", "Total weight"),
                       ("weight", "Total weight")):
        if key in summary and not any(lbl == label for lbl, _ in data_facts):
            data_facts.append((label, fmt_weight(summary[key], decimals)))
    data_facts.append(("Features", str(len(names))))
    counts = {t: types.count(t) for t in dict.fromkeys(types)}
    data_facts.append(("Feature types", ", ".join(f"{n} {t}" for t, n in counts.items())))
    table = Table(["#", "feature", "type"], [[str(i), n, t] for i, (n, t) in enumerate(zip(names, types))])
    sections.append(Section("Training data", [Facts(data_facts), table]))

    metrics = _metric_items(summary, decimals)
    if metrics:
        sections.append(Section("Training metrics", [Facts(metrics)]))
    return sections


def parameters_section(model):
    """Every parameter of the estimator as it was fitted (an appendix: complete, not rounded)."""
    params = model.get_params(deep=False)
    return Section("Parameters", [Table(["parameter", "value"],
                                        [[k, _param_text(v)] for k, v in sorted(params.items())])])


def _param_text(v):
    if isinstance(v, float):
        return fmt_number(v, None)
    return repr(v) if isinstance(v, str) else str(v)


_DATA_KEYS = {"n_samples", "rows", "total_weight", "weight"}


def _metric_items(summary, decimals):
    items = []
    for key, value in summary.items():
        if key in _DATA_KEYS:
            continue
        if isinstance(value, dict):
            items += [(f"{key} {k}", _metric_text(v, decimals)) for k, v in value.items()
                      if _metric_text(v, decimals) is not None]
        elif _metric_text(value, decimals) is not None:
            items.append((key.replace("_", " "), _metric_text(value, decimals)))
    return items


def _metric_text(v, decimals):
    if isinstance(v, (numbers.Number, np.number)):
        return fmt_number(v, decimals)
    if isinstance(v, str):
        return v
    return None


def missing_note():
    return Paragraph(
        "Missing values: a missing value never satisfies a test of the form 'x <= t' or "
        "'x is c'; it satisfies their negations ('x > t', 'x is not c'), which say "
        "'or x is missing' wherever the feature had missing values in training."
    )
