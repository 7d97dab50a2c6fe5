"""Optimal sparse decision trees: scikit-learn estimators around the certified search.

Objective minimised over every binary tree on the binarizer's 0/1 features:

* classification: weighted misclassification rate + ``regularization`` * n_leaves;
* regression: weighted mean squared error / weighted variance of y
  + ``regularization`` * n_leaves;

subject to ``max_depth`` (a single leaf has depth 0; None = no limit) and
``min_samples_leaf``. The search (``glassbox._core._tree_search``) returns the best
tree and a proven lower bound; they coincide unless ``time_limit`` or
``max_cache_mb`` stopped it.
"""
from __future__ import annotations


import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from .._binary_model import BinaryFeatureModelMixin, check_number
from .._validation import validate_sample_weight, validate_target, validate_X
from ._search import CLASSIFICATION, REGRESSION, run_search
from ._structure import build_tree, leaf_literals, path_indicator, route

class _BaseOptimalSparseTree(BinaryFeatureModelMixin, BaseEstimator):
    _task = None

    def __init__(self, regularization=0.01, max_depth=5, min_samples_leaf=1, time_limit=60.0,
                 max_cache_mb=1024.0, thresholds="boosted", n_estimators=40, threshold_depth=1,
                 n_quantiles=8, feature_types=None, missing_indicators=True, random_state=None):
        self.regularization = regularization
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.time_limit = time_limit
        self.max_cache_mb = max_cache_mb
        self.thresholds = thresholds
        self.n_estimators = n_estimators
        self.threshold_depth = threshold_depth
        self.n_quantiles = n_quantiles
        self.feature_types = feature_types
        self.missing_indicators = missing_indicators
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def _check_params(self):
        check_number("regularization", self.regularization, low=0.0)
        check_number("max_depth", self.max_depth, low=0, integer=True, allow_none=True)
        check_number("min_samples_leaf", self.min_samples_leaf, low=1, integer=True)
        check_number("time_limit", self.time_limit, low=0.0, allow_none=True, strict=True)
        check_number("max_cache_mb", self.max_cache_mb, low=0.0, allow_none=True, strict=True)
        if self.max_depth is None and self.regularization <= 0:
            raise ValueError("regularization must be > 0 when max_depth is None: without a depth "
                             "limit or a cost per leaf the optimal tree is unbounded in size.")
        if self.max_depth is not None and self.max_depth > 200:
            raise ValueError(f"max_depth must be <= 200 or None, got {self.max_depth}.")

    def fit(self, X, y, sample_weight=None):
        """Find the optimal tree (or the best within the limits, with its proven gap).

        Parameters
        ----------
        X : DataFrame, ndarray or list of rows, shape (n_samples, n_features)
            Mixed data (numeric, categorical, missing values) or an all-0/1 matrix,
            which is used column by column as-is.
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self
        """
        self._check_params()
        df = validate_X(self, X, reset=True)
        task = "classification" if self._task == CLASSIFICATION else "regression"
        y_enc, classes = validate_target(y, len(df), task=task)
        weight = validate_sample_weight(sample_weight, len(df))
        if weight.sum() <= 0:
            raise ValueError("sample_weight sums to 0: at least one row needs a positive weight.")
        if self._task == REGRESSION and np.ptp(y_enc[weight > 0]) == 0:
            raise ValueError("y is constant: the regression objective divides by var(y), which "
                             "is 0; a constant target needs no tree.")
        Xb = self._fit_binary_features(df, y_enc, weight, task=task)
        if classes is not None:
            self.classes_ = classes
        n_outputs = 1 if classes is None else len(classes)
        result = run_search(
            Xb, y_enc, weight, task=self._task, n_classes=n_outputs,
            regularization=float(self.regularization), max_depth=self.max_depth,
            min_samples_leaf=int(self.min_samples_leaf), time_limit=self.time_limit,
            max_cache_mb=self.max_cache_mb,
        )
        self.tree_, leaf = build_tree(result.feature, result.left, result.right, Xb, y_enc,
                                      weight, n_outputs, classes is not None,
                                      points=result.points, row_point=result.row_point)
        self._set_fit_results(result, leaf, y_enc, weight)
        return self

    def _training_loss(self, leaf, y_enc, weight):
        """Objective's data term recomputed from the returned tree's predictions."""
        node_values = np.ascontiguousarray(self.tree_["value"])
        total = weight.sum()
        if self._task == CLASSIFICATION:
            wrong = np.argmax(node_values, axis=1)[leaf] != y_enc
            return float(weight[wrong].sum() / total)
        mean = np.dot(weight, y_enc) / total
        var = np.dot(weight, (y_enc - mean) ** 2) / total
        return float(np.dot(weight, (y_enc - node_values[leaf, 0]) ** 2) / total / var)

    def _set_fit_results(self, result, leaf, y_enc, weight):
        leaves = self.tree_["feature"] < 0
        self.n_leaves_ = int(leaves.sum())
        self.depth_ = int(self.tree_["depth"].max())
        loss = self._training_loss(leaf, y_enc, weight)
        self.objective_ = loss + float(self.regularization) * self.n_leaves_
        self.lower_bound_ = min(float(result.lower_bound), self.objective_)
        proven = result.status == "optimal"
        self.optimality_gap_ = 0.0 if proven else max(self.objective_ - self.lower_bound_, 0.0)
        if proven:
            self.lower_bound_ = self.objective_
        self.search_stats_ = dict(result.stats, status=result.status,
                                  search_objective=float(result.objective))
        total = float(weight.sum())
        metric = ("training_accuracy", 1.0 - loss) if self._task == CLASSIFICATION else (
            "training_mse_over_variance", loss)
        self.fit_summary_ = {"rows": int(len(leaf)), "total_weight": total,
                             "n_binary_features": int(len(self.binarizer_.conditions_)),
                             metric[0]: metric[1]}
        if not proven:
            self._warn_unproven("time_limit" if result.status == "time_limit" else "max_cache_mb",
                                "tree")

    # -------------------------------------------------------------- predict
    def apply(self, X):
        """Index into ``tree_`` of the leaf each row reaches.

        Returns
        -------
        ndarray of int64, shape (n_samples,)
        """
        Xb = self._binarize(X)
        return route(self.tree_, Xb)

    def decision_path(self, X):
        """Sparse indicator (n_samples, n_nodes) of the nodes each row passes through."""
        Xb = self._binarize(X)
        return path_indicator(self.tree_, Xb)

    def _decision_leaves(self):
        from ..explain import DecisionLeaves

        check_is_fitted(self)
        leaves = leaf_literals(self.tree_)
        idx = np.array([i for i, _ in leaves], dtype=np.int64)
        values = self.tree_["value"][idx]
        if self._task == CLASSIFICATION:
            accuracy = values.max(axis=1)
        else:
            accuracy = np.full(len(idx), np.nan)
        return DecisionLeaves(
            literals=[lits for _, lits in leaves], values=values,
            support=self.tree_["support"][idx], accuracy=accuracy,
            feature_index=self.binarizer_.feature_index_,
        )


class OptimalSparseTreeClassifier(ClassifierMixin, _BaseOptimalSparseTree):
    """Certifiably optimal sparse decision tree classifier (binary and multiclass).

    Minimises ``weighted misclassification rate + regularization * n_leaves`` over all
    trees of depth at most ``max_depth`` on the binary features of a
    :class:`~glassbox.preprocessing.FeatureBinarizer`, with at least
    ``min_samples_leaf`` training rows per leaf. The answer is certified: the
    branch and bound proves that no tree scores lower (``optimality_gap_ == 0``), or,
    when ``time_limit`` or ``max_cache_mb`` stops it, reports the best tree found with
    a proven lower bound and a warning.

    Parameters
    ----------
    regularization : float, default=0.01
        Cost of each leaf, in units of the misclassification rate (a new leaf must
        fix ``regularization`` of the training weight to pay for itself).
    max_depth : int or None, default=5
        Maximum number of splits on a root-to-leaf path (a single leaf has depth 0).
        None: no depth limit; ``regularization`` alone bounds the size (then it must be > 0).
    min_samples_leaf : int, default=1
        Minimum number of training rows (with positive weight) in every leaf.
    time_limit : float or None, default=60.0
        Wall-clock seconds for the search, checked inside it. None: no limit.
    max_cache_mb : float or None, default=1024.0
        Cap on the memory of the table of solved sub-problems. None: no cap.
    thresholds : {"boosted", "quantile"}, default="boosted"
        How the binarizer picks thresholds of continuous columns (ignored when every
        column is already 0/1, which is then used as-is).
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
    random_state : int or None, default=None
        Seeds the boosted stumps and the draw of ``background_``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    tree_ : structured ndarray
        One record per node in preorder: ``feature`` (binary column, -1 for a leaf),
        ``left`` (child where that column is 1), ``right``, ``depth``, ``value``
        (weighted training class frequencies), ``support`` (training weight fraction),
        ``n_samples``.
    objective_ : float
        Objective of the returned tree, recomputed from its training predictions.
    lower_bound_ : float
        Proven lower bound on the optimal objective (equals ``objective_`` when proven).
    optimality_gap_ : float
        ``objective_ - lower_bound_``; 0.0 when the tree is proven optimal.
    n_leaves_, depth_ : int
    search_stats_ : dict
        ``status``, ``n_expansions``, ``n_cache_entries``, ``cache_bytes``,
        ``search_seconds``, ``n_points`` (distinct binary rows), ``n_binary_used``.
    binarizer_ : FeatureBinarizer
    background_ : ndarray of uint8, shape (n_background, n_binary)
        At most 100 binarized training rows (drawn with ``random_state``) used as the
        background of exact Shapley values.
    fit_summary_ : dict
    n_features_in_, feature_names_in_, feature_names_, feature_types_in_
    """

    _task = CLASSIFICATION

    def predict_proba(self, X):
        """Weighted training class frequencies of the leaf each row reaches.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        leaf = self.apply(X)
        return np.ascontiguousarray(self.tree_["value"])[leaf]

    def predict(self, X):
        """Majority (weighted) training class of the leaf each row reaches."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class OptimalSparseTreeRegressor(RegressorMixin, _BaseOptimalSparseTree):
    """Certifiably optimal sparse regression tree.

    Minimises ``weighted MSE / weighted var(y) + regularization * n_leaves`` (so
    ``regularization`` means the same on any scale of y) over all trees of depth at
    most ``max_depth`` on the binary features of a
    :class:`~glassbox.preprocessing.FeatureBinarizer`; leaves predict the weighted
    mean of their training targets. Parameters and attributes are those of
    :class:`OptimalSparseTreeClassifier` (``value`` in ``tree_`` holds the leaf mean).
    """

    _task = REGRESSION

    def predict(self, X):
        """Weighted mean training target of the leaf each row reaches."""
        leaf = self.apply(X)
        return np.ascontiguousarray(self.tree_["value"])[leaf, 0]
