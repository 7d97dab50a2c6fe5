"""End-to-end behaviour of ExplainableBoostingClassifier / Regressor (small, fast settings)."""
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from glassbox.gam import ExplainableBoostingClassifier, ExplainableBoostingRegressor

FAST = dict(outer_bags=2, max_rounds=60, smoothing_rounds=5, interaction_smoothing_rounds=5,
            early_stopping_rounds=10, n_jobs=1)


def additive_data(n=3000, seed=0, task="clf"):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "a": rng.uniform(-2, 2, n),
        "b": rng.uniform(0, 1, n),
        "c": rng.choice(["red", "green", "blue"], n),
        "d": rng.normal(size=n),
    })
    f = np.sin(X["a"] * 1.5) + 2 * (X["b"] > 0.5) + X["c"].map({"red": -1.0, "green": 0.0, "blue": 1.0})
    if task == "clf":
        y = (rng.random(n) < 1 / (1 + np.exp(-f))).astype(int)
    else:
        y = f + rng.normal(scale=0.2, size=n)
    return X, np.asarray(y), np.asarray(f)


@pytest.fixture(scope="module")
def clf_fit():
    X, y, _ = additive_data()
    return X, y, ExplainableBoostingClassifier(**FAST, interactions=2).fit(X, y)


def test_fitted_vocabulary(clf_fit):
    X, y, m = clf_fit
    assert m.term_features_[:4] == [(0,), (1,), (2,), (3,)]
    assert len(m.term_features_) == 6 and all(len(t) == 2 for t in m.term_features_[4:])
    assert m.term_names_[0] == "a" and " & " in m.term_names_[4]
    assert list(m.classes_) == [0, 1] and m.link_ == "logit"
    assert m.intercept_.shape == (1,) and m.bagged_intercept_.shape == (2,)
    assert m.feature_types_in_ == ["continuous", "continuous", "nominal", "continuous"]
    # tensors: missing cell first, unseen last; bins_ in interpret's format
    cuts = m.bins_[0][0]
    assert m.term_scores_[0].shape == (len(cuts) + 3,)
    assert isinstance(m.bins_[2][0], dict) and set(m.bins_[2][0]) == {"red", "green", "blue"}
    assert m.term_scores_[2].shape == (5,)
    for t, scores in enumerate(m.term_scores_):
        assert m.bagged_scores_[t].shape == (2,) + scores.shape
        assert m.standard_deviations_[t].shape == scores.shape
        assert m.bin_weights_[t].shape == scores.shape
        # centred on the training weights
        assert abs((scores * m.bin_weights_[t]).sum()) < 1e-8 * max(1.0, m.bin_weights_[t].sum())
    pair = m.term_features_[4]
    assert m.term_scores_[4].shape == tuple(len(m.bins_[f][-1]) + 3 if not isinstance(m.bins_[f][-1], dict)
                                            else len(m.bins_[f][-1]) + 2 for f in pair)
    assert m.term_importances().shape == (6,) and m.term_importances("min_max").min() >= 0


def test_exact_additivity(clf_fit):
    X, y, m = clf_fit
    terms = m.eval_terms(X)
    assert np.array_equal(terms.sum(axis=1) + m.intercept_, m.decision_function(X))
    proba = m.predict_proba(X)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-m.decision_function(X))), rtol=1e-12)
    assert np.array_equal(m.predict(X), m.classes_[(m.decision_function(X) > 0).astype(int)])


def _naive_cells(levels, col):
    """Cell of every value from the public ``bins_`` (cuts: missing 0, then one cell per interval
    closed on the left; categories: their index, unseen last)."""
    if isinstance(levels, dict):
        unseen = len(levels) + 1
        return np.array([0 if pd.isna(v) else levels.get(v, unseen) for v in col], dtype=np.int64)
    v = np.asarray(col, dtype=np.float64)
    return np.where(np.isnan(v), 0, 1 + np.searchsorted(np.asarray(levels), v, side="right"))


@pytest.mark.parametrize("max_bins", [40, 1024])  # uint8 and uint16 bin codes
@pytest.mark.parametrize("n_classes", [2, 3])
def test_eval_terms_equals_a_naive_lookup_of_bins_and_term_scores(max_bins, n_classes):
    X, _, f = additive_data(n=1200, seed=11)
    y = np.digitize(f, [-0.5, 1.0]) if n_classes == 3 else (f > 0.5).astype(int)
    X.loc[X.index[::7], "a"] = np.nan
    m = ExplainableBoostingClassifier(**FAST, max_bins=max_bins, max_interaction_bins=12,
                                      interactions=[("a", "c"), ("a", "d")]).fit(X, y)
    assert m._binner_main.bin_dtype_ == (np.uint8 if max_bins <= 256 else np.uint16)
    Xt, _, _ = additive_data(n=500, seed=12)
    Xt.loc[Xt.index[::5], "d"] = np.nan
    Xt.loc[Xt.index[::9], "c"] = "purple"  # unseen category
    terms = m.eval_terms(Xt)
    for t, feats in enumerate(m.term_features_):
        level = 0 if len(feats) == 1 else -1  # pairs use the last (pair) level
        cells = [_naive_cells(m.bins_[j][level], Xt[m.feature_names_in_[j]]) for j in feats]
        expected = m.term_scores_[t][tuple(cells)]
        np.testing.assert_array_equal(terms[:, t], expected)


def test_multiclass_additivity_and_pairs():
    X, _, f = additive_data(n=2400, seed=3)
    y = np.digitize(f, [-0.5, 1.0])  # 3 classes
    m = ExplainableBoostingClassifier(**FAST, interactions=2).fit(X, y)
    assert m.link_ == "mlogit" and m.intercept_.shape == (3,) and m.intercept_.max() == 0.0
    pair_terms = [t for t in m.term_features_ if len(t) == 2]
    assert len(pair_terms) == 2
    assert m.term_scores_[-1].ndim == 3 and m.term_scores_[-1].shape[-1] == 3
    terms = m.eval_terms(X)
    assert terms.shape == (len(X), len(m.term_features_), 3)
    assert np.array_equal(terms.sum(axis=1) + m.intercept_, m.decision_function(X))
    np.testing.assert_allclose(m.predict_proba(X).sum(axis=1), 1.0)
    assert (m.predict(X) == y).mean() > 0.7


def test_reproducible_across_n_jobs():
    X, y, _ = additive_data(n=1500, seed=1)
    a = ExplainableBoostingClassifier(**dict(FAST, n_jobs=1), interactions=1, random_state=5).fit(X, y)
    b = ExplainableBoostingClassifier(**dict(FAST, n_jobs=2), interactions=1, random_state=5).fit(X, y)
    assert a.term_features_ == b.term_features_
    for s, t in zip(a.term_scores_, b.term_scores_):
        assert np.array_equal(s, t)
    assert np.array_equal(a.intercept_, b.intercept_)
    c = ExplainableBoostingClassifier(**FAST, interactions=1, random_state=6).fit(X, y)
    assert not all(np.array_equal(s, t) for s, t in zip(a.term_scores_, c.term_scores_))


def test_bags_that_stop_early_hand_their_threads_to_the_others():
    """Two bags of two row blocks each, in threads: the bag that stops first leaves its thread to
    the other (share_threads), whose passes then run on two threads. Bit-identical to one thread,
    and the count of running bags is back to zero afterwards (the next fit gets every thread)."""
    X, y, _ = additive_data(n=160_000, seed=4)
    params = dict(outer_bags=2, max_rounds=200, smoothing_rounds=3, interactions=[(0, 1)],
                  interaction_smoothing_rounds=2, early_stopping_rounds=3, random_state=2)
    one = ExplainableBoostingClassifier(**params, n_jobs=1).fit(X, y)
    two = ExplainableBoostingClassifier(**params, n_jobs=2).fit(X, y)
    assert len(set(one.best_iteration_[0].tolist())) == 2  # the bags stop at different steps
    assert one.best_iteration_.tolist() == two.best_iteration_.tolist()
    for s, t in zip(one.term_scores_, two.term_scores_):
        assert np.array_equal(s, t)
    assert np.array_equal(one.intercept_, two.intercept_)
    assert two.fit(X, y).term_scores_[0].tolist() == one.term_scores_[0].tolist()


def test_bags_share_threads_only_when_they_run_in_threads():
    from joblib import parallel_config

    from glassbox._core._openmp import effective_n_threads
    from glassbox.gam._boosting import bag_threads

    total = effective_n_threads(4)
    assert bag_threads(4, 2) == (total, True)          # joblib threads: one pool for all bags
    assert bag_threads(4, 1) == (total, True)
    with parallel_config(backend="loky"):              # processes: a fixed share per bag
        assert bag_threads(4, 2) == (max(1, total // 2), False)
        assert bag_threads(4, 1) == (total, True)      # one bag runs in this process


@pytest.mark.parametrize("task, kw", [
    ("clf", {}),                                          # log loss, unit weights
    ("clf", {"weights": True}),                           # log loss, weighted
    ("multi", {}),                                        # softmax
    ("reg", {}),                                          # rmse (general loop)
    ("reg", {"objective": "poisson_deviance"}),           # stored gradients and hessians
])
def test_row_blocks_give_the_same_model_for_any_thread_count(task, kw):
    """A bag with more rows than one row block (65,536) runs its passes block by block, in
    parallel when threads are left over (one bag, n_jobs=2); the blocks are fixed and added up
    in order, so the model is bit-identical to the single-thread one, and still right."""
    kw = dict(kw)
    n = 100_000  # 85,000 training rows: two row blocks
    X, y, f = additive_data(n=n, seed=3, task="clf" if task == "multi" else task)
    if task == "multi":
        y = np.where(X["d"].to_numpy() > 1.0, 2, y)
    if kw.get("objective") == "poisson_deviance":
        y = np.random.default_rng(0).poisson(np.exp(0.3 * f))
    w = np.random.default_rng(1).integers(1, 4, n).astype(float) if kw.pop("weights", False) else None
    est = ExplainableBoostingRegressor if task == "reg" else ExplainableBoostingClassifier
    params = dict(outer_bags=1, max_rounds=15, smoothing_rounds=3, interactions=[(0, 1)],
                  interaction_smoothing_rounds=2, early_stopping_rounds=5, random_state=3, **kw)
    one = est(**params, n_jobs=1).fit(X, y, sample_weight=w)
    two = est(**params, n_jobs=2).fit(X, y, sample_weight=w)
    assert one.best_iteration_.tolist() == two.best_iteration_.tolist()
    for s, t in zip(one.term_scores_, two.term_scores_):
        assert np.array_equal(s, t)
    assert np.array_equal(one.intercept_, two.intercept_)
    # and the histograms added up over the blocks are right: the shape of "a" follows the truth
    if task != "multi":
        score = one.eval_terms(X)[:, 0]
        assert np.corrcoef(score, np.sin(X["a"].to_numpy() * 1.5))[0, 1] > 0.9


@pytest.mark.parametrize("task", ["clf", "reg", "multi"])
def test_inner_bags_average_bootstrap_updates(task):
    """inner_bags=k: every step's update is the mean of k updates fitted on bootstrap samples of
    the bag's rows. Reproducible for any n_jobs, a different model from inner_bags=0, as
    accurate on a known additive truth, and monotone constraints still hold."""
    X, y, f = additive_data(n=2500, seed=4, task="clf" if task == "multi" else task)
    if task == "multi":
        y = np.where(X["d"].to_numpy() > 1.0, 2, y)
    est = ExplainableBoostingRegressor if task == "reg" else ExplainableBoostingClassifier
    params = dict(FAST, interactions=1, random_state=2,
                  monotone_constraints=None if task == "multi" else [0, 1, 0, 0])
    a = est(**params, inner_bags=3).fit(X, y)
    b = est(**dict(params, n_jobs=2), inner_bags=3).fit(X, y)
    plain = est(**params).fit(X, y)
    for s, t in zip(a.term_scores_, b.term_scores_):
        assert np.array_equal(s, t)
    assert not all(np.array_equal(s, t) for s, t in zip(a.term_scores_, plain.term_scores_))
    if task != "multi":
        assert np.all(np.diff(a.term_scores_[1][1:-1]) >= -1e-12)  # monotone increasing in "b"
    if task == "reg":
        assert np.corrcoef(a.predict(X), f)[0, 1] > 0.97
        assert np.corrcoef(a.predict(X), f)[0, 1] == pytest.approx(np.corrcoef(plain.predict(X), f)[0, 1], abs=0.01)
    elif task == "clf":
        assert np.corrcoef(a.decision_function(X), f)[0, 1] > 0.9


@pytest.mark.parametrize("missing", ["separate", "low", "high", "gain"])
def test_missing_placement_while_boosting(missing):
    """interpret's `missing`: with an increasing constraint, "low" keeps the missing cell at or
    below the lowest values' score, "high" at or above the highest; "separate" lets it follow its
    own rows (here mostly positives, so far above the typical score); "gain" picks a side per step."""
    rng = np.random.default_rng(7)
    n = 4000
    x = rng.uniform(0, 1, n)
    y = (rng.random(n) < x).astype(int)
    miss = rng.random(n) < 0.15
    x[miss] = np.nan
    y[miss] = (rng.random(miss.sum()) < 0.95).astype(int)
    X = pd.DataFrame({"x": x, "z": rng.normal(size=n)})
    m = ExplainableBoostingClassifier(**dict(FAST, outer_bags=2, max_rounds=200), interactions=0, missing=missing,
                                      monotone_constraints=[1, 0], random_state=0).fit(X, y)
    s = m.term_scores_[0]
    inner = s[1:-1]
    assert np.all(np.diff(inner) >= -1e-12)
    if missing == "low":
        assert s[0] <= inner[0] + 1e-12
    elif missing == "high":
        assert s[0] >= inner[-1] - 1e-12
    elif missing == "separate":
        assert s[0] > np.median(inner) + 1.0
    else:
        other = ExplainableBoostingClassifier(**dict(FAST, outer_bags=2, max_rounds=200), interactions=0,
                                              monotone_constraints=[1, 0], random_state=0, missing="low").fit(X, y)
        assert not np.array_equal(other.term_scores_[0], s)
        assert s[0] > inner[0]  # the high side wins often enough to lift the missing cell


def test_callback_sees_every_step_and_can_stop_the_fit():
    X, y, _ = additive_data(n=1500, seed=8)
    calls = []

    def record(bag, n_steps, progress, metric):
        calls.append((bag, n_steps, progress, metric))
        return False

    m = ExplainableBoostingClassifier(**FAST, interactions=1, callback=record).fit(X, y)
    for bag in range(FAST["outer_bags"]):
        mine = [c for c in calls if c[0] == bag]
        steps = [c[1] for c in mine]
        # one non-decreasing run per stage (mains, then pairs), ending at the stage's step count
        restart = [i for i in range(1, len(steps)) if steps[i] < steps[i - 1]]
        assert len(restart) == 1
        runs = [steps[:restart[0]], steps[restart[0]:]]
        for stage, run in enumerate(runs):
            assert run == sorted(run) and run[-1] == m.best_iteration_[stage, bag]
        assert all(np.isfinite(c[3]) == c[2] for c in mine)  # a metric exactly for applied steps
    # the whole fit is reported: both stages of both bags
    assert len(calls) >= m.best_iteration_.sum()

    def stop_early(bag, n_steps, progress, metric):
        return n_steps >= 7

    s = ExplainableBoostingClassifier(**dict(FAST, n_jobs=2), interactions=1, callback=stop_early).fit(X, y)
    assert s.best_iteration_.shape[0] == 1          # no pairs stage after a stop
    assert s.best_iteration_.max() <= 8
    assert all(len(f) == 1 for f in s.term_features_)

    def broken(bag, n_steps, progress, metric):
        raise RuntimeError("callback failed")

    with pytest.raises(RuntimeError, match="callback failed"):
        ExplainableBoostingClassifier(**FAST, callback=broken).fit(X, y)
    with pytest.raises(TypeError, match="callback"):
        ExplainableBoostingClassifier(**FAST, callback=3).fit(X, y)


def test_recovers_known_additive_truth():
    X, y, f = additive_data(n=6000, seed=2, task="reg")
    m = ExplainableBoostingRegressor(outer_bags=2, interactions=0, n_jobs=1, learning_rate=0.1,
                                     smoothing_rounds=20).fit(X, y)
    pred = m.predict(X)
    assert np.corrcoef(pred, f)[0, 1] > 0.98
    # the nominal shape: blue - red = 2, green in the middle
    cats = m.bins_[2][0]
    s = m.term_scores_[2]
    assert s[cats["blue"]] - s[cats["red"]] == pytest.approx(2.0, abs=0.15)
    assert s[cats["red"]] < s[cats["green"]] < s[cats["blue"]]
    # the step in b at 0.5
    cuts = m.bins_[1][0]
    sb = m.term_scores_[1]
    lo = sb[1 + np.searchsorted(cuts, 0.25, side="right")]
    hi = sb[1 + np.searchsorted(cuts, 0.75, side="right")]
    assert hi - lo == pytest.approx(2.0, abs=0.2)
    # d is noise
    assert m.term_importances()[3] < 0.05


def test_finds_the_true_pair():
    rng = np.random.default_rng(0)
    n = 5000
    X = pd.DataFrame(rng.random((n, 4)), columns=list("pqrs"))
    f = 3 * ((X.p > 0.5) ^ (X.q > 0.5)) + X.r
    y = (rng.random(n) < 1 / (1 + np.exp(-(f - 2)))).astype(int)
    m = ExplainableBoostingClassifier(**FAST, interactions=1).fit(X, y)
    assert m.term_features_[-1] == (0, 1)
    # explicit pairs are taken as given (names or indices)
    m2 = ExplainableBoostingClassifier(**FAST, interactions=[("r", "s"), (0, 1)]).fit(X, y)
    assert m2.term_features_[-2:] == [(2, 3), (0, 1)]


def test_missing_and_unseen():
    X, y, _ = additive_data(n=2000, seed=4)
    X = X.copy()
    X.loc[::7, "a"] = np.nan
    m = ExplainableBoostingClassifier(**FAST, interactions=0).fit(X, y)
    assert m.bin_weights_[0][0] == (X["a"].isna()).sum()
    assert m.term_scores_[0][0] != 0.0  # missing bin modelled
    # d never missing in training: missing d scores exactly 0, as does an unseen category
    Xt = X.iloc[:5].copy()
    Xt["d"] = np.nan
    Xt["c"] = ["purple"] * 5
    terms = m.eval_terms(Xt)
    assert np.all(terms[:, 3] == 0.0) and np.all(terms[:, 2] == 0.0)
    assert m.term_scores_[2][-1] == 0.0 and m.term_scores_[3][0] == 0.0


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), direction=st.sampled_from([1, -1]))
def test_monotone_constraints_hold(seed, direction):
    rng = np.random.default_rng(seed)
    n = 800
    X = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n)})
    # a wiggly, mostly opposite trend: the constraint has to bite
    f = -direction * X.x + np.sin(4 * X.x) + X.z
    y = f + rng.normal(scale=0.5, size=n)
    m = ExplainableBoostingRegressor(outer_bags=2, max_rounds=80, smoothing_rounds=10, interactions=0,
                                     max_leaves=3, n_jobs=1, random_state=seed,
                                     monotone_constraints=[direction, 0]).fit(X, y)
    shape = m.term_scores_[0][1:-1]  # value bins only (not missing, not unseen)
    assert np.all(direction * np.diff(shape) >= -1e-12)


def test_integer_weights_match_repeated_rows():
    X, y, _ = additive_data(n=600, seed=5, task="reg")
    w = np.random.default_rng(0).integers(1, 4, size=len(y))
    Xr, yr = X.loc[X.index.repeat(w)].reset_index(drop=True), np.repeat(y, w)
    params = dict(outer_bags=1, validation_size=0, max_rounds=30, smoothing_rounds=0, interactions=0,
                  n_jobs=1, min_samples_leaf=1, greedy_ratio=0.0)
    a = ExplainableBoostingRegressor(**params).fit(X, y, sample_weight=w)
    b = ExplainableBoostingRegressor(**params).fit(Xr, yr)
    # identical bins (weighted quantiles) are not guaranteed; compare predictions
    np.testing.assert_allclose(a.predict(X), b.predict(X), atol=0.05)


@pytest.mark.parametrize("objective,make_y", [
    ("rmse", lambda f, r: f + r.normal(size=len(f)) * 0.3),
    ("poisson_deviance", lambda f, r: r.poisson(np.exp(f / 2))),
    ("tweedie_deviance:variance_power=1.5", lambda f, r: r.poisson(np.exp(f / 2)) * r.gamma(2.0, 0.5, len(f))),
    ("gamma_deviance", lambda f, r: r.gamma(2.0, np.exp(f / 2) / 2.0)),
    ("quantile:alpha=0.8", lambda f, r: f + r.normal(size=len(f))),
])
def test_every_objective_beats_its_constant_baseline(objective, make_y):
    X, _, f = additive_data(n=2000, seed=6, task="reg")
    rng = np.random.default_rng(1)
    y = np.asarray(make_y(f, rng), dtype=float)
    if objective == "gamma_deviance":
        y = np.maximum(y, 1e-3)
    m = ExplainableBoostingRegressor(outer_bags=2, max_rounds=100, smoothing_rounds=5, interactions=0,
                                     n_jobs=1, learning_rate=0.1, objective=objective).fit(X, y)
    pred = m.predict(X)

    def loss(mu):
        if objective == "rmse":
            return np.mean((y - mu) ** 2)
        if objective.startswith("quantile"):
            d = y - mu
            return np.mean(np.where(d >= 0, 0.8 * d, -0.2 * d))
        if objective == "poisson_deviance":
            return np.mean(mu - y * np.log(mu))
        if objective == "gamma_deviance":
            return np.mean(y / mu + np.log(mu))
        p = 1.5
        return np.mean(-y * mu ** (1 - p) / (1 - p) + mu ** (2 - p) / (2 - p))

    const = np.quantile(y, 0.8) if objective.startswith("quantile") else y.mean()
    assert loss(pred) < loss(np.full_like(y, const)) - 1e-3
    expected_link = "identity" if objective in ("rmse",) or objective.startswith("quantile") else "log"
    assert m.link_ == expected_link


def test_bad_parameters_and_inputs():
    X, y, _ = additive_data(n=300, seed=7)
    with pytest.raises(ValueError, match="learning_rate"):
        ExplainableBoostingClassifier(learning_rate=-1).fit(X, y)
    with pytest.raises(ValueError, match="objective"):
        ExplainableBoostingRegressor(objective="poisson").fit(X, y)
    with pytest.raises(ValueError, match="variance_power"):
        ExplainableBoostingRegressor(objective="tweedie_deviance:variance_power=3").fit(X, y)
    with pytest.raises(ValueError, match="interactions"):
        ExplainableBoostingClassifier(interactions="lots").fit(X, y)
    with pytest.raises(ValueError, match="'zz'"):
        ExplainableBoostingClassifier(interactions=[("a", "zz")]).fit(X, y)
    with pytest.raises(ValueError, match="monotone_constraints"):
        ExplainableBoostingClassifier(monotone_constraints=[1, 0, 1, 0]).fit(X, y)  # c is nominal
    with pytest.raises(ValueError, match="inner_bags"):
        ExplainableBoostingClassifier(inner_bags=-1).fit(X, y)
    with pytest.raises(ValueError, match="multiclass"):
        ExplainableBoostingClassifier(monotone_constraints=[1, 0, 0, 0]).fit(X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match="gamma_deviance"):
        ExplainableBoostingRegressor(objective="gamma_deviance").fit(X, y - 1.0)
    Xinf = X.copy()
    Xinf.loc[0, "a"] = np.inf
    with pytest.raises(ValueError, match="a"):
        ExplainableBoostingClassifier(**FAST).fit(Xinf, y)
    m = ExplainableBoostingClassifier(**FAST, interactions=0).fit(X, y)
    with pytest.raises(ValueError):
        m.predict(X.iloc[:, :3])


def test_pickle_clone_pipeline_gridsearch(clf_fit):
    X, y, m = clf_fit
    m2 = pickle.loads(pickle.dumps(m))
    assert np.array_equal(m2.decision_function(X), m.decision_function(X))
    c = clone(m)
    assert c.get_params() == m.get_params() and not hasattr(c, "term_scores_")
    pipe = make_pipeline(FunctionTransformer(lambda d: d), ExplainableBoostingClassifier(**FAST, interactions=0))
    assert pipe.fit(X, y).score(X, y) > 0.6
    gs = GridSearchCV(ExplainableBoostingClassifier(**FAST, interactions=0), {"max_leaves": [2, 3]}, cv=2)
    gs.fit(X.iloc[:1000], y[:1000])
    assert gs.best_params_["max_leaves"] in (2, 3)


def test_numpy_input_and_feature_names():
    X, y, _ = additive_data(n=800, seed=8)
    Xn = X[["a", "b", "d"]].to_numpy()
    m = ExplainableBoostingClassifier(**FAST, interactions=0, feature_names=["A", "B", "D"]).fit(Xn, y)
    assert m.term_names_ == ["A", "B", "D"] and not hasattr(m, "feature_names_in_")
    assert m.predict_proba(Xn).shape == (800, 2)


def test_explanations(clf_fit):
    X, y, m = clf_fit
    g = m.explain_global()
    assert len(g.term_names) == len(m.term_names_)
    loc = m.explain_local(X.iloc[:5], y[:5])
    np.testing.assert_allclose(loc.values.sum(axis=1) + loc.base_values, m.decision_function(X.iloc[:5]),
                               rtol=1e-12)


def test_mixed_pair_uses_pair_cuts_and_category_cells():
    X, y, _ = additive_data(n=1500, seed=9)
    m = ExplainableBoostingClassifier(**FAST, interactions=[("a", "c")], max_interaction_bins=10).fit(X, y)
    assert m.term_features_[-1] == (0, 2)
    assert len(m.bins_[0]) == 2 and len(m.bins_[0][1]) <= 7  # pair level: at most 10 cells
    assert len(m.bins_[2]) == 1  # nominal: one level shared by mains and pairs
    assert m.term_scores_[-1].shape == (len(m.bins_[0][1]) + 3, 5)
    terms = m.eval_terms(X)
    assert np.array_equal(terms.sum(axis=1) + m.intercept_, m.decision_function(X))
    Xt = X.iloc[:3].copy()
    Xt["c"] = "purple"
    assert np.all(m.eval_terms(Xt)[:, -1] == 0.0)  # unseen category: the pair's unseen cells are 0


def test_predict_cells_equal_the_binner(clf_fit):
    X, y, m = clf_fit
    Xt = X.copy()
    Xt.loc[::5, "a"] = np.nan
    Xt.loc[::7, "c"] = None
    Xt.loc[3, "c"] = "purple"
    Xt.loc[4, "b"] = m.bins_[1][0][3]  # a value equal to a cut goes to the upper cell
    assert np.array_equal(m._main_cells(Xt), m._binner_main.transform(Xt))


def test_predict_cells_equal_the_binner_for_category_dtypes():
    rng = np.random.default_rng(10)
    n = 600
    X = pd.DataFrame({"k": pd.Categorical(rng.choice(["x", "y", "z"], n)),
                      "o": pd.Categorical(rng.choice([1, 2, 3], n), ordered=True),
                      "v": rng.normal(size=n)})
    y = (X.v + (X.k == "x") > 0).astype(int).to_numpy()
    m = ExplainableBoostingClassifier(**FAST, interactions=0).fit(X, y)
    Xt = X.copy()
    Xt["k"] = pd.Categorical(["w"] * 3 + [None] * 3 + list(X.k.astype(str)[6:]))
    Xt["o"] = X.o.astype(object).where(np.arange(n) % 9 != 0, None)
    assert np.array_equal(m._main_cells(Xt), m._binner_main.transform(Xt))
    assert np.all(m.eval_terms(Xt)[:3, 0] == 0.0)  # unseen category "w"


def test_bags_run_on_a_user_configured_joblib_backend():
    """Bags go through joblib, so parallel_config(backend=...) (processes, Dask) is honoured
    and the fit is bit-identical to the threaded one."""
    import joblib

    rng = np.random.default_rng(7)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.choice(["x", "y"], 400)})
    y = ((X.a > 0) ^ (X.b == "x")).astype(int)
    kw = dict(outer_bags=3, max_rounds=60, interactions=1, random_state=1, n_jobs=2)
    threaded = ExplainableBoostingClassifier(**kw).fit(X, y)
    with joblib.parallel_config(backend="loky"):
        processes = ExplainableBoostingClassifier(**kw).fit(X, y)
    assert threaded.term_names_ == processes.term_names_
    for s, t in zip(threaded.term_scores_, processes.term_scores_):
        assert np.array_equal(s, t)
