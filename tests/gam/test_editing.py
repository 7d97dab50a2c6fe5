"""Post-fit edits of an EBM: per-bag predictions, scale, remove_terms, monotonize, copy."""
import numpy as np
import pandas as pd
import pytest

from glassbox import ExplainableBoostingClassifier, ExplainableBoostingRegressor
from glassbox.export import from_json, to_json


def _data(n=600, seed=0, classes=2):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "wavy": rng.uniform(-3, 3, n),
        "rising": rng.normal(size=n),
        "colour": rng.choice(["red", "green", "blue"], n),
    })
    X.loc[rng.random(n) < 0.05, "rising"] = np.nan
    logit = np.sin(2 * X["wavy"]) + 0.8 * X["rising"].fillna(0) + (X["colour"] == "red") * 0.7
    if classes == 0:
        return X, logit + rng.normal(scale=0.3, size=n)
    y = (logit + rng.logistic(size=n) > 0).astype(int)
    if classes > 2:
        y = np.where(X["wavy"] > 1.5, 2, y)
    return X, y


def _fit(kind="clf", classes=2, **kw):
    X, y = _data(classes=0 if kind == "reg" else classes)
    params = dict(outer_bags=4, max_rounds=300, interactions=[("wavy", "rising")], random_state=1, n_jobs=1)
    params.update(kw)
    est = (ExplainableBoostingRegressor if kind == "reg" else ExplainableBoostingClassifier)(**params)
    return est.fit(X, y), X


def _scores(model, X):
    return model.decision_function(X) if hasattr(model, "classes_") else model._raw_scores(X)


@pytest.mark.parametrize("kind", ["clf", "reg"])
def test_predict_with_uncertainty_is_the_spread_of_the_bag_models(kind):
    model, X = _fit(kind)
    out = model.predict_with_uncertainty(X)
    assert out.shape == (len(X), 2)
    np.testing.assert_allclose(out[:, 0], _scores(model, X), rtol=0, atol=1e-9)
    # naive twin: every bag as a model of its own, scored by the ordinary predict path
    per_bag = []
    for b in range(len(model.bagged_intercept_)):
        one = model.copy()
        one.term_scores_ = [s[b] for s in model.bagged_scores_]
        one.intercept_ = (np.atleast_1d(model.bagged_intercept_[b]) if hasattr(model, "classes_")
                          else float(model.bagged_intercept_[b]))
        per_bag.append(_scores(one, X))
    per_bag = np.array(per_bag)
    w = model.bag_weights_[:, None]
    mean = (w * per_bag).sum(0) / w.sum()
    np.testing.assert_allclose(out[:, 1], np.sqrt((w * (per_bag - mean) ** 2).sum(0) / w.sum()), atol=1e-9)
    assert np.all(out[:, 1] > 0)


def test_multiclass_edits_that_need_one_score_are_refused():
    model, X = _fit(classes=3)
    with pytest.raises(ValueError, match="multiclass"):
        model.predict_with_uncertainty(X)
    with pytest.raises(ValueError, match="multiclass"):
        model.monotonize("rising")


def test_scale_and_remove_terms_change_the_score_by_the_term():
    model, X = _fit()
    base = _scores(model, X)
    terms = model.eval_terms(X)
    t = model.term_names_.index("wavy")
    sd = model.standard_deviations_[t].copy()
    scaled = model.copy().scale("wavy", -0.5)
    np.testing.assert_allclose(_scores(scaled, X), base - 1.5 * terms[:, t], atol=1e-9)
    np.testing.assert_allclose(scaled.standard_deviations_[t], 0.5 * sd)
    np.testing.assert_allclose(scaled.predict_with_uncertainty(X)[:, 0], _scores(scaled, X), atol=1e-9)

    pair = model.term_names_.index("wavy & rising")
    removed = model.copy().remove_terms(["wavy", pair])
    assert removed.term_names_ == [n for n in model.term_names_ if n not in ("wavy", "wavy & rising")]
    np.testing.assert_allclose(_scores(removed, X), base - terms[:, t] - terms[:, pair], atol=1e-9)
    # the original is untouched by edits of its copies
    np.testing.assert_allclose(_scores(model, X), base)
    # an edited model round-trips through JSON exactly
    loaded = from_json(to_json(removed))
    np.testing.assert_array_equal(_scores(loaded, X), _scores(removed, X))


@pytest.mark.parametrize("passthrough", [0.0, 0.4, 1.0])
@pytest.mark.parametrize("kind", ["clf", "reg"])
def test_monotonize_makes_every_bag_and_the_mean_monotone(kind, passthrough):
    model, X = _fit(kind)
    t = model.term_names_.index("wavy")
    weights = model.bin_weights_[t]
    before = model.term_scores_[t].copy()
    old_mean = np.average(before[1:-1], weights=weights[1:-1])
    old_icpt = np.ravel(model.intercept_)[0]
    model.monotonize("wavy", increasing=False, passthrough=passthrough)
    after = model.term_scores_[t]
    assert np.all(np.diff(after[1:-1]) <= 1e-12)
    for bag in model.bagged_scores_[t]:
        assert np.all(np.diff(bag[1:-1]) <= 1e-12)
    # missing and unseen cells are not part of the ordered range (only the passthrough shift)
    shift = np.ravel(model.intercept_)[0] - old_icpt
    np.testing.assert_allclose(after[[0, -1]] + shift, before[[0, -1]], atol=1e-9)
    # weighted isotonic regression keeps the weighted mean, so the mean response is unchanged
    # and nothing is left to pass through to the intercept
    new_mean = np.average(after[1:-1], weights=weights[1:-1])
    np.testing.assert_allclose(new_mean + shift, old_mean, atol=1e-9)
    assert abs(shift) < 1e-9
    if passthrough == 0.0:
        assert shift == 0.0
    # everything stays consistent: bag spread, additivity, per-bag predictions
    np.testing.assert_allclose(model.predict_with_uncertainty(X)[:, 0], _scores(model, X), atol=1e-9)
    np.testing.assert_allclose(model.eval_terms(X).sum(1) + np.ravel(model.intercept_)[0], _scores(model, X),
                               atol=1e-9)


def test_monotonize_auto_follows_the_trend_and_is_idempotent():
    model, X = _fit()
    t = model.term_names_.index("rising")
    model.monotonize("rising")  # the truth rises with "rising"
    once = model.term_scores_[t].copy()
    assert np.all(np.diff(once[1:-1]) >= -1e-12) and once[-2] > once[1]
    model.monotonize(t)
    np.testing.assert_allclose(model.term_scores_[t], once, atol=1e-12)


def test_edit_errors_name_the_term_and_the_problem():
    model, _ = _fit()
    with pytest.raises(ValueError, match="pair"):
        model.monotonize("wavy & rising")
    with pytest.raises(ValueError, match="nominal"):
        model.monotonize("colour")
    with pytest.raises(ValueError, match="'nope' is not a term"):
        model.scale("nope", 2.0)
    with pytest.raises(ValueError, match="out of range"):
        model.remove_terms([17])
    with pytest.raises(TypeError, match="term must be"):
        model.scale(1.5, 2.0)
    with pytest.raises(ValueError, match="increasing"):
        model.monotonize("wavy", increasing="up")
    with pytest.raises(ValueError, match="passthrough"):
        model.monotonize("wavy", passthrough=2)
    with pytest.raises(ValueError, match="finite"):
        model.scale("wavy", np.inf)


@pytest.mark.parametrize("kind", ["clf", "reg"])
def test_remove_features_is_remove_terms_without_the_column(kind):
    from glassbox.export import to_python

    model, X = _fit(kind, interactions=[("wavy", "rising"), ("rising", "colour")])
    expected = model.copy().remove_terms(["rising", "wavy & rising", "rising & colour"])
    edited = model.copy().remove_features("rising")
    X_without = X.drop(columns="rising")
    assert edited.term_names_ == ["wavy", "colour"]
    assert edited.term_features_ == [(0,), (1,)]
    assert edited.n_features_in_ == 2 and list(edited.feature_names_in_) == ["wavy", "colour"]
    assert len(edited.bins_) == 2 and edited.feature_bounds_.shape == (2, 2)
    assert np.array_equal(_scores(edited, X_without), _scores(expected, X))
    # the column is no longer an input: passing it is an error naming it
    with pytest.raises(ValueError, match="rising"):
        edited.predict(X)
    # exact JSON round trip and standalone scoring code of the edited model
    loaded = from_json(to_json(edited))
    assert np.array_equal(_scores(loaded, X_without), _scores(edited, X_without))
    namespace = {}
    exec(compile(to_python(edited), "<generated>", "exec"), namespace)  # noqa: S102
    row = X_without.iloc[3].to_dict()
    assert namespace["predict"](row) == pytest.approx(edited.predict(X_without.iloc[[3]])[0])


def test_remove_features_by_index_and_its_errors():
    model, X = _fit()
    assert model.copy().remove_features([0]).feature_names_ == ["rising", "colour"]
    with pytest.raises(ValueError, match="'nope' is not a feature"):
        model.copy().remove_features("nope")
    with pytest.raises(ValueError, match="every feature"):
        model.copy().remove_features(["wavy", "rising", "colour"])
    with pytest.raises(ValueError, match="out of range"):
        model.copy().remove_features(7)


def test_sweep_drops_zero_terms_and_unused_features_without_changing_predictions():
    model, X = _fit()
    model.scale("colour", 0.0)
    before = model.decision_function(X)
    swept = model.copy().sweep()
    assert "colour" not in swept.term_names_ and swept.n_features_in_ == 3
    assert np.array_equal(swept.decision_function(X), before)
    fully = model.copy().sweep(features=True)
    assert fully.feature_names_ == ["wavy", "rising"]
    assert np.array_equal(fully.decision_function(X.drop(columns="colour")), before)
    # without pairs, no feature keeps a pair-level bin
    no_pairs = model.copy().remove_terms(["wavy & rising"]).sweep()
    assert all(len(levels) == 1 for levels in no_pairs.bins_)
