"""Exact leaf Shapley values against brute-force coalition enumeration."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from glassbox.explain import DecisionLeaves, leaf_shapley_values

from gb_leaf_oracle import (
    SklearnLeafClassifier,
    SklearnLeafRegressor,
    brute_force_shapley,
    sklearn_tree_leaves,
)


def _check_against_brute_force(leaves, f, X, B, n_features, weights=None):
    phi, base = leaf_shapley_values(leaves, X, B, n_features, weights)
    w = np.full(len(B), 1 / len(B)) if weights is None else np.asarray(weights) / np.sum(weights)
    np.testing.assert_allclose(base, w @ f(B), rtol=0, atol=1e-12)
    for i, x in enumerate(X):
        expected = brute_force_shapley(f, x, B, leaves.feature_index, n_features, weights)
        np.testing.assert_allclose(phi[i], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(base + phi.sum(axis=1), f(X), rtol=0, atol=1e-12)


def test_hand_built_tree_matches_brute_force():
    # x0 ? (x1 ? 1 : 2) : (x2 ? 3 : 5), written as an independent Python function too
    leaves = DecisionLeaves(
        [[(0, True), (1, True)], [(0, True), (1, False)], [(0, False), (2, True)], [(0, False), (2, False)]],
        np.array([[1.0], [2.0], [3.0], [5.0]]), np.full(4, 0.25), np.full(4, np.nan), np.array([0, 1, 2]),
    )

    def f(Xb):
        return np.where(Xb[:, 0] == 1, np.where(Xb[:, 1] == 1, 1.0, 2.0),
                        np.where(Xb[:, 2] == 1, 3.0, 5.0))[:, None]

    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, (8, 3), dtype=np.uint8)
    B = rng.integers(0, 2, (7, 3), dtype=np.uint8)
    _check_against_brute_force(leaves, f, X, B, 3)
    _check_against_brute_force(leaves, f, X, B, 3, weights=rng.uniform(0.1, 2.0, 7))


def test_rule_list_expanded_into_leaves_matches_brute_force():
    # IF c0 AND c1 THEN a ELSE IF c2 THEN b ELSE IF NOT c3 THEN c ELSE d; columns 0,1 read feature 0
    feature_index = np.array([0, 0, 1, 2])
    a, b, c, d = [0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8]
    leaves = DecisionLeaves(
        [
            [(0, True), (1, True)],
            [(0, False), (2, True)],
            [(0, True), (1, False), (2, True)],
            [(0, False), (2, False), (3, False)],
            [(0, True), (1, False), (2, False), (3, False)],
            [(0, False), (2, False), (3, True)],
            [(0, True), (1, False), (2, False), (3, True)],
        ],
        np.array([a, b, b, c, c, d, d]), np.full(7, 1 / 7), np.full(7, 0.5), feature_index,
    )

    def f(Xb):
        out = np.empty((len(Xb), 2))
        for i, r in enumerate(Xb):
            out[i] = a if r[0] and r[1] else b if r[2] else c if not r[3] else d
        return out

    rng = np.random.default_rng(1)
    X = rng.integers(0, 2, (10, 4), dtype=np.uint8)
    B = rng.integers(0, 2, (9, 4), dtype=np.uint8)
    _check_against_brute_force(leaves, f, X, B, 3)


def test_feature_without_literals_gets_zero_and_single_leaf_is_constant():
    leaves = DecisionLeaves([[]], np.array([[0.25, 0.75]]), [1.0], [0.75], np.array([0, 1]))
    X = np.array([[0, 1], [1, 0]], dtype=np.uint8)
    phi, base = leaf_shapley_values(leaves, X, X, n_features=4)
    assert phi.shape == (2, 4, 2)
    assert np.all(phi == 0)
    np.testing.assert_array_equal(base, [0.25, 0.75])


@pytest.mark.parametrize("n_classes", [2, 3, None])
def test_sklearn_tree_on_grouped_columns_matches_brute_force(n_classes):
    rng = np.random.default_rng(n_classes or 7)
    n_features = 4
    feature_index = np.array([0, 0, 0, 1, 1, 2, 3, 3])
    Xb = rng.integers(0, 2, (200, len(feature_index)), dtype=np.uint8)
    score = Xb[:, 0] + 2 * Xb[:, 3] - Xb[:, 5] + Xb[:, 6] * Xb[:, 1] + rng.normal(0, 0.5, 200)
    if n_classes:
        y = np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
        tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(Xb, y)
        f = tree.predict_proba
    else:
        tree = DecisionTreeRegressor(max_depth=4, random_state=0).fit(Xb, score)

        def f(Z):
            return tree.predict(Z)[:, None]
    leaves = sklearn_tree_leaves(tree, feature_index, n_classes)
    _check_against_brute_force(leaves, f, Xb[:6], Xb[100:130], n_features)
    _check_against_brute_force(leaves, f, Xb[6:9], Xb[130:140], n_features,
                               weights=rng.uniform(0.5, 3, 10))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), depth=st.integers(1, 4), n_features=st.integers(1, 5))
def test_random_trees_match_brute_force(seed, depth, n_features):
    rng = np.random.default_rng(seed)
    n_binary = rng.integers(n_features, 2 * n_features + 1)
    feature_index = np.sort(np.concatenate([np.arange(n_features),
                                            rng.integers(0, n_features, n_binary - n_features)]))
    Xb = rng.integers(0, 2, (60, n_binary), dtype=np.uint8)
    y = rng.integers(0, 3, 60)
    tree = DecisionTreeClassifier(max_depth=depth, random_state=seed % 1000).fit(Xb, y)
    leaves = sklearn_tree_leaves(tree, feature_index, len(tree.classes_))
    _check_against_brute_force(leaves, tree.predict_proba, Xb[:3], Xb[40:52], n_features)


def test_background_weight_validation():
    leaves = DecisionLeaves([[]], np.array([[1.0]]), [1.0], [np.nan], np.array([0]))
    X = np.zeros((2, 1), dtype=np.uint8)
    with pytest.raises(ValueError, match="background_weight"):
        leaf_shapley_values(leaves, X, X, 1, background_weight=[1.0, -1.0])
    with pytest.raises(ValueError, match="empty"):
        leaf_shapley_values(leaves, X, X[:0], 1)
    with pytest.raises(ValueError, match="binary columns"):
        leaf_shapley_values(leaves, X, np.zeros((2, 3)), 1)


def test_decision_leaves_validation_and_partition_check():
    with pytest.raises(ValueError, match="binary column 5"):
        DecisionLeaves([[(5, True)]], [[1.0]], [1.0], [1.0], np.array([0]))
    with pytest.raises(ValueError, match="values has"):
        DecisionLeaves([[], []], [[1.0]], [1.0, 0.0], [1.0, 1.0], np.array([0]))
    overlapping = DecisionLeaves([[(0, True)], []], [[1.0], [2.0]], [0.5, 0.5], [1, 1], np.array([0]))
    with pytest.raises(ValueError, match="do not partition"):
        overlapping.apply(np.array([[1]]))


def _mixed_data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "hours": rng.normal(40, 10, n),
        "color": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
    })
    X.loc[rng.random(n) < 0.1, "hours"] = np.nan
    score = (X["age"] > 40).astype(float) + (X["color"] == "red") + rng.normal(0, 0.3, n)
    return X, score


@pytest.mark.parametrize("cls", [SklearnLeafClassifier, SklearnLeafRegressor])
def test_local_explanation_sums_to_model_output_and_matches_brute_force(cls):
    X, score = _mixed_data()
    y = (score > 1).astype(int) if cls is SklearnLeafClassifier else score
    model = cls(max_depth=3).fit(X, y)
    exp = model.explain_local(X.iloc[:25], y.iloc[:25])
    out = model.predict_proba(X.iloc[:25]) if cls is SklearnLeafClassifier else model.predict(X.iloc[:25])
    np.testing.assert_allclose(exp.base_values + exp.values.sum(axis=1), out, rtol=0, atol=1e-12)
    Xb = model.binarizer_.transform(X.iloc[:3])
    if cls is SklearnLeafClassifier:
        f = model.tree_model_.predict_proba
    else:
        def f(Z):
            return model.tree_model_.predict(Z)[:, None]
    for i in range(3):
        expected = brute_force_shapley(f, Xb[i], model.background_, model.binarizer_.feature_index_, 3)
        got = exp.values[i] if exp.values.ndim == 3 else exp.values[i][:, None]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
