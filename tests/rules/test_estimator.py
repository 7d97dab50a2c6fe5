"""OptimalRuleListClassifier: anytime limits, certificate, determinism, errors, API contracts."""
import pickle
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from glassbox.explain import DecisionLeaves
from glassbox.rules import OptimalRuleListClassifier
from glassbox.rules._rule_list import objective, rule_list_leaves


def hard_problem(seed=0, n=3000, p=14):
    """Noisy binary data where small regularization needs a long search."""
    rng = np.random.default_rng(seed)
    Xb = (rng.random((n, p)) < rng.uniform(0.2, 0.8, p)).astype(np.uint8)
    score = Xb @ rng.normal(size=p) + (Xb[:, 0] & Xb[:, 1]) * 1.5 + rng.normal(size=n)
    y = (score > np.median(score)).astype(int)
    return Xb, y


def easy_problem(seed=0, n=400, n_classes=2):
    rng = np.random.default_rng(seed)
    Xb = (rng.random((n, 6)) < 0.5).astype(np.uint8)
    y = (Xb[:, 0] + Xb[:, 1] * (n_classes - 1) + (rng.random(n) < 0.1)) % n_classes
    return Xb, y


def test_time_limit_returns_valid_list_and_gap():
    Xb, y = hard_problem()
    model = OptimalRuleListClassifier(regularization=0.001, time_limit=0.3)
    t0 = time.perf_counter()
    with pytest.warns(ConvergenceWarning, match="time_limit"):
        model.fit(Xb, y)
    elapsed = time.perf_counter() - t0
    assert elapsed < 0.3 + 2.0   # mining, setup and one node expansion past the limit
    assert model.search_stats_["status"] == "time_limit"
    assert 0 < model.optimality_gap_ == pytest.approx(model.objective_ - model.lower_bound_)
    assert model.lower_bound_ < model.objective_
    # the returned list is a real list whose objective is objective_
    assert objective(Xb, y, np.ones(len(y)), model.rule_conjunctions_, 0.001, 2) == \
        pytest.approx(model.objective_, abs=1e-12)


def test_time_limit_stops_the_mining_with_a_valid_bound():
    # 60 literals and max_card=5: millions of conjunctions, far beyond a 0.2 s budget
    rng = np.random.default_rng(3)
    Xb = (rng.random((1500, 30)) < 0.5).astype(np.uint8)
    y = (Xb[:, 0] ^ (rng.random(1500) < 0.2)).astype(int)
    model = OptimalRuleListClassifier(regularization=0.001, max_card=5, min_support=0.0,
                                      time_limit=0.2)
    t0 = time.perf_counter()
    with pytest.warns(ConvergenceWarning, match="time_limit"):
        model.fit(Xb, y)
    assert time.perf_counter() - t0 < 0.2 + 2.0
    stats = model.search_stats_
    assert stats["status"] == "time_limit" and not stats["mining_complete"]
    # without every candidate only the equivalent-points bound is proven
    eq = sum(min(np.sum(y[(Xb == row).all(axis=1)] == c) for c in (0, 1))
             for row in np.unique(Xb, axis=0)) / len(y)
    assert model.lower_bound_ == pytest.approx(min(eq, model.objective_), abs=1e-12)
    assert objective(Xb, y, np.ones(len(y)), model.rule_conjunctions_, 0.001, 2) == \
        pytest.approx(model.objective_, abs=1e-12)


def test_prefix_cap_and_the_gap_is_a_true_lower_bound():
    Xb, y = hard_problem(1, n=600, p=7)
    full = OptimalRuleListClassifier(regularization=0.01, time_limit=None).fit(Xb, y)
    assert full.optimality_gap_ == 0.0
    capped = OptimalRuleListClassifier(regularization=0.01, max_prefixes=300, time_limit=None)
    with pytest.warns(ConvergenceWarning, match="max_prefixes"):
        capped.fit(Xb, y)
    assert capped.search_stats_["status"] == "max_prefixes"
    assert capped.search_stats_["n_cached"] <= 300
    assert capped.lower_bound_ <= full.objective_ + 1e-12 <= capped.objective_ + 1e-12
    assert capped.optimality_gap_ == pytest.approx(capped.objective_ - capped.lower_bound_)


def test_proven_fit_has_zero_gap_and_consistent_rules():
    Xb, y = easy_problem()
    model = OptimalRuleListClassifier(regularization=0.01).fit(Xb, y)
    assert model.optimality_gap_ == 0.0 and model.lower_bound_ == model.objective_
    assert len(model.rules_) == model.n_rules_ + 1 and model.rules_[-1]["is_default"]
    total_support = sum(r["support"] for r in model.rules_)
    assert total_support == pytest.approx(1.0)
    proba = model.predict_proba(Xb)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    acc = np.mean(model.predict(Xb) == y)
    assert model.fit_summary_["training_accuracy"] == pytest.approx(acc)
    for r in model.rules_:
        assert isinstance(r["conditions"], tuple)
        assert r["prediction"] in model.classes_


def test_multiclass_rules_predict_their_captured_majority():
    Xb, y = easy_problem(3, n=600, n_classes=3)
    model = OptimalRuleListClassifier(regularization=0.005).fit(Xb, y)
    assert set(model.classes_) == {0, 1, 2}
    fired = model.apply(Xb)
    for j, r in enumerate(model.rules_):
        captured = y[fired == j]
        if len(captured):
            counts = np.bincount(captured, minlength=3)
            assert r["value"] == pytest.approx(counts / counts.sum())
            assert counts[list(model.classes_).index(r["prediction"])] == counts.max()


def test_deterministic():
    Xb, y = hard_problem(2, n=800, p=8)
    a = OptimalRuleListClassifier(regularization=0.02).fit(Xb, y)
    b = clone(a).fit(Xb, y)
    assert a.rule_conjunctions_ == b.rule_conjunctions_ and a.objective_ == b.objective_
    assert a.search_stats_["n_expanded"] == b.search_stats_["n_expanded"]
    # a search stopped by the prefix cap stops at the same node, with the same answer
    c = OptimalRuleListClassifier(regularization=0.005, max_prefixes=2000)
    with pytest.warns(ConvergenceWarning):
        c.fit(Xb, y)
    with pytest.warns(ConvergenceWarning):
        d = clone(c).fit(Xb, y)
    assert c.rule_conjunctions_ == d.rule_conjunctions_
    assert c.lower_bound_ == d.lower_bound_


def test_integer_weights_equal_repeated_rows():
    Xb, y = hard_problem(3, n=300, p=6)
    w = np.random.default_rng(0).integers(0, 3, len(y)).astype(float)
    weighted = OptimalRuleListClassifier(regularization=0.01).fit(Xb, y, sample_weight=w)
    rep = np.repeat(np.arange(len(y)), w.astype(int))
    repeated = OptimalRuleListClassifier(regularization=0.01).fit(Xb[rep], y[rep])
    assert weighted.objective_ == pytest.approx(repeated.objective_, abs=1e-12)


def test_string_labels_and_mixed_data():
    rng = np.random.default_rng(0)
    n = 300
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "job": pd.Categorical(rng.choice(["clerk", "sales", "tech"], n)),
        "flag": rng.random(n) > 0.5,
    })
    X.loc[::9, "age"] = np.nan
    y = np.where((X["age"].fillna(30) > 50) | (X["job"] == "tech"), "yes", "no")
    model = OptimalRuleListClassifier(regularization=0.01, random_state=0).fit(X, y)
    assert set(model.predict(X)) <= {"yes", "no"}
    assert model.score(X, y) > 0.8
    text = str(model)
    assert "age" in text or "job" in text
    assert model.background_.shape == (100, len(model.binarizer_.conditions_))


def test_leaves_partition_and_reproduce_predict_proba():
    Xb, y = hard_problem(4, n=1000, p=8)
    model = OptimalRuleListClassifier(regularization=0.015, max_card=2).fit(Xb, y)
    assert model.n_rules_ >= 2
    leaves = model._decision_leaves()
    assert isinstance(leaves, DecisionLeaves)
    assert leaves.support.sum() == pytest.approx(1.0)
    # every possible binary row, not only the training rows, falls in exactly one leaf
    grid = ((np.arange(2 ** 8)[:, None] >> np.arange(8)) & 1).astype(np.uint8)
    np.testing.assert_allclose(leaves.predict(grid), model.predict_proba(grid))
    np.testing.assert_allclose(leaves.predict(Xb), model.predict_proba(Xb))


def test_rule_list_leaves_on_overlapping_rules():
    rules = [[(0, True), (1, False)], [(1, False), (2, True)], [(0, False)]]
    leaves = rule_list_leaves(rules)
    grid = ((np.arange(8)[:, None] >> np.arange(3)) & 1).astype(np.uint8)
    for row in grid:
        hits = [j for lits, j in leaves if all((row[k] == 1) == v for k, v in lits)]
        assert len(hits) == 1
        want = next((j for j, r in enumerate(rules)
                     if all((row[k] == 1) == v for k, v in r)), len(rules))
        assert hits[0] == want


def test_explanations_sum_to_predict_proba():
    Xb, y = hard_problem(5, n=500, p=6)
    model = OptimalRuleListClassifier(regularization=0.01).fit(Xb, y)
    local = model.explain_local(Xb[:20])
    total = np.asarray(local.base_values) + np.asarray(local.values).sum(axis=1)
    np.testing.assert_allclose(total, model.predict_proba(Xb[:20]), atol=1e-9)
    assert model.explain_global().scope == "global"


def test_pickle_and_clone():
    Xb, y = easy_problem()
    model = OptimalRuleListClassifier(regularization=0.02).fit(Xb, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(Xb), model.predict_proba(Xb))
    c = clone(model)
    assert c.get_params() == model.get_params() and not hasattr(c, "rules_")


@pytest.mark.parametrize("params,err,match", [
    ({"regularization": -0.1}, ValueError, "regularization"),
    ({"regularization": "a"}, TypeError, "regularization"),
    ({"max_card": 0}, ValueError, "max_card"),
    ({"max_card": 1.5}, TypeError, "max_card"),
    ({"min_support": 0.7}, ValueError, "min_support"),
    ({"time_limit": 0}, ValueError, "time_limit"),
    ({"max_prefixes": 0}, ValueError, "max_prefixes"),
])
def test_bad_parameters(params, err, match):
    Xb, y = easy_problem()
    with pytest.raises(err, match=match):
        OptimalRuleListClassifier(**params).fit(Xb, y)


def test_bad_input():
    Xb, y = easy_problem()
    model = OptimalRuleListClassifier()
    with pytest.raises(ValueError, match="one class"):
        model.fit(Xb, np.zeros(len(y)))
    with pytest.raises(ValueError, match="different lengths"):
        model.fit(Xb, y[:-1])
    with pytest.raises(ValueError, match="sample_weight"):
        model.fit(Xb, y, sample_weight=-np.ones(len(y)))
    bad = Xb.astype(float)
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="inf"):
        model.fit(bad, y)
    model.fit(Xb, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(Xb[:, :3])


def test_no_usable_rule_gives_the_default_list():
    Xb, y = easy_problem()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = OptimalRuleListClassifier(regularization=0.9).fit(Xb, y)
    assert model.n_rules_ == 0 and model.optimality_gap_ == 0.0
    assert model.objective_ == pytest.approx(1 - np.bincount(y).max() / len(y))


def test_same_optimum_as_corels_on_its_compas_data(shared_data):
    """corels 1.1.29 certifies 0.358093697 here (c=0.01, max_card=2, min_support=0.01)."""
    frame = pd.read_csv(shared_data / "trees" / "corels-compas.csv.gz")
    Xb = frame.iloc[:, :-1].to_numpy(dtype=np.uint8)
    y = frame.iloc[:, -1].to_numpy()
    model = OptimalRuleListClassifier(regularization=0.01, max_card=2, min_support=0.01)
    model.fit(Xb, y)
    assert model.optimality_gap_ == 0.0
    assert model.objective_ == pytest.approx(0.358093697025736, abs=1e-9)
    assert model.n_rules_ == 3
