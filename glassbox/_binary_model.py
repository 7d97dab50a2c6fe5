"""What the optimal-tree and rule-list estimators share.

Both search over the binary features of a :class:`FeatureBinarizer`, keep a
background sample of binarized training rows for exact Shapley values, report a
certificate (objective, proven lower bound, gap) and answer the explanation
calls the same way. This module holds that common ground once.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._validation import TabularInputMixin, validate_X
from .preprocessing import FeatureBinarizer

N_BACKGROUND = 100  # binarized training rows kept as the background of exact Shapley values


def check_number(name, value, *, low, high=None, integer=False, allow_none=False, strict=False):
    """Raise a clear TypeError/ValueError unless ``value`` is a number in the allowed range."""
    if value is None and allow_none:
        return
    kind = numbers.Integral if integer else numbers.Real
    or_none = " or None" if allow_none else ""
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {what}{or_none}, got {value!r} ({type(value).__name__}).")
    if not np.isfinite(value) or value < low or (strict and value == low) or (
            high is not None and value > high):
        bounds = f">{'' if strict else '='} {low}" + (f" and <= {high}" if high is not None else "")
        raise ValueError(f"{name} must be {bounds}{or_none}, got {value!r}.")


def binary_matrix(binarizer, df):
    """``binarizer.transform(df)``, with a vectorised shortcut for all-0/1 numeric input.

    A passthrough binarizer tests ``column == 1`` on each column; for numeric and bool
    columns that is exactly ``values == 1`` (missing values give 0, as in the binarizer).
    """
    if binarizer.passthrough_:
        values = df.to_numpy()   # plain numpy dtypes share one array without conversion
        if values.dtype.kind in "biuf":   # NaN == 1 is False, as in the binarizer
            return np.equal(values, 1, order="C").view(np.uint8)
        if all(pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)
               for t in df.dtypes.tolist()):
            values = df.to_numpy(dtype=np.float64, na_value=np.nan)
            return np.equal(values, 1.0, order="C").view(np.uint8)
    return binarizer.transform(df)


class BinaryFeatureModelMixin(TabularInputMixin):
    """Binarization, Shapley background, certificate warning and explanations.

    The estimator defines the binarizer parameters ``thresholds``, ``n_estimators``,
    ``threshold_depth``, ``n_quantiles``, ``feature_types``, ``missing_indicators`` and
    ``random_state``.
    """

    def _fit_binary_features(self, df, y, weight, *, task):
        """Fit ``binarizer_``, draw ``background_`` and return the training 0/1 matrix."""
        self.feature_names_ = list(df.columns)
        self.binarizer_ = FeatureBinarizer(
            thresholds=self.thresholds, n_estimators=self.n_estimators,
            max_depth=self.threshold_depth, n_quantiles=self.n_quantiles,
            feature_types=self.feature_types, missing_indicators=self.missing_indicators,
            task=task, random_state=self.random_state,
        ).fit(df, y, sample_weight=None if (weight == 1.0).all() else weight)  # None: no re-check
        self.feature_types_in_ = list(self.binarizer_.feature_types_)
        Xb = binary_matrix(self.binarizer_, df)
        rng = check_random_state(self.random_state)
        keep = (np.sort(rng.choice(len(Xb), N_BACKGROUND, replace=False))
                if len(Xb) > N_BACKGROUND else np.arange(len(Xb)))
        self.background_ = np.ascontiguousarray(Xb[keep])
        return Xb

    def _binarize(self, X):
        check_is_fitted(self)
        return binary_matrix(self.binarizer_, validate_X(self, X, reset=False))

    def _warn_unproven(self, status, what):
        warnings.warn(
            f"{type(self).__name__}: the search stopped at {status} before proving optimality; "
            f"returning the best {what} found (objective {self.objective_:.6g}, proven lower "
            f"bound {self.lower_bound_:.6g}, optimality gap {self.optimality_gap_:.3g}).",
            ConvergenceWarning, stacklevel=4,
        )

    def explain_global(self):
        """Global explanation: the model as readable conjunctions (see :mod:`glassbox.explain`)."""
        from .explain import global_explanation

        return global_explanation(self)

    def explain_local(self, X, y=None):
        """Local explanation of rows ``X``: exact Shapley values and the conditions that fired."""
        from .explain import local_explanation

        return local_explanation(self, X, y)
