"""Edits of a fitted EBM, as interpret offers them: per-bag predictions with their spread,
and scaling, removing or monotonizing terms, removing features, sweeping unused parts.

Every edit keeps the fitted vocabulary consistent with what the model predicts:
``term_scores_`` stays the bag-weighted mean of ``bagged_scores_``, ``standard_deviations_``
their spread and ``intercept_`` the bag-weighted mean of ``bagged_intercept_``, so the
explanations, plots, rule documents and JSON of an edited model describe the edited model.
"""
from __future__ import annotations

import copy

import numpy as np
from sklearn.isotonic import IsotonicRegression, check_increasing
from sklearn.utils.validation import check_is_fitted

from ._postprocess import average_bags


class EBMEditingMixin:
    """``copy``, ``predict_with_uncertainty``, ``scale``, ``remove_terms``, ``remove_features``,
    ``sweep``, ``monotonize``."""

    def copy(self):
        """A deep copy of the model (edits of the copy leave this one untouched)."""
        return copy.deepcopy(self)

    # ------------------------------------------------------------------ helpers
    def _term_index(self, term):
        return _position(term, list(self.term_names_), "term")

    def _single_score(self, what):
        if self._n_scores() > 1:
            raise ValueError(f"{what} is not supported for multiclass models (one score per class).")

    # ------------------------------------------------------------------ predictions
    def predict_with_uncertainty(self, X):
        """Mean and standard deviation, across the outer bags, of the link-scale score.

        Each outer bag is a complete model (``bagged_intercept_[b]`` plus the bag's slice of
        every ``bagged_scores_`` tensor). Returns an array of shape (n_samples, 2): the
        bag-weighted mean (equal to ``decision_function(X)`` for a classifier, to the
        link-scale prediction for a regressor) and the bag-weighted standard deviation.
        interpret 0.7.8 weights the bags equally; glassbox weights them as ``term_scores_`` does
        (``bag_weights_``), so the first column is exactly the model's own score.
        Binary classification and regression only.
        """
        check_is_fitted(self)
        self._single_score("predict_with_uncertainty")
        main = self._main_cells(self._frame(X, reset=False))
        n_bags = len(self.bagged_intercept_)
        per_bag = np.empty((n_bags, main.shape[1]))
        for b in range(n_bags):
            tensors = [scores[b] for scores in self.bagged_scores_]
            per_bag[b] = self._eval_block(main, tensors).sum(axis=1) + np.ravel(self.bagged_intercept_)[b]
        weights = np.asarray(self.bag_weights_, dtype=np.float64)[:, None]
        mean = (weights * per_bag).sum(axis=0) / weights.sum()
        std = np.sqrt((weights * (per_bag - mean) ** 2).sum(axis=0) / weights.sum())
        return np.column_stack([mean, std])

    # ------------------------------------------------------------------ edits
    def scale(self, term, factor):
        """Multiply one term's contribution (every bag's, hence its mean and spread) by ``factor``."""
        check_is_fitted(self)
        t = self._term_index(term)
        factor = float(factor)
        if not np.isfinite(factor):
            raise ValueError(f"factor must be a finite number, got {factor}.")
        self.bagged_scores_[t] = self.bagged_scores_[t] * factor
        self.term_scores_[t] = self.term_scores_[t] * factor
        self.standard_deviations_[t] = self.standard_deviations_[t] * abs(factor)
        return self

    def remove_terms(self, terms):
        """Drop terms (names or indices) from the model; the intercept is left as it is."""
        check_is_fitted(self)
        if isinstance(terms, (str, int, np.integer)):
            terms = [terms]
        drop = {self._term_index(t) for t in terms}
        keep = [t for t in range(len(self.term_features_)) if t not in drop]
        for name in ("term_features_", "term_names_", "term_scores_", "bagged_scores_",
                     "standard_deviations_", "bin_weights_"):
            values = getattr(self, name)
            setattr(self, name, [values[t] for t in keep])
        return self

    def remove_features(self, features):
        """Drop features (names or indices) and every term that uses them, as interpret does.

        Afterwards the model expects X without those columns: ``n_features_in_``,
        ``feature_names_in_``, ``feature_names_``, ``feature_types_in_``, ``bins_`` and
        ``feature_bounds_`` lose their entries and term features are renumbered. The intercept
        is left as it is (as ``remove_terms``). Use it to hand over a model that provably
        cannot read a column (a protected attribute, say): the column is no longer an input.
        """
        check_is_fitted(self)
        if isinstance(features, (str, int, np.integer)):
            features = [features]
        names = list(self.feature_names_)
        drop = {_position(f, names, "feature") for f in features}
        if len(drop) == len(names):
            raise ValueError("remove_features would remove every feature; at least one must remain.")
        keep = [j for j in range(len(names)) if j not in drop]
        new_index = {old: new for new, old in enumerate(keep)}
        using = [t for t, feats in enumerate(self.term_features_) if any(f in drop for f in feats)]
        if using:
            self.remove_terms(using)
        self.term_features_ = [tuple(new_index[f] for f in feats) for feats in self.term_features_]

        def pick(values):
            return None if values is None else [values[j] for j in keep]

        self.feature_names_ = pick(self.feature_names_)
        self.feature_types_in_ = pick(self.feature_types_in_)
        self._train_bounds = pick(self._train_bounds)
        self._pair_maps = pick(self._pair_maps)
        self.n_features_in_ = len(keep)
        if hasattr(self, "feature_names_in_"):
            self.feature_names_in_ = np.asarray(self.feature_names_in_, dtype=object)[keep]
        binner = self._binner_main
        for name in ("cuts_", "categories_", "category_map_", "merged_categories_", "bin_counts_",
                     "feature_names_", "feature_types_"):
            setattr(binner, name, pick(getattr(binner, name)))
        if isinstance(binner.feature_types, list):
            binner.feature_types = pick(binner.feature_types)
        binner.n_bins_ = np.asarray(binner.n_bins_)[keep]
        binner.n_features_in_ = len(keep)
        if hasattr(binner, "feature_names_in_"):
            binner.feature_names_in_ = np.asarray(binner.feature_names_in_, dtype=object)[keep]
        self.bins_ = self._bins()
        self.feature_bounds_ = self._bounds()
        return self

    def sweep(self, terms=True, bins=True, features=False):
        """Purge what does not affect the output (interpret's ``sweep``).

        ``terms``: drop terms whose scores are all zero. ``bins``: drop the pair-level bins of
        features no longer in any pair from ``bins_``. ``features``: drop the features no term
        uses (``remove_features``; X is then expected without them).
        """
        check_is_fitted(self)
        if terms:
            zero = [t for t, scores in enumerate(self.term_scores_) if not np.any(scores)]
            if zero:
                self.remove_terms(zero)
        if features:
            used = {f for feats in self.term_features_ for f in feats}
            unused = [j for j in range(len(self.feature_names_)) if j not in used]
            if unused and len(unused) < len(self.feature_names_):
                self.remove_features(unused)
        if bins:
            self.bins_ = self._bins()
        return self

    def monotonize(self, term, increasing="auto", passthrough=0.0):
        """Make a main term monotone by weighted isotonic regression, bag by bag.

        Parameters
        ----------
        term : str or int
            A main term of a continuous or ordinal feature. Pairs that contain the feature
            are left as they are, so the feature's total effect need not be monotone.
        increasing : "auto", True or False
            "auto" picks the direction of the Spearman correlation between cell order and
            the term's mean scores (one direction for every bag).
        passthrough : float in [0, 1]
            Share of the change in the term's mean response (over the training data) moved to
            the intercept; 0 keeps the term's weighted mean, hence the model's mean response.

        The missing and unseen cells are not part of the ordered range and are left alone.
        interpret 0.7.8 fits one isotonic regression to the averaged term and drops the bag
        scores; glassbox fits every bag (cell weights = training counts) and averages them,
        so the mean term is monotone and ``bagged_scores_``, ``standard_deviations_`` and
        :meth:`predict_with_uncertainty` stay available.
        """
        check_is_fitted(self)
        self._single_score("monotonize")
        t = self._term_index(term)
        feats = self.term_features_[t]
        if len(feats) != 1:
            raise ValueError(f"monotonize works on main terms only; {self.term_names_[t]!r} is a pair.")
        kind = self.feature_types_in_[feats[0]]
        if kind not in ("continuous", "ordinal"):
            raise ValueError(f"monotonize needs an ordered feature; {self.term_names_[t]!r} is {kind}.")
        if not (increasing == "auto" or isinstance(increasing, (bool, np.bool_))):
            raise ValueError(f"increasing must be 'auto', True or False, got {increasing!r}.")
        passthrough = float(passthrough)
        if not 0.0 <= passthrough <= 1.0:
            raise ValueError(f"passthrough must be between 0 and 1, got {passthrough}.")

        all_weights = np.asarray(self.bin_weights_[t], dtype=np.float64)
        weights = all_weights[1:-1]
        used = weights > 0
        if used.sum() < 2:
            return self  # one ordered cell with data: already monotone
        if increasing == "auto":
            mean_term = np.asarray(self.term_scores_[t])[1:-1]
            increasing = bool(check_increasing(np.flatnonzero(used), mean_term[used]))
        bagged = np.array(self.bagged_scores_[t], dtype=np.float64)
        bag_intercepts = np.array(np.ravel(self.bagged_intercept_), dtype=np.float64)
        for b in range(bagged.shape[0]):
            inner = bagged[b, 1:-1]
            fitted = _isotonic(inner, weights, used, bool(increasing))
            fitted += (np.average(inner[used], weights=weights[used])
                       - np.average(fitted[used], weights=weights[used])) * (1.0 - passthrough)
            bagged[b, 1:-1] = fitted
            if passthrough > 0.0 and all_weights.sum() > 0:
                shift = np.average(bagged[b], weights=all_weights)
                bagged[b] -= shift
                bag_intercepts[b] += shift
        self.bagged_scores_[t] = bagged
        (mean,), (std,), intercept = average_bags([bagged], bag_intercepts[:, None], self.bag_weights_)
        self.term_scores_[t] = mean
        self.standard_deviations_[t] = std
        if passthrough > 0.0:
            self.bagged_intercept_ = bag_intercepts
            if np.ndim(self.intercept_) == 0:
                self.intercept_ = float(intercept[0])
            else:
                self.intercept_ = np.asarray(intercept, dtype=np.float64)
        return self


def _position(value, names, kind):
    """Index of a term or feature given by name or (possibly negative) integer index."""
    if isinstance(value, str):
        if value not in names:
            raise ValueError(f"{kind} {value!r} is not a {kind} of this model; its {kind}s are {names}.")
        return names.index(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        if not -len(names) <= value < len(names):
            raise ValueError(f"{kind} index {value} is out of range for a model with {len(names)} {kind}s.")
        return int(value) % len(names)
    raise TypeError(f"{kind} must be a {kind} name or an integer index, got {type(value).__name__}.")


def _isotonic(values, weights, used, increasing):
    """Weighted isotonic fit over the cells with weight; an empty cell takes its left neighbour's
    value (the first used cell's value before any), which keeps the sequence monotone."""
    fitted_used = IsotonicRegression(increasing=increasing).fit_transform(
        np.flatnonzero(used).astype(np.float64), values[used], sample_weight=weights[used])
    out = np.empty_like(values)
    out[used] = fitted_used
    # every cell reads the last used cell at or before it (the first used cell before any)
    source = np.maximum.accumulate(np.where(used, np.arange(len(values)), -1))
    source[source < 0] = np.flatnonzero(used)[0]
    return out[source]
