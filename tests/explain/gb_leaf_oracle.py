"""Test oracles for leaf models: an sklearn tree read as DecisionLeaves, and brute-force Shapley.

`SklearnLeafModel` fits scikit-learn's CART on the glassbox binarizer's 0/1 columns and exposes
the leaf-model contract (``binarizer_``, ``background_``, ``_decision_leaves()``), so the
explanation machinery can be checked against an independent implementation of ``predict_proba``
before (and beside) the optimal-tree and rule-list families.
"""
from itertools import combinations
from math import factorial

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from glassbox.explain import DecisionLeaves, global_explanation, local_explanation
from glassbox.preprocessing import FeatureBinarizer


def sklearn_tree_leaves(tree, feature_index, n_classes=None):
    """Every root-to-leaf path of a fitted sklearn tree on 0/1 inputs, as DecisionLeaves."""
    t = tree.tree_
    literals, values, support = [], [], []
    stack = [(0, [])]
    while stack:
        node, path = stack.pop()
        if t.children_left[node] == -1:
            literals.append(path)
            v = t.value[node][0]
            values.append(v / v.sum() if n_classes else v[:1])
            support.append(t.weighted_n_node_samples[node] / t.weighted_n_node_samples[0])
            continue
        k = int(t.feature[node])  # threshold 0.5: left is column == 0
        stack.append((int(t.children_right[node]), path + [(k, True)]))
        stack.append((int(t.children_left[node]), path + [(k, False)]))
    values = np.asarray(values)
    acc = values.max(axis=1) if n_classes else np.full(len(literals), np.nan)
    return DecisionLeaves(literals, values, np.asarray(support), acc, feature_index)


class _Base(BaseEstimator):
    def __init__(self, max_depth=3, n_background=40, random_state=0):
        self.max_depth = max_depth
        self.n_background = n_background
        self.random_state = random_state

    def fit(self, X, y):
        self.binarizer_ = FeatureBinarizer(thresholds="quantile", n_quantiles=4).fit(X, y)
        Xb = self.binarizer_.transform(X)
        self.n_features_in_ = len(self.binarizer_.feature_names_)
        self.feature_names_ = list(self.binarizer_.feature_names_)
        cls = DecisionTreeClassifier if is_classifier(self) else DecisionTreeRegressor
        self.tree_model_ = cls(max_depth=self.max_depth, random_state=self.random_state).fit(Xb, y)
        if is_classifier(self):
            self.classes_ = self.tree_model_.classes_
        rng = np.random.default_rng(self.random_state)
        take = rng.choice(Xb.shape[0], size=min(self.n_background, Xb.shape[0]), replace=False)
        self.background_ = np.ascontiguousarray(Xb[np.sort(take)])
        return self

    def _decision_leaves(self):
        n_classes = len(self.classes_) if is_classifier(self) else None
        return sklearn_tree_leaves(self.tree_model_, self.binarizer_.feature_index_, n_classes)

    def predict(self, X):
        return self.tree_model_.predict(self.binarizer_.transform(X))

    def explain_global(self):
        return global_explanation(self)

    def explain_local(self, X, y=None):
        return local_explanation(self, X, y)


class SklearnLeafClassifier(ClassifierMixin, _Base):
    def predict_proba(self, X):
        return self.tree_model_.predict_proba(self.binarizer_.transform(X))


class SklearnLeafRegressor(RegressorMixin, _Base):
    pass


def brute_force_shapley(f, x, background, feature_index, n_features, weights=None, players=None):
    """Interventional Shapley values by enumerating every coalition of original features.

    ``f`` maps binarized rows (n, n_binary) to outputs (n, n_outputs). ``players`` restricts the
    enumeration to the features the model reads (the others are null players, worth 0, and
    leave everyone else's value unchanged); default all ``n_features``.
    """
    m = background.shape[0]
    weights = np.full(m, 1.0 / m) if weights is None else np.asarray(weights) / np.sum(weights)
    players = list(range(n_features)) if players is None else sorted(players)
    n_players = len(players)
    coalitions = [frozenset(c) for r in range(n_players + 1) for c in combinations(players, r)]
    # hybrid rows: x on S, b elsewhere, for every coalition and background row
    hybrids = []
    for S in coalitions:
        take_x = np.isin(feature_index, list(S))
        h = np.where(take_x[None, :], x[None, :], background)
        hybrids.append(h)
    out = f(np.vstack(hybrids))
    out = out.reshape(len(coalitions), m, -1)
    v = {S: weights @ out[i] for i, S in enumerate(coalitions)}
    phi = np.zeros((n_features, out.shape[-1]))
    for j in players:
        for S in coalitions:
            if j in S:
                continue
            w = factorial(len(S)) * factorial(n_players - len(S) - 1) / factorial(n_players)
            phi[j] += w * (v[S | {j}] - v[S])
    return phi
