"""Leaf models (optimal trees and rule lists): document sections and the loaded-model check.

Both families keep ``binarizer_`` (a fitted FeatureBinarizer whose ``conditions_[k]`` is the
test that binary column k stands for) and answer ``_decision_leaves()`` with a
:class:`glassbox.explain.DecisionLeaves`. A tree document lists every leaf; a rule-list
document lists the model's own ordered ``rules_`` (IF / ELSE IF / ELSE).
"""
import numbers

import numpy as np
from sklearn.base import is_classifier

from ._document import Facts, Paragraph, Rule, Rules, Section
from ._format import describe_conjunction, fmt_label, fmt_number, fmt_percent, fmt_value
from ._header import missing_note

# Model-level figures shown when the model has them (attribute, label).
_FACTS = (
    ("objective_", "Objective (training)"),
    ("lower_bound_", "Proven lower bound"),
    ("optimality_gap_", "Optimality gap"),
    ("regularization", "Regularization (cost per {unit})"),
    ("max_depth", "Maximum depth"),
    ("max_card", "Maximum conditions per rule"),
    ("min_support", "Minimum support"),
    ("n_leaves_", "Leaves"),
    ("depth_", "Depth"),
    ("search_time_", "Search time (s)"),
    ("n_nodes_", "Search nodes"),
)


def matches(model):
    return callable(getattr(model, "_decision_leaves", None)) and hasattr(model, "binarizer_")


def is_rule_list(model):
    return hasattr(model, "rules_")


def leaves(model):
    from ..explain._leaves import DecisionLeaves

    out = model._decision_leaves()
    if not isinstance(out, DecisionLeaves):
        raise TypeError(f"{type(model).__name__}._decision_leaves() did not return DecisionLeaves")
    return out


def scoring_rules(model):
    """(literals, output) pairs in order; the first whose literals all hold gives the output.

    A rule list gives its own ordered rules (default last, with no literals); a tree gives its
    leaves, which are disjoint, so their order does not matter.
    """
    if is_rule_list(model):
        rules = list(model.rules_)
        if rules and all(_member(r, "value") is not None and _member(r, "literals") is not None
                         or _member(r, "is_default", False) for r in rules):
            return [([] if _member(r, "is_default", False) else list(_member(r, "literals")),
                     np.asarray(_member(r, "value"), dtype=np.float64).reshape(-1)) for r in rules]
    dl = leaves(model)
    return [(list(lits), dl.values[i]) for i, lits in enumerate(dl.literals)]


def literal_conditions(model, literals):
    """The :class:`Condition` each literal (binary column, required value) stands for."""
    conds = model.binarizer_.conditions_
    return [conds[k] if v else conds[k].negate() for k, v in literals]


def outcome_text(model, value, decimals):
    """What a leaf or rule predicts, in words."""
    value = np.asarray(value, dtype=np.float64).reshape(-1)
    if not is_classifier(model):
        return f"predict {fmt_number(value[0], decimals)}"
    classes = [fmt_label(c) for c in model.classes_]
    best = int(np.argmax(value))
    if len(classes) == 2:
        return f"predict {classes[best]} (P({classes[1]}) = {fmt_number(value[1], decimals)})"
    probs = ", ".join(f"{c}: {fmt_number(p, decimals)}" for c, p in zip(classes, value))
    return f"predict {classes[best]} (probabilities {probs})"


def details_text(support, accuracy, decimals):
    parts = [f"support {fmt_percent(support, 1 if decimals is not None else None)}"]
    if accuracy is not None and np.isfinite(accuracy):
        parts.append(f"accuracy {fmt_percent(accuracy, 1 if decimals is not None else None)}")
    return ", ".join(parts)


def model_sections(model, *, decimals, figures=None):
    facts = []
    unit = "rule" if is_rule_list(model) else "leaf"
    for attr, label in _FACTS:
        label = label.format(unit=unit)
        value = getattr(model, attr, None)
        if isinstance(value, (numbers.Number, np.number)) and not isinstance(value, bool):
            if not attr.endswith("_"):  # a parameter: shown exactly as given
                facts.append((label, fmt_value(value)))
            else:
                facts.append((label, fmt_number(value, decimals if isinstance(value, float) else None)))
        elif value is None and attr == "max_depth" and hasattr(model, "max_depth"):
            facts.append((label, "none"))
    stats = getattr(model, "search_stats_", None)
    if isinstance(stats, dict) and isinstance(stats.get("status"), str):
        facts.append(("Search status", stats["status"]))
    gap = getattr(model, "optimality_gap_", None)
    if isinstance(gap, (numbers.Number, np.number)):
        facts.append(("Certified optimal", "yes" if gap == 0 else "no (search stopped early)"))
    blocks = [Facts(facts)] if facts else []
    if figures is not None and "model" in figures:
        blocks.append(figures["model"])
    if is_rule_list(model):
        title = "Rule list"
        blocks += [Paragraph("The rules are tried in order; the first rule whose conditions all "
                             "hold gives the prediction."), Rules(_rule_list_rules(model, decimals))]
    else:
        title = "Decision tree"
        blocks += [Paragraph("Each rule is one leaf of the tree; exactly one applies to every row."),
                   Rules(_tree_rules(model, decimals))]
    blocks.append(missing_note())
    return [Section(title, blocks)]


def _tree_rules(model, decimals):
    dl = leaves(model)
    out = []
    for i, literals in enumerate(dl.literals):
        conds = describe_conjunction(literal_conditions(model, literals), decimals)
        out.append(Rule("IF", conds or ["always"], outcome_text(model, dl.values[i], decimals),
                        details_text(dl.support[i], dl.accuracy[i], decimals)))
    return out


def _member(rule, name, default=None):
    if isinstance(rule, dict):
        return rule.get(name, default)
    return getattr(rule, name, default)


def _rule_list_rules(model, decimals):
    out = []
    rules = list(model.rules_)
    for i, r in enumerate(rules):
        conds = list(_member(r, "conditions", ()) or ())
        literals = _member(r, "literals", None)
        if literals:
            texts = describe_conjunction(literal_conditions(model, literals), decimals)
        elif conds and not isinstance(conds[0], str):
            texts = describe_conjunction(conds, decimals)
        else:
            texts = [str(c) for c in conds]
        default = bool(_member(r, "is_default", not conds))
        value = _member(r, "value", None)
        if value is None:
            value = _member(r, "proba", None)
        outcome = outcome_text(model, value, decimals) if value is not None else \
            f"predict {fmt_label(_member(r, 'prediction'))}"
        keyword = "ELSE" if default else ("IF" if i == 0 else "ELSE IF")
        out.append(Rule(keyword, [] if default else texts, outcome,
                        details_text(_member(r, "support", np.nan), _member(r, "accuracy", np.nan), decimals)))
    return out


def check(model):
    """Raise ValueError when the leaves and the binarizer do not fit together."""
    from ..preprocessing import Condition

    conds = model.binarizer_.conditions_
    if not isinstance(conds, list) or not all(isinstance(c, Condition) for c in conds):
        raise ValueError("binarizer_.conditions_ must be a list of Condition")
    dl = leaves(model)  # DecisionLeaves checks column indices itself
    if dl.feature_index.shape[0] != len(conds):
        raise ValueError("the leaves and the binarizer disagree on the number of binary columns")
    n_out = dl.values.shape[1]
    expected = len(model.classes_) if is_classifier(model) else 1
    if n_out != expected:
        raise ValueError(f"leaves hold {n_out} outputs, expected {expected}")
