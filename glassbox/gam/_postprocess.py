"""After boosting: bin weights, centering of every bag's terms, averaging over bags, intercept refit.

Follows interpret 0.7.8 (`_utils.process_terms`): each bag's term tensor is centred on its
training-weighted mean (moved into that bag's intercept), cells without training weight are set
to exactly 0 (so unseen categories and never-seen missing values score 0), the bags are averaged
with weights equal to their training weight, and the intercept is finally refit on all data.
"""
from __future__ import annotations

import numpy as np


def coarse_cell_map(cuts, counts, max_cells):
    """Pair-level cut points chosen among a feature's main cut points, and the main→pair cell map.

    The pair level keeps at most ``max_cells - 3`` cuts (interpret counts the missing and unseen
    cells in ``max_interaction_bins``), placed at the weighted quantiles of the main-binned
    training data. Returns ``(pair_cuts, cell_map)`` where ``cell_map[main_cell]`` is the pair cell.
    """
    cuts = np.asarray(cuts, dtype=np.float64)
    n_main_cells = len(cuts) + 3
    n_value = max(1, int(max_cells) - 2)
    if len(cuts) + 1 <= n_value:
        keep = np.arange(len(cuts))
    else:
        cum = np.cumsum(np.asarray(counts, dtype=np.float64)[1:-1])
        targets = cum[-1] * np.arange(1, n_value) / n_value
        keep = np.unique(np.clip(np.searchsorted(cum, targets, side="left"), 0, len(cuts) - 1))
    # main value bin v (0-based) lies above kept cut s iff s < v
    cell_map = np.empty(n_main_cells, dtype=np.int64)
    cell_map[0] = 0
    cell_map[1:-1] = 1 + np.searchsorted(keep, np.arange(len(cuts) + 1), side="left")
    cell_map[-1] = len(keep) + 2
    return cuts[keep], cell_map


def term_bin_weights(term_features, codes_for, n_bins_for, w):
    """Training weight of every cell of every term (shape of the term's tensor, no class axis)."""
    out = []
    for feats in term_features:
        codes, n_bins = codes_for(feats), n_bins_for(feats)
        if len(feats) == 1:
            out.append(np.bincount(codes[0], weights=w, minlength=n_bins[0]).astype(np.float64))
        else:
            cell = codes[0].astype(np.intp) * n_bins[1] + codes[1]
            out.append(np.bincount(cell, weights=w, minlength=n_bins[0] * n_bins[1])
                       .reshape(n_bins).astype(np.float64))
    return out


def center_bags(bagged_scores, bin_weights, bagged_intercept):
    """Centre each bag's tensors on their weighted mean (into the bag's intercept); zero empty cells.

    bagged_scores: per term an array (n_bags, *cells[, K]); modified in place.
    bagged_intercept: (n_bags, K); modified in place.
    """
    for scores, weights in zip(bagged_scores, bin_weights):
        total = weights.sum()
        empty = weights == 0
        for b in range(scores.shape[0]):
            s = scores[b]
            if s.ndim > weights.ndim:  # multiclass: trailing class axis
                mean = np.tensordot(weights, s, axes=weights.ndim) / total if total > 0 else 0.0
                s -= mean
                s[empty] = 0.0
                bagged_intercept[b] += mean
            else:
                mean = float((weights * s).sum() / total) if total > 0 else 0.0
                s -= mean
                s[empty] = 0.0
                bagged_intercept[b, 0] += mean


def average_bags(bagged_scores, bagged_intercept, bag_weights):
    """Bag-weighted mean and standard deviation of every term, and the mean intercept."""
    wsum = bag_weights.sum()
    term_scores, stds = [], []
    for scores in bagged_scores:
        shape = (-1,) + (1,) * (scores.ndim - 1)
        bw = bag_weights.reshape(shape)
        mean = (bw * scores).sum(axis=0) / wsum
        var = (bw * (scores - mean) ** 2).sum(axis=0) / wsum
        term_scores.append(mean)
        stds.append(np.sqrt(var))
    intercept = (bag_weights[:, None] * bagged_intercept).sum(axis=0) / wsum
    return term_scores, stds, intercept


def refit_intercept(core, param, y, w, scores, max_iter=100):
    """Constant to add to every score (per class) so the model's training loss is minimal."""
    K = scores.shape[1]
    if core == "rmse":
        return np.array([np.average(y - scores[:, 0], weights=w)])
    if core == "quantile":
        from ._boosting import weighted_quantile

        return np.array([weighted_quantile(y - scores[:, 0], w, param)])
    delta = np.zeros(K)
    onehot = None
    if core == "multiclass":
        onehot = np.zeros_like(scores)
        onehot[np.arange(len(y)), y.astype(np.intp)] = 1.0
    for _ in range(max_iter):
        s = scores + delta
        if core == "log_loss":
            p = 1.0 / (1.0 + np.exp(-s[:, 0]))
            g, h = np.sum(w * (p - y)), np.sum(w * p * (1 - p))
            step = np.array([-g / h]) if h > 0 else np.zeros(1)
        elif core == "multiclass":
            z = s - s.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            # full Newton step with the K x K Hessian: the diagonal one overshoots (the classes'
            # intercepts are coupled) and needed ~50 iterations; softmax is shift invariant, so
            # the last class's intercept stays put and the system is (K-1) x (K-1)
            wp = w[:, None] * p
            g = (wp - w[:, None] * onehot).sum(axis=0)
            hess = np.diag(wp.sum(axis=0)) - wp.T @ p
            step = np.zeros(K)
            try:
                step[:-1] = -np.linalg.solve(hess[:-1, :-1], g[:-1])
            except np.linalg.LinAlgError:
                step[:-1] = -np.linalg.lstsq(hess[:-1, :-1], g[:-1], rcond=None)[0]
        else:
            f = s[:, 0]
            if core == "poisson_deviance":
                mu = np.exp(f)
                g, h = np.sum(w * (mu - y)), np.sum(w * mu)
            elif core == "gamma_deviance":
                r = y * np.exp(-f)
                g, h = np.sum(w * (1 - r)), np.sum(w * r)
            else:  # tweedie
                a, b = y * np.exp((1 - param) * f), np.exp((2 - param) * f)
                g, h = np.sum(w * (b - a)), np.sum(w * ((2 - param) * b - (1 - param) * a))
            step = np.array([-g / h]) if h > 0 else np.zeros(1)
        delta = delta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    return delta
