"""FeatureBinner: cut points and category maps, and the bin codes every model works on.

Bin layout, the same for every feature and every model family (and the same as
interpret's tensor layout):

==========  ==========================================================
bin 0       missing value
bins 1..k   value bins, in order
bin k + 1   unseen: a category not seen in training (always empty for
            continuous features, kept so every feature has the same layout)
==========  ==========================================================

Continuous value bins are ``(-inf, c0), [c0, c1), ..., [c_last, +inf)``: a value
equal to a cut point goes to the upper bin.
"""
from __future__ import annotations

import numpy as np
from joblib import Parallel, cpu_count, delayed
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._core._binning import map_continuous
from .._core._openmp import effective_n_threads
from .._validation import (
    TabularInputMixin,
    category_strings,
    continuous_values,
    infer_feature_types,
    validate_sample_weight,
    validate_X,
)

MISSING_LABEL = "missing"
UNSEEN_LABEL = "unseen"
OTHER_LABEL = "other"


def format_number(x):
    """Shortest decimal text that reads back as the same float (``37.5``, ``0.1``, ``1e-07``)."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return np.format_float_positional(x, trim="-", unique=True) if 1e-4 <= abs(x) < 1e15 else repr(x)


def weighted_quantile_cuts(values, weights, max_bins):
    """Cut points giving at most ``max_bins`` bins of about equal weight.

    Cuts sit at midpoints between consecutive distinct values, so every training
    value lies strictly inside its bin; a heavy value spanning several quantiles
    yields one cut (de-duplicated), hence possibly fewer bins.

    Parameters
    ----------
    values : ndarray of float64, shape (n,)
        Non-missing values.
    weights : ndarray of float64, shape (n,)
        Non-negative weights; zero-weight values do not place cuts.
    max_bins : int

    Returns
    -------
    cuts : ndarray of float64, sorted, strictly increasing
    """
    keep = weights > 0
    values, weights = values[keep], weights[keep]
    if values.size == 0:
        return np.empty(0, dtype=np.float64)
    if np.all(weights == 1.0):
        lo, hi = _unit_weight_bounds(values, max_bins)
    else:
        distinct, inverse = np.unique(values, return_inverse=True)
        if distinct.size <= max_bins:
            idx = np.arange(distinct.size - 1)
        else:
            cum = np.cumsum(np.bincount(inverse, weights=weights))
            targets = cum[-1] * np.arange(1, max_bins) / max_bins
            idx = np.searchsorted(cum, targets, side="left")
            idx = np.unique(idx[idx < distinct.size - 1])
        lo, hi = distinct[idx], distinct[idx + 1]
    mid = lo + (hi - lo) / 2.0
    # Between adjacent floats the midpoint can round down onto `lo`; then cut at `hi`.
    cuts = np.where(mid > lo, mid, hi)
    return np.unique(cuts)


def _unit_weight_bounds(values, max_bins):
    """The (value, next distinct value) pairs that cuts go between, for unit weights.

    One sort. With at most ``max_bins`` distinct values every pair is used. Otherwise the
    distinct value that reaches the k-th quantile target t (the first whose count of values
    <= it is >= t) is the one at sorted position ceil(t) - 1, and its successor is found by a
    binary search: the distinct values and their counts are never materialised (the same
    cuts as the weighted path, which counts them).
    """
    ordered = np.sort(values)
    new_value = np.empty(ordered.size, dtype=bool)
    new_value[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_value[1:])
    if np.count_nonzero(new_value) <= max_bins:
        distinct = ordered[new_value]
        return distinct[:-1], distinct[1:]
    targets = ordered.size * np.arange(1, max_bins) / max_bins
    lo = ordered[np.ceil(targets).astype(np.intp) - 1]
    lo = np.unique(lo[lo < ordered[-1]])  # the largest value gets no cut above it
    hi = ordered[np.searchsorted(ordered, lo, side="right")]
    return lo, hi


class FeatureBinner(TabularInputMixin, TransformerMixin, BaseEstimator):
    """Bin each column: quantile cut points for continuous ones, category maps for the others.

    Parameters
    ----------
    max_bins : int, default=254
        Maximum number of value bins per continuous feature (missing and unseen
        bins not counted). Categorical features get one bin per category.
    feature_types : None, "auto", list or dict, default=None
        Per-column type override: ``"continuous"``, ``"nominal"`` or ``"ordinal"``
        (see :func:`glassbox._validation.infer_feature_types`).
    min_category_count : int, default=0
        Categories seen in fewer training rows are merged into one bin labelled
        ``"other"``; their names are recorded in ``merged_categories_``.

    Attributes
    ----------
    feature_names_ : list of str
    feature_types_ : list of str
    cuts_ : list of (ndarray of float64 or None)
        Cut points of each continuous feature, None for categorical ones.
    categories_ : list of (list of str or None)
        Label of each value bin of each categorical feature (bin ``i + 1`` is
        ``categories_[j][i]``), None for continuous ones.
    category_map_ : list of (dict or None)
        Category -> bin index (merged categories share a bin), as interpret's ``bins_``.
    merged_categories_ : list of list of str
        Rare categories merged into the ``"other"`` bin (empty when none).
    n_bins_ : ndarray of int64, shape (n_features,)
        Number of bins of each feature, missing and unseen included.
    bin_counts_ : list of ndarray of float64
        Training weight in every bin.
    bin_dtype_ : numpy dtype
        uint8 when every feature has at most 256 bins, else uint16.
    """

    def __init__(self, max_bins=254, feature_types=None, min_category_count=0):
        self.max_bins = max_bins
        self.feature_types = feature_types
        self.min_category_count = min_category_count

    def _check_params(self):
        if not isinstance(self.max_bins, (int, np.integer)) or isinstance(self.max_bins, bool) \
                or not 2 <= self.max_bins <= 65533:
            raise ValueError(f"max_bins must be an integer in [2, 65533], got {self.max_bins!r}.")
        if not isinstance(self.min_category_count, (int, np.integer)) or self.min_category_count < 0:
            raise ValueError(
                f"min_category_count must be a non-negative integer, got {self.min_category_count!r}."
            )

    def fit(self, X, y=None, sample_weight=None):
        """Find cut points and category maps.

        Parameters
        ----------
        X : DataFrame, ndarray or list of rows, shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None
            Weights the quantiles and the bin counts.
        """
        self._fit(X, sample_weight)
        return self

    def fit_transform(self, X, y=None, sample_weight=None):
        """``fit(X).transform(X)``, binning X once (the fit needs its codes for ``bin_counts_``)."""
        return self._fit(X, sample_weight)

    def _fit(self, X, sample_weight):
        self._check_params()
        df = validate_X(self, X, reset=True)
        weights = validate_sample_weight(sample_weight, len(df))
        self.feature_names_ = list(df.columns)
        self.feature_types_ = infer_feature_types(df, self.feature_types)
        self.cuts_, self.categories_, self.category_map_, self.merged_categories_ = [], [], [], []
        continuous = [name for name, ftype in zip(self.feature_names_, self.feature_types_)
                      if ftype == "continuous"]
        cuts = dict(zip(continuous, self._continuous_cuts(df, continuous, weights)))
        for name, ftype in zip(self.feature_names_, self.feature_types_):
            col = df[name]
            if ftype == "continuous":
                self.cuts_.append(cuts[name])
                self.categories_.append(None)
                self.category_map_.append(None)
                self.merged_categories_.append([])
            else:
                labels, mapping, merged = self._fit_categories(col)
                self.cuts_.append(None)
                self.categories_.append(labels)
                self.category_map_.append(mapping)
                self.merged_categories_.append(merged)
        self.n_bins_ = np.array(
            [len(c) + 3 if c is not None else len(cat) + 2
             for c, cat in zip(self.cuts_, self.categories_)], dtype=np.int64)
        if self.n_bins_.max() > 65536:
            worst = self.feature_names_[int(np.argmax(self.n_bins_))]
            raise ValueError(f"Column {worst!r} needs more than 65,536 bins; too many categories.")
        self.bin_dtype_ = np.dtype(np.uint8 if self.n_bins_.max() <= 256 else np.uint16)
        codes = self._bin_frame(df)
        self.bin_counts_ = [np.bincount(codes[j], weights=weights, minlength=self.n_bins_[j])
                            for j in range(len(self.feature_names_))]
        return codes

    def _continuous_cuts(self, df, names, weights):
        def cuts_of(name):
            values = continuous_values(df[name])
            present = ~np.isnan(values)
            return weighted_quantile_cuts(values[present], weights[present], self.max_bins)

        # the sorts release the GIL: large frames sort their columns in threads (same cuts)
        n_threads = min(cpu_count(), len(names))
        if n_threads > 1 and len(df) * len(names) >= 1_000_000:
            return Parallel(n_jobs=n_threads, prefer="threads")(delayed(cuts_of)(n) for n in names)
        return [cuts_of(n) for n in names]

    def _fit_categories(self, col):
        labels = category_strings(col)
        present = labels[pd.notna(labels)]
        if isinstance(col.dtype, pd.CategoricalDtype):
            # The dtype's order is the user's order (essential for ordinal features).
            declared = [str(c) if not isinstance(c, str) else c
                        for c in col.dtype.categories]
            seen = set(present.tolist())
            order = [c for c in declared if c in seen]
        else:
            uniques = pd.unique(present)
            numeric = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce")
            if len(uniques) and numeric.notna().all():
                order = [uniques[i] for i in np.argsort(numeric.to_numpy(), kind="stable")]
            else:
                order = sorted(uniques.tolist())
        counts = pd.Series(present).value_counts()
        rare = [c for c in order if counts.get(c, 0) < self.min_category_count]
        kept = [c for c in order if c not in set(rare)]
        mapping = {c: i + 1 for i, c in enumerate(kept)}
        bin_labels = list(kept)
        if rare:
            other_bin = len(kept) + 1
            mapping.update({c: other_bin for c in rare})
            bin_labels.append(OTHER_LABEL)
        return bin_labels, mapping, rare

    def transform(self, X):
        """Bin codes of X.

        Returns
        -------
        codes : ndarray of uint8 or uint16, shape (n_features, n_samples), C-contiguous
            Column-major: the codes of feature j are ``codes[j]``, contiguous.
        """
        check_is_fitted(self)
        df = validate_X(self, X, reset=False)
        return self._bin_frame(df)

    def _bin_frame(self, df):
        n_samples = len(df)
        out = np.empty((len(self.feature_names_), n_samples), dtype=self.bin_dtype_)
        continuous = [j for j, t in enumerate(self.feature_types_) if t == "continuous"]
        if continuous:
            names = [self.feature_names_[j] for j in continuous]
            values = _continuous_block(df, names)
            cuts = [self.cuts_[j] for j in continuous]
            offsets = np.zeros(len(cuts) + 1, dtype=np.int64)
            offsets[1:] = np.cumsum([len(c) for c in cuts])
            flat = np.ascontiguousarray(np.concatenate(cuts) if offsets[-1] else np.zeros(1))
            map_continuous(values, flat, offsets,
                           np.arange(len(continuous), dtype=np.int64),
                           np.asarray(continuous, dtype=np.int64), out,
                           effective_n_threads(None))
        for j, ftype in enumerate(self.feature_types_):
            if ftype == "continuous":
                continue
            # Label each distinct value once, then one table lookup per row.
            codes, uniques = pd.factorize(df[self.feature_names_[j]], use_na_sentinel=True)
            labels = category_strings(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
            mapping, unseen = self.category_map_[j], int(self.n_bins_[j] - 1)
            table = np.array([mapping.get(lab, unseen) for lab in labels] + [0], dtype=np.int64)
            out[j] = table[codes]  # code -1 (missing) picks the trailing 0
        return out

    def transform_frame(self, df):
        """``transform`` for a DataFrame already checked by :func:`glassbox._validation.validate_X`
        with this binner's columns (the estimators' predict path: no second validation)."""
        check_is_fitted(self)
        return self._bin_frame(df)

    def bin_labels(self, j):
        """Readable label of every bin of feature ``j`` (name or index), missing and unseen included."""
        check_is_fitted(self)
        if isinstance(j, str):
            j = self.feature_names_.index(j)
        if self.cuts_[j] is None:
            return [MISSING_LABEL, *self.categories_[j], UNSEEN_LABEL]
        cuts = [format_number(c) for c in self.cuts_[j]]
        if not cuts:
            return [MISSING_LABEL, "any value", UNSEEN_LABEL]
        middle = [f"[{a}, {b})" for a, b in zip(cuts[:-1], cuts[1:])]
        return [MISSING_LABEL, f"< {cuts[0]}", *middle, f">= {cuts[-1]}", UNSEEN_LABEL]

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray(self.feature_names_, dtype=object)


def _continuous_block(df, names):
    """(n_samples, n_continuous) float64 values, NaN for missing; a view when the frame allows."""
    sub = df[names]
    if all(pd.api.types.is_float_dtype(t) and t == np.float64 for t in sub.dtypes):
        return sub.to_numpy(dtype=np.float64, copy=False)
    return np.column_stack([continuous_values(df[n]) for n in names]) if names else \
        np.empty((len(df), 0))
