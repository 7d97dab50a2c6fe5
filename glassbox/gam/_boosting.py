"""Drive the per-bag C++ booster: bag splits, start intercepts, the mains and pairs stages, FAST.

All randomness is drawn here, per bag, from ``random_state`` before any thread starts, so a
fit is bit-identical for every ``n_jobs``. Bags run in threads: each bag is one nogil call.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from joblib.parallel import get_active_backend

from .._core._ebm_boost import boost_bag, pair_strengths
from .._core._openmp import effective_n_threads


@dataclass
class Bag:
    """One outer bag: its rows, start intercept and C++ seeds."""

    train: np.ndarray          # row indices used for boosting
    valid: np.ndarray          # row indices held out for early stopping
    seeds: tuple               # uint64 seeds: mains stage, pairs stage
    intercept: np.ndarray = None       # (K,) start scores
    mains: list = field(default_factory=list)   # flat tensors of the mains stage
    pairs: list = field(default_factory=list)   # flat tensors of the pairs stage
    steps: list = field(default_factory=list)
    index: int = 0                     # position among the outer bags (for the user callback)


def make_bags(n_samples, y, *, classification, outer_bags, validation_size, random_state):
    """Random train/validation splits (stratified by class for classification), one per bag."""
    if isinstance(random_state, np.random.RandomState):
        random_state = int(random_state.randint(0, 2**31 - 1))
    elif isinstance(random_state, np.random.Generator):
        random_state = int(random_state.integers(0, 2**31 - 1))
    children = np.random.SeedSequence(random_state).spawn(outer_bags)
    if isinstance(validation_size, (int, np.integer)) and not isinstance(validation_size, bool) \
            and validation_size >= 1:
        n_val = int(min(validation_size, n_samples - 1))
    else:
        n_val = int(np.floor(n_samples * float(validation_size)))
    bags = []
    for child in children:
        rng = np.random.default_rng(child)
        seeds = tuple(int(s) for s in rng.integers(0, 2**63 - 1, size=2, dtype=np.int64))
        if n_val <= 0:
            valid = np.zeros(0, dtype=np.intp)
        elif classification:
            valid = _stratified_pick(y, n_val, rng)
        else:
            valid = np.sort(rng.choice(n_samples, size=n_val, replace=False))
        mask = np.ones(n_samples, dtype=bool)
        mask[valid] = False
        bags.append(Bag(train=np.flatnonzero(mask), valid=valid, seeds=seeds, index=len(bags)))
    return bags


def _stratified_pick(y, n_val, rng):
    """n_val rows with the class proportions of y (largest remainders get the leftovers)."""
    classes, counts = np.unique(y, return_counts=True)
    exact = counts / counts.sum() * n_val
    take = np.floor(exact).astype(np.int64)
    short = n_val - take.sum()
    if short > 0:
        order = np.argsort(-(exact - take), kind="stable")
        take[order[:short]] += 1
    take = np.minimum(take, counts - 1).clip(min=0)
    picked = []
    for c, k in zip(classes, take):
        rows = np.flatnonzero(y == c)
        picked.append(rng.choice(rows, size=int(k), replace=False))
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.intp)


def start_intercept(core, param, y, w, n_scores):
    """Best constant score on the bag's training rows (interpret's start for each objective)."""
    if core == "log_loss":
        p = np.clip(np.average(y, weights=w), 1e-12, 1 - 1e-12)
        return np.array([np.log(p / (1 - p))])
    if core == "multiclass":
        freq = np.bincount(y.astype(np.intp), weights=w, minlength=n_scores) / w.sum()
        return np.log(np.clip(freq, 1e-12, None))
    if core == "rmse":
        return np.array([np.average(y, weights=w)])
    if core == "quantile":
        return np.array([weighted_quantile(y, w, param)])
    # log-link deviances: the constant that minimises the deviance is log(mean y)
    return np.array([np.log(max(np.average(y, weights=w), 1e-12))])


def weighted_quantile(values, weights, alpha):
    """Smallest value whose cumulative weight share reaches alpha."""
    order = np.argsort(values, kind="stable")
    cw = np.cumsum(weights[order])
    i = int(np.searchsorted(cw, alpha * cw[-1], side="left"))
    return float(values[order][min(i, len(values) - 1)])


def term_scores_on_rows(tensors, term_features, codes, rows, n_scores, n_bins):
    """Sum of the terms' table lookups for the given rows, shape (len(rows), K)."""
    out = np.zeros((len(rows), n_scores))
    for tensor, feats in zip(tensors, term_features):
        if len(feats) == 1:
            cell = codes[feats[0], rows].astype(np.intp)
        else:
            cell = codes[feats[0], rows].astype(np.intp) * int(n_bins[feats[1]]) + codes[feats[1], rows]
        out += tensor.reshape(-1, n_scores)[cell]
    return out


class StepCallback:
    """interpret's ``callback(bag_index, n_steps, progress, metric) -> bool`` around the C++ loop.

    Called by the core after every boosting step of every bag (with the GIL, so it costs a
    Python call per step: opt-in only). Once it returns True for any bag, every bag stops at
    its next step and no later stage (pairs) is fitted, as in interpret.
    """

    def __init__(self, user_callback):
        if not callable(user_callback):
            raise TypeError(f"callback must be callable or None, got {type(user_callback).__name__}.")
        self.user_callback = user_callback
        self.stopped = False

    def params_for(self, params, bag):
        def step(n_steps, progress, metric):
            if self.stopped:
                return True
            if self.user_callback(bag.index, n_steps, progress, metric):
                self.stopped = True
            return self.stopped

        return dict(params, step_callback=step)


def bag_threads(n_jobs, n_bags):
    """Threads for the bags' row-block passes: ``(n_threads, share_threads)``.

    Bags that run in threads of this process share all the threads: each bag's passes use
    n_threads / (bags boosting at that moment), so when the bags that stop early are done, the
    ones still running take over their cores (bags stop after different numbers of steps and a
    stage waits for the slowest). Under a process or cluster backend the user configured with
    ``joblib.parallel_config``, each bag gets a fixed share instead. Results do not depend on
    it (fixed row blocks, added up in order).
    """
    total = effective_n_threads(n_jobs)
    concurrent = max(1, min(effective_n_jobs(n_jobs), n_bags))
    backend, _ = get_active_backend(prefer="threads")
    if concurrent == 1 or getattr(backend, "uses_threads", False):
        return total, True
    return max(1, total // concurrent), False


def run_bags(fn, bags, n_jobs):
    """Apply fn to every bag, keeping bag order; use the returned values, never side effects.

    Threads by default (each call releases the GIL in C++); a backend the user configured
    with ``joblib.parallel_config`` (processes, or Dask to spread bags over a cluster) is used
    instead, which is why callers must take what ``fn`` returns.
    """
    n_workers = max(1, min(effective_n_jobs(n_jobs), len(bags)))
    if n_workers == 1:
        return [fn(b) for b in bags]
    return Parallel(n_jobs=n_workers, prefer="threads")(delayed(fn)(b) for b in bags)


def boost_stage(params, bag, seed, term_features, codes, n_bins, nominal, monotone, y, w, init_tr, init_val):
    """Boost the given terms on one bag from initial scores; return (tensors, n_steps)."""
    tf = np.full((len(term_features), 2), -1, dtype=np.int32)
    for t, feats in enumerate(term_features):
        tf[t, : len(feats)] = feats
    # np.take along axis 1: about 3x faster than codes[:, rows] (a 2-D fancy index)
    codes_tr = np.take(codes, bag.train, axis=1)
    codes_val = np.take(codes, bag.valid, axis=1)
    tensors, steps, _ = boost_bag(
        params, tf, n_bins, nominal, monotone, codes_tr, codes_val,
        np.ascontiguousarray(y[bag.train]), np.ascontiguousarray(w[bag.train]),
        np.ascontiguousarray(y[bag.valid]), np.ascontiguousarray(w[bag.valid]),
        np.ascontiguousarray(init_tr), np.ascontiguousarray(init_val), np.uint64(seed),
    )
    return tensors, steps


def rank_pairs(params, bag, codes, n_bins, y, w, scores_tr, candidates):
    """FAST strengths of the candidate pairs on one bag; returns the candidates' ranks (0 = best)."""
    if not candidates:
        return np.zeros(0)
    pairs = np.asarray(candidates, dtype=np.int32).reshape(-1, 2)
    strengths = pair_strengths(
        params, np.take(codes, bag.train, axis=1),
        np.ascontiguousarray(y[bag.train]), np.ascontiguousarray(w[bag.train]),
        np.ascontiguousarray(scores_tr), pairs, n_bins,
    )
    # strongest first; ties broken by pair order (deterministic)
    order = np.lexsort((np.arange(len(pairs)), -strengths))
    ranks = np.empty(len(pairs))
    ranks[order] = np.arange(len(pairs))
    return ranks


def select_pairs(rank_lists, candidates, k):
    """The k candidates with the smallest mean rank across bags (ties: smaller indices first)."""
    if k <= 0 or not candidates:
        return []
    mean_rank = np.mean(np.vstack(rank_lists), axis=0)
    keyed = sorted(zip(mean_rank.tolist(), candidates))
    return [pair for _, pair in keyed[:k]]
