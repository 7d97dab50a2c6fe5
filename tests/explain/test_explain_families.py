"""Every glassbox family explained: exact additivity, shape tables, exact Shapley values.

On Adult (official split) and on hypothesis-generated mixed data.
"""
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassbox import (
    ExplainableBoostingClassifier,
    ExplainableBoostingRegressor,
    OptimalRuleListClassifier,
    OptimalSparseTreeClassifier,
    OptimalSparseTreeRegressor,
)
from glassbox.datasets import load_adult
from glassbox.rules._rule_list import first_rule
from glassbox.tree._structure import route

from gb_leaf_oracle import brute_force_shapley

EBM_FAST = dict(outer_bags=2, max_rounds=150, early_stopping_rounds=20, interactions=2, random_state=0)


@pytest.fixture(scope="module")
def adult():
    X, y = load_adult()
    Xt, yt = load_adult(split="test")
    return X.iloc[:2500], y.iloc[:2500], Xt.iloc[:1500], yt.iloc[:1500]


@pytest.fixture(scope="module")
def ebm(adult):
    X, y, _, _ = adult
    return ExplainableBoostingClassifier(**EBM_FAST).fit(X, y)


def test_ebm_local_sums_to_decision_function(ebm, adult):
    _, _, Xt, yt = adult
    exp = ebm.explain_local(Xt, yt)
    assert exp.output == "log_odds" and exp.values.shape == (len(Xt), len(ebm.term_names_))
    np.testing.assert_allclose(exp.outputs, ebm.decision_function(Xt), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(exp.values, ebm.eval_terms(Xt))
    np.testing.assert_allclose(exp.probabilities, ebm.predict_proba(Xt))


def test_ebm_global_shapes_are_the_fitted_tables(ebm):
    exp = ebm.explain_global()
    assert exp.term_names == list(ebm.term_names_)
    assert any(s.is_pair for s in exp.shapes), "interactions=2 fits pairs"
    for t, shape in enumerate(exp.shapes):
        np.testing.assert_array_equal(shape.scores, ebm.term_scores_[t])
        np.testing.assert_array_equal(shape.density, ebm.bin_weights_[t])
        np.testing.assert_allclose(shape.upper - shape.scores, ebm.standard_deviations_[t])
        for axis, f in enumerate(shape.features):
            assert shape.labels[axis][0] == "missing" and shape.labels[axis][-1] == "unseen"
            assert len(shape.labels[axis]) == shape.scores.shape[axis]
            if shape.edges[axis] is not None:
                cuts = ebm.bins_[f][min(len(ebm.bins_[f]), len(shape.features)) - 1]
                np.testing.assert_array_equal(shape.edges[axis][1:-1], cuts)
                assert len(shape.edges[axis]) == shape.scores.shape[axis] - 1  # n+1 edges, n value bins
    np.testing.assert_allclose(exp.term_importances, ebm.term_importances())
    np.testing.assert_allclose(exp.base_values, np.asarray(ebm.intercept_).reshape(()))
    frame = exp.to_frame()
    age = frame[frame["term"] == "age"]
    np.testing.assert_array_equal(age["score"], ebm.term_scores_[exp.term_names.index("age")])
    # workclass and occupation have missing values in Adult: their missing bins carry weight
    wc = exp.shape("workclass")
    assert wc.labels[0][0] == "missing" and wc.density[0] > 0


def test_ebm_multiclass_and_regressors(adult):
    X, _, Xt, _ = adult
    y3 = pd.cut(X["age"], [0, 30, 45, 200], labels=["young", "mid", "old"]).astype(str)
    Xa = X.drop(columns="age")
    m3 = ExplainableBoostingClassifier(**EBM_FAST).fit(Xa, y3)
    exp = m3.explain_local(Xt.drop(columns="age"))
    assert exp.values.shape[2] == 3 and exp.output_names == list(map(str, m3.classes_))
    np.testing.assert_allclose(exp.outputs, m3.decision_function(Xt.drop(columns="age")), atol=1e-10)
    glob = m3.explain_global()
    for t, shape in enumerate(glob.shapes):
        np.testing.assert_array_equal(shape.scores, m3.term_scores_[t])
        assert shape.scores.shape[-1] == 3
    for objective, inverse in (("rmse", lambda s: s), ("poisson_deviance", np.exp)):
        reg = ExplainableBoostingRegressor(objective=objective, **EBM_FAST).fit(Xa, X["age"])
        exp = reg.explain_local(Xt.drop(columns="age"))
        assert exp.output == "score"
        np.testing.assert_allclose(inverse(exp.outputs), reg.predict(Xt.drop(columns="age")),
                                   rtol=1e-10, atol=1e-9)


def _tree_oracle(model):
    columns = model.tree_["feature"][model.tree_["feature"] >= 0]
    return (lambda Zb: model.tree_["value"][route(model.tree_, Zb)]), columns


def _rules_oracle(model):
    columns = [k for conj in model.rule_conjunctions_ for k, _ in conj]
    return (lambda Zb: model.rule_value_[first_rule(Zb, model.rule_conjunctions_)]), columns


@pytest.fixture(scope="module")
def leaf_models(adult):
    X, y, _, _ = adult
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = OptimalSparseTreeClassifier(max_depth=3, regularization=0.005, random_state=0).fit(X, y)
        rules = OptimalRuleListClassifier(regularization=0.01, max_card=2, random_state=0,
                                          time_limit=30).fit(X, y)
    return {"tree": (tree, *_tree_oracle(tree)), "rules": (rules, *_rules_oracle(rules))}


@pytest.mark.parametrize("family", ["tree", "rules"])
def test_leaf_families_exact_shapley_on_adult(leaf_models, adult, family):
    model, oracle, columns = leaf_models[family]
    _, _, Xt, yt = adult
    exp = model.explain_local(Xt, yt)
    np.testing.assert_allclose(exp.outputs, model.predict_proba(Xt), rtol=0, atol=1e-12)
    Xb = model._binarize(Xt.iloc[:4])
    players = {int(model.binarizer_.feature_index_[k]) for k in columns}
    unused = [j for j in range(Xt.shape[1]) if j not in players]
    assert np.all(exp.values[:, unused] == 0)
    for i in range(4):
        expected = brute_force_shapley(oracle, Xb[i], model.background_,
                                       model.binarizer_.feature_index_, Xt.shape[1], players=players)
        np.testing.assert_allclose(exp.values[i], expected, rtol=0, atol=1e-12)
    glob = model.explain_global()
    assert glob.facts["optimality_gap"] == model.optimality_gap_
    assert glob.facts["objective"] == model.objective_
    if family == "rules":
        assert len(glob.rules) == len(model.rules_) and glob.rules[-1].is_default
        assert [r.conditions for r in glob.rules] == [tuple(r["conditions"]) for r in model.rules_]
        np.testing.assert_array_equal(exp.fired_rule, model.apply(Xt))
    else:
        assert len(glob.tree) == len(model.tree_)
        assert len(glob.rules) == model.n_leaves_
        np.testing.assert_allclose([n.support for n in glob.tree], model.tree_["support"], atol=1e-12)


def test_tree_regressor_local_sums_to_predict(adult):
    X, _, Xt, _ = adult
    reg = OptimalSparseTreeRegressor(max_depth=3, regularization=0.01, random_state=0)
    reg.fit(X.drop(columns="hours-per-week"), X["hours-per-week"])
    exp = reg.explain_local(Xt.drop(columns="hours-per-week"))
    assert exp.values.ndim == 2
    np.testing.assert_allclose(exp.outputs, reg.predict(Xt.drop(columns="hours-per-week")),
                               rtol=1e-12, atol=1e-10)


@st.composite
def mixed_frames(draw):
    n = draw(st.integers(30, 80))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "num": rng.normal(size=n),
        "int": rng.integers(0, 5, n).astype(float),
        "cat": rng.choice(["a", "b", "c"], n),
    })
    X.loc[rng.random(n) < draw(st.floats(0, 0.3)), "num"] = np.nan
    X.loc[rng.random(n) < 0.1, "cat"] = None
    logit = np.nan_to_num(X["num"].to_numpy()) + (X["cat"] == "a") - 0.3 * X["int"]
    y = (logit + rng.normal(0, 0.7, n) > 0).astype(int)
    if y.min() == y.max():
        y[:2] = [0, 1]
    return X, y, rng.normal(size=n)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mixed_frames())
def test_additivity_on_generated_data_for_every_family(data):
    X, y, target = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = [
            (ExplainableBoostingClassifier(outer_bags=1, max_rounds=30, interactions=1,
                                           random_state=0).fit(X, y), "decision_function"),
            (ExplainableBoostingRegressor(outer_bags=1, max_rounds=30, interactions=0,
                                          random_state=0).fit(X, target), "predict"),
            (OptimalSparseTreeClassifier(max_depth=2, random_state=0).fit(X, y), "predict_proba"),
            (OptimalSparseTreeRegressor(max_depth=2, random_state=0).fit(X, target), "predict"),
            (OptimalRuleListClassifier(max_card=1, random_state=0, time_limit=10).fit(X, y),
             "predict_proba"),
        ]
    for model, method in models:
        exp = model.explain_local(X)
        np.testing.assert_allclose(exp.outputs, getattr(model, method)(X), rtol=1e-12, atol=1e-10,
                                   err_msg=type(model).__name__)
