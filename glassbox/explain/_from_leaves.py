"""Explanations of leaf models (optimal trees and rule lists) from `DecisionLeaves`.

The model provides ``_decision_leaves()``, its fitted ``binarizer_`` and the Shapley
``background_`` (binarized training rows; ``background_weight_`` when the model keeps weights).
Contributions are exact interventional Shapley values over the original features
(`glassbox.explain._shapley`).
"""
from __future__ import annotations

import numpy as np
from sklearn.base import is_classifier

from ._common import as_frame, feature_names_of, feature_types_of, target_array
from ._explanation import Explanation, Rule, TreeNode
from ._leaves import DecisionLeaves, literal_text
from ._shapley import leaf_shapley_values


def _model_type(model) -> str:
    return "rule_list" if hasattr(model, "rules_") else "tree"


def _leaves(model) -> DecisionLeaves:
    leaves = model._decision_leaves()
    if not isinstance(leaves, DecisionLeaves):
        raise TypeError(
            f"{type(model).__name__}._decision_leaves() returned {type(leaves).__name__}, "
            "expected glassbox.explain.DecisionLeaves."
        )
    return leaves


def _prediction(model, value: np.ndarray):
    if is_classifier(model):
        label = model.classes_[int(np.argmax(value))]
        return label.item() if hasattr(label, "item") else label
    return float(value[0])


def _leaf_rules(model, leaves: DecisionLeaves) -> tuple:
    binarizer = model.binarizer_
    return tuple(
        Rule(
            conditions=tuple(literal_text(binarizer, k, v) for k, v in leaves.literals[i]),
            prediction=_prediction(model, leaves.values[i]),
            value=leaves.values[i].copy(),
            support=float(leaves.support[i]),
            accuracy=float(leaves.accuracy[i]),
            literals=tuple(leaves.literals[i]),
        )
        for i in range(leaves.n_leaves)
    )


def _ordered_rules(model) -> tuple | None:
    """The rule list's own ordered rules (default last), when the model exposes them."""
    rules = getattr(model, "rules_", None)
    if rules is None:
        return None
    out = []
    for r in rules:
        get = r.get if isinstance(r, dict) else (lambda name, default=None, r=r: getattr(r, name, default))
        conditions = get("conditions", ())
        conditions = tuple(c if isinstance(c, str) else c.text() for c in conditions)
        value = np.asarray(get("value", get("proba", [np.nan])), dtype=np.float64).reshape(-1)
        out.append(
            Rule(
                conditions=conditions,
                prediction=get("prediction"),
                value=value,
                support=float(get("support", np.nan)),
                accuracy=float(get("accuracy", np.nan)),
                is_default=bool(get("is_default", len(conditions) == 0)),
                literals=tuple((int(k), bool(v)) for k, v in get("literals", ())),
            )
        )
    return tuple(out)


def _leaf_to_rule(leaves: DecisionLeaves, rules: tuple) -> np.ndarray:
    """Position in the ordered rules of the rule each leaf belongs to.

    A leaf of an expanded rule list holds all literals of its own rule and, for every earlier
    rule, at least one negated literal, so the first rule whose literals all appear in the leaf
    is its rule; a leaf holding no complete rule belongs to the default rule.
    """
    default = next((j for j, r in enumerate(rules) if r.is_default), len(rules) - 1)
    out = np.full(leaves.n_leaves, default, dtype=np.intp)
    for i, leaf in enumerate(leaves.literals):
        have = set(leaf)
        for j, r in enumerate(rules):
            if not r.is_default and r.literals and set(r.literals) <= have:
                out[i] = j
                break
    return out


def tree_nodes(leaves: DecisionLeaves, rules: tuple, model) -> tuple | None:
    """Rebuild the tree (root first) from its leaves; None if the leaves do not form a tree.

    At every node some binary column is tested by every leaf below it; that column is the split.
    Internal nodes carry the support-weighted mean of the leaf outputs below them (for
    classifiers: the class distribution of the training rows reaching the node).
    """
    binarizer = model.binarizer_
    remaining = [dict(leaf) for leaf in leaves.literals]
    order = [[k for k, _ in leaf] for leaf in leaves.literals]
    nodes: list = []

    def node_value(ids):
        w = leaves.support[ids]
        vals = leaves.values[ids]
        return (w @ vals) / w.sum() if w.sum() > 0 else vals.mean(axis=0)

    def build(ids: list, depth: int) -> int | None:
        index = len(nodes)
        nodes.append(None)
        support = float(leaves.support[ids].sum())
        value = node_value(ids)
        if len(ids) == 1 and not remaining[ids[0]]:
            nodes[index] = TreeNode(None, -1, -1, support, value, rules[ids[0]].prediction, depth, ids[0])
            return index
        common = set.intersection(*(set(remaining[i]) for i in ids))
        split = next((k for k in order[ids[0]] if k in common), None)
        if split is None:
            return None
        true_ids = [i for i in ids if remaining[i][split]]
        false_ids = [i for i in ids if not remaining[i][split]]
        if not true_ids or not false_ids:
            return None
        for i in ids:
            del remaining[i][split]
        left = build(true_ids, depth + 1)
        right = build(false_ids, depth + 1) if left is not None else None
        if right is None:
            return None
        nodes[index] = TreeNode(literal_text(binarizer, split, True), left, right, support, value,
                                _prediction(model, value), depth)
        return index

    root = build(list(range(leaves.n_leaves)), 0)
    return None if root is None else tuple(nodes)


def _header(model) -> dict:
    classifier = is_classifier(model)
    classes = np.asarray(model.classes_) if classifier else None
    facts = {}
    for attr in ("objective_", "lower_bound_", "optimality_gap_", "regularization", "max_depth",
                 "max_card", "min_support", "n_leaves_", "depth_"):
        value = getattr(model, attr, None)
        if isinstance(value, (int, float, np.integer, np.floating, str)):
            facts[attr.rstrip("_")] = value
    summary = getattr(model, "fit_summary_", None)
    if isinstance(summary, dict):
        facts["training"] = summary
    facts["n_background"] = int(np.asarray(model.background_).shape[0])
    names = feature_names_of(model)
    return dict(
        model_type=_model_type(model),
        task="classification" if classifier else "regression",
        output="probability" if classifier else "prediction",
        feature_names=names,
        feature_types=feature_types_of(model),
        term_names=list(names),
        term_features=[(j,) for j in range(len(names))],
        classes=classes,
        output_names=[str(c) for c in classes] if classifier else None,
        facts=facts,
    )


def _shapley(model, leaves: DecisionLeaves, Xb, n_features: int):
    weight = getattr(model, "background_weight_", None)
    values, base = leaf_shapley_values(leaves, Xb, model.background_, n_features, weight)
    if not is_classifier(model):
        values, base = values[..., 0], float(base[0])
    return values, base


def leaves_global(model) -> Explanation:
    """Global explanation of a tree or rule list: leaves or ordered rules, Shapley importances."""
    head = _header(model)
    leaves = _leaves(model)
    rules = _leaf_rules(model, leaves)
    n_features = len(head["feature_names"])
    phi, base = _shapley(model, leaves, np.asarray(model.background_), n_features)
    importance = np.abs(phi).mean(axis=0)
    if importance.ndim == 2:
        importance = importance.mean(axis=1)
    ordered = _ordered_rules(model) if head["model_type"] == "rule_list" else None
    tree = tree_nodes(leaves, rules, model) if head["model_type"] == "tree" else None
    head["facts"]["n_leaves"] = leaves.n_leaves
    return Explanation(
        scope="global",
        base_values=base,
        term_importances=importance,
        rules=ordered if ordered is not None else rules,
        tree=tree,
        **head,
    )


def leaves_local(model, X, y=None) -> Explanation:
    """Local explanation: exact Shapley values per original feature, the fired conditions."""
    head = _header(model)
    leaves = _leaves(model)
    data = as_frame(X, head["feature_names"])
    binarize = getattr(model, "_binarize", model.binarizer_.transform)  # the model's own input path
    Xb = np.asarray(binarize(X))
    phi, base = _shapley(model, leaves, Xb, len(head["feature_names"]))
    n = Xb.shape[0]
    leaf_of_row = leaves.apply(Xb)
    ordered = _ordered_rules(model) if head["model_type"] == "rule_list" else None
    if ordered is not None:  # rule lists: the firing rule (empty for the default rule)
        fired_rule = _leaf_to_rule(leaves, ordered)[leaf_of_row]
        texts = [r.conditions for r in ordered]
    else:  # trees: the path to the leaf
        fired_rule = leaf_of_row
        texts = [tuple(literal_text(model.binarizer_, k, v) for k, v in leaf) for leaf in leaves.literals]
    classifier = head["task"] == "classification"
    return Explanation(
        scope="local",
        base_values=np.broadcast_to(base, (n,) + np.shape(base)).copy(),
        values=phi,
        data=data,
        predictions=np.asarray(model.predict(X)),
        probabilities=np.asarray(model.predict_proba(X)) if classifier else None,
        y=target_array(y, n),
        fired=[texts[i] for i in fired_rule],
        fired_rule=fired_rule,
        **head,
    )
