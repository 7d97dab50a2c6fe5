"""FeatureBinarizer: mixed tabular data -> named 0/1 features for trees and rule lists.

Optimal trees and rule lists search over binary features; this transformer
chooses them and keeps, for each one, the readable :class:`Condition` it tests.

* ``thresholds="boosted"`` (default): gradient-boosted stumps (McTavish et al.,
  AAAI 2022, "Fast sparse decision tree optimization via reference ensembles")
  are fitted on the continuous columns, the one-hot categories and the missing
  indicators; exactly the binary features those stumps split on are kept.
* ``thresholds="quantile"``: ``n_quantiles`` weighted-quantile thresholds per
  continuous column, every category one-vs-rest, and a missing indicator for
  every column with missing values in training.
* When every input column is already 0/1 (or bool) and has no missing value,
  each column is used as-is (``passthrough_``), so results can be compared with
  other solvers on identical features.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from .._validation import (
    TabularInputMixin,
    category_strings,
    continuous_values,
    infer_feature_types,
    validate_sample_weight,
    validate_X,
)
from ._binner import weighted_quantile_cuts
from ._conditions import Condition


def _all_binary(df):
    """True when every column is numeric or bool and holds only 0/1 (no missing value)."""
    dtypes = df.dtypes.tolist()
    if all(isinstance(t, np.dtype) and t.kind in "biu" for t in dtypes):
        # plain integer/bool columns: no float copy, and they hold no missing value
        values = df.to_numpy()
        return values.size == 0 or bool(values.min() >= 0 and values.max() <= 1)
    if not all(pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)
               for t in dtypes):
        return False
    values = df.to_numpy(dtype=np.float64, na_value=np.nan)  # one pass, NaN fails both tests
    return bool(((values == 0.0) | (values == 1.0)).all())


class FeatureBinarizer(TabularInputMixin, TransformerMixin, BaseEstimator):
    """Turn mixed data into named binary features, each a readable :class:`Condition`.

    Parameters
    ----------
    thresholds : {"boosted", "quantile"}, default="boosted"
        How thresholds of continuous columns (and which categories) are chosen.
    n_estimators : int, default=40
        Boosted stumps fitted when ``thresholds="boosted"``.
    max_depth : int, default=1
        Depth of the boosted trees (1 = stumps).
    n_quantiles : int, default=8
        Thresholds per continuous column when ``thresholds="quantile"``.
    feature_types : None, "auto", list or dict, default=None
        Per-column type override (see :func:`glassbox._validation.infer_feature_types`).
    missing_indicators : bool, default=True
        Offer an "is missing" feature for columns with missing values in training.
    task : {"auto", "classification", "regression"}, default="auto"
        Which boosted ensemble chooses the thresholds; "auto" reads the type of ``y``.
    random_state : int, RandomState or None, default=None
        Seeds the boosted stumps.

    Attributes
    ----------
    conditions_ : list of Condition
        Column ``k`` of ``transform`` is 1 exactly where ``conditions_[k]`` holds.
    feature_index_ : ndarray of int64, shape (n_binary,)
        Original feature read by each binary column.
    feature_names_ : list of str
        Original feature names.
    feature_types_ : list of str
    passthrough_ : bool
        True when every input column was already 0/1 and used as-is.
    """

    def __init__(self, thresholds="boosted", n_estimators=40, max_depth=1, n_quantiles=8,
                 feature_types=None, missing_indicators=True, task="auto", random_state=None):
        self.thresholds = thresholds
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.n_quantiles = n_quantiles
        self.feature_types = feature_types
        self.missing_indicators = missing_indicators
        self.task = task
        self.random_state = random_state

    def _check_params(self):
        if self.thresholds not in ("boosted", "quantile"):
            raise ValueError(f"thresholds must be 'boosted' or 'quantile', got {self.thresholds!r}.")
        for name in ("n_estimators", "max_depth", "n_quantiles"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 1:
                raise ValueError(f"{name} must be a positive integer, got {v!r}.")
        if self.task not in ("auto", "classification", "regression"):
            raise ValueError(
                f"task must be 'auto', 'classification' or 'regression', got {self.task!r}."
            )

    def fit(self, X, y=None, sample_weight=None):
        """Choose the binary features.

        Parameters
        ----------
        X : DataFrame, ndarray or list of rows, shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Needed for ``thresholds="boosted"`` unless every column is already binary.
        sample_weight : array-like of shape (n_samples,), default=None
        """
        self._check_params()
        df = validate_X(self, X, reset=True)
        weights = validate_sample_weight(sample_weight, len(df))
        self.feature_names_ = list(df.columns)
        self.passthrough_ = _all_binary(df)
        if self.passthrough_:
            self.feature_types_ = ["continuous"] * len(self.feature_names_)
            self.conditions_ = [
                Condition(name, j, "==", "True" if pd.api.types.is_bool_dtype(t) else "1")
                for j, (name, t) in enumerate(zip(self.feature_names_, df.dtypes.tolist()))
            ]
        else:
            self.feature_types_ = infer_feature_types(df, self.feature_types)
            if self.thresholds == "boosted":
                if y is None:
                    raise ValueError("y is required to choose thresholds with boosted stumps "
                                     "(thresholds='boosted').")
                candidates = self._boosted_conditions(df, y, weights)
            else:
                candidates = self._quantile_conditions(df, weights)
            self.conditions_ = self._drop_useless(df, candidates)
        self.feature_index_ = np.array([c.feature_index for c in self.conditions_], dtype=np.int64)
        return self

    def _quantile_conditions(self, df, weights):
        """Quantile thresholds, every category one-vs-rest, missing indicators."""
        out = []
        for j, (name, ftype) in enumerate(zip(self.feature_names_, self.feature_types_)):
            col = df[name]
            missing = col.isna().to_numpy()
            seen_missing = bool(missing.any())
            if ftype == "continuous":
                values = continuous_values(col)
                cuts = weighted_quantile_cuts(values[~missing], weights[~missing],
                                              self.n_quantiles + 1)
                out += [Condition(name, j, "<=", float(t), seen_missing) for t in cuts]
            else:
                labels = category_strings(col)
                out += [Condition(name, j, "==", c, seen_missing)
                        for c in sorted(pd.unique(labels[~missing]))]
            if seen_missing and self.missing_indicators:
                out.append(Condition(name, j, "is missing"))
        return out

    def _boosted_conditions(self, df, y, weights):
        """Conditions boosted stumps split on (continuous values, one-hot categories, missing)."""
        columns, makers = [], []  # makers[k](threshold) -> Condition for design column k
        for j, (name, ftype) in enumerate(zip(self.feature_names_, self.feature_types_)):
            col = df[name]
            missing = col.isna().to_numpy()
            seen_missing = bool(missing.any())
            if ftype == "continuous":
                values = continuous_values(col)
                # The stumps need finite input; the median stands in for missing values
                # only while choosing thresholds (missing rows get their own indicator).
                fill = np.median(values[~missing]) if (~missing).any() else 0.0
                columns.append(np.where(missing, fill, values))
                makers.append(lambda t, name=name, j=j, m=seen_missing:
                              Condition(name, j, "<=", float(t), m))
            else:
                labels = category_strings(col)
                for cat in sorted(pd.unique(labels[~missing])):
                    columns.append((labels == cat).astype(np.float64))
                    makers.append(lambda t, name=name, j=j, c=cat, m=seen_missing:
                                  Condition(name, j, "==", c, m))
            if seen_missing and self.missing_indicators:
                columns.append(missing.astype(np.float64))
                makers.append(lambda t, name=name, j=j: Condition(name, j, "is missing"))
        if not columns:
            return []
        design = np.column_stack(columns)
        task = self.task
        if task == "auto":
            task = "regression" if type_of_target(np.asarray(y)) == "continuous" else "classification"
        model_cls = GradientBoostingRegressor if task == "regression" else GradientBoostingClassifier
        model = model_cls(n_estimators=self.n_estimators, max_depth=self.max_depth,
                          random_state=self.random_state)
        # Rows of zero weight are left out, not kept at weight 0: scikit-learn's trees would
        # still place thresholds between them, and a zero weight must mean "not there".
        keep = weights > 0
        model.fit(design[keep], np.asarray(y)[keep], sample_weight=weights[keep])
        found = {}
        for tree in np.ravel(model.estimators_):
            for f, t in zip(tree.tree_.feature, tree.tree_.threshold):
                if f >= 0:
                    cond = makers[f](t)
                    found[(cond.feature_index, cond.op, cond.value)] = cond
        # Order: by original column, then threshold / category, for readable output.
        # Same column and operator means same value type, so the sort key compares like with like.
        return [found[k] for k in sorted(found, key=lambda k: (k[0], k[1], k[2] or 0))]

    def _drop_useless(self, df, candidates):
        """Drop conditions constant on the training data and exact duplicates (first kept)."""
        if not candidates:
            return []
        matrix = self._evaluate(df, candidates)
        varies = matrix.min(axis=0) != matrix.max(axis=0)
        _, first = np.unique(matrix.T, axis=0, return_index=True)
        keep = np.zeros(len(candidates), dtype=bool)
        keep[first] = True
        return [c for c, k in zip(candidates, keep & varies) if k]

    def _evaluate(self, df, conditions):
        """(n_samples, n_conditions) uint8 matrix, each column's values converted once."""
        out = np.empty((len(df), len(conditions)), dtype=np.uint8)
        by_feature = {}
        for k, cond in enumerate(conditions):
            by_feature.setdefault(cond.feature_index, []).append(k)
        for j, ks in by_feature.items():
            col = df.iloc[:, j]
            numeric = labels = None
            missing = col.isna().to_numpy()
            for k in ks:
                cond = conditions[k]
                if cond.op in ("is missing", "is not missing"):
                    out[:, k] = missing if cond.op == "is missing" else ~missing
                elif cond.op in ("<=", ">"):
                    numeric = continuous_values(col) if numeric is None else numeric
                    below = numeric <= cond.value
                    out[:, k] = below if cond.op == "<=" else ~below
                else:
                    labels = category_strings(col) if labels is None else labels
                    equal = np.asarray(labels == cond.value, dtype=bool)
                    out[:, k] = equal if cond.op == "==" else ~equal
        return out

    def transform(self, X):
        """0/1 matrix of the binary features.

        Returns
        -------
        Xb : ndarray of uint8, shape (n_samples, n_binary), C-contiguous
        """
        check_is_fitted(self)
        df = validate_X(self, X, reset=False)
        return np.ascontiguousarray(self._evaluate(df, self.conditions_))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray([c.text() for c in self.conditions_], dtype=object)
