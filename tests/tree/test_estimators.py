"""OptimalSparseTreeClassifier / Regressor: fitted state, predictions, limits, sklearn API."""
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from glassbox.tree import OptimalSparseTreeClassifier, OptimalSparseTreeRegressor

from ._brute import brute_force_optimum


def _mixed(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "income": rng.normal(50, 15, n),
        "city": rng.choice(["north", "south", "east"], n),
    })
    X.loc[rng.random(n) < 0.1, "income"] = np.nan
    y = np.where((X["age"] > 40) & (X["city"] != "east"), "yes", "no")
    flip = rng.random(n) < 0.1
    y = np.where(flip, np.where(y == "yes", "no", "yes"), y)
    return X, y


def _binary(n=80, m=5, seed=0, n_classes=2):
    rng = np.random.default_rng(seed)
    X = (rng.random((n, m)) < 0.5).astype(np.uint8)
    y = np.where(rng.random(n) < 0.8, (X[:, 0] + X[:, 1]) % n_classes, rng.integers(0, n_classes, n))
    return X, y


def test_mixed_data_fit_predict_and_fitted_state():
    X, y = _mixed()
    m = OptimalSparseTreeClassifier(regularization=0.01, max_depth=3, random_state=0).fit(X, y)
    assert list(m.classes_) == ["no", "yes"]
    assert m.n_features_in_ == 3 and list(m.feature_names_in_) == ["age", "income", "city"]
    assert m.optimality_gap_ == 0.0 and m.lower_bound_ == m.objective_
    assert m.depth_ <= 3 and m.n_leaves_ == int((m.tree_["feature"] < 0).sum())
    proba = m.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(m.predict(X)) <= {"no", "yes"}
    # objective recomputed by hand from predictions
    err = np.mean(m.predict(X) != y)
    assert m.objective_ == pytest.approx(err + 0.01 * m.n_leaves_, abs=1e-12)
    assert m.objective_ == pytest.approx(m.search_stats_["search_objective"], abs=1e-9)
    assert m.background_.dtype == np.uint8 and m.background_.shape == (100, len(m.binarizer_.conditions_))


def test_binary_input_is_used_as_is_and_matches_brute_force():
    X, y = _binary(n_classes=3)
    for depth in (1, 2, 3):
        m = OptimalSparseTreeClassifier(regularization=0.02, max_depth=depth).fit(X, y)
        assert m.binarizer_.passthrough_
        expected = brute_force_optimum(X, y, np.ones(len(y)), task="classification",
                                       regularization=0.02, max_depth=depth, n_classes=3)
        assert m.objective_ == pytest.approx(expected, abs=1e-12)


def test_regressor_objective_is_mse_over_variance():
    rng = np.random.default_rng(1)
    X = (rng.random((60, 4)) < 0.5).astype(np.uint8)
    y = 3.0 * X[:, 0] + X[:, 1] + rng.normal(0, 0.3, 60)
    w = rng.uniform(0.5, 2.0, 60)
    m = OptimalSparseTreeRegressor(regularization=0.01, max_depth=2).fit(X, y, sample_weight=w)
    pred = m.predict(X)
    mean = np.average(y, weights=w)
    mse_over_var = np.average((y - pred) ** 2, weights=w) / np.average((y - mean) ** 2, weights=w)
    assert m.objective_ == pytest.approx(mse_over_var + 0.01 * m.n_leaves_, abs=1e-12)
    expected = brute_force_optimum(X, y, w, task="regression", regularization=0.01, max_depth=2)
    assert m.objective_ == pytest.approx(expected, abs=1e-12)
    # scale invariance: the same tree for y * 1000
    m2 = OptimalSparseTreeRegressor(regularization=0.01, max_depth=2).fit(X, 1000 * y, sample_weight=w)
    assert m2.objective_ == pytest.approx(m.objective_, abs=1e-9)


def test_apply_decision_path_and_leaf_values():
    X, y = _binary(seed=3)
    m = OptimalSparseTreeClassifier(regularization=0.005, max_depth=3).fit(X, y)
    leaves = m.apply(X)
    assert (m.tree_["feature"][leaves] == -1).all()
    path = m.decision_path(X).toarray()
    assert (path[:, 0] == 1).all()
    assert (path[np.arange(len(X)), leaves] == 1).all()
    assert (path.sum(axis=1) == m.tree_["depth"][leaves] + 1).all()
    for leaf in np.unique(leaves):
        freq = np.bincount(y[leaves == leaf], minlength=2) / (leaves == leaf).sum()
        np.testing.assert_allclose(m.tree_["value"][leaf], freq)
    dl = m._decision_leaves()
    assert dl.n_leaves == m.n_leaves_
    np.testing.assert_allclose(dl.support.sum(), 1.0)


def test_sample_weight_matches_repeated_rows():
    X, y = _binary(seed=5)
    w = np.random.default_rng(0).integers(1, 4, len(y))
    a = OptimalSparseTreeClassifier(regularization=0.01, max_depth=3).fit(X, y, sample_weight=w)
    rep = np.repeat(np.arange(len(y)), w)
    b = OptimalSparseTreeClassifier(regularization=0.01, max_depth=3).fit(X[rep], y[rep])
    assert a.objective_ == pytest.approx(b.objective_, abs=1e-12)


def test_min_samples_leaf():
    X, y = _binary(seed=2)
    m = OptimalSparseTreeClassifier(regularization=0.0, max_depth=3, min_samples_leaf=10).fit(X, y)
    assert (m.tree_["n_samples"][m.tree_["feature"] < 0] >= 10).all()


def test_time_limit_returns_tree_with_gap_and_warning():
    rng = np.random.default_rng(7)
    X = (rng.random((3000, 60)) < 0.5).astype(np.uint8)
    y = (X[:, :6].sum(axis=1) + rng.integers(0, 3, 3000)) % 2
    m = OptimalSparseTreeClassifier(regularization=0.0005, max_depth=None, time_limit=0.2)
    with pytest.warns(ConvergenceWarning, match="time_limit"):
        m.fit(X, y)
    assert m.search_stats_["status"] == "time_limit"
    assert 0 < m.lower_bound_ <= m.objective_
    assert m.optimality_gap_ == pytest.approx(m.objective_ - m.lower_bound_)
    assert m.optimality_gap_ > 0


def test_deterministic_and_pickle_clone():
    X, y = _mixed(seed=4)
    a = OptimalSparseTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    b = OptimalSparseTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.tree_, b.tree_)
    np.testing.assert_array_equal(a.background_, b.background_)
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(c.predict_proba(X), a.predict_proba(X))
    d = clone(a)
    assert d.get_params() == a.get_params() and not hasattr(d, "tree_")


def test_grid_search():
    X, y = _mixed(seed=6)
    gs = GridSearchCV(OptimalSparseTreeClassifier(random_state=0, n_estimators=10),
                      {"regularization": [0.01, 0.05], "max_depth": [1, 2]}, cv=3).fit(X, y)
    assert gs.best_params_["max_depth"] in (1, 2)


def test_explanations_are_exact():
    X, y = _mixed(seed=8)
    m = OptimalSparseTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    g = m.explain_global()
    assert g is not None
    loc = m.explain_local(X.iloc[:5])
    np.testing.assert_allclose(loc.base_values + loc.values.sum(axis=1), m.predict_proba(X.iloc[:5]),
                               atol=1e-9)


@pytest.mark.parametrize("params,err,match", [
    ({"regularization": -0.1}, ValueError, "regularization"),
    ({"regularization": "a"}, TypeError, "regularization"),
    ({"max_depth": -1}, ValueError, "max_depth"),
    ({"max_depth": 2.5}, TypeError, "max_depth"),
    ({"min_samples_leaf": 0}, ValueError, "min_samples_leaf"),
    ({"time_limit": 0}, ValueError, "time_limit"),
    ({"max_cache_mb": -5}, ValueError, "max_cache_mb"),
    ({"max_depth": None, "regularization": 0.0}, ValueError, "regularization"),
    ({"thresholds": "bogus"}, ValueError, "thresholds"),
])
def test_bad_parameters(params, err, match):
    X, y = _mixed(n=50)
    with pytest.raises(err, match=match):
        OptimalSparseTreeClassifier(**params).fit(X, y)


def test_bad_input():
    X, y = _mixed(n=50)
    m = OptimalSparseTreeClassifier(max_depth=2)
    with pytest.raises(ValueError):
        m.fit(X, y[:-1])
    Xi = X.copy()
    Xi.loc[0, "income"] = np.inf
    with pytest.raises(ValueError, match="income"):
        m.fit(Xi, y)
    with pytest.raises(ValueError, match="constant"):
        OptimalSparseTreeRegressor().fit(X, np.ones(len(X)))
    m.fit(X, y)
    with pytest.raises(ValueError):
        m.predict(X.iloc[:, :2])


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float64, bool])
def test_binary_input_dtypes_and_label_types_give_the_same_tree(dtype):
    X, y = _binary(n=120, seed=7, n_classes=3)
    ref = OptimalSparseTreeClassifier(regularization=0.01, max_depth=3).fit(X, y)
    labels = np.array(["a", "b", "c"])
    for yy in (y.astype(np.int8), y + 10 ** 12, labels[y], pd.Series(y.astype(np.uint16))):
        df = pd.DataFrame(X.astype(dtype), columns=list("abcde"))
        m = OptimalSparseTreeClassifier(regularization=0.01, max_depth=3).fit(df, yy)
        assert m.objective_ == ref.objective_
        assert np.array_equal(m.tree_, ref.tree_)
        assert np.array_equal(np.unique(np.asarray(yy)), m.classes_)
        assert np.array_equal(m.predict(df), m.classes_[ref.predict(X)])


def test_tree_values_with_zero_weight_rows():
    # rows of weight 0 are left out of the search but still counted in n_samples
    X, y = _binary(n=100, seed=8)
    w = np.ones(len(y))
    w[::7] = 0.0
    m = OptimalSparseTreeClassifier(regularization=0.01, max_depth=3).fit(X, y, sample_weight=w)
    leaf = m.apply(X)
    assert m.tree_["n_samples"][0] == len(y)
    for node in np.flatnonzero(m.tree_["feature"] < 0):
        rows = leaf == node
        assert m.tree_["n_samples"][node] == rows.sum()
        counts = np.bincount(y[rows], weights=w[rows], minlength=2)
        if counts.sum() > 0:
            assert np.allclose(m.tree_["value"][node], counts / counts.sum())
