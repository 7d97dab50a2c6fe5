"""A fitted rule list as plain arrays: evaluation, objective, and its leaves.

A rule list "if r1 then p1 else if r2 then p2 ... else p_default" is stored as conjunctions of
literals ``(binary column, required value)`` and one class-frequency row per rule (the default
rule last). Everything here is vectorised over rows; Python loops run over rules only.
"""
from __future__ import annotations

import numpy as np


def fires(Xb, conjunction):
    """Boolean mask of the rows of the 0/1 matrix ``Xb`` that satisfy ``conjunction``."""
    out = np.ones(Xb.shape[0], dtype=bool)
    for k, v in conjunction:
        out &= (Xb[:, k] != 0) == v
    return out


def first_rule(Xb, conjunctions):
    """Index of the first rule that fires on each row (``len(conjunctions)`` = default)."""
    out = np.full(Xb.shape[0], len(conjunctions), dtype=np.intp)
    for j in range(len(conjunctions) - 1, -1, -1):
        out[fires(Xb, conjunctions[j])] = j
    return out


def captured_class_weight(rule, y, weight, n_rules, n_classes):
    """Training weight of each class captured by each rule (default last)."""
    cw = np.zeros((n_rules + 1, n_classes))
    np.add.at(cw, (rule, y), weight)
    return cw


def frequencies(class_weight, fallback):
    """Row-normalised class weights; rules capturing no weight get ``fallback``."""
    tot = class_weight.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        freq = np.where(tot > 0, class_weight / np.where(tot > 0, tot, 1.0), fallback)
    return freq


def objective(Xb, y, weight, conjunctions, regularization, n_classes):
    """CORELS objective of a rule list whose rules predict their captured majority class.

    weighted misclassification rate + regularization * (number of rules, default excluded)
    """
    rule = first_rule(Xb, conjunctions)
    cw = captured_class_weight(rule, y, weight, len(conjunctions), n_classes)
    errors = cw.sum(axis=1) - cw.max(axis=1)
    return float(errors.sum() / weight.sum() + regularization * len(conjunctions))


def _merge(term, conjunction):
    """term AND conjunction as a sorted literal list, or None if they contradict."""
    need = dict(term)
    for k, v in conjunction:
        if need.get(k, v) != v:
            return None
        need[k] = v
    return sorted(need.items())


def _negation(conjunction):
    """not (l1 and ... and lm) as disjoint conjunctions: not l1 | l1 & not l2 | ..."""
    return [list(conjunction[:i]) + [(k, not v)] for i, (k, v) in enumerate(conjunction)]


def rule_list_leaves(conjunctions):
    """Partition of the binary feature space by which rule fires.

    Returns a list of ``(literals, rule index)``: leaf literals are disjoint conjunctions that
    together cover every input; rule index ``len(conjunctions)`` is the default rule. "Rule j
    fires" is (no earlier rule fires) and r_j, and "no earlier rule fires" is kept as disjoint
    conjunctions by expanding each negated rule with `_negation`.
    """
    leaves = []
    context = [[]]   # disjoint conjunctions: no earlier rule fires
    for j, conj in enumerate(conjunctions):
        nxt = []
        for term in context:
            fired = _merge(term, conj)
            if fired is not None:
                leaves.append((fired, j))
            for neg in _negation(conj):
                rest = _merge(term, neg)
                if rest is not None:
                    nxt.append(rest)
        context = nxt
    leaves.extend((term, len(conjunctions)) for term in context)
    return leaves
