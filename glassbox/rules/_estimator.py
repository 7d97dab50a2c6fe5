"""`OptimalRuleListClassifier`: certifiably optimal rule lists (CORELS objective), multiclass.

Objective minimised over every ordered list "if r1 then p1 else if r2 then p2 ... else p_d"
whose rules are CORELS's candidate conjunctions of the binarizer's 0/1 features:

    weighted misclassification rate + regularization * (number of rules, default excluded)

Each rule predicts the weighted majority class of the rows it captures. The branch and bound
(``glassbox._core._rulelist_search``) returns the best list and a proven lower bound; they
coincide unless ``time_limit`` or ``max_prefixes`` stopped it.
"""
from __future__ import annotations

import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from .._binary_model import BinaryFeatureModelMixin, check_number
from .._validation import validate_sample_weight, validate_target, validate_X
from ._rule_list import (
    captured_class_weight,
    first_rule,
    fires,
    frequencies,
    objective,
    rule_list_leaves,
)
from ._search import run_search

class OptimalRuleListClassifier(BinaryFeatureModelMixin, ClassifierMixin, BaseEstimator):
    """Certifiably optimal rule list (CORELS objective), binary and multiclass.

    Minimises ``weighted misclassification rate + regularization * n_rules`` (the default
    rule not counted) over every ordered rule list built from CORELS's candidate rules:
    literals are the binary features of a :class:`~glassbox.preprocessing.FeatureBinarizer`
    and their negations with support >= ``min_support``; rules are conjunctions of 1 to
    ``max_card`` distinct literals with ``min_support <= support <= 1 - min_support``.
    Each rule predicts the (weighted) majority class of the rows it captures. The answer is
    certified: the branch and bound proves that no rule list scores lower
    (``optimality_gap_ == 0``), or, when ``time_limit`` or ``max_prefixes`` stops it, returns
    the best list found with a proven lower bound and a warning.

    Parameters
    ----------
    regularization : float, default=0.01
        Cost of each rule in units of the misclassification rate (CORELS's ``c``): a rule
        must fix that fraction of the training weight to pay for itself.
    max_card : int, default=2
        Largest number of literals in one rule.
    min_support : float, default=0.01
        Minimum (weighted) fraction of the training rows a literal and a rule must cover;
        rules covering more than ``1 - min_support`` are not candidates either.
    time_limit : float or None, default=60.0
        Wall-clock seconds for the whole fit (validation, binarization, mining and search);
        the clock is checked inside the mining and after every search node. None: no limit.
    max_prefixes : int, default=10_000_000
        Cap on the number of cached prefixes (search states, about 60 bytes each; the state
        table is sized from it up front).
    thresholds : {"boosted", "quantile"}, default="boosted"
        How the binarizer picks thresholds of continuous columns (ignored when every column
        is already 0/1, which is then used as-is).
    n_estimators : int, default=40
        Boosted trees whose splits become the binary features (``thresholds="boosted"``).
    threshold_depth : int, default=1
        Depth of those boosted trees (1 = stumps).
    n_quantiles : int, default=8
        Thresholds per continuous column when ``thresholds="quantile"``.
    feature_types : None, "auto", list or dict, default=None
        Per-column type override ("continuous", "nominal", "ordinal").
    missing_indicators : bool, default=True
        Offer an "is missing" binary feature for columns with missing values.
    random_state : int, RandomState or None, default=None
        Seeds the boosted stumps and the draw of ``background_``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    rules_ : list of dict
        The ordered rules, the default rule last. Each has ``conditions`` (readable texts),
        ``literals`` ((binary column, value) pairs), ``prediction`` (class label),
        ``value`` (captured class frequencies, the ``predict_proba`` row), ``support``
        (captured training weight fraction), ``accuracy`` (weighted accuracy on the captured
        rows) and ``is_default``.
    objective_ : float
        Objective of the returned list, recomputed from its training predictions.
    lower_bound_ : float
        Proven lower bound on the optimal objective (equals ``objective_`` when proven).
    optimality_gap_ : float
        ``objective_ - lower_bound_``; 0.0 when the list is proven optimal.
    n_rules_ : int
        Rules before the default rule.
    search_stats_ : dict
        ``status`` and the search statistics: ``n_groups`` (distinct binary rows),
        ``n_rules_mined``, ``mining_complete`` (False when the time limit stopped the
        mining), ``n_rules_distinct`` (distinct captures), ``n_rules_usable``,
        ``n_expanded``, ``n_evaluated``, ``n_cached``, ``search_time`` (seconds), ...
    binarizer_ : FeatureBinarizer
    background_ : ndarray of uint8, shape (n_background, n_binary)
        At most 100 binarized training rows (drawn with ``random_state``), the background of
        exact Shapley values.
    fit_summary_ : dict
    n_features_in_, feature_names_in_, feature_names_, feature_types_in_

    Notes
    -----
    With all-0/1 input and unit weights the candidate rules and the objective are exactly
    CORELS's (``CorelsClassifier(c=regularization, max_card, min_support)``), so the
    certified optimum is the same number.
    """

    def __init__(self, regularization=0.01, max_card=2, min_support=0.01, time_limit=60.0,
                 max_prefixes=10_000_000, thresholds="boosted", n_estimators=40,
                 threshold_depth=1, n_quantiles=8, feature_types=None,
                 missing_indicators=True, random_state=None):
        self.regularization = regularization
        self.max_card = max_card
        self.min_support = min_support
        self.time_limit = time_limit
        self.max_prefixes = max_prefixes
        self.thresholds = thresholds
        self.n_estimators = n_estimators
        self.threshold_depth = threshold_depth
        self.n_quantiles = n_quantiles
        self.feature_types = feature_types
        self.missing_indicators = missing_indicators
        self.random_state = random_state

    def _check_params(self):
        check_number("regularization", self.regularization, low=0.0)
        check_number("max_card", self.max_card, low=1, high=8, integer=True)
        check_number("min_support", self.min_support, low=0.0, high=0.5)
        check_number("time_limit", self.time_limit, low=0.0, allow_none=True, strict=True)
        check_number("max_prefixes", self.max_prefixes, low=1, high=2**31 - 2, integer=True)

    def fit(self, X, y, sample_weight=None):
        """Find the optimal rule list (or the best within the limits, with its proven gap).

        Parameters
        ----------
        X : DataFrame, ndarray or list of rows, shape (n_samples, n_features)
            Mixed data (numeric, categorical, missing values) or an all-0/1 matrix, which is
            used column by column as-is.
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self
        """
        started = time.perf_counter()
        self._check_params()
        df = validate_X(self, X, reset=True)
        y_enc, classes = validate_target(y, len(df), task="classification")
        weight = validate_sample_weight(sample_weight, len(df))
        if weight.sum() <= 0:
            raise ValueError("sample_weight sums to 0: at least one row needs a positive weight.")
        self.classes_ = classes
        Xb = self._fit_binary_features(df, y_enc, weight, task="classification")
        n_classes = len(classes)
        result = run_search(
            Xb, y_enc, weight, n_classes=n_classes,
            regularization=float(self.regularization), max_card=int(self.max_card),
            min_support=float(self.min_support), time_limit=self.time_limit,
            max_prefixes=int(self.max_prefixes), started=started,
        )
        self._set_rules(result.conjunctions, Xb, y_enc, weight, n_classes)
        self._set_certificate(result, Xb, y_enc, weight, n_classes)
        return self

    def _set_rules(self, conjunctions, Xb, y_enc, weight, n_classes):
        total = weight.sum()
        rule = first_rule(Xb, conjunctions)
        cw = captured_class_weight(rule, y_enc, weight, len(conjunctions), n_classes)
        prior = np.bincount(y_enc, weights=weight, minlength=n_classes) / total
        self.rule_conjunctions_ = [list(c) for c in conjunctions]
        self.rule_value_ = frequencies(cw, prior)
        self.n_rules_ = len(conjunctions)
        captured = cw.sum(axis=1)
        pred = np.argmax(self.rule_value_, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            accuracy = np.where(captured > 0, cw[np.arange(len(pred)), pred] / captured, np.nan)
        self.rules_ = []
        for j in range(self.n_rules_ + 1):
            lits = self.rule_conjunctions_[j] if j < self.n_rules_ else []
            label = self.classes_[pred[j]]
            self.rules_.append({
                "conditions": tuple(self._literal_text(k, v) for k, v in lits),
                "literals": tuple(lits),
                "prediction": label.item() if hasattr(label, "item") else label,
                "value": self.rule_value_[j].copy(),
                "support": float(captured[j] / total),
                "accuracy": float(accuracy[j]),
                "is_default": j == self.n_rules_,
            })
        # leaves (disjoint conjunctions) for the explanations
        leaves = rule_list_leaves(self.rule_conjunctions_)
        self.leaf_literals_ = [lits for lits, _ in leaves]
        self.leaf_rule_ = np.array([j for _, j in leaves], dtype=np.intp)
        support = np.empty(len(leaves))
        leaf_acc = np.full(len(leaves), np.nan)
        for i, (lits, j) in enumerate(leaves):
            mask = fires(Xb, lits)
            w = weight[mask].sum()
            support[i] = w / total
            if w > 0:
                leaf_acc[i] = weight[mask & (y_enc == pred[j])].sum() / w
        self.leaf_support_ = support
        self.leaf_accuracy_ = leaf_acc

    def _literal_text(self, k, value):
        cond = self.binarizer_.conditions_[k]
        return cond.text() if value else cond.negate().text()

    def _set_certificate(self, result, Xb, y_enc, weight, n_classes):
        reg = float(self.regularization)
        self.objective_ = objective(Xb, y_enc, weight, self.rule_conjunctions_, reg, n_classes)
        proven = result.status == "optimal"
        self.lower_bound_ = self.objective_ if proven else min(result.lower_bound, self.objective_)
        self.optimality_gap_ = 0.0 if proven else max(self.objective_ - self.lower_bound_, 0.0)
        self.search_stats_ = dict(result.stats, status=result.status,
                                  search_objective=result.objective)
        train_error = self.objective_ - reg * self.n_rules_
        self.fit_summary_ = {
            "rows": int(len(y_enc)), "total_weight": float(weight.sum()),
            "n_binary_features": int(Xb.shape[1]), "n_rules": self.n_rules_,
            "training_accuracy": 1.0 - train_error, "objective": self.objective_,
            "optimality_gap": self.optimality_gap_,
        }
        if not proven:
            self._warn_unproven(result.status, "rule list")

    # -------------------------------------------------------------- predict
    def apply(self, X):
        """Index of the rule that fires on each row (``n_rules_`` = the default rule).

        Returns
        -------
        ndarray of int, shape (n_samples,)
        """
        return first_rule(self._binarize(X), self.rule_conjunctions_)

    def predict_proba(self, X):
        """Training class frequencies among the rows captured by the rule that fires.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        fired = self.apply(X)   # checks that the model is fitted
        return self.rule_value_[fired]

    def predict(self, X):
        """Class predicted by the first rule that fires (the default rule otherwise).

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)   # checks that the model is fitted
        return self.classes_[np.argmax(proba, axis=1)]

    def _decision_leaves(self):
        """The list as disjoint leaves (each "not rule" expanded into disjoint conjunctions)."""
        from ..explain import DecisionLeaves

        check_is_fitted(self)
        return DecisionLeaves(
            literals=self.leaf_literals_, values=self.rule_value_[self.leaf_rule_],
            support=self.leaf_support_, accuracy=self.leaf_accuracy_,
            feature_index=self.binarizer_.feature_index_,
        )

    def __str__(self):
        if not hasattr(self, "rules_"):
            return f"{type(self).__name__}(unfitted)"
        lines = []
        for j, r in enumerate(self.rules_):
            if r["is_default"]:
                head = "else" if j else "always"
            else:
                head = ("if " if j == 0 else "else if ") + " and ".join(r["conditions"])
            lines.append(f"{head}: predict {r['prediction']!r} "
                         f"(support {r['support']:.3f}, accuracy {r['accuracy']:.3f})")
        return "\n".join(lines)
