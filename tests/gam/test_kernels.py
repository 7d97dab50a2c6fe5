"""The C++ split search and FAST kernels against brute-force numpy twins."""
import itertools

import numpy as np
import pytest

from glassbox._core._ebm_boost import boost_bag, fast_pair_strength, split_1d_update, split_2d_update

PARAMS = dict(n_scores=1, learning_rate=1.0, max_leaves=2, min_samples_leaf=1, min_hessian=0.0, reg_alpha=0.0,
              reg_lambda=0.0, max_delta_step=0.0, min_cat_samples=0, cat_smooth=10.0)


def score(G, H, lam=0.0):
    return G * G / (H + lam) if H + lam > 0 else 0.0


def naive_split_1d(G, H, C, msl):
    """Missing bin 0 its own leaf; best single cut of bins 1.. (non-empty ones define cut positions)."""
    nb = len(G)
    total = score(G.sum(), H.sum())
    best = (score(G[1:].sum(), H[1:].sum()) + (score(G[0], H[0]) if C[0] > 0 else 0) - total, None)
    for c in range(2, nb):
        if C[c:].sum() == 0 or C[1:c].sum() == 0 or C[c] == 0:
            continue
        if C[1:c].sum() < msl or C[c:].sum() < msl:
            continue
        g = score(G[1:c].sum(), H[1:c].sum()) + score(G[c:].sum(), H[c:].sum())
        g += score(G[0], H[0]) if C[0] > 0 else 0
        g -= total
        if g > best[0] + 1e-12:
            best = (g, c)
    return best


@pytest.mark.parametrize("seed", range(8))
def test_split_1d_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    nb = int(rng.integers(4, 30))
    G = rng.normal(size=nb)
    H = rng.random(nb) + 0.1
    C = rng.integers(0, 6, size=nb).astype(float)
    C[-1] = 0.0  # unseen cell
    G[C == 0] = 0.0
    H[C == 0] = 0.0
    upd, gain = split_1d_update(dict(PARAMS, min_samples_leaf=3), G[:, None].copy(), H[:, None].copy(), C)
    best_gain, cut = naive_split_1d(G, H, C, 3)
    assert gain == pytest.approx(best_gain, abs=1e-9)
    # the update is -G/H of each leaf
    if C[0] > 0:
        assert upd[0, 0] == pytest.approx(-G[0] / H[0])
    if cut is not None:
        assert upd[cut, 0] == pytest.approx(-G[cut:].sum() / H[cut:].sum())
        assert upd[1, 0] == pytest.approx(-G[1:cut].sum() / H[1:cut].sum())


def test_split_1d_max_leaves_gives_that_many_values():
    rng = np.random.default_rng(0)
    G = rng.normal(size=40)
    H = np.ones(40)
    C = np.full(40, 10.0)
    for leaves in (2, 3, 5):
        upd, _ = split_1d_update(dict(PARAMS, max_leaves=leaves), G[:, None].copy(), H[:, None].copy(), C)
        # missing bin (index 0) is its own leaf on top of the value leaves
        assert len(np.unique(upd[1:, 0])) == leaves


def test_split_1d_monotone_update_is_monotone():
    rng = np.random.default_rng(1)
    for _ in range(20):
        G = rng.normal(size=30)
        H = rng.random(30) + 0.5
        C = np.full(30, 5.0)
        for mono in (1, -1):
            upd, _ = split_1d_update(dict(PARAMS, max_leaves=4), G[:, None].copy(), H[:, None].copy(), C,
                                     monotone=mono)
            d = np.diff(upd[1:, 0])
            assert np.all(mono * d >= -1e-12)


def test_split_1d_nominal_sorts_categories():
    # categories with gradient signs alternating: a sorted split separates positives from negatives
    G = np.array([0.0, 5.0, -5.0, 5.0, -5.0, 0.0])
    H = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 0.0])
    C = np.array([0.0, 20.0, 20.0, 20.0, 20.0, 0.0])
    upd, gain = split_1d_update(dict(PARAMS, min_cat_samples=1, cat_smooth=0.0), G[:, None], H[:, None], C,
                                nominal=True)
    assert upd[1, 0] == upd[3, 0] < 0 < upd[2, 0] == upd[4, 0]
    assert gain == pytest.approx(4 * 25.0)


def chain_candidates(na, nb):
    for first, side in itertools.product((0, 1), (0, 1)):
        for i in range(1, na):
            for j in range(1, nb):
                if first == 0:
                    leaves = ([(slice(0, i), slice(0, j)), (slice(0, i), slice(j, nb)), (slice(i, na), slice(0, nb))]
                              if side == 0 else
                              [(slice(i, na), slice(0, j)), (slice(i, na), slice(j, nb)), (slice(0, i), slice(0, nb))])
                else:
                    leaves = ([(slice(0, i), slice(0, j)), (slice(i, na), slice(0, j)), (slice(0, na), slice(j, nb))]
                              if side == 0 else
                              [(slice(0, i), slice(j, nb)), (slice(i, na), slice(j, nb)), (slice(0, na), slice(0, j))])
                yield leaves


@pytest.mark.parametrize("seed", range(6))
def test_split_2d_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    na, nb = int(rng.integers(3, 9)), int(rng.integers(3, 9))
    G = rng.normal(size=(na, nb))
    H = rng.random((na, nb)) + 0.1
    C = rng.integers(1, 5, size=(na, nb)).astype(float)
    msl = 3
    parent = score(G.sum(), H.sum())
    best = -np.inf
    for leaves in chain_candidates(na, nb):
        if any(C[a, b].sum() < msl for a, b in leaves):
            continue
        best = max(best, sum(score(G[a, b].sum(), H[a, b].sum()) for a, b in leaves) - parent)
    upd, gain = split_2d_update(dict(PARAMS, min_samples_leaf=msl), G[:, :, None].copy(), H[:, :, None].copy(), C)
    assert gain == pytest.approx(best, abs=1e-9)
    assert len(np.unique(upd)) <= 3
    # the update's values are -G/H of its leaves: the gain recomputed from them matches
    vals = np.unique(upd[:, :, 0])
    recomputed = -parent
    for v in vals:
        m = upd[:, :, 0] == v
        recomputed += score(G[m].sum(), H[m].sum())
    assert recomputed == pytest.approx(gain, abs=1e-9)


def test_split_2d_multiclass_matches_brute_force():
    rng = np.random.default_rng(3)
    na, nb, K = 4, 5, 3
    G = rng.normal(size=(na, nb, K))
    H = rng.random((na, nb, K)) + 0.1
    C = np.full((na, nb), 5.0)
    parent = sum(score(G[..., k].sum(), H[..., k].sum()) for k in range(K))
    best = -np.inf
    for leaves in chain_candidates(na, nb):
        g = sum(score(G[a, b, k].sum(), H[a, b, k].sum()) for a, b in leaves for k in range(K)) - parent
        best = max(best, g)
    _, gain = split_2d_update(dict(PARAMS, n_scores=K), G, H, C)
    assert gain == pytest.approx(best, abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_fast_strength_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    na, nb = 6, 7
    G = rng.normal(size=(na, nb))
    H = rng.random((na, nb)) + 0.1
    C = rng.integers(1, 4, size=(na, nb)).astype(float)
    parent = score(G.sum(), H.sum())
    best = 0.0
    for i in range(1, na):
        for j in range(1, nb):
            quads = [(slice(0, i), slice(0, j)), (slice(0, i), slice(j, nb)), (slice(i, na), slice(0, j)),
                     (slice(i, na), slice(j, nb))]
            if any(C[a, b].sum() < 2 for a, b in quads):
                continue
            best = max(best, sum(score(G[a, b].sum(), H[a, b].sum()) for a, b in quads) - parent)
    got = fast_pair_strength(dict(PARAMS, min_samples_leaf=2), G[:, :, None].copy(), H[:, :, None].copy(), C)
    assert got == pytest.approx(best, abs=1e-9)


def _bag_inputs(objective, n=600, seed=0):
    rng = np.random.default_rng(seed)
    codes = rng.integers(1, 9, size=(3, n)).astype(np.uint8)
    f = (codes[0] - 4.5) / 3 + (codes[1] > 4)
    if objective == "log_loss":
        y = (rng.random(n) < 1 / (1 + np.exp(-f))).astype(float)
        init = np.log(y.mean() / (1 - y.mean()))
    else:
        y = f + rng.normal(size=n) * 0.1
        init = y.mean()
    return codes, y, init


@pytest.mark.parametrize("objective", ["log_loss", "rmse"])
def test_one_cyclic_round_matches_numpy_twin(objective):
    """cyclic_progress=1, no greedy, no smoothing, one round: every term updated once in order."""
    codes, y, init = _bag_inputs(objective)
    n = codes.shape[1]
    params = dict(PARAMS, learning_rate=0.5, objective=objective, gain_scale=1.0, greedy_ratio=0.0,
                  cyclic_progress=1.0, smoothing_rounds=0, max_rounds=1, early_stopping_rounds=0,
                  early_stopping_tolerance=0.0, max_leaves=2)
    # a single term: the random cyclic order cannot matter
    tf = np.array([[0, -1]], dtype=np.int32)
    nbins = np.full(3, 10, np.int32)
    zeros = np.zeros(3, np.int8)
    tensors, steps, _ = boost_bag(params, tf, nbins, zeros, zeros, codes, np.zeros((3, 0), np.uint8), y,
                                  np.ones(n), np.zeros(0), np.zeros(0), np.full((n, 1), init),
                                  np.zeros((0, 1)), 7)
    assert steps == 1
    s = np.full(n, init)
    if objective == "log_loss":
        p = 1 / (1 + np.exp(-s))
        g, h = p - y, p * (1 - p)
    else:
        g, h = s - y, np.ones(n)
    G = np.bincount(codes[0], weights=g, minlength=10)
    H = np.bincount(codes[0], weights=h, minlength=10)
    C = np.bincount(codes[0], minlength=10).astype(float)
    expected, _ = split_1d_update(dict(PARAMS, learning_rate=0.5), G[:, None], H[:, None], C)
    np.testing.assert_allclose(tensors[0], expected[:, 0], rtol=1e-10, atol=1e-12)


def test_boost_bag_is_deterministic_and_improves():
    codes, y, init = _bag_inputs("log_loss", n=2000, seed=1)
    n = 1500
    params = dict(PARAMS, learning_rate=0.1, min_samples_leaf=4, objective="log_loss", gain_scale=5.0,
                  greedy_ratio=2.0, cyclic_progress=0.0, smoothing_rounds=3, max_rounds=200,
                  early_stopping_rounds=20, early_stopping_tolerance=1e-5)
    tf = np.array([[0, -1], [1, -1], [2, -1]], dtype=np.int32)
    nbins = np.full(3, 10, np.int32)
    zeros = np.zeros(3, np.int8)
    args = (params, tf, nbins, zeros, zeros, np.ascontiguousarray(codes[:, :n]),
            np.ascontiguousarray(codes[:, n:]), y[:n], np.ones(n), y[n:], np.ones(2000 - n))
    r1 = boost_bag(*args, np.full((n, 1), init), np.full((2000 - n, 1), init), 11)
    r2 = boost_bag(*args, np.full((n, 1), init), np.full((2000 - n, 1), init), 11)
    for a, b in zip(r1[0], r2[0]):
        assert np.array_equal(a, b)
    assert r1[1:] == r2[1:]
    # the validation log loss of the returned model beats the constant model's
    p0 = 1 / (1 + np.exp(-init))
    yv = y[n:]
    base = -np.mean(yv * np.log(p0) + (1 - yv) * np.log(1 - p0))
    assert r1[2] < base
    # and it is the log loss of the returned tensors on the validation rows
    s = init + sum(t[codes[k, n:]] for k, t in enumerate(r1[0]))
    p = 1 / (1 + np.exp(-s))
    assert r1[2] == pytest.approx(-np.mean(yv * np.log(p) + (1 - yv) * np.log(1 - p)), rel=1e-9)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from glassbox.gam._postprocess import coarse_cell_map  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(n_cuts=st.integers(0, 60), max_cells=st.integers(3, 20), seed=st.integers(0, 1000))
def test_coarse_cell_map_agrees_with_binning_on_pair_cuts(n_cuts, max_cells, seed):
    rng = np.random.default_rng(seed)
    cuts = np.unique(rng.normal(size=n_cuts))
    counts = rng.integers(0, 50, size=len(cuts) + 3).astype(float)
    pair_cuts, cell_map = coarse_cell_map(cuts, counts, max_cells)
    assert len(pair_cuts) <= max(0, max_cells - 3) or len(cuts) + 1 <= max_cells - 2
    assert np.isin(pair_cuts, cuts).all() and np.all(np.diff(pair_cuts) > 0)
    x = np.concatenate([rng.normal(size=200) * 2, cuts])
    main_cell = 1 + np.searchsorted(cuts, x, side="right")
    assert np.array_equal(cell_map[main_cell], 1 + np.searchsorted(pair_cuts, x, side="right"))
    assert cell_map[0] == 0 and cell_map[-1] == len(pair_cuts) + 2


from glassbox.gam._postprocess import refit_intercept  # noqa: E402


@pytest.mark.parametrize("core,K", [("log_loss", 1), ("multiclass", 3), ("multiclass", 5), ("poisson_deviance", 1)])
def test_refit_intercept_zeroes_the_training_gradient(core, K):
    rng = np.random.default_rng(K)
    n = 400
    scores = rng.normal(size=(n, K))
    w = rng.uniform(0.5, 2.0, size=n)
    if core == "multiclass":
        y = rng.integers(0, K, size=n).astype(float)
    elif core == "log_loss":
        y = (rng.random(n) < 0.3).astype(float)
    else:
        y = rng.poisson(2.0, size=n).astype(float)
    delta = refit_intercept(core, 0.0, y, w, scores)
    s = scores + delta
    if core == "multiclass":
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = (w[:, None] * (p - np.eye(K)[y.astype(int)])).sum(axis=0)
        assert delta[-1] == 0.0  # shift invariant: the last class's intercept is not moved
    elif core == "log_loss":
        grad = np.sum(w * (1 / (1 + np.exp(-s[:, 0])) - y))
    else:
        grad = np.sum(w * (np.exp(s[:, 0]) - y))
    np.testing.assert_allclose(grad, 0.0, atol=1e-9)
