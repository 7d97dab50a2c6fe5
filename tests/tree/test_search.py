"""The certified search against brute force on small random binary problems."""
import time

import numpy as np
import pytest

from glassbox.tree._search import CLASSIFICATION, REGRESSION, run_search

from ._brute import brute_force_optimum


def _problem(seed, task, n_classes=2, weighted=False):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 61))
    m = int(rng.integers(1, 7))
    X = (rng.random((n, m)) < rng.uniform(0.2, 0.8)).astype(np.uint8)
    if task == "classification":
        # labels partly explained by the features, so non-trivial trees win
        y = np.where(rng.random(n) < 0.7, (X[:, 0] ^ X[:, -1]) % n_classes, rng.integers(0, n_classes, n))
    else:
        y = 2.0 * X[:, 0] - X[:, -1] + rng.normal(size=n)
    w = rng.uniform(0.1, 3.0, n) if weighted else np.ones(n)
    return X, y, w


def _objective_of(res, X, y, w, task, lam, n_classes):
    """Objective recomputed from the returned tree's predictions."""
    feature, left, right = res.feature, res.left, res.right
    leaf = np.zeros(len(y), dtype=np.int64)
    for r in range(len(y)):
        i = 0
        while feature[i] >= 0:
            i = left[i] if X[r, feature[i]] == 1 else right[i]
        leaf[r] = i
    loss = 0.0
    for node in np.unique(leaf):
        rows = leaf == node
        if task == "classification":
            loss += w[rows].sum() - np.bincount(y[rows], weights=w[rows], minlength=n_classes).max()
        else:
            mu = np.dot(w[rows], y[rows]) / w[rows].sum()
            loss += np.dot(w[rows], (y[rows] - mu) ** 2)
    total = w.sum()
    if task == "regression":
        mean = np.dot(w, y) / total
        loss /= np.dot(w, (y - mean) ** 2) / total
    return loss / total + lam * int((feature < 0).sum())


CASES = [
    ("classification", 2, False), ("classification", 3, False), ("classification", 2, True),
    ("classification", 4, True), ("regression", 1, False), ("regression", 1, True),
]


@pytest.mark.parametrize("task,n_classes,weighted", CASES)
@pytest.mark.parametrize("max_depth", [0, 1, 2, 3, None])
def test_matches_brute_force(task, n_classes, weighted, max_depth):
    for seed in range(12):
        X, y, w = _problem(seed, task, n_classes, weighted)
        lam = [0.0, 0.002, 0.01, 0.03][seed % 4]
        if max_depth is None and lam == 0.0:
            lam = 0.005
        msl = [1, 1, 3][seed % 3]
        expected = brute_force_optimum(X, y, w, task=task, regularization=lam, max_depth=max_depth,
                                       min_samples_leaf=msl, n_classes=n_classes)
        res = run_search(X, y, w, task=CLASSIFICATION if task == "classification" else REGRESSION,
                         n_classes=n_classes, regularization=lam, max_depth=max_depth,
                         min_samples_leaf=msl, time_limit=None, max_cache_mb=None)
        assert res.status == "optimal"
        assert res.objective == pytest.approx(expected, abs=1e-9)
        assert res.lower_bound == pytest.approx(expected, abs=1e-9)
        assert _objective_of(res, X, y, w, task, lam, n_classes) == pytest.approx(expected, abs=1e-9)
        depth = _depth(res)
        assert max_depth is None or depth <= max_depth


def _depth(res):
    def walk(i):
        return 0 if res.feature[i] < 0 else 1 + max(walk(res.left[i]), walk(res.right[i]))
    return walk(0)


def test_integer_weights_equal_repeated_rows():
    X, y, _ = _problem(3, "classification", 3)
    w = np.random.default_rng(0).integers(1, 4, len(y)).astype(float)
    a = run_search(X, y, w, task=CLASSIFICATION, n_classes=3, regularization=0.01, max_depth=3,
                   min_samples_leaf=1, time_limit=None, max_cache_mb=None)
    rep = np.repeat(np.arange(len(y)), w.astype(int))
    b = run_search(X[rep], y[rep], np.ones(len(rep)), task=CLASSIFICATION, n_classes=3,
                   regularization=0.01, max_depth=3, min_samples_leaf=1, time_limit=None,
                   max_cache_mb=None)
    assert a.objective == pytest.approx(b.objective, abs=1e-12)


def _hard_problem():
    rng = np.random.default_rng(7)
    n, m = 3000, 60
    X = (rng.random((n, m)) < 0.5).astype(np.uint8)
    y = ((X[:, :6].sum(axis=1) + rng.integers(0, 3, n)) % 2).astype(np.int64)
    return X, y


def test_time_limit_is_honoured_with_valid_tree_and_gap():
    X, y = _hard_problem()
    t0 = time.perf_counter()
    res = run_search(X, y, np.ones(len(y)), task=CLASSIFICATION, n_classes=2,
                     regularization=0.0005, max_depth=None, min_samples_leaf=1, time_limit=0.3,
                     max_cache_mb=None)
    elapsed = time.perf_counter() - t0
    assert res.status == "time_limit"
    assert elapsed < 0.3 + 0.5
    assert res.lower_bound <= res.objective
    assert res.lower_bound > 0.0
    # the returned tree really scores the reported objective
    assert _objective_of(res, X, y, np.ones(len(y)), "classification", 0.0005, 2) == pytest.approx(
        res.objective, abs=1e-9)


def test_cache_cap_stops_search_with_valid_tree():
    X, y = _hard_problem()
    res = run_search(X, y, np.ones(len(y)), task=CLASSIFICATION, n_classes=2,
                     regularization=0.0005, max_depth=None, min_samples_leaf=1, time_limit=20,
                     max_cache_mb=2)
    assert res.status == "memory_limit"
    assert res.stats["cache_bytes"] <= 2 * 2 ** 20
    assert res.lower_bound <= res.objective
    assert _objective_of(res, X, y, np.ones(len(y)), "classification", 0.0005, 2) == pytest.approx(
        res.objective, abs=1e-9)


def test_deterministic():
    X, y, w = _problem(11, "classification", 3, True)
    runs = [run_search(X, y, w, task=CLASSIFICATION, n_classes=3, regularization=0.005,
                       max_depth=None, min_samples_leaf=1, time_limit=None, max_cache_mb=None)
            for _ in range(3)]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.feature, runs[0].feature)
        np.testing.assert_array_equal(r.left, runs[0].left)
        assert r.objective == runs[0].objective


@pytest.mark.parametrize("max_depth", [3, 4, None])
def test_counting_engines_agree_on_larger_data(max_depth):
    """Popcount engine (integer weights) and summing engine (fractional weights) agree.

    Uniform weights 0.5 leave the objective unchanged but force the summing engine;
    with 2000 rows the points span many bitset words (clustering, subtraction, re-use).
    """
    rng = np.random.default_rng(5)
    n, m = 2000, 14
    X = (rng.random((n, m)) < 0.4).astype(np.uint8)
    y = np.where(rng.random(n) < 0.75, (X[:, 0] & X[:, 3]) | X[:, 7], rng.integers(0, 2, n))
    runs = [run_search(X, y, np.full(n, w), task=CLASSIFICATION, n_classes=2,
                       regularization=0.005, max_depth=max_depth, min_samples_leaf=1,
                       time_limit=None, max_cache_mb=None) for w in (1.0, 0.5, 3.0)]
    for r in runs:
        assert r.status == "optimal"
        assert r.objective == pytest.approx(runs[0].objective, abs=1e-9)
        assert _objective_of(r, X, y, np.ones(n), "classification", 0.005, 2) == pytest.approx(
            runs[0].objective, abs=1e-9)


@pytest.mark.parametrize("time_limit", [0.02, 0.3])
def test_time_limit_with_depth_limit_returns_valid_shallower_or_deeper_tree(time_limit):
    """Stopping during the depth-by-depth search still returns a real tree within max_depth."""
    X, y = _hard_problem()
    res = run_search(X, y, np.ones(len(y)), task=CLASSIFICATION, n_classes=2,
                     regularization=0.0005, max_depth=6, min_samples_leaf=1,
                     time_limit=time_limit, max_cache_mb=None)
    assert res.status == "time_limit"
    assert _depth(res) <= 6
    assert 0.0 < res.lower_bound <= res.objective
    assert _objective_of(res, X, y, np.ones(len(y)), "classification", 0.0005, 2) == pytest.approx(
        res.objective, abs=1e-9)


@pytest.mark.parametrize("n, m, p", [(500, 13, 0.5), (300, 70, 0.05), (50, 0, 0.5), (1, 3, 0.5),
                                     (2000, 17, 0.3)])
def test_distinct_rows_matches_numpy(n, m, p):
    from glassbox._core._tree_search import distinct_rows

    rng = np.random.default_rng(n + m)
    X = (rng.random((n, m)) < p).astype(np.uint8)
    inverse, first = distinct_rows(X)
    _, first_np = np.unique(X, axis=0, return_index=True)
    assert np.array_equal(first, np.sort(first_np))        # first rows, first-appearance order
    assert np.array_equal(X[first][inverse], X)              # every row maps to its point
    assert np.array_equal(inverse[first], np.arange(len(first)))
