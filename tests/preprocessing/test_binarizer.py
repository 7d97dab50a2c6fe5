import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from glassbox.datasets import load_compas
from glassbox.preprocessing import Condition, FeatureBinarizer


@pytest.fixture
def mixed():
    rng = np.random.default_rng(0)
    n = 400
    X = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "job": rng.choice(["clerk", "sales", "tech"], n),
        "income": rng.normal(50, 10, n),
    })
    X.loc[rng.random(n) < 0.1, "income"] = np.nan
    y = ((X["age"] > 40) ^ (X["job"] == "tech")).astype(int)
    return X, y


def test_quantile_mode_offers_thresholds_categories_and_missing(mixed):
    X, y = mixed
    b = FeatureBinarizer(thresholds="quantile", n_quantiles=3).fit(X, y)
    texts = b.get_feature_names_out().tolist()
    assert sum(t.startswith("age <=") for t in texts) == 3
    assert {"job == clerk", "job == sales", "job == tech", "income is missing"} <= set(texts)
    # income had missing values, so its thresholds' negations say so
    cond = next(c for c in b.conditions_ if c.feature == "income" and c.op == "<=")
    assert cond.negate().text().endswith("or income is missing")
    Xb = b.transform(X)
    assert Xb.dtype == np.uint8 and Xb.flags.c_contiguous and Xb.shape == (len(X), len(texts))
    for k, c in enumerate(b.conditions_):  # each column is exactly its condition
        assert np.array_equal(Xb[:, k].astype(bool), c.evaluate(X[c.feature]))
        assert b.feature_index_[k] == list(X.columns).index(c.feature)


def test_boosted_mode_keeps_what_the_stumps_use(mixed):
    X, y = mixed
    b = FeatureBinarizer(n_estimators=10, random_state=0).fit(X, y)
    texts = b.get_feature_names_out().tolist()
    assert any(t.startswith("age <= ") for t in texts)
    assert "job == tech" in texts
    assert len(texts) <= 10
    # same data, same seed: same features
    again = FeatureBinarizer(n_estimators=10, random_state=0).fit(X, y)
    assert again.get_feature_names_out().tolist() == texts


def test_binary_input_passes_through():
    X = pd.DataFrame({"a": [0, 1, 1, 0], "b": [True, False, True, True]})
    b = FeatureBinarizer().fit(X, [0, 1, 1, 0])
    assert b.passthrough_
    assert b.transform(X).tolist() == [[0, 1], [1, 0], [1, 1], [0, 1]]
    assert b.get_feature_names_out().tolist() == ["a == 1", "b == True"]


@given(st.lists(st.one_of(st.none(), st.floats(-5, 5, allow_nan=False)), min_size=1, max_size=30),
       st.floats(-5, 5, allow_nan=False), st.sampled_from(["<=", ">", "is missing", "is not missing"]))
def test_condition_and_negation_split_every_row(values, t, op):
    col = pd.Series([np.nan if v is None else v for v in values], dtype=float)
    c = Condition("x", 0, op, t if op in ("<=", ">") else None, missing_seen=True)
    holds, neg = c.evaluate(col), c.negate().evaluate(col)
    assert np.array_equal(holds, ~neg)
    assert c.negate().negate() == c


def test_categorical_condition_missing_is_not_equal():
    col = pd.Series(["a", None, "b"], dtype=object)
    assert Condition("c", 0, "==", "a").evaluate(col).tolist() == [True, False, False]
    assert Condition("c", 0, "!=", "a").evaluate(col).tolist() == [False, True, True]


def test_compas_binarizes_with_readable_conditions():
    X, y = load_compas()
    b = FeatureBinarizer(n_estimators=40, random_state=0).fit(X, y)
    Xb = b.transform(X)
    assert Xb.shape[0] == 6172 and 1 <= Xb.shape[1] <= 40
    assert any(t.startswith("priors_count <= ") for t in b.get_feature_names_out())
    # no constant and no duplicate column
    assert np.all(Xb.min(0) != Xb.max(0))
    assert len(np.unique(Xb.T, axis=0)) == Xb.shape[1]


def test_errors():
    with pytest.raises(ValueError, match="thresholds"):
        FeatureBinarizer(thresholds="nope").fit([[1.0], [2.0]], [0, 1])
    with pytest.raises(ValueError, match="y is required"):
        FeatureBinarizer().fit([[1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="n_estimators"):
        FeatureBinarizer(n_estimators=0).fit([[1.0], [2.0]], [0, 1])
