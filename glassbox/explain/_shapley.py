"""Exact interventional Shapley values for leaf models (optimal trees and rule lists).

The players are the original features; a binarized row's columns move together with the
feature they read. For a row x, a background row b and one leaf L with output v_L, sort the
features L tests into

* P: x satisfies L's literals on the feature, b does not;
* N: b satisfies them, x does not;
* both satisfy: irrelevant to L;
* neither satisfies: L cannot fire on any hybrid of x and b, it contributes nothing.

The hybrid game of L is then v_L * 1[P ⊆ S and N ∩ S = ∅], whose Shapley values are, in closed
form, ``v_L (|P|-1)! |N|! / (|P|+|N|)!`` for each feature in P and
``-v_L |P|! (|N|-1)! / (|P|+|N|)!`` for each feature in N. Summed over leaves (the model is the
sum of its leaf games because the leaves partition the input space) and averaged over the
background, they are the exact interventional Shapley values, whose total for a row is
``f(x) - E_b f(b)``.

Cost is linear in rows × (leaf, feature) pairs × distinct background patterns per leaf (a leaf
sees a background row only through which of its features the row satisfies, so equal patterns
are merged with their weights; there are at most min(n_background, 2^features-in-leaf)). The inner
loop is the nogil kernel ``glassbox._core._explain_shap.leaf_pair_weights``, parallel over rows.
"""
from __future__ import annotations

from math import factorial

import numpy as np

from .._core._explain_shap import leaf_pair_weights
from .._core._openmp import effective_n_threads
from ._leaves import DecisionLeaves

# Rows explained per block (bounds the (rows × leaf-features) work arrays).
_ROW_BLOCK = 65536


class _LeafFeatureTable:
    """Every (leaf, original feature) pair a leaf tests, with the literals on that feature."""

    def __init__(self, leaves: DecisionLeaves):
        pair_leaf, pair_feature, lit_col, lit_val, lit_pair = [], [], [], [], []
        for i, leaf in enumerate(leaves.literals):
            by_feature: dict[int, list] = {}
            for k, v in leaf:
                by_feature.setdefault(int(leaves.feature_index[k]), []).append((k, v))
            for j in sorted(by_feature):
                p = len(pair_leaf)
                pair_leaf.append(i)
                pair_feature.append(j)
                for k, v in by_feature[j]:
                    lit_col.append(k)
                    lit_val.append(v)
                    lit_pair.append(p)
        self.n_pairs = len(pair_leaf)
        self.pair_leaf = np.asarray(pair_leaf, dtype=np.intp)
        self.pair_feature = np.asarray(pair_feature, dtype=np.intp)
        self.lit_col = np.asarray(lit_col, dtype=np.intp)
        self.lit_val = np.asarray(lit_val, dtype=bool)
        # (n_literals, n_pairs) incidence, to count failed literals per pair with one product
        self.lit_to_pair = np.zeros((len(lit_col), self.n_pairs), dtype=np.float64)
        self.lit_to_pair[np.arange(len(lit_col)), lit_pair] = 1.0
        # (n_pairs, n_leaves) incidence, to count P / N / neither features per leaf
        self.pair_to_leaf = np.zeros((self.n_pairs, leaves.n_leaves), dtype=np.float64)
        self.pair_to_leaf[np.arange(self.n_pairs), self.pair_leaf] = 1.0
        # pairs are grouped by leaf: leaf i owns pairs leaf_start[i]:leaf_start[i + 1]
        self.leaf_start = np.searchsorted(self.pair_leaf, np.arange(leaves.n_leaves + 1)).astype(np.int64)
        max_len = int(self.pair_to_leaf.sum(axis=0).max()) if self.n_pairs else 0
        self.coef_pos, self.coef_neg = _shapley_coefficients(max_len)

    def pair_to_feature(self, n_features: int) -> np.ndarray:
        """(n_pairs, n_features) incidence: the original feature of every pair."""
        out = np.zeros((self.n_pairs, n_features))
        out[np.arange(self.n_pairs), self.pair_feature] = 1.0
        return out

    def background_patterns(self, sat_bg: np.ndarray, w: np.ndarray):
        """Per leaf, the distinct patterns of satisfied pairs among the background rows, with
        their summed weights, flattened for the kernel (see ``leaf_pair_weights``)."""
        n_leaves = len(self.leaf_start) - 1
        bits, weights = [], []
        pattern_start = np.zeros(n_leaves + 1, dtype=np.int64)
        pattern_offset = np.zeros(n_leaves, dtype=np.int64)
        offset = 0
        keep = w > 0
        for leaf in range(n_leaves):
            block = sat_bg[keep, self.leaf_start[leaf]:self.leaf_start[leaf + 1]]
            if block.shape[1] == 0:
                unique, summed = np.zeros((0, 0), dtype=np.uint8), np.zeros(0)
            else:
                unique, inverse = np.unique(block, axis=0, return_inverse=True)
                summed = np.bincount(inverse.reshape(-1), weights=w[keep], minlength=len(unique))
            bits.append(unique.reshape(-1))
            weights.append(summed)
            pattern_offset[leaf] = offset
            offset += unique.size
            pattern_start[leaf + 1] = pattern_start[leaf] + len(summed)
        return (np.ascontiguousarray(np.concatenate(bits), dtype=np.uint8),
                np.ascontiguousarray(np.concatenate(weights), dtype=np.float64),
                pattern_start, pattern_offset)

    def satisfied(self, Xb: np.ndarray) -> np.ndarray:
        """(n_rows, n_pairs) bool: the row satisfies the leaf's literals on that feature."""
        if self.n_pairs == 0:
            return np.zeros((Xb.shape[0], 0), dtype=bool)
        failed = (Xb[:, self.lit_col] != 0) != self.lit_val
        return (failed.astype(np.float64) @ self.lit_to_pair) == 0


def _shapley_coefficients(max_len: int):
    """coef_pos[p, n] = (p-1)! n! / (p+n)!, coef_neg[p, n] = p! (n-1)! / (p+n)! (0 when undefined)."""
    size = max_len + 1
    pos = np.zeros((size, size))
    neg = np.zeros((size, size))
    for p in range(size):
        for n in range(size - p):
            if p + n == 0:
                continue
            total = factorial(p + n)
            if p > 0:
                pos[p, n] = factorial(p - 1) * factorial(n) / total
            if n > 0:
                neg[p, n] = factorial(p) * factorial(n - 1) / total
    return pos, neg


def leaf_shapley_values(
    leaves: DecisionLeaves,
    Xb,
    background,
    n_features: int,
    background_weight=None,
    n_jobs=None,
):
    """Exact interventional Shapley values of a leaf model over the original features.

    Parameters
    ----------
    leaves : DecisionLeaves
        The model as disjoint leaves.
    Xb : array-like of shape (n_samples, n_binary)
        Binarized rows to explain.
    background : array-like of shape (n_background, n_binary)
        Binarized background rows (the reference distribution).
    n_features : int
        Number of original features (players); features no leaf tests get 0.
    background_weight : array-like of shape (n_background,), default=None
        Weights of the background rows; uniform when None.
    n_jobs : int, default=None
        Threads for the kernel (joblib semantics; None uses every available core).

    Returns
    -------
    values : ndarray of shape (n_samples, n_features, n_outputs)
        Shapley value of every feature for every output.
    base_value : ndarray of shape (n_outputs,)
        The weighted mean model output over the background. For every row,
        ``base_value + values.sum(axis=1)`` equals the output of the leaf the row falls in.
    """
    Xb = np.asarray(Xb)
    background = np.asarray(background)
    if Xb.ndim != 2 or background.ndim != 2 or Xb.shape[1] != background.shape[1]:
        raise ValueError(
            f"leaf_shapley_values: rows {Xb.shape} and background {background.shape} must be "
            "2-D with the same number of binary columns."
        )
    n_bg = background.shape[0]
    if n_bg == 0:
        raise ValueError("leaf_shapley_values: the background is empty.")
    if background_weight is None:
        w = np.full(n_bg, 1.0 / n_bg)
    else:
        w = np.asarray(background_weight, dtype=np.float64).reshape(-1)
        if w.shape[0] != n_bg or np.any(~np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError(
                "leaf_shapley_values: background_weight must hold one finite, non-negative "
                "weight per background row, with a positive sum."
            )
        w = w / w.sum()

    table = _LeafFeatureTable(leaves)
    base_value = w @ leaves.predict(background)
    n, n_out = Xb.shape[0], leaves.n_outputs
    values = np.zeros((n, n_features, n_out))
    if table.n_pairs == 0 or n == 0:
        return values, base_value

    sat_bg = np.ascontiguousarray(table.satisfied(background), dtype=np.uint8)  # (m, q)
    patterns, pattern_weight, pattern_start, pattern_offset = table.background_patterns(sat_bg, w)
    n_threads = effective_n_threads(n_jobs)
    to_feature = table.pair_to_feature(n_features)
    for begin in range(0, n, _ROW_BLOCK):
        stop = min(n, begin + _ROW_BLOCK)
        sat_x = np.ascontiguousarray(table.satisfied(Xb[begin:stop]), dtype=np.uint8)
        coef = np.zeros((stop - begin, table.n_pairs))
        leaf_pair_weights(sat_x, patterns, pattern_weight, table.leaf_start, pattern_start,
                          pattern_offset, table.coef_pos, table.coef_neg, coef, n_threads)
        # values[x, j, k] = sum over pairs p on feature j of coef[x, p] * v[leaf(p), k]
        for k in range(n_out):
            values[begin:stop, :, k] = (coef * leaves.values[table.pair_leaf, k]) @ to_feature
    return values, base_value
