"""Brute-force optimum of the sparse tree objective on tiny binary problems (test oracle).

Every tree over the binary columns is either a leaf or a split whose two subtrees are
trees on the two halves; the objective adds over leaves, so the minimum over all trees
is the minimum over (leaf, every split of every optimal pair of subtrees), evaluated
here by plain recursion over row subsets, with no bounds and no pruning.
"""
from functools import lru_cache

import numpy as np


def brute_force_optimum(Xb, y, weight, *, task, regularization, max_depth, min_samples_leaf=1,
                        n_classes=None):
    Xb = np.asarray(Xb, dtype=np.uint8)
    n, m = Xb.shape
    w = np.asarray(weight, dtype=np.float64)
    total = w.sum()
    y = np.asarray(y)
    if task == "regression":
        mean = np.dot(w, y) / total
        var = np.dot(w, (y - mean) ** 2) / total
    depth0 = m if max_depth is None else max_depth

    def leaf(rows):
        idx = np.array(rows, dtype=np.int64)
        if len(idx) < min_samples_leaf:
            return np.inf
        ww = w[idx]
        if task == "classification":
            per = np.bincount(y[idx], weights=ww, minlength=n_classes)
            loss = ww.sum() - per.max()
            return loss / total + regularization
        sw = ww.sum()
        if sw <= 0:
            return regularization
        mu = np.dot(ww, y[idx]) / sw
        return np.dot(ww, (y[idx] - mu) ** 2) / (total * var) + regularization

    @lru_cache(maxsize=None)
    def best(rows, depth):
        value = leaf(rows)
        if depth == 0:
            return value
        for f in range(m):
            left = tuple(r for r in rows if Xb[r, f] == 1)
            right = tuple(r for r in rows if Xb[r, f] == 0)
            if not left or not right:
                continue
            value = min(value, best(left, depth - 1) + best(right, depth - 1))
        return value

    return best(tuple(range(n)), depth0)
