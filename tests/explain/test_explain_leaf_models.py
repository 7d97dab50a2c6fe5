"""Explanations of leaf models (via an sklearn CART oracle exposing the leaf-model contract)."""
import json

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from glassbox.datasets import load_adult
from glassbox.explain import Explanation, global_explanation, local_explanation

from gb_leaf_oracle import SklearnLeafClassifier, SklearnLeafRegressor


@pytest.fixture(scope="module")
def adult():
    X, y = load_adult()
    Xt, yt = load_adult(split="test")
    return X.iloc[:4000], y.iloc[:4000], Xt.iloc[:2000], yt.iloc[:2000]


@pytest.fixture(scope="module")
def clf(adult):
    X, y, _, _ = adult
    return SklearnLeafClassifier(max_depth=4, n_background=60).fit(X, y)


def test_local_sums_exactly_to_predict_proba_on_adult_test(clf, adult):
    _, _, Xt, yt = adult
    exp = local_explanation(clf, Xt, yt)
    assert exp.values.shape == (len(Xt), Xt.shape[1], 2)
    assert exp.base_values.shape == (len(Xt), 2)
    np.testing.assert_allclose(exp.outputs, clf.predict_proba(Xt), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(exp.predictions, clf.predict(Xt))
    np.testing.assert_array_equal(exp.y, np.asarray(yt))
    # binary classes: the two columns' contributions are exact negatives
    np.testing.assert_allclose(exp.values[..., 0], -exp.values[..., 1], atol=1e-12)


def test_regressor_local_sums_to_predict(adult):
    X, _, Xt, _ = adult
    target = X["hours-per-week"].astype(float)
    Xr = X.drop(columns="hours-per-week")
    model = SklearnLeafRegressor(max_depth=4).fit(Xr, target)
    exp = local_explanation(model, Xt.drop(columns="hours-per-week"))
    assert exp.values.ndim == 2 and exp.base_values.ndim == 1 and exp.output == "prediction"
    np.testing.assert_allclose(exp.outputs, model.predict(Xt.drop(columns="hours-per-week")),
                               rtol=1e-12, atol=1e-9)


def test_fired_conditions_hold_on_the_raw_rows(clf, adult):
    _, _, Xt, _ = adult
    exp = local_explanation(clf, Xt.iloc[:300])
    conditions = {c.text(): c for c in clf.binarizer_.conditions_}
    conditions.update({c.negate().text(): c.negate() for c in clf.binarizer_.conditions_})
    for i, fired in enumerate(exp.fired):
        assert fired, "a depth-4 tree fires at least one condition"
        for text in fired:
            cond = conditions[text]
            assert cond.evaluate(Xt.iloc[i:i + 1][cond.feature])[0], (i, text)


def test_global_leaves_tree_and_importances(clf):
    exp = global_explanation(clf)
    sk = clf.tree_model_.tree_
    assert exp.scope == "global" and exp.model_type == "tree"
    assert len(exp.rules) == sk.n_leaves
    assert len(exp.tree) == sk.node_count
    np.testing.assert_allclose(sum(r.support for r in exp.rules), 1.0)
    root = clf.binarizer_.conditions_[sk.feature[0]]
    assert exp.tree[0].condition in (root.text(), root.negate().text())
    np.testing.assert_allclose(exp.tree[0].value, sk.value[0][0] / sk.value[0][0].sum())
    # features never split on have zero importance; split features positive
    used = {int(clf.binarizer_.feature_index_[k]) for k in sk.feature[sk.feature >= 0]}
    for j, imp in enumerate(exp.term_importances):
        assert (imp > 0) == (j in used)
    base = clf.tree_model_.predict_proba(clf.background_).mean(axis=0)
    np.testing.assert_allclose(exp.base_values, base, atol=1e-12)


def test_indexing_by_name_position_slice_mask(clf, adult):
    _, _, Xt, _ = adult
    exp = local_explanation(clf, Xt.iloc[:20])
    age = exp["age"]
    assert age.term_names == ["age"] and age.values.shape == (20, 1, 2)
    head = exp[:5]
    assert head.n_rows == 5 and head.data.shape == (5, Xt.shape[1]) and len(head.fired) == 5
    np.testing.assert_array_equal(head.values, exp.values[:5])
    mask = np.zeros(20, dtype=bool)
    mask[[2, 7]] = True
    assert exp[mask].n_rows == 2
    both = exp[1:3, ["age", "sex"]]
    assert both.values.shape == (2, 2, 2) and both.term_names == ["age", "sex"]
    assert exp[3].n_rows == 1
    with pytest.raises(KeyError, match="no term named"):
        exp["not a feature"]
    glob = global_explanation(clf)
    assert glob[0].term_names == [glob.term_names[0]]
    assert glob[-2:].term_names == glob.term_names[-2:]
    assert glob[np.arange(glob.n_terms) % 2 == 0].n_terms == (glob.n_terms + 1) // 2
    assert glob["sex"].term_importances.shape == (1,)


def test_conversions_are_json_able_and_informative(clf, adult):
    _, _, Xt, _ = adult
    for exp in (global_explanation(clf), local_explanation(clf, Xt.iloc[:10], np.asarray(Xt.index[:10]))):
        d = exp.to_dict()
        text = json.dumps(d, allow_nan=False)
        assert json.loads(text)["scope"] == exp.scope
        frame = exp.to_frame()
        assert len(frame) == (exp.n_rows if exp.scope == "local" else len(exp.rules))
        assert repr(exp).startswith(f"Explanation({exp.scope}, tree classification")
        html = exp._repr_html_()
        assert "marital-status" in html
    local = local_explanation(clf, Xt.iloc[:10])
    frame = local.to_frame()
    np.testing.assert_allclose(frame["output[>50K]"], clf.predict_proba(Xt.iloc[:10])[:, 1], atol=1e-12)


def test_errors_are_clear():
    with pytest.raises(NotFittedError):
        global_explanation(SklearnLeafClassifier())
    from sklearn.linear_model import LinearRegression

    lin = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    with pytest.raises(TypeError, match="cannot explain LinearRegression"):
        local_explanation(lin, [[0.0]])


def test_explanation_class_is_exported():
    import glassbox.explain as ge

    assert set(ge.__all__) >= {"Explanation", "DecisionLeaves", "global_explanation", "local_explanation"}
    assert Explanation.__doc__
