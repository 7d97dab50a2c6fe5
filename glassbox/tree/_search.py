"""Prepare a binary matrix for the branch-and-bound core and run it.

The core works on *points*: the distinct rows of the (deduplicated) binary
matrix. Every point carries the statistics its training rows add to a leaf, so
identical rows are handled once and the equivalent-points bound comes for free.
Everything here is vectorised numpy; the search itself is one nogil call.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._core._tree_search import distinct_rows, search_tree

CLASSIFICATION, REGRESSION = 0, 1


@dataclass
class SearchResult:
    """Raw output of one search, in binary-column indices of the full binarized matrix."""

    feature: np.ndarray        # (n_nodes,) int32, -1 for leaves; preorder
    left: np.ndarray           # (n_nodes,) child where the binary feature is 1
    right: np.ndarray          # (n_nodes,) child where the binary feature is 0
    objective: float           # normalised (what objective_ reports)
    lower_bound: float
    status: str                # "optimal", "time_limit" or "memory_limit"
    stats: dict
    points: np.ndarray = None     # distinct rows of the binary matrix (all its columns) ...
    row_point: np.ndarray = None  # ... and the point of every row (None: some rows dropped)


def _distinct_columns(Xb):
    """Indices of columns that vary and are neither copies nor complements of an earlier one."""
    n, m = Xb.shape
    if m == 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    # canonical polarity: first row 0, so a column and its complement coincide
    canon = Xb ^ Xb[0:1, :]
    packed = np.packbits(canon.T, axis=1)
    varies = packed.any(axis=1)   # a canonical column varies iff it has a 1
    seen, keep = set(), []
    for j in range(m):           # one step per column, not per sample
        key = packed[j].tobytes()
        if varies[j] and key not in seen:
            seen.add(key)
            keep.append(j)
    return np.asarray(keep, dtype=np.int64)


def _points(Xb):
    """Distinct rows of ``Xb`` (in order of first appearance) and the point of every row."""
    inverse, first = distinct_rows(Xb)
    return Xb[first], inverse


def _cluster_order(uniq, stats, task):
    """Order of the points: lexicographic, most informative column first.

    Sub-problems are conjunctions of column tests, so with this order their points
    sit in few bitset words; the core skips empty words when it counts.
    """
    if uniq.shape[0] <= 64 or uniq.shape[1] == 0:
        return np.arange(uniq.shape[0])
    if task == CLASSIFICATION:
        classes = stats[:, 1:-1]
        wp = classes.sum(axis=1)
        tp = classes[:, int(np.argmax(classes.sum(axis=0)))]
    else:
        wp, tp = stats[:, 1], stats[:, 2]
    cols = uniq.T.astype(np.float64)
    w1, s1 = cols @ wp, cols @ tp          # weight and target sum where the column is 1
    w0, s0 = wp.sum() - w1, tp.sum() - s1
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.nan_to_num(s1 ** 2 / w1 + s0 ** 2 / w0)
    keys = uniq[:, np.argsort(-score, kind="stable")]
    return np.lexsort(keys.T[::-1])


def point_statistics(inverse, n_points, y, weight, task, n_classes):
    """Per-point statistics [count, values..., eq] and the total weight.

    Classification values are the class weights; regression values are
    (w, w*z, w*z^2) with z the standardised target, so a leaf's squared error
    divided by the total weight is its share of MSE / var(y).
    """
    count = np.bincount(inverse, minlength=n_points).astype(np.float64)
    if task == CLASSIFICATION:
        vals = np.bincount(inverse * n_classes + y, weights=weight,
                           minlength=n_points * n_classes).reshape(n_points, n_classes)
        eq = vals.sum(axis=1) - vals.max(axis=1)
    else:
        total = weight.sum()
        mean = float(np.dot(weight, y) / total)
        var = float(np.dot(weight, (y - mean) ** 2) / total)
        z = (y - mean) / np.sqrt(var) if var > 0 else np.zeros_like(y)
        vals = np.column_stack([
            np.bincount(inverse, weights=weight, minlength=n_points),
            np.bincount(inverse, weights=weight * z, minlength=n_points),
            np.bincount(inverse, weights=weight * z * z, minlength=n_points),
        ])
        with np.errstate(invalid="ignore", divide="ignore"):
            eq = np.where(vals[:, 0] > 0, vals[:, 2] - vals[:, 1] ** 2 / vals[:, 0], 0.0)
        eq = np.maximum(eq, 0.0)
    stats = np.column_stack([count, vals, eq])
    return np.ascontiguousarray(stats, dtype=np.float64)


def _pack_points(bits, n_words):
    """(n_sets, n_points) 0/1 -> (n_sets, n_words) uint64, bit p of word p // 64 = point p."""
    out = np.zeros((bits.shape[0], n_words * 64), dtype=np.uint8)
    out[:, :bits.shape[1]] = bits
    return np.packbits(out, axis=1, bitorder="little").view(np.uint64).reshape(bits.shape[0], n_words)


def bit_slices(stats, n_words, unit_weights):
    """Integer statistics as bit slices, so the core counts with popcounts.

    Returns ``(masks (n_words, n_slices), dims, weights, derive_count)``; slice ``s``
    marks the points whose statistic ``dims[s]`` has the bit of value ``weights[s]`` set.
    With unit weights the count column is the sum of the class columns and is not sliced.
    """
    dims, rows, weights = [], [], []
    first = 1 if unit_weights else 0
    for v in range(first, stats.shape[1]):
        col = np.rint(stats[:, v]).astype(np.int64)
        for b in range(int(col.max()).bit_length()):
            dims.append(v)
            weights.append(float(1 << b))
            rows.append((col >> b) & 1)
    if not rows:
        return None
    masks = np.ascontiguousarray(_pack_points(np.asarray(rows, dtype=np.uint8), n_words).T)
    return masks, np.asarray(dims, dtype=np.int32), np.asarray(weights), unit_weights


def run_search(Xb, y, weight, *, task, n_classes, regularization, max_depth, min_samples_leaf,
               time_limit, max_cache_mb, similar_support=True, leaf_support=True):
    """Search the optimal tree on binary matrix ``Xb`` (rows with zero weight are ignored).

    Returns
    -------
    SearchResult
    """
    Xb = np.ascontiguousarray(Xb, dtype=np.uint8)
    keep_rows = weight > 0
    if not keep_rows.all():
        Xb, y, weight = Xb[keep_rows], y[keep_rows], weight[keep_rows]
    # distinct rows first: columns that are constant, copies or complements over the
    # rows are so over the distinct rows, and dropping them merges no two of those
    uniq, inverse = _points(Xb)
    points = uniq
    cols = _distinct_columns(uniq)
    uniq = np.ascontiguousarray(uniq[:, cols])
    n_points = uniq.shape[0]
    stats = point_statistics(inverse, n_points, y, weight,
                             task, n_classes if task == CLASSIFICATION else 3)
    order = _cluster_order(uniq, stats, task)
    uniq, stats = np.ascontiguousarray(uniq[order]), np.ascontiguousarray(stats[order])
    n_words = (n_points + 63) // 64
    columns = np.ascontiguousarray(_pack_points(uniq.T, n_words))
    slices = None
    if task == CLASSIFICATION and np.array_equal(weight, np.rint(weight)) and weight.max() < 2 ** 40:
        slices = bit_slices(stats, n_words, bool((weight == 1).all()))
    rows, feats = np.nonzero(uniq)
    indptr = np.zeros(n_points + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_points), out=indptr[1:])
    ones = np.ascontiguousarray(feats, dtype=np.int32)
    total = float(weight.sum())
    raw = search_tree(
        columns, indptr, ones, stats,
        task, n_classes if task == CLASSIFICATION else 3,
        float(regularization) * total,
        float(min(min_samples_leaf, len(y))),
        max_depth,
        0.0 if time_limit is None else float(time_limit),
        0.0 if max_cache_mb is None else float(max_cache_mb) * 2.0 ** 20,
        similar_support, leaf_support,
        1e-9 * max(total, 1e-300) * 1e-3,
        *(slices if slices is not None else ()),
    )
    feature = raw["feature"].astype(np.int64)
    feature = np.where(feature >= 0, cols[np.maximum(feature, 0)] if len(cols) else -1, -1)
    stats_out = {k: raw[k] for k in ("n_expansions", "n_distinct_expanded", "n_subtracted", "n_reused", "n_cache_entries", "cache_bytes",
                                     "search_seconds")}
    stats_out["n_points"] = int(n_points)
    stats_out["n_binary_used"] = int(len(cols))
    return SearchResult(
        feature=feature.astype(np.int32), left=raw["left"], right=raw["right"],
        objective=raw["objective"] / total, lower_bound=raw["lower_bound"] / total,
        status=raw["status"], stats=stats_out,
        points=points, row_point=inverse if keep_rows.all() else None,
    )
