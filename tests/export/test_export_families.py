"""Every export for every real estimator: exact JSON round trip, scoring code, documents.

Data: Adult (bundled), COMPAS (bundled) and hypothesis-generated mixed frames. Test rows carry
missing values and categories never seen in training.
"""
import importlib
import json
import sqlite3

import numpy as np
import pandas as pd
import pytest
from export_helpers import assert_identical
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import is_classifier

from glassbox.export import from_json, to_html, to_json, to_markdown, to_python, to_sql, to_text

FAST = {
    "ebm": dict(outer_bags=2, interactions=2, max_rounds=150, max_bins=32, n_jobs=1, random_state=0),
    "tree": dict(max_depth=3, regularization=0.01, time_limit=20.0, random_state=0),
    "rules": dict(max_card=2, regularization=0.02, time_limit=10.0, random_state=0),
}
ESTIMATORS = {
    "ebm-classifier": ("glassbox.gam", "ExplainableBoostingClassifier", "ebm"),
    "ebm-regressor": ("glassbox.gam", "ExplainableBoostingRegressor", "ebm"),
    "ebm-poisson": ("glassbox.gam", "ExplainableBoostingRegressor", "ebm"),
    "tree-classifier": ("glassbox.tree", "OptimalSparseTreeClassifier", "tree"),
    "tree-regressor": ("glassbox.tree", "OptimalSparseTreeRegressor", "tree"),
    "rules-classifier": ("glassbox.rules", "OptimalRuleListClassifier", "rules"),
}


EXTRA = {"ebm-poisson": {"objective": "poisson_deviance"}}  # a log link


def make(name, **extra):
    module, cls_name, family = ESTIMATORS[name]
    extra = {**EXTRA.get(name, {}), **extra}
    try:
        cls = getattr(importlib.import_module(module), cls_name)
    except (ImportError, AttributeError):
        pytest.skip(f"{module}.{cls_name} does not exist in this checkout yet")
    return cls(**{**FAST[family], **extra})


# --------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def adult():
    from glassbox.datasets import load_adult

    X, y = load_adult(split="train")
    Xt, yt = load_adult(split="test")
    return X.iloc[:1500].reset_index(drop=True), y.iloc[:1500].reset_index(drop=True), \
        with_surprises(Xt.iloc[:600].reset_index(drop=True))


def with_surprises(X, seed=1):
    """Test rows with unseen categories and extra missing values."""
    X = X.copy()
    rng = np.random.default_rng(seed)
    for col in X.columns:
        if isinstance(X[col].dtype, pd.CategoricalDtype) or X[col].dtype == object or pd.api.types.is_string_dtype(X[col].dtype):
            X[col] = X[col].astype(object)
            X.loc[rng.random(len(X)) < 0.05, col] = "Never-seen-category"
            X.loc[rng.random(len(X)) < 0.03, col] = None
        else:
            X[col] = X[col].astype(float)
            X.loc[rng.random(len(X)) < 0.03, col] = np.nan
    return X


def targets(kind, X, y):
    """Binary, multiclass or regression target derived from Adult."""
    if kind == "binary":
        return X, y
    if kind == "multiclass":
        age = X["age"].to_numpy()
        return X, np.where(np.asarray(y) == ">50K", "high", np.where(age < 30, "young", "low"))
    return X.drop(columns=["hours-per-week"]), X["hours-per-week"].astype(float)


CASES = [("ebm-classifier", "binary"), ("ebm-classifier", "multiclass"), ("ebm-regressor", "regression"),
         ("ebm-poisson", "regression"),
         ("tree-classifier", "binary"), ("tree-classifier", "multiclass"), ("tree-regressor", "regression"),
         ("rules-classifier", "binary"), ("rules-classifier", "multiclass")]


@pytest.fixture(scope="module")
def fitted(adult):
    cache = {}

    def get(name, kind):
        if (name, kind) not in cache:
            X, y, Xt = adult
            Xf, yf = targets(kind, X, y)
            model = make(name)
            with _quiet():
                model.fit(Xf, yf)
            cache[name, kind] = (model, Xt[list(Xf.columns)])
        return cache[name, kind]

    return get


class _quiet:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self._w.__exit__(*exc)


def outputs(model, X):
    return model.predict_proba(X) if is_classifier(model) else np.asarray(model.predict(X))[:, None]


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("name,kind", CASES)
def test_json_round_trip_is_exact(fitted, name, kind):
    model, Xt = fitted(name, kind)
    text = to_json(model)
    json.loads(text)
    back = from_json(text)
    assert type(back) is type(model)
    assert_identical(vars(model), vars(back))
    assert np.array_equal(np.asarray(model.predict(Xt)), np.asarray(back.predict(Xt)))
    assert outputs(model, Xt).tobytes() == outputs(back, Xt).tobytes()
    if hasattr(model, "decision_function"):
        assert np.asarray(model.decision_function(Xt)).tobytes() == np.asarray(back.decision_function(Xt)).tobytes()
    g1, g2 = model.explain_global().to_dict(), back.explain_global().to_dict()
    assert json.dumps(g1, sort_keys=True) == json.dumps(g2, sort_keys=True)
    l1, l2 = model.explain_local(Xt.iloc[:20]), back.explain_local(Xt.iloc[:20])
    assert np.asarray(l1.values).tobytes() == np.asarray(l2.values).tobytes()
    assert to_json(back) == text  # a fixed point


def test_json_round_trip_on_compas():
    from glassbox.datasets import load_compas

    X, y = load_compas()
    X, y = X.iloc[:1500], y.iloc[:1500]
    for name in ("ebm-classifier", "tree-classifier", "rules-classifier"):
        try:
            model = make(name)
        except pytest.skip.Exception:
            continue
        with _quiet():
            model.fit(X, y)
        back = from_json(to_json(model))
        assert model.predict_proba(X).tobytes() == back.predict_proba(X).tobytes()


def test_json_rejects_inconsistent_models(fitted):
    model, _ = fitted("ebm-classifier", "binary")
    doc = json.loads(to_json(model))
    state = doc["model"]["state"]
    broken = json.loads(json.dumps(doc))
    broken["model"]["state"]["term_scores_"] = broken["model"]["state"]["term_scores_"][:-1]
    with pytest.raises(ValueError, match="inconsistent"):
        from_json(json.dumps(broken))
    broken = json.loads(json.dumps(doc))
    broken["model"]["state"]["link_"] = "os.system"
    with pytest.raises(ValueError, match="inconsistent"):
        from_json(json.dumps(broken))
    assert "term_scores_" in state


# --------------------------------------------------------------------------- scoring code


def python_outputs(model, X):
    namespace = {}
    exec(compile(to_python(model), "<generated>", "exec"), namespace)  # noqa: S102
    rows = X.to_dict("records")
    if is_classifier(model):
        proba = np.array([namespace["predict_proba"](r) for r in rows])
        labels = [namespace["predict"](r) for r in rows]
        return proba, labels
    return np.array([namespace["predict"](r) for r in rows])[:, None], None


def sql_outputs(model, X, key="row_id"):
    con = sqlite3.connect(":memory:")
    data = X.copy()
    data.insert(0, key, np.arange(len(X)))
    data.to_sql("rows", con, index=False)
    cur = con.execute(to_sql(model, table="rows", key=key))
    out = np.array(cur.fetchall(), dtype=np.float64)
    assert np.array_equal(out[:, 0], np.arange(len(X)))
    return out[:, 1:]


@pytest.mark.parametrize("name,kind", CASES)
def test_python_and_sql_score_like_the_model(fitted, name, kind):
    model, Xt = fitted(name, kind)
    want = outputs(model, Xt)
    got, labels = python_outputs(model, Xt)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    if labels is not None:
        assert labels == list(model.predict(Xt))
    sql = sql_outputs(model, Xt)
    if is_classifier(model) and want.shape[1] == 2:
        want = want[:, 1:]
    np.testing.assert_allclose(sql, want, rtol=0, atol=1e-9)


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize("name,kind", CASES)
def test_documents_describe_the_whole_model(fitted, name, kind):
    model, _ = fitted(name, kind)
    md = to_markdown(model, target_name="target")
    txt = to_text(model, decimals=2, target_name="target")
    html = to_html(model, target_name="target")
    for doc in (md, txt, html):
        assert "Training data" in doc and "target" in doc.lower()
    assert html.startswith("<!DOCTYPE html>") and "<script src" not in html and "http" not in html.split("<body>")[0]
    if is_classifier(model):
        for c in model.classes_:
            assert str(c).replace(">", "&gt;").replace("<", "&lt;") in html
    if name.startswith("ebm"):
        for term in model.term_names_:
            assert f"Term: {term}" in md
        assert "missing" in md
        if is_classifier(model):
            assert "exp(" in md
        assert "bin " not in md  # never bin indices
    else:
        assert "IF" in md and "support" in md and "Objective" in md and "Optimality gap" in md
        n = model._decision_leaves().n_leaves
        if name.startswith("tree"):
            assert md.count("**IF**") == n
        else:
            assert md.count("**ELSE**") == 1
            assert md.count("**ELSE IF**") == len(model.rules_) - 2 if len(model.rules_) > 1 else True


def test_rounding_option(fitted):
    model, _ = fitted("ebm-classifier", "binary")
    coarse, fine = to_markdown(model, decimals=1), to_markdown(model, decimals=None)
    assert len(fine) > len(coarse)
    with pytest.raises(ValueError, match="decimals"):
        to_markdown(model, decimals=-1)


# --------------------------------------------------------------------------- hypothesis


@st.composite
def mixed_frames(draw):
    n = draw(st.integers(40, 80))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "x": rng.normal(size=n).round(draw(st.integers(0, 3))),
        "c": rng.choice(["a", "b", "c d", "e'f"], n),
        "k": rng.integers(0, 4, n).astype(float),
    })
    X.loc[rng.random(n) < 0.15, "x"] = np.nan
    X.loc[rng.random(n) < 0.15, "c"] = None
    y = np.where(np.nan_to_num(X["x"].to_numpy()) + (X["c"] == "a") + rng.normal(0, 0.5, n) > 0.5, "yes", "no")
    if len(set(y)) < 2:
        y[:2] = ["yes", "no"]
    return X, y, with_surprises(X, seed + 1)


@pytest.mark.parametrize("name", ["ebm-classifier", "tree-classifier", "rules-classifier"])
@settings(max_examples=5, deadline=None)
@given(data=mixed_frames())
def test_hypothesis_round_trip_and_scoring(name, data):
    X, y, Xt = data
    model = make(name)
    with _quiet():
        model.fit(X, y)
    back = from_json(to_json(model))
    assert model.predict_proba(Xt).tobytes() == back.predict_proba(Xt).tobytes()
    got, _ = python_outputs(model, Xt)
    np.testing.assert_allclose(got, model.predict_proba(Xt), rtol=0, atol=1e-9)
    np.testing.assert_allclose(sql_outputs(model, Xt)[:, 0], model.predict_proba(Xt)[:, 1], rtol=0, atol=1e-9)


def test_json_rejects_a_cyclic_tree(fitted):
    model, _ = fitted("tree-classifier", "binary")
    doc = json.loads(to_json(model))
    doc["model"]["state"]["tree_"]["records"]["columns"]["left"]["data"][0] = 0
    with pytest.raises(ValueError, match="glassbox JSON"):
        from_json(json.dumps(doc))


@pytest.mark.parametrize("name", ["ebm-classifier", "tree-classifier", "rules-classifier"])
def test_html_with_embedded_figures_is_self_contained(fitted, name):
    model, _ = fitted(name, "binary")
    html = to_html(model, figures=True)
    expected = len(model.term_names_) if name.startswith("ebm") else 1
    assert "<script src" not in html and html.count("<figure>") == expected
    assert "Plotly.newPlot" in html


@pytest.mark.parametrize("name", ["tree-classifier", "rules-classifier"])
@pytest.mark.parametrize("as_bool", [False, True])
def test_scoring_on_binary_passthrough_data(name, as_bool):
    """All-0/1 (or boolean) input is used as-is by trees and rule lists; the code must agree."""
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.integers(0, 2, size=(300, 5)), columns=[f"b{i}" for i in range(5)])
    y = np.where((X["b0"] & X["b1"]) | X["b3"], "pos", "neg")
    if as_bool:
        X = X.astype(bool)
    model = make(name)
    with _quiet():
        model.fit(X, y)
    assert model.binarizer_.passthrough_
    got, labels = python_outputs(model, X)
    np.testing.assert_allclose(got, model.predict_proba(X), rtol=0, atol=1e-9)
    np.testing.assert_allclose(sql_outputs(model, X)[:, 0], model.predict_proba(X)[:, 1], rtol=0, atol=1e-9)
    assert from_json(to_json(model)).predict_proba(X).tobytes() == model.predict_proba(X).tobytes()


def test_numeric_nominal_feature_scores_like_the_model():
    """A numeric column declared nominal: categories 3, 3.0 and '3' are one category everywhere."""
    X = pd.DataFrame({"grade": np.random.default_rng(0).integers(1, 6, 400).astype(float),
                      "x": np.random.default_rng(1).normal(size=400)})
    y = np.where(X["grade"] + X["x"] > 3, "a", "b")
    model = make("ebm-classifier", feature_types={"grade": "nominal", "x": "continuous"})
    with _quiet():
        model.fit(X, y)
    Xt = X.copy()
    Xt.loc[:5, "grade"] = 9.0  # unseen
    Xt.loc[6:9, "grade"] = np.nan
    got, _ = python_outputs(model, Xt)
    np.testing.assert_allclose(got, model.predict_proba(Xt), rtol=0, atol=1e-9)
    np.testing.assert_allclose(sql_outputs(model, Xt)[:, 0], model.predict_proba(Xt)[:, 1], rtol=0, atol=1e-9)


@pytest.mark.parametrize("name,kind", [("ebm-classifier", "binary"), ("tree-classifier", "binary"),
                                       ("rules-classifier", "multiclass")])
def test_documents_missing_an_attribute_are_refused_or_still_exact(fitted, name, kind):
    """Drop each state attribute in turn: loading fails with ValueError or predicts exactly as before."""
    model, Xt = fitted(name, kind)
    doc = json.loads(to_json(model))
    want = model.predict_proba(Xt)
    refused = 0
    for attr in list(doc["model"]["state"]):
        broken = json.loads(json.dumps(doc))
        del broken["model"]["state"][attr]
        try:
            back = from_json(json.dumps(broken))
        except ValueError:
            refused += 1
            continue
        try:
            with _quiet():
                got = back.predict_proba(Xt)
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"without {attr!r} the model loaded but cannot predict: {exc!r}")
        assert got.tobytes() == want.tobytes(), f"without {attr!r} the model loaded but predicts differently"
    assert refused > 0
